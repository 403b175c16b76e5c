package org.fedrec.core;

import java.util.Arrays;

/**
 * A dense row-major matrix of floats: one parameter tensor of a model (an embedding table, a bias vector
 * as a {@code rows x 1} table, or a weight matrix).
 *
 * <p>The array is owned by the table. Tables inside a {@link ModelState} are treated as immutable by every
 * component: a strategy that changes parameters builds new tables. {@link #data()} exposes the array
 * without a copy because hot loops read it; callers must not write to it.
 */
public record FloatTable(int rows, int cols, float[] data) {

    public FloatTable {
        if (rows < 0 || cols <= 0) {
            throw new IllegalArgumentException("table shape must be rows >= 0 and cols > 0, found " + rows + "x" + cols);
        }
        if (data == null || data.length != (long) rows * cols) {
            throw new IllegalArgumentException("table " + rows + "x" + cols + " needs " + ((long) rows * cols)
                    + " values, found " + (data == null ? "null" : data.length));
        }
    }

    public static FloatTable zeros(int rows, int cols) {
        return new FloatTable(rows, cols, new float[Math.multiplyExact(rows, cols)]);
    }

    /** A table holding a copy of {@code values}. */
    public static FloatTable copyOf(int rows, int cols, float[] values) {
        return new FloatTable(rows, cols, values.clone());
    }

    public float get(int row, int col) {
        return data[row * cols + col];
    }

    /** A copy of one row. */
    public float[] row(int row) {
        return Arrays.copyOfRange(data, row * cols, (row + 1) * cols);
    }

    public int size() {
        return data.length;
    }

    /** A deep copy whose array may be written by the caller. */
    public FloatTable copy() {
        return new FloatTable(rows, cols, data.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatTable t && t.rows == rows && t.cols == cols && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatTable[" + rows + "x" + cols + "]";
    }
}
