package org.fedrec.core.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Arrays;
import java.util.SplittableRandom;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fedrec.core.TableDelta;
import org.junit.jupiter.api.Test;

/** Every codec round-trips, says how much it lost, and refuses damaged payloads precisely. */
class CodecTest {

    static final String[] SPECS = {"fp32", "deflate", "fp16", "fp16+deflate", "q8", "q8+deflate", "q4", "q4:16",
            "q4+deflate", "topk:0.05", "topk:0.05+deflate", "topk:0.05+fp16", "topk:0.05+q8", "topk:0.05+q8+deflate",
            "topk:0.3+q4+deflate", "topk:1"};

    /** A table shape and a delta for it: sparse rows (strictly increasing) or dense. */
    record Case(int rows, int cols, TableDelta delta) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Integer> rows = Arbitraries.integers().between(1, 300);
        Arbitrary<Integer> cols = Arbitraries.integers().between(1, 9);
        return Combinators.combine(rows, cols, Arbitraries.longs(), Arbitraries.of(true, false), Arbitraries.of(0.0, 0.05, 0.5, 1.0))
                .as((r, c, seed, dense, fill) -> make(r, c, seed, dense, fill));
    }

    static Case make(int rows, int cols, long seed, boolean dense, double fill) {
        SplittableRandom rnd = new SplittableRandom(seed);
        if (dense) {
            float[] v = new float[rows * cols];
            for (int i = 0; i < v.length; i++) {
                v[i] = rnd.nextInt(8) == 0 ? 0f : (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(-4, 2)));
            }
            return new Case(rows, cols, new TableDelta.Dense(v));
        }
        int[] picked = java.util.stream.IntStream.range(0, rows).filter(i -> rnd.nextDouble() < fill).toArray();
        float[] v = new float[picked.length * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rnd.nextGaussian() * 0.01);
        }
        return new Case(rows, cols, new TableDelta.SparseRows(cols, picked, v));
    }

    static float[] values(TableDelta d) {
        return d instanceof TableDelta.Dense dense ? dense.values() : ((TableDelta.SparseRows) d).values();
    }

    /** The delta as a dense array of the table. */
    static float[] dense(TableDelta d, int rows, int cols) {
        if (d instanceof TableDelta.Dense dense) {
            return dense.values();
        }
        TableDelta.SparseRows s = (TableDelta.SparseRows) d;
        float[] out = new float[rows * cols];
        for (int j = 0; j < s.rows().length; j++) {
            System.arraycopy(s.values(), j * cols, out, s.rows()[j] * cols, cols);
        }
        return out;
    }

    @Property(tries = 400)
    void everyCodecRoundTripsWithinItsErrorAndDecodesWhatTheEncoderPredicts(@ForAll("cases") Case c,
                                                                           @ForAll("specs") String spec) {
        Codec codec = Codec.parse(spec);
        TableDelta delta = c.delta();
        float[] before = values(delta).clone();
        Codec.Encoding enc = codec.encode(c.rows(), c.cols(), delta, new SplittableRandom(7));
        assertThat(values(delta)).as("input unchanged").isEqualTo(before);
        TableDelta back = codec.decode(enc.encoded());
        // The encoder's own prediction is exactly what the server decodes (error feedback relies on it).
        assertThat(dense(back, c.rows(), c.cols())).isEqualTo(dense(enc.decoded(), c.rows(), c.cols()));
        assertThat(enc.encoded().codec()).isEqualTo(codec.name());
        assertThat(enc.encoded().wireBytes()).isEqualTo(enc.encoded().payload().length + enc.encoded().headerBytes());

        float[] want = dense(delta, c.rows(), c.cols());
        float[] got = dense(back, c.rows(), c.cols());
        if (codec.topKFraction() > 0) {
            int k = TopK.k(codec.topKFraction(), c.rows(), c.cols());
            int[] kept = TopK.select(values(delta), k);
            assertThat(enc.encoded().values()).isEqualTo(kept.length);
            // Unsent values decode to 0, sent ones to (a rounding of) the original.
            int sentNonZero = 0;
            for (int i = 0; i < got.length; i++) {
                if (got[i] != 0) {
                    sentNonZero++;
                }
            }
            assertThat(sentNonZero).isLessThanOrEqualTo(kept.length);
        } else {
            assertThat(back.getClass()).isEqualTo(delta.getClass());
            assertThat(enc.encoded().values()).isEqualTo(values(delta).length);
        }
        for (int i = 0; i < want.length; i++) {
            if (got[i] == 0) {
                continue; // dropped by top-k or quantized to zero
            }
            float tol = switch (codec.format()) {
                case FP32 -> 0f;
                case FP16 -> Math.max(Math.abs(want[i]) * 0x1p-11f, 0x1p-25f);
                default -> Float.POSITIVE_INFINITY; // bounded per block in StochasticQuantizationTest
            };
            assertThat(Math.abs(got[i] - want[i])).as("value %d of %s", i, spec).isLessThanOrEqualTo(tol);
        }
        if (!codec.lossy()) {
            assertThat(got).isEqualTo(want);
        }
    }

    @Provide
    Arbitrary<String> specs() {
        return Arbitraries.of(SPECS);
    }

    @Test
    void topKSendsExactlyTheLargestValuesAsSparseRowsOfTheTable() {
        // A 4 x 3 table, rows 1 and 3 touched; 25% of 12 values = 3.
        TableDelta.SparseRows d = new TableDelta.SparseRows(3, new int[] {1, 3},
                new float[] {0.1f, -0.9f, 0.2f, 0.5f, 0f, -0.6f});
        Codec codec = Codec.parse("topk:0.25");
        TableDelta.SparseRows back = (TableDelta.SparseRows) codec.decode(codec.encode(4, 3, d, new SplittableRandom(0))
                .encoded());
        assertThat(back.rows()).containsExactly(1, 3);
        assertThat(back.values()).containsExactly(0f, -0.9f, 0f, 0.5f, 0f, -0.6f);
    }

    @Test
    void sparseRowsCostVarintGapsAndTheirValues() {
        // Rows 0, 5, 300 of width 2 as fp32: flags 1 + count 1 + gaps 1 + 1 + 2 + values 24 = 30 bytes.
        TableDelta.SparseRows d = new TableDelta.SparseRows(2, new int[] {0, 5, 300}, new float[6]);
        TableDelta.Encoded e = Codec.parse("fp32").encode(1000, 2, d, new SplittableRandom(0)).encoded();
        assertThat(e.payload()).hasSize(30);
        // Header: codec id 1 + rows 1000 (2 bytes) + cols 1 + length 1.
        assertThat(e.headerBytes()).isEqualTo(5);
        assertThat(e.wireBytes()).isEqualTo(35);
        // q8 of the same: 1 + 1 + 4 + one block scale 4 + 6 levels = 16.
        assertThat(Codec.parse("q8").encode(1000, 2, d, new SplittableRandom(0)).encoded().payload()).hasSize(16);
        // q4: the 6 levels in 3 bytes.
        assertThat(Codec.parse("q4").encode(1000, 2, d, new SplittableRandom(0)).encoded().payload()).hasSize(13);
    }

    @Test
    void specsParseToCanonicalNamesAndBadOnesNameTheStage() {
        assertThat(Codec.parse(" TopK:0.01 + Q8 + deflate ").name()).isEqualTo("topk:0.01+q8+deflate");
        assertThat(Codec.parse("q8:128").block()).isEqualTo(128);
        assertThat(Codec.parse("deflate").lossy()).isFalse();
        assertThat(Codec.parse("fp16").lossy()).isTrue();
        assertThatThrownBy(() -> Codec.parse("q8+topk:0.01")).hasMessageContaining("stage 'topk:0.01' is repeated or out of order");
        assertThatThrownBy(() -> Codec.parse("q8+q4")).hasMessageContaining("'q4' is repeated or out of order");
        assertThatThrownBy(() -> Codec.parse("zstd")).hasMessageContaining("unknown stage 'zstd'");
        assertThatThrownBy(() -> Codec.parse("topk:2")).hasMessageContaining("must be in (0, 1], found 2");
        assertThatThrownBy(() -> Codec.parse("topk:x")).hasMessageContaining("needs a fraction");
        assertThatThrownBy(() -> Codec.parse("q8:0")).hasMessageContaining("block size must be in [1, 2^20], found 0");
    }

    @Test
    void nonFiniteAndOutOfRangeValuesAreRefused() {
        TableDelta.Dense nan = new TableDelta.Dense(new float[] {1f, Float.NaN});
        assertThatThrownBy(() -> Codec.parse("fp32").encode(1, 2, nan, new SplittableRandom(0)))
                .hasMessageContaining("non-finite value NaN");
        TableDelta.Dense big = new TableDelta.Dense(new float[] {1e6f});
        assertThatThrownBy(() -> Codec.parse("fp16").encode(1, 1, big, new SplittableRandom(0)))
                .hasMessageContaining("beyond fp16's range");
        assertThatThrownBy(() -> Codec.parse("q8").encode(2, 2, new TableDelta.Dense(new float[3]), new SplittableRandom(0)))
                .hasMessageContaining("dense delta of 3 values for a 2x2 table");
    }

    static TableDelta.Encoded sample(String spec) {
        return Codec.parse(spec).encode(50, 4, make(50, 4, 3, false, 0.3).delta(), new SplittableRandom(1)).encoded();
    }

    static TableDelta.Encoded withPayload(TableDelta.Encoded e, byte[] payload) {
        return new TableDelta.Encoded(e.codec(), e.rows(), e.cols(), e.values(), payload);
    }

    @Test
    void everyTruncationFailsWithACodecException() {
        for (String spec : SPECS) {
            Codec codec = Codec.parse(spec);
            TableDelta.Encoded e = sample(spec);
            for (int len = 0; len < e.payload().length; len++) {
                byte[] cut = Arrays.copyOf(e.payload(), len);
                Throwable t = catchThrowable(() -> codec.decode(withPayload(e, cut)));
                assertThat(t).as("%s cut to %d of %d bytes", spec, len, e.payload().length)
                        .isInstanceOf(CodecException.class);
                assertThat(t.getMessage()).containsAnyOf("truncated", "malformed", "declares");
            }
        }
    }

    @Test
    void malformedPayloadsSayWhatIsWrong() {
        Codec q8 = Codec.parse("q8");
        TableDelta.Encoded e = sample("q8");
        byte[] longer = Arrays.copyOf(e.payload(), e.payload().length + 2);
        assertThatThrownBy(() -> q8.decode(withPayload(e, longer))).isInstanceOf(CodecException.class)
                .hasMessageContaining("2 trailing byte(s)");
        assertThatThrownBy(() -> Codec.parse("q4").decode(e)).isInstanceOf(CodecException.class)
                .hasMessageContaining("payload written by codec 'q8', expected 'q4'");
        TableDelta.Encoded relabelled = new TableDelta.Encoded("q4", e.rows(), e.cols(), e.values(), e.payload());
        assertThatThrownBy(() -> Codec.parse("q4").decode(relabelled)).isInstanceOf(CodecException.class)
                .hasMessageContaining("format q8, which codec 'q4' does not write");
        byte[] flags = e.payload().clone();
        flags[0] = (byte) 0xe1;
        assertThatThrownBy(() -> q8.decode(withPayload(e, flags))).hasMessageContaining("flags byte 0xe1");
        // A row index beyond the table: rows layout, count then first gap.
        byte[] bad = e.payload().clone();
        bad[2] = 100; // first row index 100 of a 50-row table
        assertThatThrownBy(() -> q8.decode(withPayload(e, bad))).isInstanceOf(CodecException.class)
                .hasMessageContaining("beyond the 50 rows");
        TableDelta.Encoded lying = new TableDelta.Encoded("q8", e.rows(), e.cols(), e.values() + 1, e.payload());
        assertThatThrownBy(() -> q8.decode(lying)).hasMessageContaining("declares " + (e.values() + 1) + " values");
        // A level of -128 is outside [-127, 127].
        byte[] level = e.payload().clone();
        level[level.length - 1] = (byte) 0x80;
        assertThatThrownBy(() -> q8.decode(withPayload(e, level))).hasMessageContaining("outside [-127, 127]");
        // A damaged deflate stream.
        Codec d = Codec.parse("fp16+deflate");
        TableDelta.Encoded z = sample("fp16+deflate");
        byte[] broken = z.payload().clone();
        for (int i = 3; i < broken.length; i++) {
            broken[i] = (byte) 0xff;
        }
        assertThatThrownBy(() -> d.decode(withPayload(z, broken))).isInstanceOf(CodecException.class)
                .hasMessageContaining("deflated body");
    }

    @Property(tries = 300)
    void randomDamageGivesACodecExceptionOrAValidDeltaNeverAnotherError(@ForAll("specs") String spec,
                                                                         @ForAll long seed) {
        Codec codec = Codec.parse(spec);
        TableDelta.Encoded e = sample(spec);
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] p = e.payload().clone();
        for (int flips = 1 + rnd.nextInt(4); flips > 0; flips--) {
            p[rnd.nextInt(p.length)] ^= (byte) (1 << rnd.nextInt(8));
        }
        Throwable t = catchThrowable(() -> codec.decode(withPayload(e, p)));
        if (t != null) {
            assertThat(t).isInstanceOf(CodecException.class);
        }
    }
}
