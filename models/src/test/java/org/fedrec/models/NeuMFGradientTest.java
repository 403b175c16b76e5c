package org.fedrec.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fedrec.core.RandomSource;
import org.fedrec.core.TableDelta;
import org.fedrec.models.NeuMFNetwork.DenseTable;

/**
 * NeuMF's hand-derived gradients ({@link NeuMFStep}, which training uses) against central finite
 * differences of the step objective, computed here in double precision by an independent forward pass
 * written from the paper's equations and the table layout ({@code mlp_w<l>} is units x inputs, {@code
 * out_w} is {@code [w^G ; w^H]}).
 */
class NeuMFGradientTest {

    private static final int ITEMS = 5;
    private static final double H = 1e-4;

    @Provide
    Arbitrary<List<Integer>> towers() {
        return Arbitraries.of(List.of(), List.of(4), List.of(4, 3), List.of(6, 5, 2));
    }

    @Provide
    Arbitrary<int[]> candidates() {
        // Positive first; the second list repeats a negative, the third repeats the positive.
        return Arbitraries.of(new int[] {1, 3, 0}, new int[] {2, 4, 4}, new int[] {3, 3}, new int[] {0, 4, 1, 2});
    }

    @Property(tries = 300)
    void stepGradientMatchesFiniteDifferences(@ForAll long seed, @ForAll TrainSettings.Loss loss,
                                              @ForAll("towers") List<Integer> tower,
                                              @ForAll("candidates") int[] rows, @ForAll boolean penalties) {
        NeuMFNetwork net = new NeuMFNetwork(3, 2, tower);
        SplittableRandom rng = new SplittableRandom(seed);
        Fixture f = Fixture.random(net, rng);
        TrainSettings s = new TrainSettings(1, 0.1, TrainSettings.Optimizer.SGD, rows.length - 1,
                penalties ? 0.3 : 0, loss, 0.7, penalties ? 0.5 : 0);
        Reference ref = new Reference(net, s, rows, f);
        double[] x = ref.pack();
        Assume.that(ref.minAbsPreActivation(x) > 100 * H); // central differences across a ReLU kink are meaningless

        NeuMFStep step = new NeuMFStep(net, s);
        double dataLoss = step.compute(f.params(), rows, rows);

        assertThat(dataLoss).isCloseTo(ref.dataLoss(x), org.assertj.core.data.Offset.offset(1e-5 * (1 + dataLoss)));
        double[] numeric = ReferenceMath.gradient(ref::objective, x, H);
        double[] analytic = ref.analytic(step);
        double scale = Math.max(1, ReferenceMath.maxAbs(numeric));
        for (int i = 0; i < x.length; i++) {
            assertThat(analytic[i]).as("d objective / d %s for %s, tower %s, candidates %s", ref.label(i), s, tower,
                    Arrays.toString(rows)).isCloseTo(numeric[i], org.assertj.core.data.Offset.offset(2e-4 * scale));
        }
    }

    /**
     * One fit step changes each parameter by {@code -lr} times the gradient {@link NeuMFStep} computes (SGD),
     * or by {@code -lr sign(gradient)} (the first Adam step from zero moments).
     */
    @Property(tries = 60)
    void fitAppliesTheStepGradient(@ForAll long seed, @ForAll TrainSettings.Loss loss,
                                   @ForAll TrainSettings.Optimizer optimizer) {
        NeuralCollaborativeFiltering model = new NeuralCollaborativeFiltering(2,
                new NeuralCollaborativeFiltering.Architecture(3, 2, List.of(4, 3), 0.5));
        var global = model.initialGlobal(RandomSource.seeded(seed));
        PrivateStates users = model.newPrivateStates(1, RandomSource.seeded(seed + 1));
        int uo = users.offset(0);
        float[] userBefore = Arrays.copyOfRange(users.data(), uo, uo + 5);
        TrainSettings s = new TrainSettings(1, 0.05, optimizer, 1, 0.1, loss, 0.5, 0.2);
        NeuMFNetwork net = new NeuMFNetwork(3, 2, List.of(4, 3));

        NeuMFStep.Params p = new NeuMFStep.Params();
        p.user = userBefore.clone();
        p.gmf = global.table(NeuralCollaborativeFiltering.GMF_ITEM).data().clone();
        p.mlp = global.table(NeuralCollaborativeFiltering.MLP_ITEM).data().clone();
        p.gmfGlobal = p.gmf;
        p.mlpGlobal = p.mlp;
        p.dense = net.pack(global);
        p.denseGlobal = p.dense;
        NeuMFStep step = new NeuMFStep(net, s);
        step.compute(p, new int[] {0, 1}, new int[] {0, 1});

        var fit = model.fit(global, ClientData.of(new int[] {0}, new int[][] {{0}}), users, s, new SplittableRandom(seed));

        boolean adam = optimizer == TrainSettings.Optimizer.ADAM;
        float[] userChange = new float[5];
        for (int k = 0; k < 5; k++) {
            userChange[k] = users.data()[uo + k] - userBefore[k];
        }
        assertMoved(userChange, step.userGrad, 0, 5, adam);
        TableDelta.SparseRows gmf = (TableDelta.SparseRows) fit.update().deltas().get(NeuralCollaborativeFiltering.GMF_ITEM);
        TableDelta.SparseRows mlp = (TableDelta.SparseRows) fit.update().deltas().get(NeuralCollaborativeFiltering.MLP_ITEM);
        assertThat(gmf.rows()).containsExactly(0, 1);
        assertThat(mlp.rows()).containsExactly(0, 1);
        assertMoved(gmf.values(), step.gmfGrad, 0, 6, adam);
        assertMoved(mlp.values(), step.mlpGrad, 0, 4, adam);
        for (DenseTable d : net.denseTables) {
            float[] change = ((TableDelta.Dense) fit.update().deltas().get(d.name())).values();
            assertMoved(change, step.denseGrad, d.offset(), d.size(), adam);
        }
    }

    @Property(tries = 20)
    void scorerComputesTheReferenceLogit(@ForAll long seed, @ForAll("towers") List<Integer> tower) {
        NeuralCollaborativeFiltering model = new NeuralCollaborativeFiltering(ITEMS,
                new NeuralCollaborativeFiltering.Architecture(3, 2, tower, 0.7));
        var global = model.initialGlobal(RandomSource.seeded(seed));
        PrivateStates users = model.newPrivateStates(3, RandomSource.seeded(seed));
        NeuMFNetwork net = new NeuMFNetwork(3, 2, tower);
        int[] items = {4, 0, 2, 1, 3};
        float[] out = new float[items.length];
        model.scorer(global, users).score(2, items, items.length, out);

        float[] user = Arrays.copyOfRange(users.data(), users.offset(2), users.offset(2) + 5);
        Fixture f = Fixture.atGlobal(user, global.table(NeuralCollaborativeFiltering.GMF_ITEM).data(),
                global.table(NeuralCollaborativeFiltering.MLP_ITEM).data(), net.pack(global));
        TrainSettings s = NeuralCollaborativeFiltering.defaultSettings();
        Reference ref = new Reference(net, s, items, f);
        double[] x = ref.pack();
        for (int c = 0; c < items.length; c++) {
            assertThat((double) out[c]).isCloseTo(ref.logit(x, items[c]), org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    private static void assertMoved(float[] change, float[] grad, int gradOff, int len, boolean adam) {
        assertThat(change).hasSize(len);
        for (int k = 0; k < len; k++) {
            double g = grad[gradOff + k];
            // First Adam step: m = (1 - b1) g, v = (1 - b2) g^2, bias-corrected ratio g / (|g| + eps / sqrt(1 - b2)).
            double c = Math.sqrt(1 - 0.999);
            float expected = (float) (adam ? -0.05 * c * g / (c * Math.abs(g) + 1e-8) : -0.05 * g);
            assertThat(change[k]).isCloseTo(expected, org.assertj.core.data.Offset.offset(2e-6f));
        }
    }

    /** Local parameters and global anchors for {@link #ITEMS} items. */
    record Fixture(float[] user, float[] gmf, float[] mlp, float[] dense, float[] gmfGlobal, float[] mlpGlobal,
                   float[] denseGlobal) {

        /** Anchors equal to the parameters. */
        static Fixture atGlobal(float[] user, float[] gmf, float[] mlp, float[] dense) {
            return new Fixture(user, gmf, mlp, dense, gmf, mlp, dense);
        }

        /** Random parameters and anchors near them. */
        static Fixture random(NeuMFNetwork net, SplittableRandom rng) {
            float[] gmf = uniform(ITEMS * net.gmfDim, 1, rng);
            float[] mlp = uniform(ITEMS * net.mlpDim, 1, rng);
            float[] dense = uniform(net.denseSize, 0.8, rng);
            return new Fixture(uniform(net.userWidth(), 1, rng), gmf, mlp, dense, nudge(gmf, rng), nudge(mlp, rng),
                    nudge(dense, rng));
        }

        NeuMFStep.Params params() {
            NeuMFStep.Params p = new NeuMFStep.Params();
            p.user = user;
            p.gmf = gmf;
            p.mlp = mlp;
            p.gmfGlobal = gmfGlobal;
            p.mlpGlobal = mlpGlobal;
            p.dense = dense;
            p.denseGlobal = denseGlobal;
            return p;
        }

        private static float[] uniform(int n, double limit, SplittableRandom rng) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = (float) rng.nextDouble(-limit, limit);
            }
            return a;
        }

        private static float[] nudge(float[] a, SplittableRandom rng) {
            float[] b = a.clone();
            for (int i = 0; i < b.length; i++) {
                b[i] += (float) rng.nextDouble(-0.3, 0.3);
            }
            return b;
        }
    }

    /**
     * The step objective in double over the parameters a step touches:
     * {@code x = [user | q^G and q^M of each distinct candidate | dense]}.
     */
    static final class Reference {
        private final NeuMFNetwork net;
        private final TrainSettings s;
        private final int[] rows;
        private final int[] distinct;
        private final Fixture f;
        private final int dg;
        private final int dm;
        private final int itemBase;
        private final int denseBase;

        Reference(NeuMFNetwork net, TrainSettings s, int[] rows, Fixture f) {
            this.net = net;
            this.s = s;
            this.rows = rows;
            this.distinct = Arrays.stream(rows).distinct().toArray();
            this.f = f;
            this.dg = net.gmfDim;
            this.dm = net.mlpDim;
            this.itemBase = dg + dm;
            this.denseBase = itemBase + distinct.length * (dg + dm);
        }

        double[] pack() {
            double[] x = new double[denseBase + net.denseSize];
            for (int k = 0; k < dg + dm; k++) {
                x[k] = f.user()[k];
            }
            for (int r = 0; r < distinct.length; r++) {
                for (int k = 0; k < dg; k++) {
                    x[gmfAt(r) + k] = f.gmf()[distinct[r] * dg + k];
                }
                for (int k = 0; k < dm; k++) {
                    x[mlpAt(r) + k] = f.mlp()[distinct[r] * dm + k];
                }
            }
            for (int i = 0; i < net.denseSize; i++) {
                x[denseBase + i] = f.dense()[i];
            }
            return x;
        }

        /** The analytic gradient of {@code step} in the order of {@link #pack}. */
        double[] analytic(NeuMFStep step) {
            double[] g = new double[denseBase + net.denseSize];
            for (int k = 0; k < dg + dm; k++) {
                g[k] = step.userGrad[k];
            }
            assertThat(step.distinct).isEqualTo(distinct.length);
            for (int r = 0; r < step.distinct; r++) {
                int at = indexOf(step.distinctRow[r]);
                for (int k = 0; k < dg; k++) {
                    g[gmfAt(at) + k] = step.gmfGrad[r * dg + k];
                }
                for (int k = 0; k < dm; k++) {
                    g[mlpAt(at) + k] = step.mlpGrad[r * dm + k];
                }
            }
            for (int i = 0; i < net.denseSize; i++) {
                g[denseBase + i] = step.denseGrad[i];
            }
            return g;
        }

        String label(int i) {
            if (i < itemBase) {
                return i < dg ? "p^G[" + i + "]" : "p^M[" + (i - dg) + "]";
            }
            if (i < denseBase) {
                int r = (i - itemBase) / (dg + dm);
                int k = (i - itemBase) % (dg + dm);
                return (k < dg ? "q^G[" + distinct[r] + "][" + k : "q^M[" + distinct[r] + "][" + (k - dg)) + "]";
            }
            int off = i - denseBase;
            for (DenseTable d : net.denseTables) {
                if (off >= d.offset() && off < d.offset() + d.size()) {
                    return d.name() + "[" + (off - d.offset()) + "]";
                }
            }
            throw new IllegalStateException();
        }

        double dataLoss(double[] x) {
            double[] scores = new double[rows.length];
            for (int c = 0; c < rows.length; c++) {
                scores[c] = score(x, indexOf(rows[c]), null);
            }
            return ReferenceMath.loss(s.loss(), s.temperature(), scores);
        }

        double objective(double[] x) {
            double value = dataLoss(x);
            double l2 = ReferenceMath.sumSquares(x, 0, denseBase);
            double prox = 0;
            for (int r = 0; r < distinct.length; r++) {
                for (int k = 0; k < dg; k++) {
                    double d = x[gmfAt(r) + k] - f.gmfGlobal()[distinct[r] * dg + k];
                    prox += d * d;
                }
                for (int k = 0; k < dm; k++) {
                    double d = x[mlpAt(r) + k] - f.mlpGlobal()[distinct[r] * dm + k];
                    prox += d * d;
                }
            }
            for (DenseTable d : net.denseTables) {
                boolean weights = !d.name().startsWith(NeuralCollaborativeFiltering.MLP_BIAS_PREFIX)
                        && !d.name().equals(NeuralCollaborativeFiltering.OUT_BIAS);
                for (int k = 0; k < d.size(); k++) {
                    double v = x[denseBase + d.offset() + k];
                    if (weights) {
                        l2 += v * v;
                    }
                    double dv = v - f.denseGlobal()[d.offset() + k];
                    prox += dv * dv;
                }
            }
            return value + s.l2() / 2 * l2 + s.proximalMu() / 2 * prox;
        }

        /** Smallest |pre-activation| over every hidden unit and candidate. */
        double minAbsPreActivation(double[] x) {
            double[] min = {Double.POSITIVE_INFINITY};
            for (int row : rows) {
                score(x, indexOf(row), min);
            }
            return min[0];
        }

        double logit(double[] x, int row) {
            return score(x, indexOf(row), null);
        }

        /** NeuMF's logit from the paper's equations, reading tables by name. */
        private double score(double[] x, int r, double[] minAbsZ) {
            double[] a = new double[2 * dm];
            for (int k = 0; k < dm; k++) {
                a[k] = x[dg + k];
                a[dm + k] = x[mlpAt(r) + k];
            }
            for (int l = 1; l <= net.layers; l++) {
                DenseTable w = table(NeuralCollaborativeFiltering.MLP_WEIGHT_PREFIX + l);
                DenseTable b = table(NeuralCollaborativeFiltering.MLP_BIAS_PREFIX + l);
                assertThat(w.cols()).isEqualTo(a.length);
                double[] next = new double[w.rows()];
                for (int o = 0; o < w.rows(); o++) {
                    double z = x[denseBase + b.offset() + o];
                    for (int i = 0; i < a.length; i++) {
                        z += x[denseBase + w.offset() + o * w.cols() + i] * a[i];
                    }
                    if (minAbsZ != null) {
                        minAbsZ[0] = Math.min(minAbsZ[0], Math.abs(z));
                    }
                    next[o] = Math.max(0, z);
                }
                a = next;
            }
            DenseTable out = table(NeuralCollaborativeFiltering.OUT_WEIGHT);
            double sc = x[denseBase + table(NeuralCollaborativeFiltering.OUT_BIAS).offset()];
            for (int k = 0; k < dg; k++) {
                sc += x[denseBase + out.offset() + k] * x[k] * x[gmfAt(r) + k];
            }
            for (int j = 0; j < a.length; j++) {
                sc += x[denseBase + out.offset() + dg + j] * a[j];
            }
            return sc;
        }

        private DenseTable table(String name) {
            return net.denseTables.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
        }

        private int indexOf(int row) {
            for (int r = 0; r < distinct.length; r++) {
                if (distinct[r] == row) {
                    return r;
                }
            }
            throw new IllegalArgumentException("row " + row);
        }

        private int gmfAt(int r) {
            return itemBase + r * (dg + dm);
        }

        private int mlpAt(int r) {
            return itemBase + r * (dg + dm) + dg;
        }
    }
}
