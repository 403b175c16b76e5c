package org.fedrec.core.compression;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.fedrec.core.TableDelta;

/**
 * Error feedback for a lossy codec (Seide, Fu, Droppo, Li, Yu, Interspeech 2014, "1-Bit Stochastic Gradient
 * Descent"; Stich, Cordonnier, Jaggi, NeurIPS 2018; Karimireddy, Rebjock, Stich, Jaggi, ICML 2019, "Error
 * Feedback Fixes SignSGD"): each client keeps what compression dropped and adds it to its next update,
 * <pre>  p_t = Delta_t + e_t,   sent_t = decode(encode(p_t)),   e_{t+1} = p_t - sent_t,</pre>
 * so that over rounds {@code sum_t sent_t + e_{T+1} = sum_t Delta_t}: nothing is lost, only delayed.
 *
 * <p>The residuals are the clients' private state: they never leave the client and the server never
 * sees them. Here they live in this store, keyed by client id, as sparse rows per table (only rows with a
 * non-zero residual are kept, in primitive arrays): a client costs nothing until it first compresses, and
 * then {@code 4 x (cols + 1)} bytes per row it still owes. Different clients may be used from different
 * threads at once; one client from one thread at a time.
 */
public final class ErrorFeedback {

    private final Map<String, Map<String, TableDelta.SparseRows>> residuals = new ConcurrentHashMap<>();

    /** The client's residual per table (empty when it owes nothing); the arrays must not be written. */
    public Map<String, TableDelta.SparseRows> residual(String clientId) {
        Map<String, TableDelta.SparseRows> r = residuals.get(clientId);
        return r == null ? Map.of() : Collections.unmodifiableMap(r);
    }

    /** Replaces the client's residual (tables with no row are dropped). */
    public void put(String clientId, Map<String, TableDelta.SparseRows> residual) {
        Map<String, TableDelta.SparseRows> kept = new LinkedHashMap<>();
        residual.forEach((table, r) -> {
            if (r.rows().length > 0) {
                kept.put(table, r);
            }
        });
        if (kept.isEmpty()) {
            residuals.remove(clientId);
        } else {
            residuals.put(clientId, kept);
        }
    }

    /** Floats held for one client (values plus row indices). */
    public long storedValues(String clientId) {
        long n = 0;
        for (TableDelta.SparseRows r : residual(clientId).values()) {
            n += r.values().length + r.rows().length;
        }
        return n;
    }

    /** Clients holding a residual. */
    public int clients() {
        return residuals.size();
    }

    /**
     * {@code delta + residual} ({@code residual} may be null): dense if the delta is dense, else sparse over
     * the union of their rows. Neither input is modified.
     */
    public static TableDelta accumulate(TableDelta delta, TableDelta.SparseRows residual, int cols) {
        if (residual == null || residual.rows().length == 0) {
            return delta;
        }
        if (delta == null) {
            return residual;
        }
        int[] rr = residual.rows();
        float[] rv = residual.values();
        if (delta instanceof TableDelta.Dense dense) {
            float[] out = dense.values().clone();
            for (int j = 0; j < rr.length; j++) {
                int off = rr[j] * cols;
                for (int c = 0; c < cols; c++) {
                    out[off + c] += rv[j * cols + c];
                }
            }
            return new TableDelta.Dense(out);
        }
        if (!(delta instanceof TableDelta.SparseRows sparse)) {
            throw new IllegalArgumentException("error feedback needs a decoded delta, found " + delta);
        }
        int[] dr = sparse.rows();
        float[] dv = sparse.values();
        int[] rows = new int[dr.length + rr.length];
        float[] values = new float[rows.length * cols];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < dr.length || j < rr.length) {
            int a = i < dr.length ? dr[i] : Integer.MAX_VALUE;
            int b = j < rr.length ? rr[j] : Integer.MAX_VALUE;
            int row = Math.min(a, b);
            rows[n] = row;
            if (a == row) {
                System.arraycopy(dv, i * cols, values, n * cols, cols);
                i++;
            }
            if (b == row) {
                for (int c = 0; c < cols; c++) {
                    values[n * cols + c] += rv[j * cols + c];
                }
                j++;
            }
            n++;
        }
        return new TableDelta.SparseRows(cols, java.util.Arrays.copyOf(rows, n),
                java.util.Arrays.copyOf(values, n * cols));
    }

    /**
     * The new residual {@code accumulated - sent}, keeping only rows with a non-zero value. {@code sent}'s
     * rows must lie within {@code accumulated}'s (a codec only drops or rounds what it was given).
     */
    public static TableDelta.SparseRows residual(TableDelta accumulated, TableDelta sent, int rows, int cols) {
        float[] acc;
        int[] accRows;
        if (accumulated instanceof TableDelta.Dense dense) {
            acc = dense.values();
            accRows = null;
        } else {
            TableDelta.SparseRows s = (TableDelta.SparseRows) accumulated;
            acc = s.values();
            accRows = s.rows();
        }
        int n = accRows == null ? rows : accRows.length;
        float[] diff = acc.clone();
        // Subtract what was sent, walking its rows against the accumulated rows.
        if (sent instanceof TableDelta.Dense dense) {
            if (accRows != null) {
                throw new IllegalArgumentException("a dense decoded delta for a sparse accumulated one");
            }
            float[] v = dense.values();
            for (int i = 0; i < v.length; i++) {
                diff[i] -= v[i];
            }
        } else {
            TableDelta.SparseRows s = (TableDelta.SparseRows) sent;
            int[] sr = s.rows();
            float[] sv = s.values();
            int p = 0;
            for (int j = 0; j < sr.length; j++) {
                int slot;
                if (accRows == null) {
                    slot = sr[j];
                } else {
                    while (p < accRows.length && accRows[p] < sr[j]) {
                        p++;
                    }
                    if (p == accRows.length || accRows[p] != sr[j]) {
                        throw new IllegalArgumentException("sent row " + sr[j] + " is not among the accumulated rows");
                    }
                    slot = p;
                }
                for (int c = 0; c < cols; c++) {
                    diff[slot * cols + c] -= sv[j * cols + c];
                }
            }
        }
        int kept = 0;
        int[] outRows = new int[n];
        for (int j = 0; j < n; j++) {
            boolean any = false;
            for (int c = 0; c < cols && !any; c++) {
                any = diff[j * cols + c] != 0;
            }
            if (any) {
                if (kept != j) {
                    System.arraycopy(diff, j * cols, diff, kept * cols, cols);
                }
                outRows[kept++] = accRows == null ? j : accRows[j];
            }
        }
        return new TableDelta.SparseRows(cols, java.util.Arrays.copyOf(outRows, kept),
                java.util.Arrays.copyOf(diff, kept * cols));
    }
}
