package org.fedrec.privacy;

/**
 * An (ε, δ) guarantee read off an RDP curve: the conversion used, and the RDP order at which the minimum
 * was attained (NaN when the grid gave no finite bound).
 */
public record EpsilonDelta(double epsilon, double delta, double order, Conversion conversion) {

    public EpsilonDelta {
        if (Double.isNaN(epsilon) || epsilon < 0) {
            throw new IllegalArgumentException("epsilon must be >= 0 (or +Infinity), was " + epsilon);
        }
        if (!(delta >= 0 && delta <= 1)) {
            throw new IllegalArgumentException("delta must be in [0, 1], was " + delta);
        }
        if (conversion == null) {
            throw new IllegalArgumentException("conversion must not be null");
        }
    }

    @Override
    public String toString() {
        return "(ε=" + epsilon + ", δ=" + delta + ") at α=" + order + " [" + conversion + "]";
    }
}
