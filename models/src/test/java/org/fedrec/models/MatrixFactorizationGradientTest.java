package org.fedrec.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.RandomSource;
import org.fedrec.core.TableDelta;

/**
 * MF's hand-derived gradients against finite differences of the objective written from its javadoc,
 * through MF's observable behaviour: on a 2-item catalogue with one user whose positive is item 0 and
 * {@code negatives = 1}, every step has the candidates (0, 1), and an SGD step moves every parameter by
 * exactly {@code -lr} times the gradient at the pre-step values. Two epochs make the FedProx term count
 * (it is zero at the first step, where local equals global).
 *
 * <p>Parameters {@code theta = [p (d), q_0 (d), q_1 (d), b_0, b_1]}; objective
 * {@code L(s_0, s_1) + l2/2 |theta|^2 + mu/2 (|q - q^g|^2 + |b - b^g|^2)} with {@code s_c = p . q_c + b_c}.
 */
class MatrixFactorizationGradientTest {

    private static final int DIM = 3;
    private static final int N = 3 * DIM + 2;

    @Property(tries = 120)
    void sgdStepsMoveByMinusLrTimesTheFiniteDifferenceGradient(@ForAll long seed, @ForAll TrainSettings.Loss loss,
                                                              @ForAll boolean l2, @ForAll boolean mu,
                                                              @ForAll @IntRange(min = 1, max = 2) int epochs) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] theta0 = randomTheta(rng);
        TrainSettings s = new TrainSettings(epochs, 0.1, TrainSettings.Optimizer.SGD, 1, l2 ? 0.2 : 0, loss,
                rng.nextBoolean() ? 0.5 : 1.0, mu ? 0.7 : 0);
        double[] observed = fitOnce(theta0, s, seed);

        double[] anchor = toDouble(theta0);
        double[] expected = toDouble(theta0);
        for (int e = 0; e < epochs; e++) {
            double[] g = ReferenceMath.gradient(t -> objective(t, anchor, s), expected, 1e-6);
            for (int i = 0; i < N; i++) {
                expected[i] -= s.lr() * g[i];
            }
        }
        assertClose(observed, expected, theta0, s);
    }

    /**
     * The first Adam step from zero moments moves each parameter by {@code -lr g / (|g| + eps / sqrt(1 - b2))}
     * (bias-corrected {@code m / sqrt(v)}), with {@code g} the finite-difference gradient.
     */
    @Property(tries = 60)
    void theFirstAdamStepFollowsTheSignOfTheFiniteDifferenceGradient(@ForAll long seed,
                                                                    @ForAll TrainSettings.Loss loss) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] theta0 = randomTheta(rng);
        TrainSettings s = new TrainSettings(1, 0.01, TrainSettings.Optimizer.ADAM, 1, 0.2, loss, 0.5, 0);
        double[] observed = fitOnce(theta0, s, seed);

        double[] anchor = toDouble(theta0);
        double[] g = ReferenceMath.gradient(t -> objective(t, anchor, s), toDouble(theta0), 1e-6);
        double[] expected = toDouble(theta0);
        double c = Math.sqrt(1 - 0.999);
        for (int i = 0; i < N; i++) {
            expected[i] -= s.lr() * c * g[i] / (c * Math.abs(g[i]) + 1e-8);
        }
        assertClose(observed, expected, theta0, s);
    }

    private static float[] randomTheta(SplittableRandom rng) {
        float[] theta0 = new float[N];
        for (int i = 0; i < N; i++) {
            theta0[i] = (float) rng.nextDouble(-1, 1);
        }
        return theta0;
    }

    /** Fits MF once on the 2-item problem from {@code theta0}; returns theta after the fit. */
    private static double[] fitOnce(float[] theta0, TrainSettings s, long seed) {
        MatrixFactorization mf = new MatrixFactorization(2, DIM, 0.1);
        float[] q = new float[2 * DIM];
        System.arraycopy(theta0, DIM, q, 0, 2 * DIM);
        Map<String, FloatTable> tables = new LinkedHashMap<>();
        tables.put(MatrixFactorization.ITEM_EMBEDDING, new FloatTable(2, DIM, q));
        tables.put(MatrixFactorization.ITEM_BIAS, new FloatTable(2, 1, new float[] {theta0[3 * DIM], theta0[3 * DIM + 1]}));
        ModelState global = new ModelState(tables);
        PrivateStates users = mf.newPrivateStates(1, RandomSource.seeded(seed));
        System.arraycopy(theta0, 0, users.data(), users.offset(0), DIM);
        ClientData data = ClientData.of(new int[] {0}, new int[][] {{0}});

        RecommenderModel.LocalFit fit = mf.fit(global, data, users, s, new SplittableRandom(seed));

        double[] observed = new double[N];
        for (int k = 0; k < DIM; k++) {
            observed[k] = users.data()[users.offset(0) + k];
        }
        TableDelta.SparseRows dq = (TableDelta.SparseRows) fit.update().deltas().get(MatrixFactorization.ITEM_EMBEDDING);
        TableDelta.SparseRows db = (TableDelta.SparseRows) fit.update().deltas().get(MatrixFactorization.ITEM_BIAS);
        assertThat(dq.rows()).containsExactly(0, 1);
        assertThat(db.rows()).containsExactly(0, 1);
        for (int k = 0; k < 2 * DIM; k++) {
            observed[DIM + k] = theta0[DIM + k] + dq.values()[k];
        }
        observed[3 * DIM] = theta0[3 * DIM] + db.values()[0];
        observed[3 * DIM + 1] = theta0[3 * DIM + 1] + db.values()[1];
        assertThat(fit.steps()).isEqualTo(s.epochs());
        return observed;
    }

    private static void assertClose(double[] observed, double[] expected, float[] theta0, TrainSettings s) {
        double[] expectedChange = new double[N];
        double[] error = new double[N];
        for (int i = 0; i < N; i++) {
            expectedChange[i] = expected[i] - theta0[i];
            error[i] = observed[i] - expected[i];
        }
        assertThat(ReferenceMath.maxAbs(error))
                .as("max |observed - expected| of theta for %s; expected change %s", s,
                        java.util.Arrays.toString(expectedChange))
                .isLessThanOrEqualTo(1e-3 * ReferenceMath.maxAbs(expectedChange) + 1e-6);
    }

    /** MF's documented objective for the candidates (0, 1). */
    private static double objective(double[] t, double[] anchor, TrainSettings s) {
        double s0 = t[3 * DIM];
        double s1 = t[3 * DIM + 1];
        for (int k = 0; k < DIM; k++) {
            s0 += t[k] * t[DIM + k];
            s1 += t[k] * t[2 * DIM + k];
        }
        double value = ReferenceMath.loss(s.loss(), s.temperature(), new double[] {s0, s1});
        value += s.l2() / 2 * ReferenceMath.sumSquares(t, 0, N);
        double prox = 0;
        for (int i = DIM; i < N; i++) {
            prox += (t[i] - anchor[i]) * (t[i] - anchor[i]);
        }
        return value + s.proximalMu() / 2 * prox;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
