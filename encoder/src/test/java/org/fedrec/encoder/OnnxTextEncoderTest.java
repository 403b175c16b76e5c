package org.fedrec.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fedrec.encoder.ReferenceEmbeddingsTest.cosine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading checks, batching, truncation and user models of {@link OnnxTextEncoder}. */
class OnnxTextEncoderTest {

    private static final List<String> TITLES = List.of("Toy Story (1995). Animation, Children's, Comedy",
            "Heat (1995). Action, Crime, Thriller", "Babe (1995). Children's, Comedy, Drama",
            "Dead Man Walking (1995). Drama", "Twelve Monkeys (1995). Drama, Sci-Fi",
            "Usual Suspects, The (1995). Crime, Thriller", "Braveheart (1995). Action, Drama, War",
            "Apollo 13 (1995). Action, Drama, Thriller", "Star Wars (1977). Action, Adventure, Romance, Sci-Fi, War",
            "Fargo (1996). Crime, Drama, Thriller", "Jaws", "");

    private static OnnxTextEncoder miniLm;

    @TempDir
    Path tmp;

    @BeforeAll
    static void open() {
        miniLm = OnnxTextEncoder.open(EncoderSpec.builtIn(EncoderSpec.MINILM), 2, 32);
    }

    @AfterAll
    static void close() {
        miniLm.close();
    }

    /** MiniLM's tokenizer.json, copied to a file. */
    private Path miniLmTokenizer() throws IOException {
        return TinyGraphs.copyResource("all-minilm-l6-v2-tokenizer.json", tmp.resolve("tokenizer.json"));
    }

    @Test
    void batchSizeAndOrderDoNotChangeTheVectors() {
        float[][] together = miniLm.encode(TITLES);
        List<String> reversed = new ArrayList<>(TITLES);
        java.util.Collections.reverse(reversed);
        try (OnnxTextEncoder small = OnnxTextEncoder.open(EncoderSpec.builtIn(EncoderSpec.MINILM), 1, 3)) {
            float[][] inThrees = small.encode(reversed);
            for (int i = 0; i < TITLES.size(); i++) {
                float[] alone = miniLm.encode(List.of(TITLES.get(i)))[0];
                assertThat(cosine(together[i], alone)).as(TITLES.get(i)).isGreaterThan(0.99999);
                assertThat(cosine(together[i], inThrees[TITLES.size() - 1 - i])).as(TITLES.get(i)).isGreaterThan(0.99999);
            }
            assertThat(small.modelId()).isEqualTo(miniLm.modelId());
        }
    }

    @Test
    void textsLongerThanTheMaximumLengthAreTruncatedAtTheEnd() {
        String words = String.join(" ", java.util.Collections.nCopies(300, "movie"));
        float[][] v = miniLm.encode(List.of(words, words + " about a shark that terrorises a beach town", "movie"));
        assertThat(cosine(v[0], v[1])).as("the tail past 256 tokens is dropped").isGreaterThan(0.999999);
        assertThat(cosine(v[0], v[2])).isLessThan(0.999);

        try (OnnxTextEncoder short8 = OnnxTextEncoder.open(EncoderSpec.builtIn(EncoderSpec.MINILM).withMaxLength(8), 1, 4)) {
            float[][] s = short8.encode(List.of("one two three four five six", "one two three four five six seven eight"));
            assertThat(cosine(s[0], s[1])).as("8 tokens = [CLS] + 6 words + [SEP]").isGreaterThan(0.999999);
            assertThat(short8.modelId()).as("the length is part of the id").isNotEqualTo(miniLm.modelId());
        }
    }

    @Test
    void aUserModelFromFilesEqualsTheBuiltInOne() throws Exception {
        Path model = TinyGraphs.copyResource("all-minilm-l6-v2.onnx", tmp.resolve("minilm.onnx"));
        Path tokenizer = miniLmTokenizer();
        try (OnnxTextEncoder user = OnnxTextEncoder.open(EncoderSpec.files(model, tokenizer, Pooling.MEAN).withMaxLength(256), 2, 32)) {
            assertThat(user.spec().name()).isEqualTo("minilm");
            assertThat(user.modelId()).startsWith("minilm-")
                    .endsWith(miniLm.modelId().substring(miniLm.modelId().lastIndexOf('-')));
            float[][] a = user.encode(TITLES);
            float[][] b = miniLm.encode(TITLES);
            for (int i = 0; i < a.length; i++) {
                assertThat(a[i]).containsExactly(b[i]);
            }
        }
        try (OnnxTextEncoder cls = OnnxTextEncoder.open(EncoderSpec.files(model, tokenizer, Pooling.CLS).withMaxLength(256), 2, 32)) {
            assertThat(cls.modelId()).as("pooling is part of the id")
                    .doesNotEndWith(miniLm.modelId().substring(miniLm.modelId().lastIndexOf('-')));
        }
    }

    @Test
    void aGraphWithoutTheExpectedInputsIsRejectedAtLoadNamingWhatItHas() throws Exception {
        Path model = TinyGraphs.castFirstInput(tmp.resolve("wrong-inputs.onnx"), "tokens");
        Path tokenizer = miniLmTokenizer();
        assertThatThrownBy(() -> OnnxTextEncoder.open(EncoderSpec.files(model, tokenizer, Pooling.MEAN)))
                .isInstanceOf(EncoderException.class)
                .hasMessageContaining(model.toString())
                .hasMessageContaining("no input input_ids").hasMessageContaining("no input attention_mask")
                .hasMessageContaining("input tokens cannot be fed")
                .hasMessageContaining("found tokens int64 [?, ?]");
    }

    @Test
    void aGraphWithoutARankThreeOutputIsRejectedForMeanPooling() throws Exception {
        Path model = TinyGraphs.summedIds(tmp.resolve("pooled.onnx"));
        Path tokenizer = miniLmTokenizer();
        assertThatThrownBy(() -> OnnxTextEncoder.open(EncoderSpec.files(model, tokenizer, Pooling.MEAN)))
                .isInstanceOf(EncoderException.class)
                .hasMessageContaining(model.toString())
                .hasMessageContaining("no float output of rank 3 [batch, sequence, hidden] (for mean pooling)")
                .hasMessageContaining("found pooled float [?, 1]");
    }

    @Test
    void aPooledRankTwoOutputIsUsedAsItIsWithPoolingNone() throws Exception {
        Path model = TinyGraphs.summedIds(tmp.resolve("pooled.onnx"));
        Path tokenizer = miniLmTokenizer();
        try (OnnxTextEncoder sum = OnnxTextEncoder.open(EncoderSpec.files(model, tokenizer, Pooling.NONE)
                .withNormalize(false), 1, 2)) {
            assertThat(sum.dimension()).isEqualTo(1);
            // [CLS]=101 and [SEP]=102 frame each text; "jaws" is 16113, "heat" 3684 in MiniLM's vocabulary.
            float[][] v = sum.encode(List.of("jaws", "", "heat heat jaws"));
            assertThat(v[0]).containsExactly(101 + 16113 + 102);
            assertThat(v[1]).containsExactly(101 + 102);
            assertThat(v[2]).containsExactly(101 + 3684 + 3684 + 16113 + 102);
        }
    }

    @Test
    void anUndeclaredHiddenSizeIsProbedAndAnOutputThatChangesSizeIsRefused() throws Exception {
        Path model = TinyGraphs.castFirstInput(tmp.resolve("ids.onnx"), "input_ids", "attention_mask");
        Path tokenizer = miniLmTokenizer();
        try (OnnxTextEncoder ids = OnnxTextEncoder.open(EncoderSpec.files(model, tokenizer, Pooling.NONE)
                .withNormalize(false), 1, 2)) {
            assertThat(ids.dimension()).as("the vector of an empty text: [CLS] [SEP]").isEqualTo(2);
            assertThat(ids.encode(List.of(""))[0]).containsExactly(101, 102);
            assertThatThrownBy(() -> ids.encode(List.of("jaws"))).isInstanceOf(EncoderException.class)
                    .hasMessageContaining("output out has shape [1, 3] for a batch of 1 texts of 3 tokens; "
                            + "expected [1, 2]");
        }
    }

    @Test
    void missingOrUnreadableFilesAreNamed() throws Exception {
        Path tokenizer = miniLmTokenizer();
        Path missing = tmp.resolve("nope.onnx");
        assertThatThrownBy(() -> OnnxTextEncoder.open(EncoderSpec.files(missing, tokenizer, Pooling.MEAN)))
                .isInstanceOf(EncoderException.class).hasMessageContaining("ONNX model file " + missing + " does not exist");

        Path notOnnx = Files.writeString(tmp.resolve("model.onnx"), "not a model", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> OnnxTextEncoder.open(EncoderSpec.files(notOnnx, tokenizer, Pooling.MEAN)))
                .isInstanceOf(EncoderException.class).hasMessageContaining("cannot load ONNX model " + notOnnx);

        Path badTokenizer = Files.writeString(tmp.resolve("bad.json"), "{\"model\": 3}", StandardCharsets.UTF_8);
        Path model = TinyGraphs.summedIds(tmp.resolve("pooled.onnx"));
        assertThatThrownBy(() -> OnnxTextEncoder.open(EncoderSpec.files(model, badTokenizer, Pooling.NONE)))
                .isInstanceOf(EncoderException.class)
                .hasMessageContaining("cannot load tokenizer " + badTokenizer + " (expected a HuggingFace tokenizer.json)");
    }

    @Test
    void badArgumentsSayWhatWasExpected() {
        assertThatThrownBy(() -> EncoderSpec.builtIn("gpt-7")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown text encoder 'gpt-7'").hasMessageContaining("all-MiniLM-L6-v2, bge-small-en-v1.5");
        assertThatThrownBy(() -> EncoderSpec.builtIn(EncoderSpec.MINILM).withMaxLength(2))
                .hasMessageContaining("maxLength").hasMessageContaining("found 2");
        assertThatThrownBy(() -> OnnxTextEncoder.open(EncoderSpec.builtIn(EncoderSpec.MINILM), 0, 32))
                .hasMessageContaining("threads: expected at least 1, found 0");
        assertThatThrownBy(() -> miniLm.encode(Arrays.asList("a", null)))
                .isInstanceOf(NullPointerException.class).hasMessage("text 1 is null");
        assertThat(miniLm.encode(List.of())).isEmpty();
        assertThat(EncoderSpec.builtIn("ALL-minilm-l6-v2").name()).isEqualTo(EncoderSpec.MINILM);
    }

    @Test
    void aClosedEncoderRefusesWork() {
        OnnxTextEncoder encoder = OnnxTextEncoder.open(EncoderSpec.builtIn(EncoderSpec.MINILM), 1, 4);
        encoder.close();
        encoder.close();
        assertThatThrownBy(() -> encoder.encode(List.of("a"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
