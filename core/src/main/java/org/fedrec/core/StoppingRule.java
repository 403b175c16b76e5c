package org.fedrec.core;

import java.util.Objects;

/**
 * Early stopping on a validation metric: the run ends once {@code metric} has not improved by more than
 * {@code minDelta} for {@code patience} consecutive evaluations, and the model of the best evaluation is
 * the run's result. {@code patience == 0} never stops early but still keeps the best model.
 */
public record StoppingRule(String metric, boolean higherIsBetter, int patience, double minDelta) {
    public StoppingRule {
        Objects.requireNonNull(metric, "metric");
        if (patience < 0) {
            throw new IllegalArgumentException("early-stopping patience must be >= 0, found " + patience);
        }
        if (!(minDelta >= 0)) {
            throw new IllegalArgumentException("early-stopping min delta must be >= 0, found " + minDelta);
        }
    }

    public boolean improves(double candidate, double best) {
        return higherIsBetter ? candidate > best + minDelta : candidate < best - minDelta;
    }
}
