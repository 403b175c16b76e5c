package org.fedrec.privacy.internal;

/**
 * The discrete Fourier transform of power-of-two length (iterative radix-2 Cooley–Tukey on separate real
 * and imaginary arrays), its real-input form, and the two things the PLD accountant does with them: the
 * linear convolution of two real sequences and the cyclic n-fold self-convolution of one.
 *
 * <p>Forward: {@code X_k = Σ_j x_j e^{−2πi jk/N}}; inverse: {@code x_j = (1/N) Σ_k X_k e^{+2πi jk/N}}.
 * A real sequence of length N is transformed as a complex one of length N/2 (even samples in the real
 * part, odd in the imaginary part) and separated with {@code X_k = E_k + e^{−2πik/N} O_k}, which halves
 * the work. Twiddle factors are computed directly with {@link Math#cos}/{@link Math#sin} (no recurrence)
 * and cached for the longest length seen, so the round-off of a transform is about {@code ε_mach·log2 N}
 * relative to the largest value.
 */
public final class Fft {

    /** Transforms longer than this (2^27) are refused. */
    public static final int MAX_LENGTH = 1 << 27;

    /** cos and sin of 2πk/L for k &lt; L/2, for the longest L computed so far (immutable once published). */
    private static volatile Twiddles cached = new Twiddles(2);

    private record Twiddles(int length, double[] cos, double[] sin) {
        Twiddles(int length) {
            this(length, new double[length / 2], new double[length / 2]);
            for (int k = 0; k < length / 2; k++) {
                double angle = 2 * Math.PI * k / length;
                cos[k] = Math.cos(angle);
                sin[k] = Math.sin(angle);
            }
        }
    }

    private Fft() {
    }

    /** The smallest power of two ≥ {@code n}, for n in [1, {@link #MAX_LENGTH}]. */
    public static int powerOfTwoAtLeast(long n) {
        if (n < 1 || n > MAX_LENGTH) {
            throw new IllegalArgumentException("transform length must be in [1, " + MAX_LENGTH + "], was " + n);
        }
        int p = 1;
        while (p < n) {
            p <<= 1;
        }
        return p;
    }

    private static Twiddles twiddles(int length) {
        Twiddles t = cached;
        if (t.length() < length) {
            t = new Twiddles(length);
            cached = t;
        }
        return t;
    }

    /**
     * In place: the forward ({@code inverse = false}) or inverse transform of {@code re + i·im}; the
     * inverse includes the 1/N factor. The length must be a power of two and both arrays equally long.
     */
    public static void transform(double[] re, double[] im, boolean inverse) {
        int n = re.length;
        if (im.length != n) {
            throw new IllegalArgumentException("real and imaginary parts must be equally long, were " + n + " and "
                    + im.length);
        }
        checkPowerOfTwo(n);
        complex(re, im, n, inverse, twiddles(n));
    }

    private static void checkPowerOfTwo(int n) {
        if (n < 1 || (n & (n - 1)) != 0 || n > MAX_LENGTH) {
            throw new IllegalArgumentException("transform length must be a power of two in [1, " + MAX_LENGTH
                    + "], was " + n);
        }
    }

    /** The complex transform of the first n entries, with twiddles from a table for a length ≥ n. */
    private static void complex(double[] re, double[] im, int n, boolean inverse, Twiddles tw) {
        if (n == 1) {
            return;
        }
        bitReverse(re, im, n);
        double[] cos = tw.cos();
        double[] sin = tw.sin();
        double sign = inverse ? 1 : -1;
        int base = tw.length() / n; // table index of e^{±2πi/n}
        for (int size = 2; size <= n; size <<= 1) {
            int half = size >>> 1;
            int stride = base * (n / size);
            for (int start = 0; start < n; start += size) {
                for (int j = 0, t = 0; j < half; j++, t += stride) {
                    double wr = cos[t];
                    double wi = sign * sin[t];
                    int a = start + j;
                    int b = a + half;
                    double tr = wr * re[b] - wi * im[b];
                    double ti = wr * im[b] + wi * re[b];
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
        if (inverse) {
            double scale = 1.0 / n;
            for (int k = 0; k < n; k++) {
                re[k] *= scale;
                im[k] *= scale;
            }
        }
    }

    private static void bitReverse(double[] re, double[] im, int n) {
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >>> 1;
            for (; (j & bit) != 0; bit >>>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
    }

    /**
     * The spectrum X_0..X_{N/2} of the real sequence {@code x} zero-padded to length N (a power of two
     * ≥ 2 and ≥ x.length); the rest follows from X_{N−k} = conj X_k. Returns {re, im}, each N/2 + 1 long.
     */
    public static double[][] realForward(double[] x, int n) {
        checkPowerOfTwo(n);
        if (n < 2 || x.length > n) {
            throw new IllegalArgumentException("real transform length must be >= 2 and >= the sequence length "
                    + x.length + ", was " + n);
        }
        int m = n / 2;
        double[] zr = new double[m];
        double[] zi = new double[m];
        for (int j = 0; j < x.length; j++) {
            if ((j & 1) == 0) {
                zr[j >>> 1] = x[j];
            } else {
                zi[j >>> 1] = x[j];
            }
        }
        Twiddles tw = twiddles(n);
        complex(zr, zi, m, false, tw);
        double[] xr = new double[m + 1];
        double[] xi = new double[m + 1];
        int base = tw.length() / n; // table index of e^{2πi/N}
        for (int k = 0; k <= m; k++) {
            int kk = k == m ? 0 : k;
            int mk = (m - k) & (m - 1); // M − k mod M
            // E_k = (Z_k + conj Z_{M−k})/2,  O_k = (Z_k − conj Z_{M−k})/(2i)
            double er = 0.5 * (zr[kk] + zr[mk]);
            double ei = 0.5 * (zi[kk] - zi[mk]);
            double or = 0.5 * (zi[kk] + zi[mk]);
            double oi = -0.5 * (zr[kk] - zr[mk]);
            double wr;
            double wi;
            if (k == m) {
                wr = -1;
                wi = 0;
            } else {
                wr = tw.cos()[k * base];
                wi = -tw.sin()[k * base]; // e^{−2πik/N}
            }
            xr[k] = er + wr * or - wi * oi;
            xi[k] = ei + wr * oi + wi * or;
        }
        return new double[][] {xr, xi};
    }

    /**
     * The real sequence of length N whose spectrum has X_0..X_{N/2} = {@code re + i·im} (the inverse of
     * {@link #realForward}; the imaginary parts of X_0 and X_{N/2} are taken as 0).
     */
    public static double[] realInverse(double[] re, double[] im, int n) {
        double[] x = new double[n];
        realInverse(re, im, n, new double[n / 2], new double[n / 2], x);
        return x;
    }

    /**
     * {@link #realInverse(double[], double[], int)} into {@code x} (length N), using {@code zr} and
     * {@code zi} (length N/2) as scratch: no allocation, for transforms repeated at one length.
     */
    public static void realInverse(double[] re, double[] im, int n, double[] zr, double[] zi, double[] x) {
        checkPowerOfTwo(n);
        int m = n / 2;
        if (n < 2 || re.length != m + 1 || im.length != m + 1) {
            throw new IllegalArgumentException("a half spectrum of length N/2 + 1 = " + (m + 1)
                    + " is needed for N = " + n + ", was " + re.length + " and " + im.length);
        }
        if (zr.length != m || zi.length != m || x.length != n) {
            throw new IllegalArgumentException("scratch of length N/2 = " + m + " and output of length N = " + n
                    + " are needed, were " + zr.length + ", " + zi.length + " and " + x.length);
        }
        Twiddles tw = twiddles(n);
        int base = tw.length() / n;
        for (int k = 0; k < m; k++) {
            // E_k = (X_k + conj X_{M−k})/2,  O_k = (X_k − conj X_{M−k})·e^{+2πik/N}/2,  Z_k = E_k + i O_k
            double ar = re[k];
            double ai = k == 0 ? 0 : im[k];
            double br = re[m - k];
            double bi = k == 0 ? 0 : -im[m - k];
            double er = 0.5 * (ar + br);
            double ei = 0.5 * (ai + bi);
            double dr = 0.5 * (ar - br);
            double di = 0.5 * (ai - bi);
            double wr = tw.cos()[k * base];
            double wi = tw.sin()[k * base];
            double or = dr * wr - di * wi;
            double oi = dr * wi + di * wr;
            zr[k] = er - oi;
            zi[k] = ei + or;
        }
        complex(zr, zi, m, true, tw);
        for (int j = 0; j < m; j++) {
            x[2 * j] = zr[j];
            x[2 * j + 1] = zi[j];
        }
    }

    /**
     * The linear convolution {@code c_k = Σ_j a_j b_{k−j}} of two non-empty real sequences, of length
     * {@code a.length + b.length − 1}.
     */
    public static double[] convolve(double[] a, double[] b) {
        if (a.length == 0 || b.length == 0) {
            throw new IllegalArgumentException("cannot convolve an empty sequence (lengths " + a.length + " and "
                    + b.length + ")");
        }
        int outLength = a.length + b.length - 1;
        int n = Math.max(2, powerOfTwoAtLeast(outLength));
        double[][] fa = realForward(a, n);
        double[][] fb = realForward(b, n);
        multiply(fa[0], fa[1], fb[0], fb[1]);
        double[] re = fa[0];
        double[] im = fa[1];
        double[] c = realInverse(re, im, n);
        double[] out = new double[outLength];
        System.arraycopy(c, 0, out, 0, outLength);
        return out;
    }

    /**
     * The cyclic {@code times}-fold self-convolution of the real sequence {@code x} on a circle of
     * {@code length} (a power of two ≥ 2 and ≥ x.length): the n-fold convolution with every index taken
     * modulo {@code length}. Computed as the inverse transform of the spectrum raised to the power
     * {@code times}.
     */
    public static double[] cyclicSelfConvolution(double[] x, long times, int length) {
        double[][] f = realForward(x, length);
        raise(f[0], f[1], times);
        return realInverse(f[0], f[1], length);
    }

    /** In place, value by value: {@code (re + i·im) *= (re2 + i·im2)}. */
    public static void multiply(double[] re, double[] im, double[] re2, double[] im2) {
        if (re.length != im.length || re2.length != re.length || im2.length != re.length) {
            throw new IllegalArgumentException("spectra must be equally long, were " + re.length + ", " + im.length
                    + ", " + re2.length + " and " + im2.length);
        }
        for (int k = 0; k < re.length; k++) {
            double r = re[k] * re2[k] - im[k] * im2[k];
            im[k] = re[k] * im2[k] + im[k] * re2[k];
            re[k] = r;
        }
    }

    /** In place, value by value: {@code (re + i·im)^times}, by binary exponentiation (times ≥ 1). */
    public static void raise(double[] re, double[] im, long times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be >= 1, was " + times);
        }
        for (int k = 0; k < re.length; k++) {
            double br = re[k];
            double bi = im[k];
            double rr = 1;
            double ri = 0;
            for (long e = times; ; ) {
                if ((e & 1) != 0) {
                    double t = rr * br - ri * bi;
                    ri = rr * bi + ri * br;
                    rr = t;
                }
                e >>>= 1;
                if (e == 0) {
                    break;
                }
                double t = br * br - bi * bi;
                bi = 2 * br * bi;
                br = t;
            }
            re[k] = rr;
            im[k] = ri;
        }
    }
}
