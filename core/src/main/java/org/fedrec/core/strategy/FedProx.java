package org.fedrec.core.strategy;

import org.fedrec.core.RoundConfig;

/**
 * FedProx (Li et al., MLSys 2020): FedAvg whose clients minimise their local loss plus the proximal
 * term {@code (mu / 2) * ||w - w_global||^2}, which keeps heterogeneous clients near the global model.
 * The server side is FedAvg; the strategy tells clients {@code mu} under {@link #PROXIMAL_MU}.
 */
public final class FedProx extends FedAvg {

    /** Round-config key of the proximal coefficient, read by local trainers. */
    public static final String PROXIMAL_MU = "proximal_mu";

    private final double mu;

    public FedProx(Settings settings, double mu) {
        super(settings);
        if (!(mu >= 0) || Double.isInfinite(mu)) {
            throw new IllegalArgumentException("FedProx mu must be >= 0, found " + mu);
        }
        this.mu = mu;
    }

    public double mu() {
        return mu;
    }

    @Override
    protected RoundConfig fitConfig(int round) {
        return settings.fitConfig().with(PROXIMAL_MU, mu);
    }
}
