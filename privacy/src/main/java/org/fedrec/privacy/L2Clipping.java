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
 * Per-client clipping of DP-FedAvg (McMahan, Ramage, Talwar, Zhang, ICLR 2018, "Learning Differentially
 * Private Recurrent Language Models", Algorithm 1, {@code ClipFn} with flat clipping): the client's
 * whole update Δ, every table and every sparse row it carries taken as one vector, becomes
 * {@code Δ · min(1, C / ‖Δ‖₂)}. This bounds one client's contribution to the sum by C in L2 norm, the
 * sensitivity that {@link DpFedAvg}'s Gaussian noise is calibrated to.
 *
 * <p>Adds two metrics to the result: {@value #NORM_METRIC} (‖Δ‖₂ before clipping) and
 * {@value #CLIPPED_METRIC} (1 if the update was scaled, else 0). Both describe the client's data and are
 * not covered by the DP guarantee: they are simulation diagnostics.
 *
 * <p>The bound is the round's {@value #CLIP_KEY} from the instruction's round config when the server sends
 * one ({@link DpFedAvg} always does, so that adaptive clipping can move it), else the bound given here.
 *
 * <p>The input is never modified: a clipped update is a new {@link ModelUpdate} with new arrays; an update
 * already within the bound is passed on as it is.
 */
public final class L2Clipping implements ClientInterceptor {

    /** Metric key of the update's L2 norm before clipping. */
    public static final String NORM_METRIC = "update_norm";
    /** Metric key: 1 when the update was scaled down, 0 when it was within the bound. */
    public static final String CLIPPED_METRIC = "clipped";
    /** Round-config key of the bound C the server wants clients to clip to this round. */
    public static final String CLIP_KEY = "dp_clip";

    private final double clip;

    /** @param clip the L2 bound C, positive and finite */
    public L2Clipping(double clip) {
        if (!(clip > 0) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("clipping bound C must be positive and finite, was " + clip);
        }
        this.clip = clip;
    }

    public double clip() {
        return clip;
    }

    /** The bound for this instruction: the round's {@value #CLIP_KEY} if the server sent one, else {@link #clip()}. */
    public double clipFor(FitInstruction instruction) {
        double c = instruction.config().getDouble(CLIP_KEY, clip);
        if (!(c > 0) || Double.isInfinite(c)) {
            throw new IllegalArgumentException("round config '" + CLIP_KEY + "' for client " + instruction.clientId()
                    + " must be positive and finite, found " + c);
        }
        return c;
    }

    @Override
    public FitResult afterFit(FitInstruction instruction, FitResult result, ClientContext context) {
        result.update().requireDecoded(result.clientId(), "L2 clipping");
        double norm = l2Norm(result.update());
        double factor = scaleFactor(norm, clipFor(instruction));
        ModelUpdate update = factor == 1 ? result.update() : scaled(result.update(), factor);
        Map<String, Double> metrics = new LinkedHashMap<>(result.metrics());
        metrics.put(NORM_METRIC, norm);
        metrics.put(CLIPPED_METRIC, factor == 1 ? 0.0 : 1.0);
        return new FitResult(result.clientId(), result.numExamples(), update, metrics);
    }

    /** ‖Δ‖₂ over every value of every delta (dense values and sparse rows alike), summed in double. */
    public static double l2Norm(ModelUpdate update) {
        double sum = 0;
        for (Map.Entry<String, TableDelta> e : update.deltas().entrySet()) {
            for (float x : values(e.getKey(), e.getValue())) {
                sum += (double) x * x;
            }
        }
        return Math.sqrt(sum);
    }

    /** {@code min(1, C / norm)}: 1 for a norm within the bound (including 0). */
    public static double scaleFactor(double norm, double clip) {
        return norm > clip ? clip / norm : 1.0;
    }

    /** {@code factor · Δ} as a new update with new arrays; sparse rows keep their row indices. */
    public static ModelUpdate scaled(ModelUpdate update, double factor) {
        Map<String, TableDelta> out = new LinkedHashMap<>();
        update.deltas().forEach((name, d) -> {
            if (d instanceof TableDelta.SparseRows s) {
                out.put(name, new TableDelta.SparseRows(s.cols(), s.rows().clone(), times(s.values(), factor)));
            } else {
                out.put(name, new TableDelta.Dense(times(values(name, d), factor)));
            }
        });
        return new ModelUpdate(out);
    }

    /** The values of a decoded delta; an encoded one is refused naming the table. */
    static float[] values(String table, TableDelta d) {
        if (d instanceof TableDelta.Dense dense) {
            return dense.values();
        }
        if (d instanceof TableDelta.SparseRows sparse) {
            return sparse.values();
        }
        throw ((TableDelta.Encoded) d).notDecoded(null, table, "L2 clipping");
    }

    private static float[] times(float[] v, double factor) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] * factor);
        }
        return out;
    }

    @Override
    public String toString() {
        return "L2Clipping[C=" + clip + "]";
    }
}
