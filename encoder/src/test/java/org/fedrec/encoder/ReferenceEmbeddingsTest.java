package org.fedrec.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The encoder's vectors equal those of a raw ONNX Runtime session driven here independently: the
 * model's tokenizer called on one sentence at a time (no padding), the graph run on that one sentence,
 * and the pooling written out plainly (mean over the attention mask for MiniLM, the first token for
 * BGE), then L2 normalisation.
 */
class ReferenceEmbeddingsTest {

    static final List<String> SENTENCES = List.of(
            "Toy Story (1995). Animation, Children's, Comedy",
            "GoldenEye (1995). Action, Adventure, Thriller",
            "A man is eating food.",
            "A man is eating a piece of bread.",
            "The girl is carrying a baby.",
            "A man is riding a horse.",
            "Federated learning trains a shared model without collecting the data.",
            "Amélie (Le fabuleux destin d'Amélie Poulain) (2001). Comedy, Romance",
            "x",
            "Three Colors: Red (Trois couleurs: Rouge) (1994). Drama");

    private static OnnxTextEncoder miniLm;
    private static OnnxTextEncoder bge;

    @BeforeAll
    static void open() {
        miniLm = OnnxTextEncoder.open(EncoderSpec.builtIn(EncoderSpec.MINILM), 2, 4);
        bge = OnnxTextEncoder.open(EncoderSpec.builtIn(EncoderSpec.BGE_SMALL), 2, 4);
    }

    @AfterAll
    static void close() {
        miniLm.close();
        bge.close();
    }

    @Test
    void miniLmEqualsRawOnnxRuntimeWithMeanPooling() throws Exception {
        List<Hidden> raw = raw("all-minilm-l6-v2");
        float[][] ours = miniLm.encode(SENTENCES);
        assertThat(miniLm.dimension()).isEqualTo(384);
        for (int i = 0; i < SENTENCES.size(); i++) {
            assertThat(cosine(ours[i], raw.get(i).meanPooled())).as(SENTENCES.get(i)).isGreaterThanOrEqualTo(0.9999);
            assertThat(norm(ours[i])).as("unit length").isCloseTo(1.0, Offset.offset(1e-5));
            // The comparison tells poolings apart: CLS pooling of the same graph is far from mean pooling.
            assertThat(cosine(ours[i], raw.get(i).clsPooled())).as(SENTENCES.get(i)).isLessThan(0.99);
        }
    }

    @Test
    void bgeSmallEqualsRawOnnxRuntimeWithClsPooling() throws Exception {
        List<Hidden> raw = raw("bge-small-en-v1.5");
        float[][] ours = bge.encode(SENTENCES);
        assertThat(bge.dimension()).isEqualTo(384);
        double worstAgainstMean = 1;
        for (int i = 0; i < SENTENCES.size(); i++) {
            assertThat(cosine(ours[i], raw.get(i).clsPooled())).as(SENTENCES.get(i)).isGreaterThanOrEqualTo(0.9999);
            worstAgainstMean = Math.min(worstAgainstMean, cosine(ours[i], raw.get(i).meanPooled()));
        }
        assertThat(worstAgainstMean).as("mean pooling differs from CLS pooling").isLessThan(0.99);
    }

    @Test
    void paraphrasesAreCloserThanUnrelatedSentences() {
        for (OnnxTextEncoder encoder : List.of(miniLm, bge)) {
            float[][] v = encoder.encode(List.of("A man is eating food.", "A man is eating a piece of bread.",
                    "The girl is carrying a baby.", "Toy Story (1995). Animation, Children's, Comedy",
                    "Toy Story 2 (1999). Animation, Children's, Comedy", "Schindler's List (1993). Drama, War"));
            String model = encoder.spec().name();
            assertThat(cosine(v[0], v[1])).as(model).isGreaterThan(cosine(v[0], v[2]) + 0.1);
            assertThat(cosine(v[3], v[4])).as(model).isGreaterThan(cosine(v[3], v[5]) + 0.1);
        }
    }

    /** One sentence's last hidden state {@code [tokens][hidden]} and attention mask, from a raw session. */
    private record Hidden(float[][] states, long[] mask) {

        float[] meanPooled() {
            float[] v = new float[states[0].length];
            double count = 0;
            for (int t = 0; t < states.length; t++) {
                if (mask[t] == 1) {
                    count++;
                    for (int k = 0; k < v.length; k++) {
                        v[k] += states[t][k];
                    }
                }
            }
            for (int k = 0; k < v.length; k++) {
                v[k] /= count;
            }
            return normalized(v);
        }

        float[] clsPooled() {
            return normalized(states[0].clone());
        }

        private static float[] normalized(float[] v) {
            double norm = norm(v);
            for (int k = 0; k < v.length; k++) {
                v[k] /= norm;
            }
            return v;
        }
    }

    /** Raw ONNX Runtime: each sentence tokenised on its own and run alone through the graph. */
    private static List<Hidden> raw(String resource) throws Exception {
        byte[] model;
        try (InputStream in = ReferenceEmbeddingsTest.class.getClassLoader().getResourceAsStream(resource + ".onnx")) {
            model = in.readAllBytes();
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<Hidden> out = new ArrayList<>();
        try (InputStream json = ReferenceEmbeddingsTest.class.getClassLoader()
                .getResourceAsStream(resource + "-tokenizer.json");
             HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(json, Map.of("padding", "false"));
             OrtSession session = env.createSession(model, new OrtSession.SessionOptions())) {
            for (String sentence : SENTENCES) {
                Encoding e = tokenizer.encode(sentence);
                try (OnnxTensor ids = OnnxTensor.createTensor(env, new long[][] {e.getIds()});
                     OnnxTensor attention = OnnxTensor.createTensor(env, new long[][] {e.getAttentionMask()});
                     OnnxTensor types = OnnxTensor.createTensor(env, new long[][] {e.getTypeIds()});
                     OrtSession.Result result = session.run(Map.of("input_ids", ids, "attention_mask", attention,
                             "token_type_ids", types))) {
                    float[][][] hidden = (float[][][]) result.get("last_hidden_state").get().getValue();
                    out.add(new Hidden(hidden[0], e.getAttentionMask()));
                }
            }
        }
        return out;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int k = 0; k < a.length; k++) {
            dot += (double) a[k] * b[k];
        }
        return dot / (norm(a) * norm(b));
    }

    static double norm(float[] a) {
        double s = 0;
        for (float x : a) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }
}
