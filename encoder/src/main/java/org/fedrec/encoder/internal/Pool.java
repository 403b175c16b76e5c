package org.fedrec.encoder.internal;

/**
 * Pooling and normalisation on a flat row-major output: {@code hidden[(row * seqLen + t) * dim + k]} for
 * a {@code [batch, seqLen, dim]} tensor. Rows are padded on the right, so a row's attention mask is 1
 * on its first {@code tokens} positions and 0 after.
 */
public final class Pool {

    /** The floor of the token count in mean pooling, as sentence-transformers clamps it. */
    private static final float MIN_COUNT = 1e-9f;
    /** The floor of the norm in L2 normalisation, as torch.nn.functional.normalize uses. */
    private static final double MIN_NORM = 1e-12;

    private Pool() {
    }

    /** The mean of the row's first {@code tokens} token vectors, written into {@code out[0, dim)}. */
    public static void mean(float[] hidden, int row, int seqLen, int dim, int tokens, float[] out) {
        java.util.Arrays.fill(out, 0, dim, 0f);
        int base = row * seqLen * dim;
        for (int t = 0; t < tokens; t++) {
            int at = base + t * dim;
            for (int k = 0; k < dim; k++) {
                out[k] += hidden[at + k];
            }
        }
        float inv = 1f / Math.max(tokens, MIN_COUNT);
        for (int k = 0; k < dim; k++) {
            out[k] *= inv;
        }
    }

    /** The row's first token vector (CLS pooling; also rank-2 outputs with {@code seqLen} 1). */
    public static void first(float[] hidden, int row, int seqLen, int dim, float[] out) {
        System.arraycopy(hidden, row * seqLen * dim, out, 0, dim);
    }

    /** Divides {@code v} by its Euclidean norm (a zero vector stays zero). */
    public static void l2Normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        float inv = (float) (1.0 / Math.max(Math.sqrt(sum), MIN_NORM));
        for (int k = 0; k < v.length; k++) {
            v[k] *= inv;
        }
    }
}
