package org.fedrec.models.internal;

/**
 * Per-slice parameter updates for local training. Adam is the lazy (sparse) variant: only the slices a
 * step touches advance their moments, with bias correction by the fit's global step count.
 */
public final class Optimizers {

    public static final float BETA1 = 0.9f;
    public static final float BETA2 = 0.999f;
    public static final float EPS = 1e-8f;

    private Optimizers() {
    }

    /** {@code w -= lr * g} over {@code len} values. */
    public static void sgd(float[] w, int off, float[] g, int goff, int len, float lr) {
        for (int i = 0; i < len; i++) {
            w[off + i] -= lr * g[goff + i];
        }
    }

    /**
     * One Adam step (Kingma and Ba 2015) over {@code len} values; {@code m} and {@code v} are indexed like
     * {@code w}. {@code step} counts from 1.
     */
    public static void adam(float[] w, float[] m, float[] v, int off, float[] g, int goff, int len, float lr,
                            long step) {
        adam(w, off, m, v, off, g, goff, len, lr, step);
    }

    /**
     * One Adam step whose moments are indexed apart from the parameters: {@code w[woff + i]} uses
     * {@code m[moff + i]} and {@code v[moff + i]} (e.g. parameters in a shared store, moments per local
     * user).
     */
    public static void adam(float[] w, int woff, float[] m, float[] v, int moff, float[] g, int goff, int len,
                            float lr, long step) {
        float c1 = (float) (1 - Math.pow(BETA1, step));
        float c2 = (float) (1 - Math.pow(BETA2, step));
        float a = lr * (float) Math.sqrt(c2) / c1;
        for (int i = 0; i < len; i++) {
            float gi = g[goff + i];
            float mi = BETA1 * m[moff + i] + (1 - BETA1) * gi;
            float vi = BETA2 * v[moff + i] + (1 - BETA2) * gi * gi;
            m[moff + i] = mi;
            v[moff + i] = vi;
            w[woff + i] -= a * mi / ((float) Math.sqrt(vi) + EPS);
        }
    }
}
