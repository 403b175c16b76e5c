package org.fedrec.privacy.secagg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.TableDelta;

/**
 * How a client's {@link ModelUpdate} becomes the one vector secure aggregation sums, announced by the
 * server before the round: which tables, and for each either every row or a declared set of rows (the
 * union of row ids announced for the round, or a whole catalogue). A client that touched few rows still
 * sends every declared row, zeros where it has no delta, so the server learns only per-row totals over
 * the cohort, never which rows one client touched.
 *
 * <p><b>Weighted (FedAvg).</b> With {@link Builder#weightedByExamples} each client scales its delta by
 * {@code w_k = min(n_k, cap) / cap} (rounded to the fixed-point grid) and adds a second segment holding
 * w_k for every row it touched; {@link #weightedMean} divides the per-row sums, giving
 * {@code sum_k w_k Delta_k,r / sum_k w_k} over the clients that touched row r: the example-weighted mean of
 * {@link org.fedrec.core.strategy.Aggregation#weightedMeanDelta} whenever no client has more than
 * {@code cap} examples (larger ones count as cap). <b>Unweighted</b> (the default; what DP needs, since per-row
 * counts would leak) there is no weight segment and {@link #sum} divides by a fixed denominator.
 *
 * <p>The vector is: for each table in declaration order, its declared rows in increasing order, each row's
 * {@code cols} values; then (weighted only) one weight per declared row in the same order. Values go
 * through {@code values}; weights through a codec of range 1 at the same scale. Immutable.
 */
public final class UpdateLayout {

    private final List<Slot> slots;
    private final FixedPoint values;
    private final FixedPoint weights;
    private final long exampleCap;
    private final int valuesLength;
    private final int length;

    /** One table's place in the vector. {@code rows} is null for every row. */
    private record Slot(String table, int tableRows, int cols, int[] rows, int valueOffset, int weightOffset) {
        int rowCount() {
            return rows == null ? tableRows : rows.length;
        }

        /** The slot position of table row {@code row}, or -1 if it is not declared. */
        int slotOf(int row) {
            if (rows == null) {
                return row >= 0 && row < tableRows ? row : -1;
            }
            int i = Arrays.binarySearch(rows, row);
            return i >= 0 ? i : -1;
        }

        int tableRow(int slot) {
            return rows == null ? slot : rows[slot];
        }
    }

    private UpdateLayout(Builder b) {
        this.values = b.values;
        this.exampleCap = b.exampleCap;
        this.weights = b.exampleCap > 0 ? new FixedPoint(1.0, b.values.scale(), b.values.bits()) : null;
        long valueEntries = 0;
        long rowEntries = 0;
        for (Slot s : b.slots) {
            valueEntries += (long) s.rowCount() * s.cols;
            rowEntries += s.rowCount();
        }
        long total = valueEntries + (weights == null ? 0 : rowEntries);
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a secure-aggregation vector must have at most 2^31 - 9 entries; this"
                    + " layout has " + total);
        }
        this.valuesLength = (int) valueEntries;
        this.length = (int) total;
        List<Slot> placed = new ArrayList<>();
        int valueOffset = 0;
        int weightOffset = valuesLength;
        for (Slot s : b.slots) {
            placed.add(new Slot(s.table, s.tableRows, s.cols, s.rows, valueOffset, weightOffset));
            valueOffset += s.rowCount() * s.cols;
            weightOffset += s.rowCount();
        }
        this.slots = List.copyOf(placed);
    }

    /** A layout whose values are encoded with {@code values}. */
    public static Builder builder(FixedPoint values) {
        return new Builder(values);
    }

    /** Declares the tables of a layout. */
    public static final class Builder {
        private final FixedPoint values;
        private final List<Slot> slots = new ArrayList<>();
        private final Map<String, Boolean> names = new LinkedHashMap<>();
        private long exampleCap;

        private Builder(FixedPoint values) {
            this.values = Objects.requireNonNull(values, "values");
        }

        /** Every row of {@code table}; the mean comes back as a dense delta. */
        public Builder wholeTable(String name, FloatTable table) {
            return add(name, table, null);
        }

        /**
         * The declared {@code rows} (strictly increasing) of {@code table}; the mean comes back as sparse rows.
         */
        public Builder rows(String name, FloatTable table, int[] rows) {
            int[] copy = rows.clone();
            for (int i = 0; i < copy.length; i++) {
                if (copy[i] < 0 || copy[i] >= table.rows() || (i > 0 && copy[i] <= copy[i - 1])) {
                    throw new IllegalArgumentException("declared rows of table '" + name
                            + "' must be strictly increasing in [0, " + table.rows() + "), found " + copy[i]
                            + " at position " + i);
                }
            }
            return add(name, table, copy);
        }

        /** Weights each client by {@code min(numExamples, cap) / cap}; needs scale >= cap so weights stay exact enough. */
        public Builder weightedByExamples(long cap) {
            if (cap < 1 || cap > values.scale()) {
                throw new IllegalArgumentException("example cap must be in [1, scale = " + values.scale()
                        + "] so that a one-example weight 1/cap survives rounding, was " + cap);
            }
            this.exampleCap = cap;
            return this;
        }

        public UpdateLayout build() {
            if (slots.isEmpty()) {
                throw new IllegalArgumentException("an update layout needs at least one table");
            }
            return new UpdateLayout(this);
        }

        private Builder add(String name, FloatTable table, int[] rows) {
            Objects.requireNonNull(table, "table");
            if (names.put(name, true) != null) {
                throw new IllegalArgumentException("table '" + name + "' is declared twice in the layout");
            }
            slots.add(new Slot(name, table.rows(), table.cols(), rows, 0, 0));
            return this;
        }
    }

    /** Entries of the vector. */
    public int length() {
        return length;
    }

    /** Entries holding values (the rest are weights). */
    public int valuesLength() {
        return valuesLength;
    }

    public boolean weighted() {
        return weights != null;
    }

    public FixedPoint values() {
        return values;
    }

    /** Throws unless {@code clients} vectors sum without wrapping in Z_2^k. */
    public void requireCapacity(long clients) {
        values.requireCapacity(clients);
        if (weights != null) {
            weights.requireCapacity(clients);
        }
    }

    /**
     * The client's real vector before encoding: its (weighted) delta on every declared row, zeros
     * elsewhere, then its weights. A delta for an undeclared table or row, or of the wrong width, is
     * refused naming the client, the table and the row.
     */
    public double[] flatten(FitResult result) {
        String client = result.clientId();
        result.update().requireDecoded(client, "secure aggregation");
        Map<String, TableDelta> deltas = result.update().deltas();
        for (String name : deltas.keySet()) {
            if (slots.stream().noneMatch(s -> s.table.equals(name))) {
                throw new IllegalArgumentException("client " + client + " sent a delta for table '" + name
                        + "', which this round's secure-aggregation layout does not declare");
            }
        }
        double w = 1;
        if (weights != null) {
            double exact = (double) Math.min(result.numExamples(), exampleCap) / exampleCap;
            w = Math.rint(exact * values.scale()) / values.scale();
        }
        double[] out = new double[length];
        for (Slot s : slots) {
            TableDelta d = deltas.get(s.table);
            if (d instanceof TableDelta.Dense dense) {
                if (s.rows != null || dense.values().length != s.tableRows * s.cols) {
                    throw new IllegalArgumentException("client " + client + " sent a dense delta of "
                            + dense.values().length + " values for table '" + s.table + "', which the layout declares "
                            + (s.rows == null ? "as " + s.tableRows + "x" + s.cols : "by " + s.rows.length + " rows"));
                }
                float[] v = dense.values();
                for (int i = 0; i < v.length; i++) {
                    out[s.valueOffset + i] = w * v[i];
                }
                if (weights != null) {
                    Arrays.fill(out, s.weightOffset, s.weightOffset + s.tableRows, w);
                }
            } else if (d instanceof TableDelta.SparseRows sparse) {
                if (sparse.cols() != s.cols) {
                    throw new IllegalArgumentException("client " + client + " sent rows of width " + sparse.cols()
                            + " for table '" + s.table + "' of width " + s.cols);
                }
                int[] rows = sparse.rows();
                float[] v = sparse.values();
                for (int j = 0; j < rows.length; j++) {
                    int slot = s.slotOf(rows[j]);
                    if (slot < 0) {
                        throw new IllegalArgumentException("client " + client + " sent row " + rows[j] + " of table '"
                                + s.table + "', which this round's secure-aggregation layout does not declare");
                    }
                    for (int c = 0; c < s.cols; c++) {
                        out[s.valueOffset + slot * s.cols + c] = w * v[j * s.cols + c];
                    }
                    if (weights != null) {
                        out[s.weightOffset + slot] = w;
                    }
                }
            }
        }
        return out;
    }

    /** The fixed-point encoding of a real vector from {@link #flatten}; {@code client} names it in errors. */
    public long[] encode(double[] real, String client) {
        if (real.length != length) {
            throw new IllegalArgumentException("client " + client + ": vector of " + real.length
                    + " entries for a layout of " + length);
        }
        long[] out = new long[length];
        for (int i = 0; i < length; i++) {
            FixedPoint codec = i < valuesLength ? values : weights;
            out[i] = codec.encode(real[i], "client " + client + "'s entry " + i);
        }
        return out;
    }

    /** {@code encode(flatten(result))}. */
    public long[] encode(FitResult result) {
        return encode(flatten(result), result.clientId());
    }

    /**
     * The per-row weighted mean delta from the aggregated sum: dense for whole tables (zero change on rows no
     * client touched), sparse rows for declared rows (only rows some client touched).
     */
    public ModelUpdate weightedMean(long[] sum) {
        if (weights == null) {
            throw new IllegalStateException("this layout is unweighted: use sum(aggregate, denominator)");
        }
        requireLength(sum);
        Map<String, TableDelta> out = new LinkedHashMap<>();
        for (Slot s : slots) {
            int n = s.rowCount();
            double[] weight = new double[n];
            int touched = 0;
            for (int j = 0; j < n; j++) {
                weight[j] = weights.decode(sum[s.weightOffset + j]);
                if (weight[j] > 0) {
                    touched++;
                }
            }
            float[] values = new float[(s.rows == null ? n : touched) * s.cols];
            int[] rows = new int[touched];
            for (int j = 0, k = 0; j < n; j++) {
                if (weight[j] > 0) {
                    int target = s.rows == null ? j : k;
                    rows[k++] = s.tableRow(j);
                    for (int c = 0; c < s.cols; c++) {
                        values[target * s.cols + c] =
                                (float) (this.values.decode(sum[s.valueOffset + j * s.cols + c]) / weight[j]);
                    }
                }
            }
            out.put(s.table, s.rows == null ? new TableDelta.Dense(values) : new TableDelta.SparseRows(s.cols, rows,
                    values));
        }
        return new ModelUpdate(out);
    }

    /**
     * The aggregated sum divided by {@code denominator} (for DP, the expected cohort), on every declared
     * row: dense for whole tables, sparse rows over all declared rows otherwise.
     */
    public ModelUpdate sum(long[] sum, double denominator) {
        if (!(denominator > 0) || Double.isInfinite(denominator)) {
            throw new IllegalArgumentException("denominator must be positive and finite, was " + denominator);
        }
        requireLength(sum);
        Map<String, TableDelta> out = new LinkedHashMap<>();
        for (Slot s : slots) {
            float[] v = new float[s.rowCount() * s.cols];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (values.decode(sum[s.valueOffset + i]) / denominator);
            }
            out.put(s.table, s.rows == null ? new TableDelta.Dense(v) : new TableDelta.SparseRows(s.cols,
                    s.rows.clone(), v));
        }
        return new ModelUpdate(out);
    }

    private void requireLength(long[] sum) {
        if (sum.length != length) {
            throw new IllegalArgumentException("aggregate has " + sum.length + " entries; this layout has " + length);
        }
    }

    @Override
    public String toString() {
        List<String> tables = new ArrayList<>();
        slots.forEach(s -> tables.add(s.table + (s.rows == null ? "" : "[" + s.rows.length + " rows]")));
        return "UpdateLayout[" + tables + ", " + length + " entries, " + values
                + (weights == null ? ", unweighted" : ", weighted by examples up to " + exampleCap) + "]";
    }
}
