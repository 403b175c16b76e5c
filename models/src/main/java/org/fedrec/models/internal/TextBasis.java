package org.fedrec.models.internal;

import java.util.SplittableRandom;

/**
 * Frozen base projections {@code W0} (d x e) of e-dimensional text embeddings, derived from data every
 * party has (the public catalog), so that they never need to be sent: the top-d principal directions of the
 * embeddings, or a seeded Gaussian projection.
 */
public final class TextBasis {

    private static final int MAX_ITERATIONS = 2000;
    private static final double TOLERANCE = 1e-10;

    private TextBasis() {
    }

    /**
     * The top-{@code d} principal directions of {@code n} rows of {@code x} ({@code n x e}, row-major), as
     * the rows of a {@code d x e} matrix, orthonormal, largest variance first, each signed so that its
     * largest-magnitude component is positive. Orthogonal (subspace) iteration on the centred covariance
     * with modified Gram-Schmidt, until the subspace moves less than 1e-10 in an iteration, then the
     * Rayleigh-Ritz ordering by {@code q . C q}; deterministic for given data.
     */
    public static float[] principalDirections(float[] x, int n, int e, int d) {
        if (d < 1 || d > e || n < 1 || x.length != (long) n * e) {
            throw new IllegalArgumentException("principal directions need 1 <= d <= e and n x e values, found d=" + d
                    + ", e=" + e + ", n=" + n + ", " + x.length + " values");
        }
        double[] cov = covariance(x, n, e);
        double[][] q = new double[d][e];
        SplittableRandom rng = new SplittableRandom(0x7e47L);
        for (double[] row : q) {
            for (int j = 0; j < e; j++) {
                row[j] = rng.nextDouble(-1, 1);
            }
        }
        orthonormalise(q);
        double[][] next = new double[d][e];
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            for (int k = 0; k < d; k++) {
                multiply(cov, e, q[k], next[k]);
            }
            orthonormalise(next);
            // Subspace change: d - sum of squared cosines between the old and new bases.
            double captured = 0;
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    double c = dot(next[a], q[b]);
                    captured += c * c;
                }
            }
            double[][] t = q;
            q = next;
            next = t;
            if (d - captured < TOLERANCE) {
                break;
            }
        }
        // Order by Rayleigh quotient, sign-normalise.
        double[] rq = new double[d];
        double[] cq = new double[e];
        for (int k = 0; k < d; k++) {
            multiply(cov, e, q[k], cq);
            rq[k] = dot(q[k], cq);
        }
        Integer[] order = new Integer[d];
        for (int k = 0; k < d; k++) {
            order[k] = k;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(rq[b], rq[a]));
        float[] out = new float[d * e];
        for (int k = 0; k < d; k++) {
            double[] v = q[order[k]];
            int argmax = 0;
            for (int j = 1; j < e; j++) {
                if (Math.abs(v[j]) > Math.abs(v[argmax])) {
                    argmax = j;
                }
            }
            double sign = v[argmax] < 0 ? -1 : 1;
            for (int j = 0; j < e; j++) {
                out[k * e + j] = (float) (sign * v[j]);
            }
        }
        return out;
    }

    /** A {@code d x e} Gaussian projection with entries {@code N(0, 1/e)} from {@code seed}. */
    public static float[] randomProjection(int d, int e, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] w = new float[d * e];
        double scale = 1 / Math.sqrt(e);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (Vectors.gaussian(rng) * scale);
        }
        return w;
    }

    /** {@code out = x W0^T}: each of the {@code n} rows of {@code x} projected to {@code d} values. */
    public static float[] project(float[] x, int n, int e, float[] w0, int d) {
        float[] out = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                out[i * d + k] = Vectors.dot(w0, k * e, x, i * e, e);
            }
        }
        return out;
    }

    private static double[] covariance(float[] x, int n, int e) {
        double[] mean = new double[e];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < e; j++) {
                mean[j] += x[i * e + j];
            }
        }
        for (int j = 0; j < e; j++) {
            mean[j] /= n;
        }
        double[] cov = new double[e * e];
        double[] row = new double[e];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < e; j++) {
                row[j] = x[i * e + j] - mean[j];
            }
            for (int a = 0; a < e; a++) {
                double ra = row[a];
                int off = a * e;
                for (int b = a; b < e; b++) {
                    cov[off + b] += ra * row[b];
                }
            }
        }
        for (int a = 0; a < e; a++) {
            for (int b = a; b < e; b++) {
                cov[a * e + b] /= n;
                cov[b * e + a] = cov[a * e + b];
            }
        }
        return cov;
    }

    private static void multiply(double[] m, int e, double[] v, double[] out) {
        for (int a = 0; a < e; a++) {
            double s = 0;
            int off = a * e;
            for (int b = 0; b < e; b++) {
                s += m[off + b] * v[b];
            }
            out[a] = s;
        }
    }

    /** Modified Gram-Schmidt over the rows; a row that vanishes is replaced by a unit basis vector. */
    private static void orthonormalise(double[][] q) {
        int replacement = 0;
        for (int k = 0; k < q.length; k++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < k; j++) {
                    double c = dot(q[k], q[j]);
                    for (int t = 0; t < q[k].length; t++) {
                        q[k][t] -= c * q[j][t];
                    }
                }
            }
            double norm = Math.sqrt(dot(q[k], q[k]));
            if (norm < 1e-12 && replacement < q[k].length) {
                // Data of rank < d: continue the basis with unit vectors, orthogonalised like any other row.
                java.util.Arrays.fill(q[k], 0);
                q[k][replacement++] = 1;
                k--;
                continue;
            }
            for (int t = 0; t < q[k].length; t++) {
                q[k][t] /= norm;
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
