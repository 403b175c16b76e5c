package org.fedrec.core.compression;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.fedrec.core.ClientContext;
import org.fedrec.core.FitInstruction;
import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.RandomSource;
import org.fedrec.core.RoundConfig;
import org.fedrec.core.TableDelta;
import org.junit.jupiter.api.Test;

/** The client half: encoding with error feedback loses nothing over rounds and never touches its input. */
class ErrorFeedbackTest {

    static final int ROWS = 40;
    static final int COLS = 3;

    static ModelState global() {
        Map<String, FloatTable> t = new LinkedHashMap<>();
        t.put("item", FloatTable.zeros(ROWS, COLS));
        t.put("bias", FloatTable.zeros(ROWS, 1));
        return new ModelState(t);
    }

    /** A random update over a random subset of rows of both tables. */
    static ModelUpdate update(SplittableRandom rnd) {
        int[] rows = java.util.stream.IntStream.range(0, ROWS).filter(i -> rnd.nextInt(4) == 0).toArray();
        float[] item = new float[rows.length * COLS];
        float[] bias = new float[rows.length];
        for (int i = 0; i < item.length; i++) {
            item[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) rnd.nextGaussian();
        }
        Map<String, TableDelta> d = new LinkedHashMap<>();
        d.put("item", new TableDelta.SparseRows(COLS, rows, item));
        d.put("bias", new TableDelta.SparseRows(1, rows.clone(), bias));
        return new ModelUpdate(d);
    }

    static void addInto(double[] acc, TableDelta d, int cols) {
        float[] dense = CodecTest.dense(d, acc.length / cols, cols);
        for (int i = 0; i < acc.length; i++) {
            acc[i] += dense[i];
        }
    }

    @Property(tries = 40)
    void sentPlusResidualEqualsTheSumOfRawUpdatesOverRounds(@ForAll long seed, @ForAll("lossy") String spec) {
        Codec codec = Codec.parse(spec);
        ErrorFeedback ef = new ErrorFeedback();
        EncodingInterceptor interceptor = new EncodingInterceptor(codec, ef);
        DecodingStrategy server = new DecodingStrategy(new org.fedrec.core.strategy.FedAvg(
                org.fedrec.core.strategy.FedAvg.Settings.defaults()), codec);
        ModelState g = global();
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] raw = new double[ROWS * COLS];
        double[] sent = new double[ROWS * COLS];
        for (int round = 1; round <= 12; round++) {
            ModelUpdate u = update(rnd);
            addInto(raw, u.deltas().get("item"), COLS);
            FitResult out = interceptor.afterFit(new FitInstruction("c", g, RoundConfig.EMPTY),
                    new FitResult("c", 5, u, Map.of()), new ClientContext(round, RandomSource.seeded(seed).split("r", round)));
            FitResult decoded = server.decode(g, out);
            addInto(sent, decoded.update().deltas().get("item"), COLS);
        }
        double[] residual = new double[ROWS * COLS];
        TableDelta.SparseRows r = ef.residual("c").get("item");
        if (r != null) {
            addInto(residual, r, COLS);
        }
        for (int i = 0; i < raw.length; i++) {
            assertThat(sent[i] + residual[i]).as("value %d", i).isCloseTo(raw[i], org.assertj.core.data.Offset.offset(1e-4));
        }
        // Only rows still owed are kept.
        if (r != null) {
            for (int j = 0; j < r.rows().length; j++) {
                boolean any = false;
                for (int c = 0; c < COLS; c++) {
                    any |= r.values()[j * COLS + c] != 0;
                }
                assertThat(any).isTrue();
            }
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> lossy() {
        return net.jqwik.api.Arbitraries.of("topk:0.05", "topk:0.1+q8", "topk:0.02+q4+deflate", "q4", "fp16");
    }

    @Test
    void accumulateAndResidualByHand() {
        TableDelta.SparseRows delta = new TableDelta.SparseRows(2, new int[] {1, 3}, new float[] {1, 2, 3, 4});
        TableDelta.SparseRows owed = new TableDelta.SparseRows(2, new int[] {0, 3}, new float[] {5, 6, 0.5f, 0.5f});
        TableDelta.SparseRows acc = (TableDelta.SparseRows) ErrorFeedback.accumulate(delta, owed, 2);
        assertThat(acc.rows()).containsExactly(0, 1, 3);
        assertThat(acc.values()).containsExactly(5, 6, 1, 2, 3.5f, 4.5f);
        // Sent: row 0 whole and one value of row 3; row 1 stays owed, row 0 is settled and dropped.
        TableDelta.SparseRows sent = new TableDelta.SparseRows(2, new int[] {0, 3}, new float[] {5, 6, 0, 4.5f});
        TableDelta.SparseRows next = ErrorFeedback.residual(acc, sent, 4, 2);
        assertThat(next.rows()).containsExactly(1, 3);
        assertThat(next.values()).containsExactly(1, 2, 3.5f, 0);
        // A dense update absorbs the residual in place.
        TableDelta.Dense dense = (TableDelta.Dense) ErrorFeedback.accumulate(new TableDelta.Dense(new float[8]), owed, 2);
        assertThat(dense.values()).containsExactly(5, 6, 0, 0, 0, 0, 0.5f, 0.5f);
    }

    @Test
    void theInterceptorLeavesItsInputsAloneAndOwesTablesTheClientDidNotSendAgain() {
        Codec codec = Codec.parse("topk:0.05");
        ErrorFeedback ef = new ErrorFeedback();
        EncodingInterceptor interceptor = new EncodingInterceptor(codec, ef);
        ModelState g = global();
        ModelUpdate u = update(new SplittableRandom(3));
        float[] item = ((TableDelta.SparseRows) u.deltas().get("item")).values().clone();
        int[] rows = ((TableDelta.SparseRows) u.deltas().get("item")).rows().clone();
        FitResult in = new FitResult("c", 5, u, Map.of("loss", 1.0));
        FitInstruction ins = new FitInstruction("c", g, RoundConfig.EMPTY);
        FitResult out = interceptor.afterFit(ins, in, new ClientContext(1, RandomSource.seeded(1)));

        assertThat(((TableDelta.SparseRows) u.deltas().get("item")).values()).isEqualTo(item);
        assertThat(((TableDelta.SparseRows) u.deltas().get("item")).rows()).isEqualTo(rows);
        assertThat(g.table("item").data()).containsOnly(0f);
        assertThat(out.update().deltas().values()).allMatch(d -> d instanceof TableDelta.Encoded);
        assertThat(out.metrics()).containsEntry("loss", 1.0).containsKey(EncodingInterceptor.RESIDUAL_METRIC);
        assertThat(out.metrics().get(EncodingInterceptor.RESIDUAL_METRIC)).isEqualTo((double) ef.storedValues("c"));

        // Next round the client sends only the bias table: the item residual still goes out with it.
        ModelUpdate biasOnly = new ModelUpdate(Map.of("bias", new TableDelta.SparseRows(1, new int[] {0}, new float[] {1})));
        FitResult next = interceptor.afterFit(ins, new FitResult("c", 5, biasOnly, Map.of()),
                new ClientContext(2, RandomSource.seeded(1)));
        assertThat(next.update().deltas()).containsKeys("bias", "item");
    }

    @Test
    void anAlreadyEncodedUpdateIsRefused() {
        EncodingInterceptor interceptor = new EncodingInterceptor(Codec.parse("q8"), null);
        ModelUpdate encoded = new ModelUpdate(Map.of("item", new TableDelta.Encoded("q8", ROWS, COLS, 0, new byte[1])));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> interceptor.afterFit(
                        new FitInstruction("c7", global(), RoundConfig.EMPTY), new FitResult("c7", 1, encoded, Map.of()),
                        new ClientContext(1, RandomSource.seeded(1))))
                .hasMessageContaining("client c7: the update is already encoded");
    }
}
