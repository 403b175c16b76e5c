package org.fedrec.core;

/**
 * A client's change to one global table: either every value ({@link Dense}) or only some rows
 * ({@link SparseRows}): the item rows a client touched, so that untouched rows cost nothing on the wire
 * and keep their value in aggregation; or either of them compressed into bytes ({@link Encoded}), which
 * only a decoder (see {@code org.fedrec.core.compression.DecodingStrategy}) can turn back into one of the
 * other two. Aggregation, clipping and noise work on {@code Dense} and {@code SparseRows} only and refuse an
 * {@code Encoded} delta naming the client and the table.
 */
public sealed interface TableDelta permits TableDelta.Dense, TableDelta.SparseRows, TableDelta.Encoded {

    /** Number of floats carried (for {@link Encoded}: the floats its payload describes, see there). */
    int valueCount();

    /** A change to every value of a table, in row-major order. The array is owned by the delta. */
    record Dense(float[] values) implements TableDelta {
        public Dense {
            if (values == null) {
                throw new IllegalArgumentException("dense delta values are null");
            }
        }

        @Override
        public int valueCount() {
            return values.length;
        }
    }

    /**
     * A change to some rows: {@code rows} strictly increasing, {@code values} holding
     * {@code rows.length * cols} floats, row after row. Arrays are owned by the delta.
     */
    record SparseRows(int cols, int[] rows, float[] values) implements TableDelta {
        public SparseRows {
            if (cols <= 0) {
                throw new IllegalArgumentException("sparse delta needs cols > 0, found " + cols);
            }
            if (rows == null || values == null) {
                throw new IllegalArgumentException("sparse delta rows and values must be non-null");
            }
            if ((long) rows.length * cols != values.length) {
                throw new IllegalArgumentException("sparse delta with " + rows.length + " rows of " + cols
                        + " needs " + ((long) rows.length * cols) + " values, found " + values.length);
            }
            for (int i = 1; i < rows.length; i++) {
                if (rows[i] <= rows[i - 1]) {
                    throw new IllegalArgumentException("sparse delta rows must be strictly increasing, found "
                            + rows[i - 1] + " then " + rows[i] + " at position " + i);
                }
            }
            if (rows.length > 0 && rows[0] < 0) {
                throw new IllegalArgumentException("sparse delta row index is negative: " + rows[0]);
            }
        }

        @Override
        public int valueCount() {
            return values.length;
        }
    }

    /**
     * A delta compressed by a codec: {@code payload} is what leaves the client for this table, {@code codec}
     * names the codec that wrote it (and that must read it), {@code rows x cols} is the shape of the table it
     * changes and {@code values} the number of floats it encodes (for a top-k payload the k values sent, for
     * rows or a dense table every value). The array is owned by the delta.
     *
     * <p>On the wire a table's encoded delta costs {@link #wireBytes()}: the payload plus a header of
     * {@link #headerBytes()} bytes, a one-byte codec id (the codecs of a run are agreed when it starts, so the
     * name itself is not sent), the shape as two unsigned LEB128 varints and the payload length as a third.
     */
    record Encoded(String codec, int rows, int cols, int values, byte[] payload) implements TableDelta {
        public Encoded {
            if (codec == null || codec.isBlank()) {
                throw new IllegalArgumentException("encoded delta needs a codec name");
            }
            if (rows < 0 || cols <= 0) {
                throw new IllegalArgumentException("encoded delta needs rows >= 0 and cols > 0, found " + rows + "x"
                        + cols);
            }
            if (values < 0) {
                throw new IllegalArgumentException("encoded delta values must be >= 0, found " + values);
            }
            if (payload == null) {
                throw new IllegalArgumentException("encoded delta payload is null");
            }
        }

        @Override
        public int valueCount() {
            return values;
        }

        /** Bytes of the per-table header: codec id, rows, cols and payload length. */
        public int headerBytes() {
            return 1 + varintBytes(rows) + varintBytes(cols) + varintBytes(payload.length);
        }

        /** Header plus payload: this table's bytes on the wire. */
        public long wireBytes() {
            return (long) headerBytes() + payload.length;
        }

        /**
         * The error for code that met this delta where only a decoded one can go, naming the client (when
         * known), the table and the codec.
         */
        public IllegalArgumentException notDecoded(String clientId, String table, String where) {
            return new IllegalArgumentException((clientId == null ? "" : "client " + clientId + ": ") + "table '"
                    + table + "' is still encoded by codec '" + codec + "' (" + payload.length + " bytes) and "
                    + where + " needs decoded deltas; decode the update first (wrap the strategy in "
                    + "org.fedrec.core.compression.DecodingStrategy)");
        }

        private static int varintBytes(int v) {
            int n = 1;
            while ((v >>>= 7) != 0) {
                n++;
            }
            return n;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Encoded e && e.codec.equals(codec) && e.rows == rows && e.cols == cols
                    && e.values == values && java.util.Arrays.equals(e.payload, payload);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(codec, rows, cols, values, java.util.Arrays.hashCode(payload));
        }

        @Override
        public String toString() {
            return "Encoded[" + codec + ", " + rows + "x" + cols + ", " + values + " values, " + payload.length
                    + " bytes]";
        }
    }
}
