package org.fedrec.privacy.secagg;

import java.util.random.RandomGenerator;

import org.fedrec.core.FitResult;
import org.fedrec.core.ModelUpdate;
import org.fedrec.privacy.L2Clipping;

/**
 * Distributed differential privacy under secure aggregation: each client clips its whole update to L2 norm
 * C (as {@link L2Clipping}) and adds Gaussian noise of standard deviation {@code z C / sqrt(m)} to every
 * value of the layout (untouched rows included) before masking, where m is the expected number of
 * contributors. The server sees only the sum, whose noise is N(0, (c/m) z² C² I) for c contributors:
 * with no dropouts exactly the noise of central DP-FedAvg with multiplier z (McMahan et al. 2018), with no
 * party ever holding an unnoised update other than its own.
 *
 * <p><b>Accounting.</b> With d of the m expected clients dropped, c = m - d and the noise variance on the
 * sum falls by the factor c/m: the round must be accounted at the {@link #effectiveNoiseMultiplier}
 * {@code z sqrt(c/m)}, not z (for instance {@code RdpAccountant.compose(q, effectiveNoiseMultiplier(c), 1)}
 * per round). The sensitivity stays C, because the sum is divided by the fixed denominator m
 * ({@link UpdateLayout#sum}) and each client's clipped update moves it by at most C. The analysis treats
 * the sum of continuous Gaussians; each client's clipping to the fixed-point range and rounding to the grid
 * happen after its noise and are not covered exactly (the distributed discrete Gaussian of Kairouz, Liu
 * and Steinke, ICML 2021, is the exact treatment). Choose the {@link FixedPoint} range to cover C plus
 * several noise standard deviations so that clipping is rare. The layout must be unweighted: per-row
 * weights would publish how many clients touched each row.
 */
public final class DistributedDp {

    private final double clip;
    private final double noiseMultiplier;
    private final int expectedClients;

    /**
     * @param clip            C, the L2 bound on each client's update
     * @param noiseMultiplier z: the noise on the sum of m updates has standard deviation z C
     * @param expectedClients m, the contributors the noise is calibrated for, and the mean's denominator
     */
    public DistributedDp(double clip, double noiseMultiplier, int expectedClients) {
        if (!(clip > 0) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("clipping bound C must be positive and finite, was " + clip);
        }
        if (!(noiseMultiplier >= 0) || Double.isInfinite(noiseMultiplier)) {
            throw new IllegalArgumentException("noise multiplier z must be >= 0 and finite, was " + noiseMultiplier);
        }
        if (expectedClients < 1) {
            throw new IllegalArgumentException("expected clients m must be >= 1, was " + expectedClients);
        }
        this.clip = clip;
        this.noiseMultiplier = noiseMultiplier;
        this.expectedClients = expectedClients;
    }

    /** Standard deviation of each client's noise on each value: z C / sqrt(m). */
    public double clientNoiseStd() {
        return noiseMultiplier * clip / Math.sqrt(expectedClients);
    }

    /** The multiplier to account a round with {@code contributors} of the m expected clients: z sqrt(c / m). */
    public double effectiveNoiseMultiplier(int contributors) {
        return effectiveNoiseMultiplier(noiseMultiplier, expectedClients, contributors);
    }

    /** z sqrt(c / m): the noise multiplier of the summed noise when c of m calibrated clients contribute. */
    public static double effectiveNoiseMultiplier(double noiseMultiplier, int expectedClients, int contributors) {
        if (contributors < 0 || contributors > expectedClients) {
            throw new IllegalArgumentException("contributors must be in [0, expected clients = " + expectedClients
                    + "], was " + contributors);
        }
        return noiseMultiplier * Math.sqrt((double) contributors / expectedClients);
    }

    /**
     * The client's encoded vector: its update clipped to C, noised on every value of {@code layout}, then
     * fixed-point encoded. {@code noise} should be a cryptographically secure generator in a deployment.
     */
    public long[] encode(UpdateLayout layout, FitResult result, RandomGenerator noise) {
        if (layout.weighted()) {
            throw new IllegalArgumentException("distributed DP needs an unweighted layout: per-row weights would "
                    + "publish how many clients touched each row; found " + layout);
        }
        double factor = L2Clipping.scaleFactor(L2Clipping.l2Norm(result.update()), clip);
        FitResult clipped = factor == 1 ? result : new FitResult(result.clientId(), result.numExamples(),
                L2Clipping.scaled(result.update(), factor), result.metrics());
        double[] real = layout.flatten(clipped);
        double std = clientNoiseStd();
        for (int i = 0; i < layout.valuesLength(); i++) {
            real[i] += std * noise.nextGaussian();
        }
        return layout.encode(real, result.clientId());
    }

    /** The noised mean: the aggregate divided by the expected clients m. */
    public ModelUpdate mean(UpdateLayout layout, SecAggResult aggregate) {
        return layout.sum(aggregate.sum(), expectedClients);
    }

    @Override
    public String toString() {
        return "DistributedDp[C=" + clip + ", z=" + noiseMultiplier + ", m=" + expectedClients + "]";
    }
}
