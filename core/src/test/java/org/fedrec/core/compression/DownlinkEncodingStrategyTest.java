package org.fedrec.core.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.fedrec.core.Client;
import org.fedrec.core.ClientContext;
import org.fedrec.core.EvaluateInstruction;
import org.fedrec.core.EvaluateResult;
import org.fedrec.core.FitInstruction;
import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.InMemoryFleet;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.RandomSource;
import org.fedrec.core.RoundLoop;
import org.fedrec.core.RunResult;
import org.fedrec.core.TableDelta;
import org.fedrec.core.strategy.FedAvg;
import org.junit.jupiter.api.Test;

/** The global model goes out compressed once per round; the server keeps the exact one. */
class DownlinkEncodingStrategyTest {

    static ModelState global() {
        SplittableRandom r = new SplittableRandom(3);
        float[] items = new float[200 * 8];
        for (int i = 0; i < items.length; i++) {
            items[i] = (float) (r.nextGaussian() * 0.1);
        }
        float[] adapter = new float[300];
        for (int i = 0; i < adapter.length; i++) {
            adapter[i] = (float) r.nextGaussian();
        }
        return new ModelState(Map.of("item", new FloatTable(200, 8, items), "adapter", new FloatTable(1, 300, adapter)));
    }

    /** The bytes of every table of {@code global} through {@code codec} (their size does not depend on the rounding). */
    static long encodedBytes(ModelState global, Codec codec) {
        long bytes = 0;
        for (FloatTable t : global.tables().values()) {
            bytes += codec.encode(t.rows(), t.cols(), new TableDelta.Dense(t.data()), new SplittableRandom(0)).encoded()
                    .wireBytes();
        }
        return bytes;
    }

    static DownlinkEncodingStrategy fedAvgWith(String spec) {
        return new DownlinkEncodingStrategy(new FedAvg(FedAvg.Settings.defaults()), Codec.parse(spec));
    }

    @Test
    void everyTrainingClientGetsTheSameRoundedCopyAndPaysItsEncodedBytes() {
        ModelState exact = global();
        DownlinkEncodingStrategy s = fedAvgWith("q8");
        List<FitInstruction> fit = s.configureFit(1, exact, List.of("a", "b", "c"), RandomSource.seeded(5));

        assertThat(fit).extracting(FitInstruction::clientId).containsExactly("a", "b", "c");
        ModelState sent = fit.get(0).global();
        assertThat(fit).allSatisfy(ins -> assertThat(ins.global()).isSameAs(sent));
        long bytes = encodedBytes(exact, Codec.parse("q8"));
        assertThat(fit).allSatisfy(ins -> assertThat(ins.wireBytes()).isEqualTo(bytes));
        // A decorator that adds to the config (DP-FedAvg's clip) keeps the model and what it costs.
        FitInstruction clipped = fit.get(0).withConfig(fit.get(0).config().with("clip", 1.0));
        assertThat(clipped.global()).isSameAs(sent);
        assertThat(clipped.wireBytes()).isEqualTo(bytes);
        // q8 with one fp32 scale per 64 values: a little over a quarter of fp32's 4 bytes per value.
        assertThat((double) bytes / (4 * exact.parameterCount())).isBetween(0.25, 0.27);

        for (String name : List.of("item", "adapter")) {
            float[] x = exact.table(name).data();
            float[] y = sent.table(name).data();
            int rounded = 0;
            for (int b = 0; b < x.length; b += Codec.DEFAULT_BLOCK) {
                float scale = 0;
                for (int i = b; i < Math.min(x.length, b + Codec.DEFAULT_BLOCK); i++) {
                    scale = Math.max(scale, Math.abs(x[i]));
                }
                for (int i = b; i < Math.min(x.length, b + Codec.DEFAULT_BLOCK); i++) {
                    // Stochastic rounding to a level of scale / 127: never more than one level off.
                    assertThat(Math.abs(y[i] - x[i])).as("%s[%d]", name, i).isLessThanOrEqualTo(scale / 127 * 1.0001f);
                    rounded += y[i] != x[i] ? 1 : 0;
                }
            }
            assertThat(rounded).as("values of %s the codec rounded", name).isGreaterThan(x.length / 2);
        }
        // Evaluation is of the model the server holds.
        assertThat(s.configureEvaluate(1, exact, List.of("a"), RandomSource.seeded(5)).get(0).global()).isSameAs(exact);
    }

    @Test
    void fp16SendsHalfTheBytesAndRoundsToNearestHalf() {
        ModelState exact = global();
        FitInstruction ins = fedAvgWith("fp16").configureFit(1, exact, List.of("a"), RandomSource.seeded(5)).get(0);
        float[] x = exact.table("adapter").data();
        for (int i = 0; i < x.length; i++) {
            assertThat(ins.global().table("adapter").data()[i]).isEqualTo(Half.toFloat(Half.fromFloat(x[i])));
        }
        assertThat(ins.wireBytes()).isEqualTo(encodedBytes(exact, Codec.parse("fp16")));
        assertThat((double) ins.wireBytes() / (4 * exact.parameterCount())).isBetween(0.5, 0.51);
    }

    @Test
    void aSeededRoundRepeatsAndAnotherRoundRoundsAfresh() {
        ModelState exact = global();
        DownlinkEncodingStrategy s = fedAvgWith("q4");
        ModelState first = s.configureFit(1, exact, List.of("a"), RandomSource.seeded(5)).get(0).global();
        ModelState again = s.configureFit(1, exact, List.of("a"), RandomSource.seeded(5)).get(0).global();
        ModelState other = s.configureFit(2, exact, List.of("a"), RandomSource.seeded(6)).get(0).global();
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    /**
     * Each client moves row 0 of the item table to its target and leaves every other row alone, sending its
     * change from the copy it received (a sparse row).
     */
    static Client movesRowZero(String id, float target) {
        return new Client() {
            @Override
            public FitResult fit(FitInstruction ins, ClientContext ctx) {
                float[] row = ins.global().table("item").row(0);
                float[] change = new float[row.length];
                for (int k = 0; k < row.length; k++) {
                    change[k] = target - row[k];
                }
                return new FitResult(id, 1, new ModelUpdate(Map.of("item",
                        new TableDelta.SparseRows(row.length, new int[] {0}, change))), Map.of());
            }

            @Override
            public EvaluateResult evaluate(EvaluateInstruction ins, ClientContext ctx) {
                return new EvaluateResult(id, 1, Map.of());
            }
        };
    }

    @Test
    void theServerAddsChangesToItsExactModelSoRowsNoClientTouchesStayExact() {
        ModelState exact = global();
        try (InMemoryFleet fleet = new InMemoryFleet(id -> movesRowZero(id, id.equals("a") ? 1f : 3f), List.of("a", "b"),
                RandomSource.seeded(1), 1)) {
            RunResult res = RoundLoop.builder().strategy(fedAvgWith("q8")).fleet(fleet).rounds(5).evaluateEvery(0)
                    .build().run(exact);

            float[] before = exact.table("item").data();
            float[] after = res.last().table("item").data();
            int cols = exact.table("item").cols();
            for (int i = cols; i < before.length; i++) {
                assertThat(after[i]).as("item value %d", i).isEqualTo(before[i]);
            }
            assertThat(res.last().table("adapter")).isEqualTo(exact.table("adapter"));
            // Row 0: the clients' mean target 2, give or take one round's rounding of the copy they started from.
            for (int k = 0; k < cols; k++) {
                assertThat(after[k]).isCloseTo(2f, org.assertj.core.data.Offset.offset(3f / 127));
            }
            long broadcast = encodedBytes(exact, Codec.parse("q8"));
            assertThat(res.history()).allSatisfy(r -> assertThat(r.fitMetrics())
                    .containsEntry(RoundLoop.DOWNLINK_BYTES, 2.0 * broadcast)
                    .containsEntry(RoundLoop.CLIENT_DOWNLINK_BYTES, (double) broadcast));
        }
    }

    @Test
    void aTopKCodecIsRefusedForTheDownlink() {
        assertThatThrownBy(() -> fedAvgWith("topk:0.1+q8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("downlink codec 'topk:0.1+q8' has a top-k stage")
                .hasMessageContaining("use fp16, q8 or q4");
    }
}
