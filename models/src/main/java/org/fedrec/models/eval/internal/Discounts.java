package org.fedrec.models.eval.internal;

/** Position discounts of discounted cumulative gain (Järvelin and Kekäläinen, TOIS 2002). */
public final class Discounts {
    private Discounts() {
    }

    /** {@code d[r] = 1 / log2(r + 2)} for 0-based ranks {@code r < n}: 1 at rank 0, 1/log2(3) at rank 1. */
    public static double[] of(int n) {
        double[] d = new double[n];
        for (int r = 0; r < n; r++) {
            d[r] = Math.log(2) / Math.log(r + 2);
        }
        return d;
    }

    /** {@code p[n] = d[0] + ... + d[n-1]}, the ideal DCG of {@code n} relevant items; {@code p[0] = 0}. */
    public static double[] prefixSums(double[] d) {
        double[] p = new double[d.length + 1];
        for (int r = 0; r < d.length; r++) {
            p[r + 1] = p[r] + d[r];
        }
        return p;
    }
}
