package org.fedrec.privacy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import org.junit.jupiter.api.Test;

/** The FFT against the O(N²) definitions: DFT, linear convolution, cyclic self-convolution. */
class FftTest {

    @Test
    void transformOfAUnitImpulseAndOfAConstantAreHandComputed() {
        double[] re = {1, 0, 0, 0};
        double[] im = new double[4];
        Fft.transform(re, im, false);
        assertThat(re).containsExactly(1, 1, 1, 1);
        assertThat(im).containsExactly(0, 0, 0, 0);
        double[] cr = {2, 2, 2, 2};
        double[] ci = new double[4];
        Fft.transform(cr, ci, false);
        assertThat(cr).containsExactly(8, 0, 0, 0);
        // x = (0, 1, 0, 0): X_k = e^{−2πik/4} = 1, −i, −1, i
        double[] sr = {0, 1, 0, 0};
        double[] si = new double[4];
        Fft.transform(sr, si, false);
        assertThat(sr).containsExactly(new double[] {1, 0, -1, 0}, within(1e-15));
        assertThat(si).containsExactly(new double[] {0, -1, 0, 1}, within(1e-15));
    }

    @Property(tries = 30)
    void transformMatchesTheDefinitionAndInvertsIt(@ForAll @IntRange(min = 0, max = 9) int log2n,
            @ForAll @LongRange(min = 0, max = 1000) long seed) {
        int n = 1 << log2n;
        Random rnd = new Random(seed);
        double[] re = new double[n];
        double[] im = new double[n];
        for (int j = 0; j < n; j++) {
            re[j] = rnd.nextGaussian();
            im[j] = rnd.nextGaussian();
        }
        double[] fr = re.clone();
        double[] fi = im.clone();
        Fft.transform(fr, fi, false);
        for (int k = 0; k < n; k++) {
            double sr = 0;
            double si = 0;
            for (int j = 0; j < n; j++) {
                double angle = -2 * Math.PI * ((long) j * k % n) / n;
                sr += re[j] * Math.cos(angle) - im[j] * Math.sin(angle);
                si += re[j] * Math.sin(angle) + im[j] * Math.cos(angle);
            }
            assertThat(fr[k]).as("Re X_%d of %d", k, n).isCloseTo(sr, within(1e-11 * n));
            assertThat(fi[k]).as("Im X_%d of %d", k, n).isCloseTo(si, within(1e-11 * n));
        }
        Fft.transform(fr, fi, true);
        assertThat(fr).containsExactly(re, within(1e-12));
        assertThat(fi).containsExactly(im, within(1e-12));
    }

    @Property(tries = 30)
    void realTransformMatchesTheComplexOneAndInvertsIt(@ForAll @IntRange(min = 1, max = 10) int log2n,
            @ForAll @LongRange(min = 0, max = 1000) long seed) {
        int n = 1 << log2n;
        Random rnd = new Random(seed);
        int used = 1 + rnd.nextInt(n); // zero-padded
        double[] x = new double[used];
        for (int j = 0; j < used; j++) {
            x[j] = rnd.nextDouble();
        }
        double[] re = new double[n];
        double[] im = new double[n];
        System.arraycopy(x, 0, re, 0, used);
        Fft.transform(re, im, false);
        double[][] half = Fft.realForward(x, n);
        assertThat(half[0]).hasSize(n / 2 + 1);
        for (int k = 0; k <= n / 2; k++) {
            assertThat(half[0][k]).as("Re X_%d", k).isCloseTo(re[k], within(1e-12 * n));
            assertThat(half[1][k]).as("Im X_%d", k).isCloseTo(im[k], within(1e-12 * n));
        }
        double[] back = Fft.realInverse(half[0], half[1], n);
        for (int j = 0; j < n; j++) {
            assertThat(back[j]).as("x_%d", j).isCloseTo(j < used ? x[j] : 0, within(1e-13));
        }
    }

    @Property(tries = 40)
    void convolutionMatchesTheDirectSum(@ForAll @IntRange(min = 1, max = 300) int na,
            @ForAll @IntRange(min = 1, max = 300) int nb, @ForAll @LongRange(min = 0, max = 1000) long seed) {
        Random rnd = new Random(seed);
        double[] a = rnd.doubles(na).toArray();
        double[] b = rnd.doubles(nb).toArray();
        double[] c = Fft.convolve(a, b);
        assertThat(c).hasSize(na + nb - 1);
        for (int k = 0; k < c.length; k++) {
            double s = 0;
            for (int j = Math.max(0, k - nb + 1); j <= Math.min(k, na - 1); j++) {
                s += a[j] * b[k - j];
            }
            assertThat(c[k]).as("c_%d", k).isCloseTo(s, within(1e-12 * (na + nb)));
        }
    }

    @Property(tries = 30)
    void cyclicSelfConvolutionMatchesRepeatedCyclicConvolution(@ForAll @IntRange(min = 1, max = 40) int n,
            @ForAll @IntRange(min = 1, max = 7) int log2Circle, @ForAll @IntRange(min = 1, max = 12) int times,
            @ForAll @LongRange(min = 0, max = 1000) long seed) {
        int circle = Math.max(1 << log2Circle, Integer.highestOneBit(n) << 1);
        Random rnd = new Random(seed);
        double[] x = rnd.doubles(n).map(v -> v / n).toArray(); // total ≤ 1: powers stay bounded
        double[] expected = new double[circle];
        expected[0] = 1;
        for (int t = 0; t < times; t++) {
            double[] next = new double[circle];
            for (int i = 0; i < circle; i++) {
                for (int j = 0; j < n; j++) {
                    next[(i + j) % circle] += expected[i] * x[j];
                }
            }
            expected = next;
        }
        double[] got = Fft.cyclicSelfConvolution(x, times, circle);
        assertThat(got).containsExactly(expected, within(1e-14));
    }

    @Test
    void selfConvolutionOfAProbabilityVectorIsTheBinomial() {
        // (0.3, 0.7) convolved 10 times: Binomial(10, 0.7), no wrap-around on a circle of 16.
        double[] got = Fft.cyclicSelfConvolution(new double[] {0.3, 0.7}, 10, 16);
        for (int k = 0; k <= 10; k++) {
            double binomial = Math.exp(LogMath.logAbsBinomial(10, k) + k * Math.log(0.7) + (10 - k) * Math.log(0.3));
            assertThat(got[k]).as("P(X=%d)", k).isCloseTo(binomial, within(1e-15));
        }
        for (int k = 11; k < 16; k++) {
            assertThat(got[k]).isCloseTo(0, within(1e-15));
        }
    }

    @Test
    void badLengthsAreRefusedNamingTheLength() {
        assertThatThrownBy(() -> Fft.transform(new double[6], new double[6], false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two").hasMessageContaining("6");
        assertThatThrownBy(() -> Fft.transform(new double[4], new double[8], false))
                .hasMessageContaining("4").hasMessageContaining("8");
        assertThatThrownBy(() -> Fft.convolve(new double[0], new double[3])).hasMessageContaining("empty");
        assertThatThrownBy(() -> Fft.cyclicSelfConvolution(new double[5], 2, 4)).hasMessageContaining("5");
        assertThatThrownBy(() -> Fft.cyclicSelfConvolution(new double[2], 0, 4)).hasMessageContaining("times");
        assertThatThrownBy(() -> Fft.powerOfTwoAtLeast(Fft.MAX_LENGTH + 1L)).hasMessageContaining("transform length");
    }
}
