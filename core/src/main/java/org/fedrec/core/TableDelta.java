package org.fedrec.core;

/**
 * A client's change to one global table: either every value ({@link Dense}) or only some rows
 * ({@link SparseRows}): the item rows a client touched, so that untouched rows cost nothing on the wire
 * and keep their value in aggregation.
 */
public sealed interface TableDelta permits TableDelta.Dense, TableDelta.SparseRows {

    /** Number of floats carried. */
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
}
