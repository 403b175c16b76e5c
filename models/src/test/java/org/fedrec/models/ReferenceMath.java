package org.fedrec.models;

import java.util.function.ToDoubleFunction;

/**
 * Double-precision reference formulas for the gradient tests, written from the documentation rather than
 * from the production code: the three losses of {@link MatrixFactorization}'s javadoc and central finite
 * differences.
 */
final class ReferenceMath {

    private ReferenceMath() {
    }

    /** The loss over candidate scores {@code s[0]} (positive) and {@code s[1..]} (negatives). */
    static double loss(TrainSettings.Loss loss, double temperature, double[] s) {
        double value = 0;
        switch (loss) {
            case BPR -> {
                for (int c = 1; c < s.length; c++) {
                    value += softplus(-(s[0] - s[c]));
                }
            }
            case SOFTMAX -> {
                double z = 0;
                for (double v : s) {
                    z += Math.exp(v / temperature);
                }
                value = -Math.log(Math.exp(s[0] / temperature) / z);
            }
            case BCE -> {
                value = softplus(-s[0]);
                for (int c = 1; c < s.length; c++) {
                    value += softplus(s[c]);
                }
            }
            default -> throw new IllegalArgumentException(loss.toString());
        }
        return value;
    }

    static double softplus(double x) {
        return Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0);
    }

    /** Central finite differences of {@code f} at {@code x} with step {@code h}; {@code x} is restored. */
    static double[] gradient(ToDoubleFunction<double[]> f, double[] x, double h) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + h;
            double up = f.applyAsDouble(x);
            x[i] = keep - h;
            double down = f.applyAsDouble(x);
            x[i] = keep;
            g[i] = (up - down) / (2 * h);
        }
        return g;
    }

    static double sumSquares(double[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += x[i] * x[i];
        }
        return s;
    }

    static double maxAbs(double[] x) {
        double m = 0;
        for (double v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
