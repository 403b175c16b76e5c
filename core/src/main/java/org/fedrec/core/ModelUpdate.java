package org.fedrec.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a client sends after local training: the change {@code theta_k - theta} of each global table it
 * trained, by table name. Only global tables appear here; user-specific parameters never do.
 */
public record ModelUpdate(Map<String, TableDelta> deltas) {

    public ModelUpdate {
        if (deltas == null) {
            throw new IllegalArgumentException("deltas are null");
        }
        deltas = Collections.unmodifiableMap(new LinkedHashMap<>(deltas));
    }

    /** Floats carried by all deltas: the uplink payload before any compression. */
    public long valueCount() {
        long n = 0;
        for (TableDelta d : deltas.values()) {
            n += d.valueCount();
        }
        return n;
    }

    /**
     * Bytes of this update on the wire: for a plain delta its fp32 size, 4 per value of a dense delta and
     * per sparse row a 4-byte row index plus 4 per value (each table carries its own row indices); for an
     * {@linkplain TableDelta.Encoded encoded} delta its payload plus its header
     * ({@link TableDelta.Encoded#wireBytes()}). Table names are not counted (the tables of a model are
     * agreed when a run starts), nor is any transport framing.
     */
    public long wireBytes() {
        long bytes = 0;
        for (TableDelta d : deltas.values()) {
            if (d instanceof TableDelta.Encoded encoded) {
                bytes += encoded.wireBytes();
                continue;
            }
            bytes += 4L * d.valueCount();
            if (d instanceof TableDelta.SparseRows sparse) {
                bytes += 4L * sparse.rows().length;
            }
        }
        return bytes;
    }

    /** True when some table's delta is {@linkplain TableDelta.Encoded encoded}. */
    public boolean isEncoded() {
        for (TableDelta d : deltas.values()) {
            if (d instanceof TableDelta.Encoded) {
                return true;
            }
        }
        return false;
    }

    /**
     * Throws unless every delta is decoded ({@link TableDelta.Dense} or {@link TableDelta.SparseRows}): for
     * code ({@code where}, e.g. "L2 clipping") that reads values; the message names the client, the table
     * and the codec.
     */
    public void requireDecoded(String clientId, String where) {
        for (Map.Entry<String, TableDelta> e : deltas.entrySet()) {
            if (e.getValue() instanceof TableDelta.Encoded encoded) {
                throw encoded.notDecoded(clientId, e.getKey(), where);
            }
        }
    }

    /**
     * Checks every delta against the global state's table shapes; the message names the client, the
     * table and what did not fit. An encoded delta is refused: aggregation needs decoded values.
     */
    public void validateAgainst(ModelState global, String clientId) {
        requireDecoded(clientId, "aggregation");
        for (Map.Entry<String, TableDelta> e : deltas.entrySet()) {
            String name = e.getKey();
            if (!global.has(name)) {
                throw new IllegalArgumentException("client " + clientId + " sent a delta for unknown table '" + name
                        + "'; the global model has " + global.tables().keySet());
            }
            FloatTable t = global.table(name);
            TableDelta d = e.getValue();
            if (d instanceof TableDelta.Dense dense) {
                if (dense.values().length != t.size()) {
                    throw new IllegalArgumentException("client " + clientId + " sent " + dense.values().length
                            + " values for table '" + name + "' of " + t.rows() + "x" + t.cols());
                }
            } else if (d instanceof TableDelta.SparseRows sparse) {
                if (sparse.cols() != t.cols()) {
                    throw new IllegalArgumentException("client " + clientId + " sent rows of width " + sparse.cols()
                            + " for table '" + name + "' of width " + t.cols());
                }
                int[] rows = sparse.rows();
                if (rows.length > 0 && rows[rows.length - 1] >= t.rows()) {
                    throw new IllegalArgumentException("client " + clientId + " sent row " + rows[rows.length - 1]
                            + " for table '" + name + "' with " + t.rows() + " rows");
                }
            }
        }
    }
}
