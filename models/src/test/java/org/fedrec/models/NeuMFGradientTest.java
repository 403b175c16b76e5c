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
        Fixture f = new Fixture(net, rng);
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

    /** One fit step with SGD changes each parameter by exactly -lr times the gradient {@link NeuMFStep} computes. */
    @Property(tries = 40)
    void fitAppliesMinusLrTimesTheStepGradient(@ForAll long seed, @ForAll TrainSettings.Loss loss) {
        NeuralCollaborativeFiltering model = new NeuralCollaborativeFiltering(2,
                new NeuralCollaborativeFiltering.Architecture(3, 2, List.of(4, 3), 0.5));
        var global = model.initialGlobal(RandomSource.seeded(seed));
        PrivateStates users = model.newPrivateStates(1, RandomSource.seeded(seed + 1));
        int uo = users.offset(0);
        float[] userBefore = Arrays.copyOfRange(users.data(), uo, uo + 5);
        TrainSettings s = new TrainSettings(1, 0.05, TrainSettings.Optimizer.SGD, 1, 0.1, loss, 0.5, 0.2);
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

        for (int k = 0; k < 5; k++) {
            assertThat(users.data()[uo + k]).isCloseTo(userBefore[k] - 0.05f * step.userGrad[k],
                    org.assertj.core.data.Offset.offset(1e-6f));
        }
        TableDelta.SparseRows gmf = (TableDelta.SparseRows) fit.update().deltas().get(NeuralCollaborativeFiltering.GMF_ITEM);
        TableDelta.SparseRows mlp = (TableDelta.SparseRows) fit.update().deltas().get(NeuralCollaborativeFiltering.MLP_ITEM);
        assertThat(gmf.rows()).containsExactly(0, 1);
        assertThat(mlp.rows()).containsExactly(0, 1);
        assertClose(gmf.values(), step.gmfGrad, 0, 6);
        assertClose(mlp.values(), step.mlpGrad, 0, 4);
        for (DenseTable d : net.denseTables) {
            float[] change = ((TableDelta.Dense) fit.update().deltas().get(d.name())).values();
            assertClose(change, step.denseGrad, d.offset(), d.size());
        }
    }

    private static void assertClose(float[] change, float[] grad, int gradOff, int len) {
        assertThat(change).hasSize(len);
        for (int k = 0; k < len; k++) {
            assertThat(change[k]).isCloseTo(-0.05f * grad[gradOff + k], org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    /** Random local parameters and nearby global anchors for {@link #ITEMS} items. */
    static final class Fixture {
        final float[] user;
        final float[] gmf;
        final float[] mlp;
        final float[] gmfGlobal;
        final float[] mlpGlobal;
        final float[] dense;
        final float[] denseGlobal;

        Fixture(NeuMFNetwork net, SplittableRandom rng) {
            user = uniform(net.userWidth(), 1, rng);
            gmf = uniform(ITEMS * net.gmfDim, 1, rng);
            mlp = uniform(ITEMS * net.mlpDim, 1, rng);
            dense = uniform(net.denseSize, 0.8, rng);
            gmfGlobal = nudge(gmf, rng);
            mlpGlobal = nudge(mlp, rng);
            denseGlobal = nudge(dense, rng);
        }

        NeuMFStep.Params params() {
            NeuMFStep.Params p = new NeuMFStep.Params();
            p.user = user;
            p.userOffset = 0;
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
                x[k] = f.user[k];
            }
            for (int r = 0; r < distinct.length; r++) {
                for (int k = 0; k < dg; k++) {
                    x[gmfAt(r) + k] = f.gmf[distinct[r] * dg + k];
                }
                for (int k = 0; k < dm; k++) {
                    x[mlpAt(r) + k] = f.mlp[distinct[r] * dm + k];
                }
            }
            for (int i = 0; i < net.denseSize; i++) {
                x[denseBase + i] = f.dense[i];
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
                    double d = x[gmfAt(r) + k] - f.gmfGlobal[distinct[r] * dg + k];
                    prox += d * d;
                }
                for (int k = 0; k < dm; k++) {
                    double d = x[mlpAt(r) + k] - f.mlpGlobal[distinct[r] * dm + k];
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
                    double dv = v - f.denseGlobal[d.offset() + k];
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
