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
     * Bytes of this update on the wire as plain fp32: 4 per value of a dense delta, and per sparse row a
     * 4-byte row index plus 4 per value (each table carries its own row indices). No compression, no
     * framing.
     */
    public long wireBytes() {
        long bytes = 0;
        for (TableDelta d : deltas.values()) {
            bytes += 4L * d.valueCount();
            if (d instanceof TableDelta.SparseRows sparse) {
                bytes += 4L * sparse.rows().length;
            }
        }
        return bytes;
    }

    /**
     * Checks every delta against the global state's table shapes; the message names the client, the
     * table and what did not fit.
     */
    public void validateAgainst(ModelState global, String clientId) {
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
