package org.fedrec.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.RandomSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @TempDir
    Path dir;

    private static final Map<String, String> META = Map.of("config", "{\"dim\": 8}", "provenance", "sha256:ab12");

    // ---------------------------------------------------------------- round trips

    @Provide
    Arbitrary<ModelState> states() {
        Arbitrary<FloatTable> table = Combinators.combine(Arbitraries.integers().between(0, 40),
                Arbitraries.integers().between(1, 9), Arbitraries.longs()).as((rows, cols, seed) -> {
                    SplittableRandom rng = new SplittableRandom(seed);
                    float[] d = new float[rows * cols];
                    for (int i = 0; i < d.length; i++) {
                        // Raw bit patterns: every float, including NaNs, infinities and -0, must survive.
                        d[i] = rng.nextInt(8) == 0 ? Float.intBitsToFloat(rng.nextInt()) : (float) rng.nextGaussian();
                    }
                    return new FloatTable(rows, cols, d);
                });
        Arbitrary<String> name = Arbitraries.strings().ofMinLength(1).ofMaxLength(12).alpha().numeric()
                .withChars('_', 'é', '表');
        return Arbitraries.maps(name, table).ofMaxSize(6).map(LinkedHashMap::new).map(ModelState::new);
    }

    @Provide
    Arbitrary<Map<String, String>> metadata() {
        return Arbitraries.maps(Arbitraries.strings().ofMaxLength(20), Arbitraries.strings().ofMaxLength(300))
                .ofMaxSize(5);
    }

    /** Runs {@code body} on a file in a fresh directory that is deleted afterwards (jqwik tries have no @TempDir). */
    private static void inScratch(IoFileAction body) throws IOException {
        Path scratch = Files.createTempDirectory("ckpt");
        try {
            body.run(scratch.resolve("model.ckpt"));
        } finally {
            try (var files = Files.list(scratch)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
            Files.delete(scratch);
        }
    }

    private interface IoFileAction {
        void run(Path file) throws IOException;
    }

    @Property(tries = 150)
    void roundTripsAnyState(@ForAll("states") ModelState state, @ForAll("metadata") Map<String, String> meta,
                            @ForAll @IntRange(min = 16, max = 200) int bufferSize) throws IOException {
        inScratch(file -> roundTrip(file, state, meta, bufferSize));
    }

    private static void roundTrip(Path file, ModelState state, Map<String, String> meta, int bufferSize)
            throws IOException {
        Checkpoint.write(file, new Checkpoint("neumf", meta, state), bufferSize);
        Checkpoint back = Checkpoint.read(file, 64 + bufferSize % 37);

        assertThat(back.modelName()).isEqualTo("neumf");
        assertThat(back.metadata()).containsExactlyEntriesOf(meta);
        assertThat(back.state().tables().keySet()).containsExactlyElementsOf(state.tables().keySet());
        state.tables().forEach((n, t) -> {
            FloatTable r = back.state().table(n);
            assertThat(r.rows()).isEqualTo(t.rows());
            assertThat(r.cols()).isEqualTo(t.cols());
            for (int i = 0; i < t.size(); i++) {
                assertThat(Float.floatToRawIntBits(r.data()[i])).isEqualTo(Float.floatToRawIntBits(t.data()[i]));
            }
        });
        assertThat(Checkpoint.read(file)).isEqualTo(back);
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void roundTripsARealModelAndReplacesAnExistingFile() throws IOException {
        ModelState state = new NeuralCollaborativeFiltering(50, NeuralCollaborativeFiltering.Architecture.defaults())
                .initialGlobal(RandomSource.seeded(1));
        Path file = dir.resolve("model.ckpt");
        Files.writeString(file, "an older file");
        Checkpoint.write(file, "neumf", META, state);
        Checkpoint back = Checkpoint.read(file);
        assertThat(back.state()).isEqualTo(state);
        assertThat(back.state().tables().keySet()).containsExactlyElementsOf(state.tables().keySet());
        assertThat(back.metadata()).isEqualTo(META);
    }

    /** A 100M-float table streams through: reading allocates the table's array and little else. */
    @Test
    void streamsALargeTableWithoutASecondCopy() throws IOException {
        int n = 100_000_000;
        float[] big = new float[n];
        for (int i = 0; i < n; i += 9973) {
            big[i] = i;
        }
        big[n - 1] = -1.5f;
        Path file = dir.resolve("big.ckpt");
        long writeAllocated = allocated(() -> Checkpoint.write(file, "mf", Map.of(), new ModelState(Map.of("item_embedding",
                new FloatTable(n / 100, 100, big)))));
        assertThat(Files.size(file)).isGreaterThan(4L * n);

        Checkpoint[] back = new Checkpoint[1];
        long readAllocated = allocated(() -> back[0] = Checkpoint.read(file));
        float[] read = back[0].state().table("item_embedding").data();
        assertThat(read[n - 1]).isEqualTo(-1.5f);
        assertThat(read[9973 * 5]).isEqualTo(9973 * 5f);
        assertThat(writeAllocated).isLessThan(16L << 20);
        assertThat(readAllocated).isLessThan(4L * n + (16L << 20));
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static long allocated(IoAction action) throws IOException {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        action.run();
        return threads.getThreadAllocatedBytes(id) - before;
    }

    // ---------------------------------------------------------------- damaged and foreign files

    private Path small() throws IOException {
        Map<String, FloatTable> tables = new LinkedHashMap<>();
        tables.put("item_embedding", new FloatTable(4, 3, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
        tables.put("item_bias", new FloatTable(4, 1, new float[] {0.5f, -0.5f, 0, 1}));
        Path file = dir.resolve("small.ckpt");
        Checkpoint.write(file, "mf", META, new ModelState(tables));
        return file;
    }

    private static int headerEnd(byte[] b) {
        int headerLength = ByteBuffer.wrap(b, 12, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return 16 + headerLength + 4;
    }

    @Test
    void aCorruptDataByteIsAChecksumMismatch() throws IOException {
        Path file = small();
        byte[] b = Files.readAllBytes(file);
        b[headerEnd(b) + 13] ^= 0x10;
        Files.write(file, b);
        assertThatThrownBy(() -> Checkpoint.read(file)).isInstanceOf(Checkpoint.FormatException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageMatching(".*checksum mismatch: stored CRC32C 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}.*")
                .satisfies(e -> assertThat(((Checkpoint.FormatException) e).path()).isEqualTo(file));
    }

    @Test
    void aCorruptHeaderByteIsAHeaderChecksumMismatch() throws IOException {
        Path file = small();
        byte[] b = Files.readAllBytes(file);
        b[headerEnd(b) - 10] ^= 0x01; // inside the last table's shape
        Files.write(file, b);
        assertThatThrownBy(() -> Checkpoint.read(file)).hasMessageStartingWith(file.toString())
                .hasMessageContaining("header checksum mismatch: stored CRC32C 0x");
    }

    private static byte[] smallBytes;

    @Property(tries = 400)
    void anySingleDamagedByteIsReportedAsAFormatError(@ForAll @IntRange(min = 0, max = 10_000) int where,
                                                      @ForAll @IntRange(min = 1, max = 255) int mask) throws IOException {
        inScratch(file -> {
            if (smallBytes == null) {
                Checkpoint.write(file, "mf", META, new ModelState(Map.of("t", new FloatTable(3, 2, new float[6]))));
                smallBytes = Files.readAllBytes(file);
            }
            byte[] b = smallBytes.clone();
            b[where % b.length] ^= (byte) mask;
            Files.write(file, b);
            assertThatThrownBy(() -> Checkpoint.read(file)).isInstanceOf(Checkpoint.FormatException.class)
                    .hasMessageStartingWith(file.toString());
        });
    }

    @Test
    void aTruncatedFileNamesTheTableCutShort() throws IOException {
        Path file = small();
        byte[] b = Files.readAllBytes(file);
        int data = headerEnd(b);
        Files.write(file, java.util.Arrays.copyOf(b, data + 48 + 7)); // all of item_embedding, 7 bytes of item_bias
        assertThatThrownBy(() -> Checkpoint.read(file)).hasMessageStartingWith(file.toString())
                .hasMessageContaining("truncated: expected 16 bytes of table 'item_bias', found 7");
        Files.write(file, java.util.Arrays.copyOf(b, data + 20));
        assertThatThrownBy(() -> Checkpoint.read(file))
                .hasMessageContaining("truncated: expected 48 bytes of table 'item_embedding', found 20");
        Files.write(file, java.util.Arrays.copyOf(b, b.length - 1));
        assertThatThrownBy(() -> Checkpoint.read(file))
                .hasMessageContaining("truncated: expected 4 bytes of file checksum, found 3");
        Files.write(file, java.util.Arrays.copyOf(b, 30));
        assertThatThrownBy(() -> Checkpoint.read(file)).hasMessageContaining("truncated")
                .hasMessageContaining("bytes of header");
        Files.write(file, java.util.Arrays.copyOf(b, 10));
        assertThatThrownBy(() -> Checkpoint.read(file))
                .hasMessageContaining("truncated: expected 4 bytes of the format version, found 2");
    }

    @Test
    void extraBytesAfterTheLastTableAreReported() throws IOException {
        Path file = small();
        byte[] b = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(b, b.length + 5));
        assertThatThrownBy(() -> Checkpoint.read(file)).hasMessageStartingWith(file.toString())
                .hasMessageContaining("5 bytes more than its 2 tables declare");
    }

    @Test
    void aForeignFileSaysWhatItStartsWith() throws IOException {
        Path png = dir.resolve("picture.png");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
        assertThatThrownBy(() -> Checkpoint.read(png)).isInstanceOf(Checkpoint.FormatException.class)
                .hasMessage(png + ": not a fedrec checkpoint: expected it to start with \"FEDRECK1\", it starts with"
                        + " 89 50 4e 47 0d 0a 1a 0a (\".PNG....\")");
        Path empty = dir.resolve("empty.ckpt");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> Checkpoint.read(empty)).hasMessageContaining("not a fedrec checkpoint")
                .hasMessageContaining("the file is empty");
        Path tiny = dir.resolve("tiny.ckpt");
        Files.writeString(tiny, "FED");
        assertThatThrownBy(() -> Checkpoint.read(tiny)).hasMessageContaining("it starts with 46 45 44 (\"FED\")");
    }

    @Test
    void aFutureVersionIsRefusedByNumber() throws IOException {
        Path file = small();
        byte[] b = Files.readAllBytes(file);
        b[8] = 2;
        Files.write(file, b);
        assertThatThrownBy(() -> Checkpoint.read(file))
                .hasMessage(file + ": unsupported checkpoint format version 2; this build reads version 1");
    }

    @Test
    void aMissingFileOrDirectoryIsAnIoErrorAndWritesNothing() {
        assertThatThrownBy(() -> Checkpoint.read(dir.resolve("absent.ckpt"))).isInstanceOf(NoSuchFileException.class);
        Path nowhere = dir.resolve("no-such-dir").resolve("m.ckpt");
        assertThatThrownBy(() -> Checkpoint.write(nowhere, "mf", Map.of(), new ModelState(Map.of())))
                .isInstanceOf(IOException.class);
        assertThat(Files.exists(nowhere.getParent())).isFalse();
    }

    @Test
    void validatesItsFields() {
        ModelState empty = new ModelState(Map.of());
        assertThatThrownBy(() -> new Checkpoint(" ", Map.of(), empty)).hasMessageContaining("model name");
        Map<String, String> withNull = new LinkedHashMap<>();
        withNull.put("k", null);
        assertThatThrownBy(() -> new Checkpoint("mf", withNull, empty)).hasMessageContaining("k=null");
        assertThat(new Checkpoint("mf", Map.of(), empty).metadata()).isEmpty();
        assertThat(List.of(Checkpoint.FORMAT_VERSION)).containsExactly(1);
    }
}
