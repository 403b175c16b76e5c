package org.fedrec.core.compression;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.fedrec.core.ClientContext;
import org.fedrec.core.ClientInterceptor;
import org.fedrec.core.FitInstruction;
import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.RandomSource;
import org.fedrec.core.TableDelta;

/**
 * The client half of update compression: every table's delta leaves the client as a
 * {@link TableDelta.Encoded} payload of {@link Codec}; {@link DecodingStrategy} is the server half. Runs
 * last in the client's interceptor chain (after clipping and local noise, so compression is
 * post-processing of what they produced).
 *
 * <p>Tables the client sends dense (adapters, network weights: small, every value changed) may have a codec
 * of their own, so that a top-k meant for large sparse row tables does not starve them: with
 * {@code topk:0.01} a rank-8 LoRA adapter of 3,584 values would send 36, and error feedback would then
 * hold the rest for a hundred rounds while the server moves on. The choice follows the delta: a
 * {@link TableDelta.Dense} delta (after adding any residual) goes through the dense codec, sparse rows
 * through the row codec.
 *
 * <p>With {@linkplain ErrorFeedback error feedback} the client first adds its residual to its update
 * (over the union of their rows, including tables it did not change this round) and keeps
 * {@code accumulated - decoded} as its new residual; metric {@value #RESIDUAL_METRIC} reports the floats
 * it then holds. Stochastic quantization draws from {@code context.random()} split by purpose and table,
 * so a seeded run is reproducible.
 *
 * <p>Never modifies its inputs; thread-safe (one client per thread at a time, as {@link ErrorFeedback}
 * requires).
 */
public final class EncodingInterceptor implements ClientInterceptor {

    /** Client metric: floats of error-feedback residual the client holds after this round. */
    public static final String RESIDUAL_METRIC = "ef_residual_floats";

    private final Codec codec;
    private final Codec denseCodec;
    private final ErrorFeedback feedback;

    /**
     * @param codec    the codec of every table
     * @param feedback the clients' residuals, or null for no error feedback
     */
    public EncodingInterceptor(Codec codec, ErrorFeedback feedback) {
        this(codec, codec, feedback);
    }

    /**
     * @param codec      the codec of tables sent as sparse rows
     * @param denseCodec the codec of tables sent dense
     * @param feedback   the clients' residuals, or null for no error feedback
     */
    public EncodingInterceptor(Codec codec, Codec denseCodec, ErrorFeedback feedback) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.denseCodec = Objects.requireNonNull(denseCodec, "denseCodec");
        this.feedback = feedback;
    }

    /** The codec of tables sent as sparse rows. */
    public Codec codec() {
        return codec;
    }

    /** The codec of tables sent dense (the row codec unless given its own). */
    public Codec denseCodec() {
        return denseCodec;
    }

    /** The residual store, or null without error feedback. */
    public ErrorFeedback feedback() {
        return feedback;
    }

    @Override
    public FitResult afterFit(FitInstruction instruction, FitResult result, ClientContext context) {
        String client = result.clientId();
        ModelUpdate update = result.update();
        if (update.isEncoded()) {
            throw new IllegalStateException("client " + client + ": the update is already encoded; compression must "
                    + "run once, last in the interceptor chain");
        }
        update.validateAgainst(instruction.global(), client);
        Map<String, TableDelta.SparseRows> owed = feedback == null ? Map.of() : feedback.residual(client);
        Set<String> tables = new LinkedHashSet<>(update.deltas().keySet());
        for (String t : instruction.global().tables().keySet()) {
            if (owed.containsKey(t)) {
                tables.add(t);
            }
        }
        RandomSource random = context.random().split("compression");
        Map<String, TableDelta> out = new LinkedHashMap<>();
        Map<String, TableDelta.SparseRows> next = new LinkedHashMap<>();
        for (String name : tables) {
            FloatTable table = instruction.global().table(name);
            TableDelta delta = feedback == null ? update.deltas().get(name)
                    : ErrorFeedback.accumulate(update.deltas().get(name), owed.get(name), table.cols());
            Codec chosen = delta instanceof TableDelta.Dense ? denseCodec : codec;
            Codec.Encoding enc;
            try {
                enc = chosen.encode(table.rows(), table.cols(), delta, random.split(name).generator());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("client " + client + ", table '" + name + "', codec " + chosen.name()
                        + ": " + e.getMessage(), e);
            }
            out.put(name, enc.encoded());
            if (feedback != null) {
                next.put(name, ErrorFeedback.residual(delta, enc.decoded(), table.rows(), table.cols()));
            }
        }
        Map<String, Double> metrics = result.metrics();
        if (feedback != null) {
            feedback.put(client, next);
            metrics = new LinkedHashMap<>(metrics);
            metrics.put(RESIDUAL_METRIC, (double) feedback.storedValues(client));
        }
        return new FitResult(client, result.numExamples(), new ModelUpdate(out), metrics);
    }

    @Override
    public String toString() {
        return "EncodingInterceptor[" + codec.name() + (denseCodec.name().equals(codec.name()) ? "" : ", dense " + denseCodec.name())
                + (feedback != null ? ", error feedback" : "") + "]";
    }
}
