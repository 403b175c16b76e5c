package org.fedrec.models.internal;

import java.util.Arrays;

import org.fedrec.core.FloatTable;
import org.fedrec.core.TableDelta;

/**
 * A client's local, writable copy of the rows it touches in one or more global tables that share a row
 * index (e.g. item embeddings and item biases). Rows are copied from the global tables on first access;
 * the delta is the local value minus the global one, for the touched rows only.
 *
 * <p>The row-to-slot index and the row buffers are per-thread and reused by the next client of the
 * thread after {@link #close()}, so a client costs memory proportional to the rows it touches, not to
 * the catalogue, and a round of many small clients does not allocate a buffer per client.
 */
public final class RowOverlay implements AutoCloseable {

    /** A thread's reusable row-to-slot index and buffers; busy while an overlay of that thread uses it. */
    private static final class Index {
        int[] slotOf = new int[0];
        int[] rowOfSlot = new int[0];
        float[][] locals = new float[0][];
        boolean busy;
    }

    private static final ThreadLocal<Index> SLOT_INDEX = ThreadLocal.withInitial(Index::new);

    private final FloatTable[] globals;
    private final float[][] locals;
    private final Index index;
    private final int[] slotOf;
    private int[] rowOfSlot;
    private int used;
    private boolean closed;

    public RowOverlay(FloatTable... globals) {
        this(64, globals);
    }

    /**
     * An overlay sized for about {@code expectedRows} touched rows (capped at the table's rows), so a
     * client that knows how many rows it will touch does not regrow its buffers while training.
     */
    public RowOverlay(int expectedRows, FloatTable... globals) {
        this.globals = globals.clone();
        int rows = globals[0].rows();
        for (FloatTable t : globals) {
            if (t.rows() != rows) {
                throw new IllegalArgumentException("overlaid tables must have the same rows, found " + rows + " and "
                        + t.rows());
            }
        }
        Index shared = SLOT_INDEX.get();
        if (shared.busy) {
            // A second overlay on this thread at once: give it its own index.
            this.index = null;
            this.slotOf = new int[rows];
            Arrays.fill(slotOf, -1);
        } else {
            if (shared.slotOf.length < rows) {
                shared.slotOf = new int[rows];
                Arrays.fill(shared.slotOf, -1);
            }
            shared.busy = true;
            this.index = shared;
            this.slotOf = shared.slotOf;
        }
        int capacity = Math.max(1, Math.min(expectedRows, rows));
        this.locals = new float[globals.length][];
        if (index != null && index.locals.length == globals.length) {
            // Reuse the thread's buffers: slots are written by load() before they are read.
            this.rowOfSlot = index.rowOfSlot.length >= capacity ? index.rowOfSlot : new int[capacity];
            for (int t = 0; t < globals.length; t++) {
                float[] kept = index.locals[t];
                locals[t] = kept.length >= capacity * globals[t].cols() ? kept : new float[capacity * globals[t].cols()];
            }
        } else {
            this.rowOfSlot = new int[capacity];
            for (int t = 0; t < globals.length; t++) {
                locals[t] = new float[capacity * globals[t].cols()];
            }
        }
    }

    /** The local slot of {@code row}, copying it from the global tables on first access. */
    public int slot(int row) {
        int s = slotOf[row];
        return s >= 0 ? s : load(row);
    }

    private int load(int row) {
        if (used == rowOfSlot.length) {
            int grown = used * 2;
            rowOfSlot = Arrays.copyOf(rowOfSlot, grown);
            for (int t = 0; t < locals.length; t++) {
                locals[t] = Arrays.copyOf(locals[t], grown * globals[t].cols());
            }
        }
        int s = used++;
        rowOfSlot[s] = row;
        slotOf[row] = s;
        for (int t = 0; t < globals.length; t++) {
            int c = globals[t].cols();
            System.arraycopy(globals[t].data(), row * c, locals[t], s * c, c);
        }
        return s;
    }

    /** The local values of table {@code t}; slot {@code s} starts at {@code s * cols}. */
    public float[] local(int t) {
        return locals[t];
    }

    /** Row index in the global table of slot {@code s}. */
    public int rowOf(int s) {
        return rowOfSlot[s];
    }

    public int size() {
        return used;
    }

    /** The change of table {@code t} on every touched row, rows increasing. */
    public TableDelta.SparseRows delta(int t) {
        int[] rows = Arrays.copyOf(rowOfSlot, used);
        Arrays.sort(rows);
        int c = globals[t].cols();
        float[] g = globals[t].data();
        float[] l = locals[t];
        float[] values = new float[used * c];
        for (int j = 0; j < rows.length; j++) {
            int s = slotOf[rows[j]];
            for (int k = 0; k < c; k++) {
                values[j * c + k] = l[s * c + k] - g[rows[j] * c + k];
            }
        }
        return new TableDelta.SparseRows(c, rows, values);
    }

    /** The local slot of {@code row}, or -1 when the row has not been touched (nothing is copied). */
    public int slotIfLoaded(int row) {
        return slotOf[row];
    }

    /** Global value of table {@code t} at slot {@code s}, column {@code k}: the FedProx anchor. */
    public float global(int t, int s, int k) {
        FloatTable g = globals[t];
        return g.data()[rowOfSlot[s] * g.cols() + k];
    }

    /** Releases the per-thread index for the next client. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int s = 0; s < used; s++) {
            slotOf[rowOfSlot[s]] = -1;
        }
        used = 0;
        if (index != null) {
            index.rowOfSlot = rowOfSlot;
            index.locals = locals;
            index.busy = false;
        }
    }
}
