package org.fedrec.core.compression;

import java.util.Arrays;

/**
 * Top-k sparsification (Aji and Heafield 2017; Stich, Cordonnier, Jaggi, NeurIPS 2018, "Sparsified SGD with
 * Memory"): keep the k values of largest magnitude, drop the rest. In fedrec k is a fraction of the table's
 * dense size {@code rows x cols} (the usual definition in the literature, whatever the client touched), so
 * a 1% top-k of a 1682 x 64 table sends at most 1077 values, wherever they are.
 */
public final class TopK {

    private TopK() {
    }

    /** k for a fraction of a {@code rows x cols} table: {@code ceil(fraction * rows * cols)}, at least 1. */
    public static int k(double fraction, int rows, int cols) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("top-k fraction must be in (0, 1], found " + fraction);
        }
        return (int) Math.max(1, Math.min((long) rows * cols, (long) Math.ceil(fraction * rows * cols - 1e-9)));
    }

    /**
     * Positions of the {@code k} values of largest magnitude, increasing; all positions when there are at
     * most k. Among equal magnitudes at the threshold the earlier positions win, so the choice is
     * deterministic. {@code values} is only read. O(n) expected (quickselect on the magnitudes).
     */
    public static int[] select(float[] values, int k) {
        int n = values.length;
        if (k < 0) {
            throw new IllegalArgumentException("k must be >= 0, found " + k);
        }
        if (k >= n) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        if (k == 0) {
            return new int[0];
        }
        float[] mag = new float[n];
        for (int i = 0; i < n; i++) {
            mag[i] = Math.abs(values[i]);
        }
        float threshold = kthLargest(mag, k);
        int above = 0;
        for (int i = 0; i < n; i++) {
            if (Math.abs(values[i]) > threshold) {
                above++;
            }
        }
        int ties = k - above;
        int[] out = new int[k];
        int used = 0;
        for (int i = 0; i < n; i++) {
            float a = Math.abs(values[i]);
            if (a > threshold || (a == threshold && ties-- > 0)) {
                out[used++] = i;
            }
        }
        return used == k ? out : Arrays.copyOf(out, used);
    }

    /** The k-th largest of {@code a} (1-based), reordering {@code a}. */
    static float kthLargest(float[] a, int k) {
        int lo = 0;
        int hi = a.length - 1;
        int target = k - 1; // index in descending order
        long state = 0x9E3779B97F4A7C15L ^ a.length;
        while (lo < hi) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            int p = lo + (int) Long.remainderUnsigned(state >>> 1, hi - lo + 1);
            float pivot = a[p];
            // three-way partition, descending: [lo, lt) > pivot, [lt, gt] == pivot, (gt, hi] < pivot
            int lt = lo;
            int gt = hi;
            int i = lo;
            while (i <= gt) {
                if (a[i] > pivot) {
                    swap(a, lt++, i++);
                } else if (a[i] < pivot) {
                    swap(a, i, gt--);
                } else {
                    i++;
                }
            }
            if (target < lt) {
                hi = lt - 1;
            } else if (target > gt) {
                lo = gt + 1;
            } else {
                return pivot;
            }
        }
        return a[lo];
    }

    private static void swap(float[] a, int i, int j) {
        float t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
