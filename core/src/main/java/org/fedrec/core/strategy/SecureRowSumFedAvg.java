package org.fedrec.core.strategy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.fedrec.core.ClientFailure;
import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.SecureSum;
import org.fedrec.core.TableDelta;

/**
 * FedAvg behind secure aggregation of rows: the server learns only the cohort's totals, per row of every
 * table the sum of the clients' changes and the number of clients that changed it, never one client's
 * update, so it cannot tell which client touched which item.
 *
 * <p><b>Client half.</b> Each client turns its update into one fixed-length vector
 * ({@link #contribution}): for every table of the global model, in order, its change scattered over all
 * {@code rows x cols} values (zero on rows it did not touch), then one count per row (1 on the rows it
 * sent, 0 elsewhere; a dense delta counts on every row). The vectors go through {@link SecureSum}; in this
 * simulation the decorator encodes the clients' results itself, where a deployment encodes and masks on
 * the device.
 *
 * <p><b>Server half.</b> From the sum ({@link CohortTotals}) the mean change of row r is
 * {@code sum_r / count_r} over the rows with {@code count_r > 0}; rows nobody touched keep their value, as
 * in {@link Aggregation}. The decorated strategy's server step (FedAdam, ...) is applied to that mean.
 * Unlike {@link Aggregation#weightedMeanDelta}, each client weighs 1 on a row, not its example count
 * {@code n_k}: the {@code n_k} are public, and per-row totals of them are subset sums from which a server
 * can often tell exactly which clients touched a row.
 *
 * <p><b>What the server learns.</b> Per round: the per-row sums and counts over the cohort (so which items
 * the cohort as a whole touched, and how often), the cohort's ids and example counts, and their training
 * metrics. Every client of the cohort is equally consistent with the view. A round with fewer than
 * {@code minClients} results is not aggregated (the model is kept): totals over one client are that
 * client's update.
 *
 * <p><b>Cost.</b> {@code sum over tables of rows x (cols + 1)} floats per client and round, whatever it
 * touched (metric {@value Aggregation#UPLINK_BYTES} reports that at 4 bytes each, protocol overhead not
 * included).
 *
 * <p>Never modifies its inputs. Not thread-safe: one round loop drives it.
 */
public final class SecureRowSumFedAvg extends ForwardingStrategy {

    /** Metric key: 1 when the round had fewer than {@code minClients} results and was not aggregated. */
    public static final String SKIPPED_METRIC = "secagg_skipped";

    private final FedAvg inner;
    private final SecureSum secureSum;
    private final int minClients;

    /**
     * @param inner      selection, fit settings, evaluation and server step
     * @param secureSum  the sum of the clients' vectors
     * @param minClients fewest results a round aggregates, at least 2
     */
    public SecureRowSumFedAvg(FedAvg inner, SecureSum secureSum, int minClients) {
        super(inner);
        this.inner = inner;
        this.secureSum = Objects.requireNonNull(secureSum, "secureSum");
        if (minClients < 2) {
            throw new IllegalArgumentException("secure aggregation needs minClients >= 2 (totals over one client are "
                    + "its update), found " + minClients);
        }
        this.minClients = minClients;
    }

    /**
     * The server's whole view of one round's updates: per table, the per-row sums and counts over the
     * cohort of {@code clients} clients.
     */
    public record CohortTotals(int clients, Map<String, Table> tables) {

        public CohortTotals {
            tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
        }

        /** Sums of a {@code rows x cols} table, row-major, and per-row counts of clients that changed the row. */
        public record Table(int rows, int cols, float[] sums, float[] counts) {
        }

        /**
         * The mean change of every row some client changed, {@code sum_r / count_r}: a dense delta when every
         * row was changed, else the changed rows.
         */
        public ModelUpdate meanDelta() {
            Map<String, TableDelta> out = new LinkedHashMap<>();
            tables.forEach((name, t) -> {
                int[] rows = new int[t.rows()];
                int used = 0;
                for (int r = 0; r < t.rows(); r++) {
                    if (t.counts()[r] > 0) {
                        rows[used++] = r;
                    }
                }
                if (used == 0) {
                    return;
                }
                float[] values = new float[used * t.cols()];
                for (int j = 0; j < used; j++) {
                    int r = rows[j];
                    float inv = 1f / t.counts()[r];
                    for (int c = 0; c < t.cols(); c++) {
                        values[j * t.cols() + c] = t.sums()[r * t.cols() + c] * inv;
                    }
                }
                out.put(name, used == t.rows() ? new TableDelta.Dense(values)
                        : new TableDelta.SparseRows(t.cols(), Arrays.copyOf(rows, used), values));
            });
            return new ModelUpdate(out);
        }
    }

    /** Floats of one client's vector for {@code global}: {@code rows x (cols + 1)} per table. */
    public static int contributionLength(ModelState global) {
        long n = 0;
        for (FloatTable t : global.tables().values()) {
            n += (long) t.rows() * (t.cols() + 1);
        }
        return Math.toIntExact(n);
    }

    /** The client's vector for the secure sum (layout in the class comment); {@code update} is only read. */
    public static float[] contribution(ModelState global, ModelUpdate update) {
        float[] v = new float[contributionLength(global)];
        int off = 0;
        for (Map.Entry<String, FloatTable> e : global.tables().entrySet()) {
            FloatTable t = e.getValue();
            int cols = t.cols();
            int countsOff = off + t.size();
            TableDelta d = update.deltas().get(e.getKey());
            if (d instanceof TableDelta.Encoded encoded) {
                throw encoded.notDecoded(null, e.getKey(), "a secure-sum contribution");
            }
            if (d instanceof TableDelta.Dense dense) {
                System.arraycopy(dense.values(), 0, v, off, t.size());
                Arrays.fill(v, countsOff, countsOff + t.rows(), 1f);
            } else if (d instanceof TableDelta.SparseRows sparse) {
                int[] rows = sparse.rows();
                for (int j = 0; j < rows.length; j++) {
                    System.arraycopy(sparse.values(), j * cols, v, off + rows[j] * cols, cols);
                    v[countsOff + rows[j]] = 1f;
                }
            }
            off = countsOff + t.rows();
        }
        return v;
    }

    /** Reads the secure sum of {@code clients} contributions back into per-table totals. */
    public static CohortTotals decode(ModelState global, float[] sum, int clients) {
        if (sum.length != contributionLength(global)) {
            throw new IllegalArgumentException("a secure sum of " + sum.length + " values does not fit the global model, "
                    + "which needs " + contributionLength(global));
        }
        Map<String, CohortTotals.Table> tables = new LinkedHashMap<>();
        int off = 0;
        for (Map.Entry<String, FloatTable> e : global.tables().entrySet()) {
            FloatTable t = e.getValue();
            float[] sums = Arrays.copyOfRange(sum, off, off + t.size());
            float[] counts = Arrays.copyOfRange(sum, off + t.size(), off + t.size() + t.rows());
            tables.put(e.getKey(), new CohortTotals.Table(t.rows(), t.cols(), sums, counts));
            off += t.size() + t.rows();
        }
        return new CohortTotals(clients, tables);
    }

    /**
     * The totals of one round's results: every result is checked against {@code global}, encoded
     * ({@link #contribution}), summed by {@code secureSum} and decoded. What the server sees of the round.
     */
    public static CohortTotals totals(int round, ModelState global, List<FitResult> results, SecureSum secureSum) {
        List<String> ids = new ArrayList<>(results.size());
        List<float[]> vectors = new ArrayList<>(results.size());
        for (FitResult r : results) {
            r.update().validateAgainst(global, r.clientId());
            ids.add(r.clientId());
            vectors.add(contribution(global, r.update()));
        }
        return decode(global, secureSum.sum(round, ids, vectors), results.size());
    }

    @Override
    public Aggregate aggregateFit(int round, ModelState global, List<FitResult> results, List<ClientFailure> failures) {
        Map<String, Double> metrics = Aggregation.fitMetrics(results, failures);
        metrics.put(Aggregation.UPLINK_BYTES, 4.0 * contributionLength(global) * results.size());
        if (results.size() < minClients) {
            metrics.put(SKIPPED_METRIC, 1.0);
            return new Aggregate(global, metrics);
        }
        metrics.put(SKIPPED_METRIC, 0.0);
        ModelUpdate mean = totals(round, global, results, secureSum).meanDelta();
        return new Aggregate(inner.applyServerStep(global, mean), metrics);
    }

    @Override
    public String toString() {
        return "SecureRowSumFedAvg[" + secureSum + ", minClients=" + minClients + ", around "
                + inner.getClass().getSimpleName() + "]";
    }
}
