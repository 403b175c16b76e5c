package org.fedrec.privacy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.fedrec.core.ClientContext;
import org.fedrec.core.ClientInterceptor;
import org.fedrec.core.FitInstruction;
import org.fedrec.core.FitResult;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.TableDelta;

/**
 * Local differential privacy for a client's update: the client clips its whole update to L2 norm C (with
 * {@link L2Clipping}, so the round's C from the server applies) and adds Gaussian noise of standard
 * deviation {@code z_local·C} to every value of every table of the global model before the update leaves
 * it. The update goes out dense: noising only the rows the client touched would reveal which items it
 * interacted with.
 *
 * <p><b>Accounting.</b> One release is the Gaussian mechanism with sensitivity C and noise multiplier
 * z_local, i.e. the {@link RdpAccountant} with q = 1 (no sampling amplification: the client knows it
 * was sampled); {@value #LOCAL_EPSILON_METRIC} is its ε at δ for one round, and a client that took part
 * in k rounds has spent {@link #epsilon epsilon(z_local, k, δ)}. The neighbouring relation is the
 * client's update against no update (its data removed), as in the central add/remove guarantee; for two
 * arbitrary updates of the same client (sensitivity 2C) the ε is that of z_local / 2.
 * The loss and {@link L2Clipping#NORM_METRIC} metrics still leave the client un-noised: they are
 * simulation diagnostics and not covered.
 *
 * <p>Noise is drawn from the client's round source ({@code context.random()}), so a seeded run is
 * reproducible; see {@link DpFedAvg} on the generator. Never modifies its inputs; thread-safe.
 */
public final class LocalGaussianNoise implements ClientInterceptor {

    /** Metric key: the client's ε at δ for this one round. */
    public static final String LOCAL_EPSILON_METRIC = "local_epsilon";

    private final L2Clipping clipping;
    private final double noiseMultiplier;
    private final double roundEpsilon;

    /**
     * @param clipping        the clipping applied first (its bound is the default C)
     * @param noiseMultiplier z_local, positive and finite
     * @param delta           δ at which the per-round ε is reported
     */
    public LocalGaussianNoise(L2Clipping clipping, double noiseMultiplier, double delta) {
        this.clipping = java.util.Objects.requireNonNull(clipping, "clipping");
        if (!(noiseMultiplier > 0) || Double.isInfinite(noiseMultiplier)) {
            throw new IllegalArgumentException("local noise multiplier must be positive and finite, was " + noiseMultiplier);
        }
        this.noiseMultiplier = noiseMultiplier;
        this.roundEpsilon = epsilon(noiseMultiplier, 1, delta);
    }

    /** The ε at δ of {@code rounds} releases of the Gaussian mechanism with multiplier z (q = 1); 0 for none. */
    public static double epsilon(double noiseMultiplier, long rounds, double delta) {
        if (rounds == 0) {
            return 0;
        }
        return RdpAccountant.create().compose(1.0, noiseMultiplier, rounds).epsilon(delta, Conversion.IMPROVED).epsilon();
    }

    @Override
    public FitResult afterFit(FitInstruction instruction, FitResult result, ClientContext context) {
        FitResult clipped = clipping.afterFit(instruction, result, context);
        double sigma = noiseMultiplier * clipping.clipFor(instruction);
        Map<String, float[]> dense = new LinkedHashMap<>();
        instruction.global().tables().forEach((name, table) -> dense.put(name, new float[table.size()]));
        clipped.update().validateAgainst(instruction.global(), result.clientId());
        DpFedAvg.addScaled(dense, instruction.global(), clipped.update(), 1.0);
        Map<String, TableDelta> noised = new LinkedHashMap<>();
        dense.forEach((name, values) -> {
            DpFedAvg.addGaussianNoise(values, sigma, context.random().split("local-dp-noise").split(name));
            noised.put(name, new TableDelta.Dense(values));
        });
        Map<String, Double> metrics = new LinkedHashMap<>(clipped.metrics());
        metrics.put(LOCAL_EPSILON_METRIC, roundEpsilon);
        return new FitResult(result.clientId(), result.numExamples(), new ModelUpdate(noised), metrics);
    }

    @Override
    public String toString() {
        return "LocalGaussianNoise[z=" + noiseMultiplier + ", " + clipping + "]";
    }
}
