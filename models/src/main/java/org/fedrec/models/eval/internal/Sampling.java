package org.fedrec.models.eval.internal;

import java.util.Arrays;

import org.fedrec.core.SplitMix64;

/** Sampling without replacement. */
public final class Sampling {
    private Sampling() {
    }

    /**
     * Writes {@code k} distinct values of {@code [0, n)} to {@code out[from, from + k)}, every
     * {@code k}-subset equally likely (Floyd's algorithm, Bentley and Floyd, CACM 1987): for
     * {@code j = n-k .. n-1} draw {@code t} uniformly from {@code [0, j]} and take {@code t}, or {@code j}
     * if {@code t} was taken before. {@code k} draws and a hash set of {@code k} entries, whatever {@code n}.
     * The order of the written values is not uniform: sort them if order matters.
     */
    public static void distinct(SplitMix64 random, int n, int k, int[] out, int from) {
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("expected 0 <= k <= n, found k=" + k + ", n=" + n);
        }
        int[] table = new int[Integer.highestOneBit(Math.max(1, 2 * k)) << 1];
        Arrays.fill(table, -1);
        int mask = table.length - 1;
        for (int j = n - k, c = from; j < n; j++, c++) {
            int t = random.nextIntJdkRule(j + 1);
            // Every value taken so far is below j, so j is free whenever t is not.
            int v = add(table, mask, t) ? t : j;
            if (v == j) {
                add(table, mask, j);
            }
            out[c] = v;
        }
    }

    private static boolean add(int[] table, int mask, int value) {
        int h = (int) SplitMix64.mix(value) & mask;
        while (table[h] != -1) {
            if (table[h] == value) {
                return false;
            }
            h = (h + 1) & mask;
        }
        table[h] = value;
        return true;
    }
}
