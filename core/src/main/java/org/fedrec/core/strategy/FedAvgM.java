package org.fedrec.core.strategy;

/**
 * FedAvg with server momentum (Hsu, Qi, Brown 2019, "Measuring the Effects of Non-Identical Data
 * Distribution"): {@code v = beta * v + Delta; theta = theta + eta_s * v}, where Delta is the clients'
 * example-weighted mean delta.
 */
public final class FedAvgM extends ServerOptimizerStrategy {

    private final double momentum;

    public FedAvgM(Settings settings, double momentum) {
        super(settings);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("FedAvgM momentum must be in [0, 1), found " + momentum);
        }
        this.momentum = momentum;
    }

    /** One momentum step over {@code len} parameters; the pure maths, for tests. */
    public static void momentumStep(float[] theta, float[] velocity, int off, float[] delta, int deltaOff, int len,
                                    double eta, double beta) {
        for (int i = 0; i < len; i++) {
            float v = (float) (beta * velocity[off + i] + delta[deltaOff + i]);
            velocity[off + i] = v;
            theta[off + i] += (float) (eta * v);
        }
    }

    @Override
    String[] stateNames() {
        return new String[] {"velocity"};
    }

    @Override
    float[] initialState() {
        return new float[] {0f};
    }

    @Override
    void step(float[] theta, float[][] state, int off, float[] delta, int deltaOff, int len) {
        momentumStep(theta, state[0], off, delta, deltaOff, len, settings.serverLearningRate(), momentum);
    }
}
