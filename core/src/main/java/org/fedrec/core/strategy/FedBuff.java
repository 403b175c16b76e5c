package org.fedrec.core.strategy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fedrec.core.FitResult;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.TableDelta;

/**
 * The server side of asynchronous buffered aggregation, FedBuff (Nguyen et al., "Federated Learning with
 * Buffered Asynchronous Aggregation", AISTATS 2022, Algorithm 1), as pure functions; the event loop that
 * drives it is {@link org.fedrec.core.AsyncLoop}.
 *
 * <p>A client that started from server version {@code v_i} and reports when the server is at version
 * {@code v} has staleness {@code s_i = v - v_i}. Its delta is down-weighted by
 * <pre>   w(s) = (1 + s)^(-a)</pre>
 * ({@code a = 1/2} in the paper: {@code 1 / sqrt(1 + s)}). Once {@code K} results are buffered the server
 * forms, per table,
 * <pre>   Delta = sum_i n_i w(s_i) Delta_i / sum_i n_i</pre>
 * with {@code n_i} the client's example count, and moves the model by it with its server step
 * ({@code theta + eta_s * Delta}, or a server optimiser such as FedAdam on top). With equal {@code n_i} and
 * dense deltas that is the paper's {@code (1/K) sum_i w(s_i) Delta_i}; with every staleness 0 it is
 * {@link FedAvg}'s weighted mean. Sparse row deltas are averaged per row as FedAvg does ({@link Aggregation}):
 * the sums run over the buffered clients that sent the row, so a row one stale client touched moves by
 * {@code w(s) Delta_{i,r}} — staleness lowers a row's step, it is not renormalised away.
 */
public final class FedBuff {

    /** The paper's staleness exponent: {@code w(s) = 1 / sqrt(1 + s)}. */
    public static final double DEFAULT_STALENESS_EXPONENT = 0.5;

    /** A buffered result and its staleness in server versions. */
    public record Buffered(FitResult result, long staleness) {
        public Buffered {
            java.util.Objects.requireNonNull(result, "result");
            if (staleness < 0) {
                throw new IllegalArgumentException("staleness of client " + result.clientId() + " must be >= 0, found "
                        + staleness);
            }
        }
    }

    private FedBuff() {
    }

    /** {@code (1 + staleness)^(-exponent)}; exponent 0 ignores staleness. */
    public static double stalenessWeight(long staleness, double exponent) {
        if (staleness < 0) {
            throw new IllegalArgumentException("staleness must be >= 0, found " + staleness);
        }
        if (!(exponent >= 0) || Double.isInfinite(exponent)) {
            throw new IllegalArgumentException("staleness exponent must be a finite number >= 0, found " + exponent);
        }
        return Math.pow(1.0 + staleness, -exponent);
    }

    /**
     * The buffer's staleness-weighted mean delta (see the class comment); neither the global model nor the
     * results are modified.
     */
    public static ModelUpdate bufferedDelta(ModelState global, List<Buffered> buffer, double exponent) {
        List<FitResult> scaled = new ArrayList<>(buffer.size());
        for (Buffered b : buffer) {
            double w = stalenessWeight(b.staleness(), exponent);
            FitResult r = b.result();
            scaled.add(w == 1.0 ? r : new FitResult(r.clientId(), r.numExamples(), scale(r.update(), w), r.metrics()));
        }
        return Aggregation.weightedMeanDelta(global, scaled);
    }

    /** {@code factor * update}, as a new update. */
    static ModelUpdate scale(ModelUpdate update, double factor) {
        Map<String, TableDelta> out = new LinkedHashMap<>();
        float f = (float) factor;
        update.deltas().forEach((name, d) -> {
            if (d instanceof TableDelta.Dense dense) {
                out.put(name, new TableDelta.Dense(times(dense.values(), f)));
            } else if (d instanceof TableDelta.SparseRows sparse) {
                out.put(name, new TableDelta.SparseRows(sparse.cols(), sparse.rows(), times(sparse.values(), f)));
            }
        });
        return new ModelUpdate(out);
    }

    private static float[] times(float[] values, float f) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = f * values[i];
        }
        return out;
    }
}
