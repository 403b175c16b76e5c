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
import org.fedrec.models.internal.TextBasis;

/**
 * The text two-tower's hand-derived gradients against finite differences of its objective, written from
 * the class javadoc: on a 2-item catalogue, one user whose only training item is item 0 and
 * {@code negatives = 1}, every SGD step has the candidates (0, 1) and moves every parameter by
 * {@code -lr} times the gradient at the pre-step values.
 *
 * <p>Hybrid, concatenated id part, user tower {@code both}: {@code v_c = [W0 e_c + B A e_c ; q_c]},
 * {@code U = p + [W0 e_0 + B A e_0 ; 0]} (the history mean of one item is that item), {@code s_c = U . v_c + b_c};
 * objective {@code L(s_0, s_1) + l2/2 |theta|^2 + mu/2 |theta_global - anchor|^2}, the proximal term over A, B,
 * biases and id rows (not the private p). Parameters {@code theta = [p (D), A (r x e), B (d x r), b (2), q (2 x k),
 * w (e)]}; with a personal adapter {@code s_c} gains {@code w . e_c} (w is private: no proximal term), without
 * one w is not a parameter and must not move.
 */
class TextTwoTowerGradientTest {

    private static final int E = 3;
    private static final int D_TEXT = 2;
    private static final int R = 2;
    private static final int K = 2;
    private static final int WIDTH = D_TEXT + K;
    private static final int P0 = 0;
    private static final int A0 = P0 + WIDTH;
    private static final int B0 = A0 + R * E;
    private static final int BIAS0 = B0 + D_TEXT * R;
    private static final int Q0 = BIAS0 + 2;
    private static final int W0 = Q0 + 2 * K;
    private static final int N = W0 + E;
    private static final long BASE_SEED = 17;

    @Property(tries = 120)
    void sgdStepsMoveByMinusLrTimesTheFiniteDifferenceGradient(@ForAll long seed, @ForAll TrainSettings.Loss loss,
                                                              @ForAll boolean l2, @ForAll boolean mu,
                                                              @ForAll boolean personal,
                                                              @ForAll @IntRange(min = 1, max = 2) int epochs) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] text = unitRows(rng);
        float[] theta0 = new float[N];
        for (int i = 0; i < N; i++) {
            theta0[i] = (float) rng.nextDouble(-1, 1);
        }
        TrainSettings s = new TrainSettings(epochs, 0.1, TrainSettings.Optimizer.SGD, 1, l2 ? 0.2 : 0, loss,
                rng.nextBoolean() ? 0.5 : 1.0, mu ? 0.7 : 0);
        double[] observed = fitOnce(text, theta0, s, seed, personal);

        double[] w0 = toDouble(TextBasis.randomProjection(D_TEXT, E, BASE_SEED));
        double[] anchor = toDouble(theta0);
        double[] expected = toDouble(theta0);
        for (int step = 0; step < epochs; step++) {
            double[] g = ReferenceMath.gradient(t -> objective(t, anchor, toDouble(text), w0, s, personal), expected,
                    1e-6);
            for (int i = 0; i < N; i++) {
                expected[i] -= s.lr() * g[i];
            }
        }
        double[] change = new double[N];
        double[] error = new double[N];
        for (int i = 0; i < N; i++) {
            change[i] = expected[i] - theta0[i];
            error[i] = observed[i] - expected[i];
        }
        assertThat(ReferenceMath.maxAbs(error)).as("max |observed - expected| for %s", s)
                .isLessThanOrEqualTo(1e-3 * ReferenceMath.maxAbs(change) + 1e-5);
    }

    private static float[] unitRows(SplittableRandom rng) {
        float[] text = new float[2 * E];
        for (int i = 0; i < 2; i++) {
            double norm = 0;
            double[] row = new double[E];
            for (int j = 0; j < E; j++) {
                row[j] = rng.nextDouble(-1, 1);
                norm += row[j] * row[j];
            }
            for (int j = 0; j < E; j++) {
                text[i * E + j] = (float) (row[j] / Math.sqrt(norm));
            }
        }
        return text;
    }

    private static double[] fitOnce(float[] text, float[] theta0, TrainSettings s, long seed, boolean personal) {
        TextTwoTower model = new TextTwoTower(2, E, text, new TextTwoTower.Architecture(D_TEXT, R, K,
                TextTwoTower.Combine.CONCAT, TextTwoTower.UserTower.BOTH, TextTwoTower.Base.RANDOM, 0.1, personal),
                BASE_SEED);
        Map<String, FloatTable> tables = new LinkedHashMap<>();
        tables.put(TextTwoTower.LORA_A, new FloatTable(R, E, slice(theta0, A0, R * E)));
        tables.put(TextTwoTower.LORA_B, new FloatTable(D_TEXT, R, slice(theta0, B0, D_TEXT * R)));
        tables.put(TextTwoTower.ITEM_BIAS, new FloatTable(2, 1, slice(theta0, BIAS0, 2)));
        tables.put(TextTwoTower.ITEM_ID, new FloatTable(2, K, slice(theta0, Q0, 2 * K)));
        ModelState global = new ModelState(tables);
        PrivateStates users = model.newPrivateStates(1, RandomSource.seeded(seed));
        assertThat(users.width()).isEqualTo(personal ? WIDTH + E : WIDTH);
        System.arraycopy(theta0, P0, users.data(), users.offset(0), WIDTH);
        if (personal) {
            System.arraycopy(theta0, W0, users.data(), users.offset(0) + WIDTH, E);
        }
        ClientData data = ClientData.of(new int[] {0}, new int[][] {{0}});

        RecommenderModel.LocalFit fit = model.fit(global, data, users, s, new SplittableRandom(seed));

        assertThat(fit.steps()).isEqualTo(s.epochs());
        double[] observed = new double[N];
        for (int k = 0; k < WIDTH; k++) {
            observed[P0 + k] = users.data()[users.offset(0) + k];
        }
        for (int k = 0; k < E; k++) {
            observed[W0 + k] = personal ? users.data()[users.offset(0) + WIDTH + k] : theta0[W0 + k];
        }
        addDense(observed, theta0, A0, fit.update().deltas().get(TextTwoTower.LORA_A));
        addDense(observed, theta0, B0, fit.update().deltas().get(TextTwoTower.LORA_B));
        addRows(observed, theta0, BIAS0, 1, fit.update().deltas().get(TextTwoTower.ITEM_BIAS));
        addRows(observed, theta0, Q0, K, fit.update().deltas().get(TextTwoTower.ITEM_ID));
        return observed;
    }

    private static void addDense(double[] out, float[] theta0, int at, TableDelta delta) {
        float[] v = ((TableDelta.Dense) delta).values();
        for (int i = 0; i < v.length; i++) {
            out[at + i] = theta0[at + i] + v[i];
        }
    }

    private static void addRows(double[] out, float[] theta0, int at, int cols, TableDelta delta) {
        TableDelta.SparseRows rows = (TableDelta.SparseRows) delta;
        assertThat(rows.rows()).containsExactly(0, 1);
        for (int i = 0; i < 2 * cols; i++) {
            out[at + i] = theta0[at + i] + rows.values()[i];
        }
    }

    /** The objective of the class javadoc for candidates (0, 1). */
    private static double objective(double[] t, double[] anchor, double[] text, double[] w0, TrainSettings s,
                                    boolean personal) {
        double[][] v = new double[2][WIDTH];
        for (int c = 0; c < 2; c++) {
            v[c] = itemVector(t, text, w0, c);
        }
        double[] u = new double[WIDTH];
        double[] hist = itemVector(t, text, w0, 0);
        for (int k = 0; k < WIDTH; k++) {
            u[k] = t[P0 + k] + (k < D_TEXT ? hist[k] : 0);
        }
        double[] scores = new double[2];
        for (int c = 0; c < 2; c++) {
            scores[c] = t[BIAS0 + c];
            for (int k = 0; k < WIDTH; k++) {
                scores[c] += u[k] * v[c][k];
            }
            for (int x = 0; personal && x < E; x++) {
                scores[c] += t[W0 + x] * text[c * E + x];
            }
        }
        double value = ReferenceMath.loss(s.loss(), s.temperature(), scores);
        value += s.l2() / 2 * ReferenceMath.sumSquares(t, 0, personal ? N : W0);
        double prox = 0;
        for (int i = A0; i < W0; i++) {
            prox += (t[i] - anchor[i]) * (t[i] - anchor[i]);
        }
        return value + s.proximalMu() / 2 * prox;
    }

    /** {@code [W0 e_c + B A e_c ; q_c]}. */
    private static double[] itemVector(double[] t, double[] text, double[] w0, int c) {
        double[] ae = new double[R];
        for (int j = 0; j < R; j++) {
            for (int x = 0; x < E; x++) {
                ae[j] += t[A0 + j * E + x] * text[c * E + x];
            }
        }
        double[] v = new double[WIDTH];
        for (int i = 0; i < D_TEXT; i++) {
            for (int x = 0; x < E; x++) {
                v[i] += w0[i * E + x] * text[c * E + x];
            }
            for (int j = 0; j < R; j++) {
                v[i] += t[B0 + i * R + j] * ae[j];
            }
        }
        for (int k = 0; k < K; k++) {
            v[D_TEXT + k] = t[Q0 + c * K + k];
        }
        return v;
    }

    private static float[] slice(float[] x, int at, int n) {
        float[] out = new float[n];
        System.arraycopy(x, at, out, 0, n);
        return out;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
