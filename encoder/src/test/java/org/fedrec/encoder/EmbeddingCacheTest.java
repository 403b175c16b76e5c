package org.fedrec.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedrec.data.ItemCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk embedding cache over the real MiniLM encoder. */
class EmbeddingCacheTest {

    private static final List<String> TEXTS = List.of("Toy Story (1995). Animation, Children's, Comedy",
            "GoldenEye (1995). Action, Adventure, Thriller", "Four Rooms (1995). Thriller",
            "Get Shorty (1995). Action, Comedy, Drama", "Copycat (1995). Crime, Drama, Thriller");

    private static OnnxTextEncoder encoder;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        encoder = OnnxTextEncoder.open(EncoderSpec.builtIn(EncoderSpec.MINILM), 2, 32);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void aSecondRunReadsEveryVectorFromDiskAndGetsTheSameNumbers() {
        EmbeddingCache.Result first;
        List<int[]> progress = new ArrayList<>();
        try (EmbeddingCache cache = EmbeddingCache.open(dir, encoder)) {
            first = cache.encode(TEXTS, (done, total, nanos) -> progress.add(new int[] {done, total}));
            assertThat(cache.file()).isEqualTo(dir.resolve(encoder.modelId() + ".emb"));
        }
        assertThat(first.encoded()).isEqualTo(5);
        assertThat(first.fromCache()).isZero();
        assertThat(progress).extracting(p -> p[0] + "/" + p[1]).containsExactly("0/5", "5/5");
        float[][] direct = encoder.encode(TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(first.vectors()[i]).containsExactly(direct[i]);
        }

        try (EmbeddingCache cache = EmbeddingCache.open(dir, encoder)) {
            EmbeddingCache.Result second = cache.encode(TEXTS, EncodeProgress.NONE);
            assertThat(second.encoded()).isZero();
            assertThat(second.fromCache()).isEqualTo(5);
            assertThat(second.itemsPerSecond()).isZero();
            assertThat(cache.warnings()).isEmpty();
            for (int i = 0; i < TEXTS.size(); i++) {
                assertThat(second.vectors()[i]).containsExactly(first.vectors()[i]);
            }
        }
    }

    @Test
    void aChangedTextAloneIsEncodedAgainAndRepeatsOnce() {
        try (EmbeddingCache cache = EmbeddingCache.open(dir, encoder)) {
            cache.encode(TEXTS, EncodeProgress.NONE);
            List<String> changed = new ArrayList<>(TEXTS);
            changed.set(2, "Four Rooms (1995). Comedy, Thriller");
            changed.add(TEXTS.get(0));
            EmbeddingCache.Result r = cache.encode(changed, EncodeProgress.NONE);
            assertThat(r.encoded()).isEqualTo(1);
            assertThat(r.fromCache()).isEqualTo(4);
            assertThat(r.distinctTexts()).isEqualTo(5);
            assertThat(r.vectors()[5]).containsExactly(r.vectors()[0]);
            assertThat(r.vectors()[2]).containsExactly(encoder.encode(List.of(changed.get(2)))[0]);
            assertThat(cache.size()).isEqualTo(6);
        }
    }

    @Test
    void aCatalogIsEncodedFromItsTitlesAndCategories() {
        ItemCatalog catalog = ItemCatalog.of(new String[] {"Toy Story (1995)", "GoldenEye (1995)", ""},
                new int[][] {{0, 1}, {2}, {}}, List.of("Animation", "Comedy", "Action"));
        try (EmbeddingCache cache = EmbeddingCache.open(dir, encoder)) {
            assertThat(EmbeddingCache.itemTexts(catalog))
                    .containsExactly("Toy Story (1995). Animation, Comedy", "GoldenEye (1995). Action", "");
            EmbeddingCache.Result r = cache.encodeCatalog(catalog, EncodeProgress.NONE);
            assertThat(r.vectors()).hasNumberOfRows(3);
            assertThat(r.vectors()[0]).containsExactly(encoder.encode(List.of("Toy Story (1995). Animation, Comedy"))[0]);
        }
    }

    @Test
    void damagedRecordsAreDroppedWithAWarningAndEncodedAgain() throws Exception {
        Path file;
        try (EmbeddingCache cache = EmbeddingCache.open(dir, encoder)) {
            cache.encode(TEXTS, EncodeProgress.NONE);
            file = cache.file();
        }
        long size = Files.size(file);
        int record = 32 + 4 * encoder.dimension() + 4;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long second = size - 4L * record;
            raf.seek(second + 40);
            raf.write(new byte[] {1, 2, 3, 4});
            raf.setLength(size - 10); // and the last record cut short, as by a crash mid-write
        }
        try (EmbeddingCache cache = EmbeddingCache.open(dir, encoder)) {
            assertThat(cache.warnings()).hasSize(2);
            assertThat(cache.warnings().get(0)).contains(file.toString()).contains("dropped 1 damaged record(s)")
                    .contains("first at byte " + (size - 4L * record));
            assertThat(cache.warnings().get(1)).contains("dropped an incomplete last record");
            assertThat(cache.size()).isEqualTo(3);
            assertThat(Files.size(file)).isEqualTo(size - 2L * record);
            EmbeddingCache.Result r = cache.encode(TEXTS, EncodeProgress.NONE);
            assertThat(r.encoded()).isEqualTo(2);
            assertThat(r.vectors()[1]).containsExactly(encoder.encode(List.of(TEXTS.get(1)))[0]);
            assertThat(r.vectors()[4]).containsExactly(encoder.encode(List.of(TEXTS.get(4)))[0]);
        }
        try (EmbeddingCache cache = EmbeddingCache.open(dir, encoder)) {
            assertThat(cache.warnings()).isEmpty();
            assertThat(cache.size()).isEqualTo(5);
        }
    }

    @Test
    void anotherModelsOrAForeignFileIsRefusedAndLeftAlone() throws Exception {
        Path file = dir.resolve(encoder.modelId() + ".emb");
        Files.writeString(file, "hello");
        assertThatThrownBy(() -> EmbeddingCache.open(dir, encoder)).isInstanceOf(EncoderException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("not a fedrec embedding file");
        assertThat(file).hasContent("hello");

        Files.delete(file);
        try (EmbeddingCache cache = EmbeddingCache.open(dir, encoder)) {
            cache.encode(TEXTS.subList(0, 1), EncodeProgress.NONE);
        }
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        Files.copy(file, other.resolve(encoder.modelId() + ".emb"));
        byte[] bytes = Files.readAllBytes(other.resolve(encoder.modelId() + ".emb"));
        bytes[15] ^= 1; // the low byte of the dimension, in the header
        Files.write(other.resolve(encoder.modelId() + ".emb"), bytes);
        assertThatThrownBy(() -> EmbeddingCache.open(other, encoder)).isInstanceOf(EncoderException.class)
                .hasMessageContaining("does not hold vectors of model " + encoder.modelId())
                .hasMessageContaining("dimension 385");
    }

    @Test
    void aCacheFileIsUsedByOneCacheAtATime() {
        try (EmbeddingCache cache = EmbeddingCache.open(dir, encoder)) {
            assertThatThrownBy(() -> EmbeddingCache.open(dir, encoder)).isInstanceOf(EncoderException.class)
                    .hasMessageContaining("in use");
            assertThat(cache.size()).isZero();
        }
        EmbeddingCache.open(dir, encoder).close();
    }
}
