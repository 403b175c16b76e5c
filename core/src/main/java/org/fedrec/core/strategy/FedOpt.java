package org.fedrec.core.strategy;

/**
 * Adaptive federated optimisation (Reddi et al., "Adaptive Federated Optimization", ICLR 2021,
 * Algorithm 2). With Delta the clients' example-weighted mean delta:
 * <pre>
 *   m = beta1 * m + (1 - beta1) * Delta
 *   v = v + Delta^2                                        (FedAdagrad)
 *   v = beta2 * v + (1 - beta2) * Delta^2                  (FedAdam)
 *   v = v - (1 - beta2) * Delta^2 * sign(v - Delta^2)      (FedYogi)
 *   theta = theta + eta * m / (sqrt(v) + tau)
 * </pre>
 * with {@code m} starting at 0 and {@code v} at {@code tau^2}, as in the paper (no bias correction).
 */
public abstract class FedOpt extends ServerOptimizerStrategy {

    /** Which second-moment rule. */
    public enum Rule { ADAGRAD, ADAM, YOGI }

    /** The moment hyper-parameters; the server learning rate eta is {@link Settings#serverLearningRate()}. */
    public record Hyper(double beta1, double beta2, double tau) {
        public Hyper {
            if (!(beta1 >= 0 && beta1 < 1)) {
                throw new IllegalArgumentException("beta1 must be in [0, 1), found " + beta1);
            }
            if (!(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("beta2 must be in [0, 1), found " + beta2);
            }
            if (!(tau > 0)) {
                throw new IllegalArgumentException("tau must be > 0, found " + tau);
            }
        }
    }

    private final Rule rule;
    private final Hyper hyper;

    FedOpt(Settings settings, Rule rule, Hyper hyper) {
        super(settings);
        this.rule = rule;
        this.hyper = hyper;
    }

    public Hyper hyper() {
        return hyper;
    }

    /** One step of the rule over {@code len} parameters; the pure maths, for tests. */
    public static void step(Rule rule, Hyper h, double eta, float[] theta, float[] m, float[] v, int off, float[] delta,
                            int deltaOff, int len) {
        for (int i = 0; i < len; i++) {
            int p = off + i;
            double d = delta[deltaOff + i];
            double d2 = d * d;
            double mi = h.beta1() * m[p] + (1 - h.beta1()) * d;
            double vi = v[p];
            vi = switch (rule) {
                case ADAGRAD -> vi + d2;
                case ADAM -> h.beta2() * vi + (1 - h.beta2()) * d2;
                case YOGI -> vi - (1 - h.beta2()) * d2 * Math.signum(vi - d2);
            };
            m[p] = (float) mi;
            v[p] = (float) vi;
            theta[p] += (float) (eta * mi / (Math.sqrt(vi) + h.tau()));
        }
    }

    @Override
    final String[] stateNames() {
        return new String[] {"m", "v"};
    }

    @Override
    final float[] initialState() {
        return new float[] {0f, (float) (hyper.tau() * hyper.tau())};
    }

    @Override
    final void step(float[] theta, float[][] state, int off, float[] delta, int deltaOff, int len) {
        step(rule, hyper, settings.serverLearningRate(), theta, state[0], state[1], off, delta, deltaOff, len);
    }
}
