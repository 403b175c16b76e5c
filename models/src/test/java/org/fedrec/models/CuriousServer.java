package org.fedrec.models;

import java.util.Map;

import org.fedrec.core.FitResult;
import org.fedrec.core.ModelState;
import org.fedrec.core.TableDelta;
import org.fedrec.core.strategy.SecureRowSumFedAvg;

/**
 * An honest-but-curious server that tries to tell which catalog items a client's user interacted with,
 * from what it sees of one round. It knows the global model, the protocol, and each client's example
 * count n (the number of positives); it scores every item and guesses the n top-scoring items.
 *
 * <p><b>From one client's update</b> ({@link #scoreUpdate}): every item table (a table with one row per
 * catalog item, sparse or dense) gives each item a feature vector, its rows' changes side by side (MF:
 * {@code [dq ; db]}; NeuMF: {@code [dq^G ; dq^M]}). An item whose rows were not sent scores lowest (row
 * presence). Within one fit the change of an item row is, to first order, {@code -lr dS_i} times one
 * user-dependent vector (MF: {@code [p_u ; 1]}), with {@code dS_i < 0} for positives and {@code > 0} for
 * negatives; so the attacker takes the principal direction v of the sent rows' features (power
 * iteration on {@code sum_r f_r f_r^T}), orients it so that the minority of the sent rows lies on the
 * positive side (each positive comes with several sampled negatives), and scores each item by its
 * projection {@code f_r . v}. This uses presence, direction and norm together, works under SGD and under
 * Adam (whose steps have about the same size for every row), and needs no labels.
 *
 * <p><b>From cohort totals</b> ({@link #scoreTotals}): the totals are the same whoever the client is. The
 * attacker scores an item by how many clients of the cohort touched it, then by the projection of its
 * summed change on the principal direction, the best it can do for any member.
 */
final class CuriousServer {

    private final ModelState global;
    private final int numItems;

    CuriousServer(ModelState global, int numItems) {
        this.global = global;
        this.numItems = numItems;
    }

    /** A score per catalog item from one client's result; higher = more likely a positive. */
    double[] scoreUpdate(FitResult result) {
        int width = 0;
        for (Map.Entry<String, TableDelta> e : result.update().deltas().entrySet()) {
            if (isItemTable(e.getKey())) {
                width += global.table(e.getKey()).cols();
            }
        }
        double[][] features = new double[numItems][];
        int off = 0;
        for (Map.Entry<String, TableDelta> e : result.update().deltas().entrySet()) {
            if (!isItemTable(e.getKey())) {
                continue;
            }
            int cols = global.table(e.getKey()).cols();
            TableDelta d = e.getValue();
            if (d instanceof TableDelta.Dense dense) {
                for (int r = 0; r < numItems; r++) {
                    put(features, r, width, off, dense.values(), r * cols, cols);
                }
            } else {
                TableDelta.SparseRows sparse = (TableDelta.SparseRows) d;
                for (int j = 0; j < sparse.rows().length; j++) {
                    put(features, sparse.rows()[j], width, off, sparse.values(), j * cols, cols);
                }
            }
            off += cols;
        }
        return projections(features, width);
    }

    /** A score per catalog item from the cohort's totals: the same for every member of the cohort. */
    double[] scoreTotals(SecureRowSumFedAvg.CohortTotals totals) {
        int width = 0;
        float[] counts = null;
        for (Map.Entry<String, SecureRowSumFedAvg.CohortTotals.Table> e : totals.tables().entrySet()) {
            if (isItemTable(e.getKey())) {
                width += e.getValue().cols();
                counts = e.getValue().counts();
            }
        }
        if (counts == null) {
            throw new IllegalArgumentException("the totals hold no item table; tables: " + totals.tables().keySet());
        }
        double[][] features = new double[numItems][];
        int off = 0;
        for (Map.Entry<String, SecureRowSumFedAvg.CohortTotals.Table> e : totals.tables().entrySet()) {
            if (!isItemTable(e.getKey())) {
                continue;
            }
            int cols = e.getValue().cols();
            for (int r = 0; r < numItems; r++) {
                if (e.getValue().counts()[r] > 0) {
                    put(features, r, width, off, e.getValue().sums(), r * cols, cols);
                }
            }
            off += cols;
        }
        double[] projection = projections(features, width);
        double[] score = new double[numItems];
        for (int r = 0; r < numItems; r++) {
            // Popularity in the cohort first, the summed change's direction to break ties.
            score[r] = counts[r] + (features[r] == null ? 0 : 1e-3 * Math.tanh(projection[r]));
        }
        return score;
    }

    private boolean isItemTable(String name) {
        return global.table(name).rows() == numItems;
    }

    private static void put(double[][] features, int row, int width, int off, float[] values, int from, int cols) {
        if (features[row] == null) {
            features[row] = new double[width];
        }
        for (int c = 0; c < cols; c++) {
            features[row][off + c] = values[from + c];
        }
    }

    /** Projection of each present row on the oriented principal direction; absent rows score -infinity. */
    private static double[] projections(double[][] features, int width) {
        double[] v = new double[width];
        double best = -1;
        for (double[] f : features) { // start the power iteration at the largest row
            if (f != null && norm(f) > best) {
                best = norm(f);
                System.arraycopy(f, 0, v, 0, width);
            }
        }
        for (int it = 0; it < 100 && best > 0; it++) {
            double[] next = new double[width];
            for (double[] f : features) {
                if (f != null) {
                    double a = dot(f, v);
                    for (int c = 0; c < width; c++) {
                        next[c] += a * f[c];
                    }
                }
            }
            double n = norm(next);
            if (n == 0) {
                break;
            }
            for (int c = 0; c < width; c++) {
                v[c] = next[c] / n;
            }
        }
        int above = 0;
        int below = 0;
        double[] out = new double[features.length];
        for (int r = 0; r < features.length; r++) {
            if (features[r] != null) {
                out[r] = dot(features[r], v);
                above += out[r] > 0 ? 1 : 0;
                below += out[r] < 0 ? 1 : 0;
            }
        }
        for (int r = 0; r < features.length; r++) {
            out[r] = features[r] == null ? Double.NEGATIVE_INFINITY : (below < above ? -out[r] : out[r]);
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** P(score of a positive > score of a non-positive), ties counting one half. */
    static double auc(double[] score, int[] positives) {
        boolean[] isPositive = new boolean[score.length];
        for (int i : positives) {
            isPositive[i] = true;
        }
        double wins = 0;
        long pairs = 0;
        for (int i : positives) {
            for (int j = 0; j < score.length; j++) {
                if (!isPositive[j]) {
                    wins += score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
                    pairs++;
                }
            }
        }
        return wins / pairs;
    }

    /** The fraction of the n top-scoring items that are positives, n the number of positives. */
    static double precisionOfGuess(double[] score, int[] positives) {
        Integer[] order = new Integer[score.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
        java.util.Set<Integer> truth = new java.util.HashSet<>();
        for (int i : positives) {
            truth.add(i);
        }
        int hits = 0;
        for (int k = 0; k < positives.length; k++) {
            hits += truth.contains(order[k]) ? 1 : 0;
        }
        return (double) hits / positives.length;
    }
}
