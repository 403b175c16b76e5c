package org.fedrec.core.strategy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * no delta and keeps its value. The sums can be folded one result at a time ({@link MeanDelta},
 * {@link FitMetrics}), which is what the list functions do.
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
     * with zero change on rows of weight zero. The same as folding the results, in order, into a
     * {@link MeanDelta}.
     */
    public static ModelUpdate weightedMeanDelta(ModelState global, List<FitResult> results) {
        MeanDelta mean = new MeanDelta(global);
        results.forEach(mean::add);
        return mean.finish();
    }

    /**
     * {@link #weightedMeanDelta} folded one result at a time: it holds, per table, a float sum per value
     * and a double weight per row of the rows sent so far (all rows once some client sent the table dense),
     * not the results. Folding the same results in the same order gives the same floats as the list, since
     * every value sees the same additions in the same order.
     */
    public static final class MeanDelta {
        private final ModelState global;
        private final Map<String, TableSum> tables = new LinkedHashMap<>();

        public MeanDelta(ModelState global) {
            this.global = global;
        }

        /** Checks the result against the global model's shapes, then adds its deltas weighted by its examples. */
        public void add(FitResult r) {
            r.update().validateAgainst(global, r.clientId());
            r.update().deltas().forEach((name, d) ->
                    tables.computeIfAbsent(name, k -> new TableSum(global.table(k))).add(d, r.numExamples()));
        }

        /** The mean delta of every table some result sent, in the order they were first sent. */
        public ModelUpdate finish() {
            Map<String, TableDelta> mean = new LinkedHashMap<>();
            tables.forEach((name, sum) -> mean.put(name, sum.mean()));
            return new ModelUpdate(mean);
        }
    }

    /**
     * One table's running sums. Sparse until a dense delta arrives: rows get slots in the order they are
     * first sent; dense: the slot of a row is the row.
     */
    private static final class TableSum {
        private final int rows;
        private final int cols;
        private int[] slotOf;
        private int[] rowsBySlot = new int[16];
        private double[] weights = new double[16];
        private float[] acc;
        private int used;
        private boolean dense;

        TableSum(FloatTable table) {
            rows = table.rows();
            cols = table.cols();
            slotOf = new int[rows];
            Arrays.fill(slotOf, -1);
            acc = new float[16 * cols];
        }

        void add(TableDelta d, long examples) {
            if (d instanceof TableDelta.Dense && !dense) {
                toDense();
            }
            double n = examples;
            if (n == 0) {
                return;
            }
            if (d instanceof TableDelta.Dense denseDelta) {
                addScaled(acc, 0, denseDelta.values(), 0, acc.length, n);
                for (int row = 0; row < rows; row++) {
                    weights[row] += n;
                }
            } else if (d instanceof TableDelta.SparseRows sparse) {
                int[] sent = sparse.rows();
                float[] v = sparse.values();
                for (int j = 0; j < sent.length; j++) {
                    int slot = slot(sent[j]);
                    addScaled(acc, slot * cols, v, j * cols, cols, n);
                    weights[slot] += n;
                }
            }
        }

        private int slot(int row) {
            if (dense) {
                return row;
            }
            int slot = slotOf[row];
            if (slot < 0) {
                if (used == rowsBySlot.length) {
                    int grown = used * 2;
                    rowsBySlot = Arrays.copyOf(rowsBySlot, grown);
                    weights = Arrays.copyOf(weights, grown);
                    acc = Arrays.copyOf(acc, grown * cols);
                }
                slot = used++;
                slotOf[row] = slot;
                rowsBySlot[slot] = row;
            }
            return slot;
        }

        private void toDense() {
            float[] byRow = new float[rows * cols];
            double[] weightByRow = new double[rows];
            for (int slot = 0; slot < used; slot++) {
                int row = rowsBySlot[slot];
                System.arraycopy(acc, slot * cols, byRow, row * cols, cols);
                weightByRow[row] = weights[slot];
            }
            acc = byRow;
            weights = weightByRow;
            dense = true;
            slotOf = null;
            rowsBySlot = null;
        }

        TableDelta mean() {
            if (dense) {
                for (int row = 0; row < rows; row++) {
                    if (weights[row] > 0) {
                        scale(acc, row * cols, cols, 1.0 / weights[row]);
                    }
                }
                return new TableDelta.Dense(acc);
            }
            int[] sorted = Arrays.copyOf(rowsBySlot, used);
            Arrays.sort(sorted);
            float[] values = new float[used * cols];
            for (int j = 0; j < used; j++) {
                int slot = slotOf[sorted[j]];
                double inv = 1.0 / weights[slot];
                for (int c = 0; c < cols; c++) {
                    values[j * cols + c] = (float) (acc[slot * cols + c] * inv);
                }
            }
            return new TableDelta.SparseRows(cols, sorted, values);
        }
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
     * {@link ModelUpdate#wireBytes()}) and {@value #CLIENT_UPLINK_BYTES} (its mean per result). The same as
     * folding them into a {@link FitMetrics}.
     */
    public static Map<String, Double> fitMetrics(List<FitResult> results, List<ClientFailure> failures) {
        FitMetrics metrics = new FitMetrics();
        results.forEach(metrics::add);
        failures.forEach(f -> metrics.addFailure());
        return metrics.finish();
    }

    /** {@link #fitMetrics} folded one result at a time; it keeps sums, not results. */
    public static final class FitMetrics {
        private final MetricMeans means = new MetricMeans();
        private long clients;
        private long failures;
        private long uplink;
        private long bytes;

        public void add(FitResult r) {
            means.add(r.numExamples(), r.metrics());
            clients++;
            uplink += r.update().valueCount();
            bytes += r.update().wireBytes();
        }

        public void addFailure() {
            failures++;
        }

        /** Results added so far. */
        public long clients() {
            return clients;
        }

        public Map<String, Double> finish() {
            Map<String, Double> metrics = means.finish();
            metrics.put("fit_clients", (double) clients);
            metrics.put("fit_failures", (double) failures);
            metrics.put("uplink_floats", (double) uplink);
            metrics.put(UPLINK_BYTES, (double) bytes);
            metrics.put(CLIENT_UPLINK_BYTES, clients == 0 ? 0.0 : (double) bytes / clients);
            return metrics;
        }
    }

    /** Example-weighted mean of each scalar metric over the results that report it. */
    public static <T> Map<String, Double> weightedMetricMeans(List<T> results, ToLongFunction<T> weightOf,
                                                              Function<T, Map<String, Double>> metricsOf) {
        MetricMeans means = new MetricMeans();
        for (T r : results) {
            means.add(weightOf.applyAsLong(r), metricsOf.apply(r));
        }
        return means.finish();
    }

    /** Running weighted sums of scalar metrics, by key in the order first reported. */
    private static final class MetricMeans {
        private final Map<String, double[]> sums = new LinkedHashMap<>();

        void add(long weight, Map<String, Double> metrics) {
            double w = weight;
            if (w == 0) {
                return;
            }
            metrics.forEach((k, v) -> {
                double[] s = sums.computeIfAbsent(k, x -> new double[2]);
                s[0] += w * v;
                s[1] += w;
            });
        }

        Map<String, Double> finish() {
            Map<String, Double> out = new LinkedHashMap<>();
            sums.forEach((k, s) -> out.put(k, s[0] / s[1]));
            return out;
        }
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
