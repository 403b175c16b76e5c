package org.fedrec.core.strategy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import org.fedrec.core.ClientFailure;
import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.TableDelta;

/**
 * The maths of federated averaging over sparse and dense deltas, as pure functions.
 *
 * <p>FedAvg (McMahan et al. 2017) sets {@code theta' = sum_k n_k theta_k / sum_k n_k}. With deltas
 * {@code Delta_k = theta_k - theta} that is {@code theta' = theta + sum_k n_k Delta_k / sum_k n_k}. For a
 * table sent as sparse rows the sums run, row by row, over the clients that sent that row only:
 * {@code Delta_r = sum_{k touching r} n_k Delta_{k,r} / sum_{k touching r} n_k}; a row nobody touched has
 * no delta and keeps its value.
 */
public final class Aggregation {

    /** Metric key: the round's uplink in bytes, summed over the clients. */
    public static final String UPLINK_BYTES = "uplink_bytes";
    /** Metric key: {@value #UPLINK_BYTES} divided by the results of the round (0 without results). */
    public static final String CLIENT_UPLINK_BYTES = "client_uplink_bytes";

    private Aggregation() {
    }

    /**
     * The example-weighted mean delta of every table any client sent. A table every client sent sparse
     * stays sparse (the union of their rows, increasing); a table some client sent dense becomes dense,
     * with zero change on rows of weight zero.
     */
    public static ModelUpdate weightedMeanDelta(ModelState global, List<FitResult> results) {
        Set<String> names = new LinkedHashSet<>();
        for (FitResult r : results) {
            r.update().validateAgainst(global, r.clientId());
            names.addAll(r.update().deltas().keySet());
        }
        Map<String, TableDelta> mean = new LinkedHashMap<>();
        for (String name : names) {
            FloatTable table = global.table(name);
            boolean anyDense = false;
            for (FitResult r : results) {
                anyDense |= r.update().deltas().get(name) instanceof TableDelta.Dense;
            }
            mean.put(name, anyDense ? denseMean(name, table, results) : sparseMean(name, table, results));
        }
        return new ModelUpdate(mean);
    }

    private static TableDelta denseMean(String name, FloatTable table, List<FitResult> results) {
        int cols = table.cols();
        float[] acc = new float[table.size()];
        double[] weight = new double[table.rows()];
        for (FitResult r : results) {
            TableDelta d = r.update().deltas().get(name);
            double n = r.numExamples();
            if (d == null || n == 0) {
                continue;
            }
            if (d instanceof TableDelta.Dense dense) {
                addScaled(acc, 0, dense.values(), 0, acc.length, n);
                for (int row = 0; row < weight.length; row++) {
                    weight[row] += n;
                }
            } else if (d instanceof TableDelta.SparseRows sparse) {
                int[] rows = sparse.rows();
                float[] v = sparse.values();
                for (int j = 0; j < rows.length; j++) {
                    addScaled(acc, rows[j] * cols, v, j * cols, cols, n);
                    weight[rows[j]] += n;
                }
            }
        }
        for (int row = 0; row < weight.length; row++) {
            if (weight[row] > 0) {
                scale(acc, row * cols, cols, 1.0 / weight[row]);
            }
        }
        return new TableDelta.Dense(acc);
    }

    private static TableDelta sparseMean(String name, FloatTable table, List<FitResult> results) {
        int cols = table.cols();
        int[] slotOf = new int[table.rows()];
        Arrays.fill(slotOf, -1);
        int[] rowsBySlot = new int[16];
        double[] weights = new double[16];
        float[] acc = new float[16 * cols];
        int used = 0;
        for (FitResult r : results) {
            TableDelta d = r.update().deltas().get(name);
            double n = r.numExamples();
            if (d == null || n == 0) {
                continue;
            }
            TableDelta.SparseRows sparse = (TableDelta.SparseRows) d;
            int[] rows = sparse.rows();
            float[] v = sparse.values();
            for (int j = 0; j < rows.length; j++) {
                int slot = slotOf[rows[j]];
                if (slot < 0) {
                    if (used == rowsBySlot.length) {
                        int grown = used * 2;
                        rowsBySlot = Arrays.copyOf(rowsBySlot, grown);
                        weights = Arrays.copyOf(weights, grown);
                        acc = Arrays.copyOf(acc, grown * cols);
                    }
                    slot = used++;
                    slotOf[rows[j]] = slot;
                    rowsBySlot[slot] = rows[j];
                }
                addScaled(acc, slot * cols, v, j * cols, cols, n);
                weights[slot] += n;
            }
        }
        int[] rows = Arrays.copyOf(rowsBySlot, used);
        Arrays.sort(rows);
        float[] values = new float[used * cols];
        for (int j = 0; j < used; j++) {
            int slot = slotOf[rows[j]];
            double inv = 1.0 / weights[slot];
            for (int c = 0; c < cols; c++) {
                values[j * cols + c] = (float) (acc[slot * cols + c] * inv);
            }
        }
        return new TableDelta.SparseRows(cols, rows, values);
    }

    /**
     * {@code theta + scale * delta} for every table in {@code delta}; other tables are shared unchanged.
     * Neither input is modified.
     */
    public static ModelState applyDelta(ModelState global, ModelUpdate delta, double scale) {
        Map<String, FloatTable> next = new LinkedHashMap<>(global.tables());
        delta.deltas().forEach((name, d) -> {
            if (d instanceof TableDelta.Encoded encoded) {
                throw encoded.notDecoded(null, name, "applying a delta to the model");
            }
            FloatTable t = global.table(name).copy();
            float[] w = t.data();
            if (d instanceof TableDelta.Dense dense) {
                addScaled(w, 0, dense.values(), 0, w.length, scale);
            } else if (d instanceof TableDelta.SparseRows sparse) {
                int cols = sparse.cols();
                int[] rows = sparse.rows();
                for (int j = 0; j < rows.length; j++) {
                    addScaled(w, rows[j] * cols, sparse.values(), j * cols, cols, scale);
                }
            }
            next.put(name, t);
        });
        return new ModelState(next);
    }

    /**
     * The training metrics every FedAvg-family strategy reports (a new, modifiable map): the
     * example-weighted mean of each client metric, then {@code fit_clients}, {@code fit_failures} and
     * {@code uplink_floats} (floats the clients sent), {@code uplink_bytes} (their wire size, see
     * {@link ModelUpdate#wireBytes()}) and {@value #CLIENT_UPLINK_BYTES} (its mean per result).
     */
    public static Map<String, Double> fitMetrics(List<FitResult> results, List<ClientFailure> failures) {
        Map<String, Double> metrics = new LinkedHashMap<>(
                weightedMetricMeans(results, FitResult::numExamples, FitResult::metrics));
        metrics.put("fit_clients", (double) results.size());
        metrics.put("fit_failures", (double) failures.size());
        long uplink = 0;
        long bytes = 0;
        for (FitResult r : results) {
            uplink += r.update().valueCount();
            bytes += r.update().wireBytes();
        }
        metrics.put("uplink_floats", (double) uplink);
        metrics.put(UPLINK_BYTES, (double) bytes);
        metrics.put(CLIENT_UPLINK_BYTES, results.isEmpty() ? 0.0 : (double) bytes / results.size());
        return metrics;
    }

    /** Example-weighted mean of each scalar metric over the results that report it. */
    public static <T> Map<String, Double> weightedMetricMeans(List<T> results, ToLongFunction<T> weightOf,
                                                              Function<T, Map<String, Double>> metricsOf) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (T r : results) {
            double w = weightOf.applyAsLong(r);
            if (w == 0) {
                continue;
            }
            metricsOf.apply(r).forEach((k, v) -> {
                double[] s = sums.computeIfAbsent(k, x -> new double[2]);
                s[0] += w * v;
                s[1] += w;
            });
        }
        Map<String, Double> out = new LinkedHashMap<>();
        sums.forEach((k, s) -> out.put(k, s[0] / s[1]));
        return out;
    }

    static void addScaled(float[] dst, int dstOff, float[] src, int srcOff, int len, double scale) {
        float s = (float) scale;
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] += s * src[srcOff + i];
        }
    }

    private static void scale(float[] a, int off, int len, double s) {
        float f = (float) s;
        for (int i = 0; i < len; i++) {
            a[off + i] *= f;
        }
    }
}
