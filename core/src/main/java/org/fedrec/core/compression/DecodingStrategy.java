package org.fedrec.core.compression;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.fedrec.core.ClientFailure;
import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.Strategy;
import org.fedrec.core.TableDelta;
import org.fedrec.core.strategy.Aggregation;
import org.fedrec.core.strategy.ForwardingStrategy;

/**
 * The server half of update compression: a decorator that decodes every {@link TableDelta.Encoded} delta
 * of the clients' results with its {@link Codec} (or, when dense tables have a codec of their own, with the
 * one that wrote the payload) and hands the decoded results to the strategy it wraps
 * (any strategy: FedAvg, FedAdam, DP-FedAvg, ...), whose selection and evaluation it keeps. Plain deltas
 * pass through. {@link EncodingInterceptor} is the client half.
 *
 * <p>A result that does not decode (another codec, a shape that is not the global table's, a truncated or
 * malformed payload) becomes a {@link ClientFailure} of that client, with the table and what went wrong,
 * and the round goes on with the others; metric {@value #DECODE_FAILURES_METRIC} counts them.
 *
 * <p>The wrapped strategy reports its metrics over the decoded updates; this decorator then sets
 * {@code uplink_floats} to the values the payloads carry ({@link TableDelta.Encoded#values()}) and
 * {@value Aggregation#UPLINK_BYTES} (and {@value Aggregation#CLIENT_UPLINK_BYTES}, its mean per result) to
 * what actually arrived: the encoded payloads and their headers ({@link ModelUpdate#wireBytes()}), summed
 * over every result received, decodable or not.
 *
 * <p>Never modifies its inputs.
 */
public final class DecodingStrategy extends ForwardingStrategy {

    /** Metric key: results of the round whose payload did not decode. */
    public static final String DECODE_FAILURES_METRIC = "decode_failures";

    private final Codec codec;
    private final Codec denseCodec;

    public DecodingStrategy(Strategy inner, Codec codec) {
        this(inner, codec, codec);
    }

    /** Decodes payloads of either codec: {@code codec} for row tables, {@code denseCodec} for dense ones. */
    public DecodingStrategy(Strategy inner, Codec codec, Codec denseCodec) {
        super(inner);
        this.codec = Objects.requireNonNull(codec, "codec");
        this.denseCodec = Objects.requireNonNull(denseCodec, "denseCodec");
    }

    public Codec codec() {
        return codec;
    }

    public Codec denseCodec() {
        return denseCodec;
    }

    /** The codec that wrote {@code encoded}, one of this strategy's two. */
    private Codec writerOf(TableDelta.Encoded encoded) {
        if (encoded.codec().equals(denseCodec.name())) {
            return denseCodec;
        }
        if (encoded.codec().equals(codec.name()) || denseCodec.name().equals(codec.name())) {
            return codec; // its decode names the mismatch
        }
        throw new CodecException("payload written by codec '" + encoded.codec() + "', expected '" + codec.name()
                + "' (row tables) or '" + denseCodec.name() + "' (dense tables)");
    }

    /**
     * The result with every encoded delta decoded against {@code global}'s table shapes.
     *
     * @throws CodecException naming the client and the table when a payload does not decode
     */
    public FitResult decode(ModelState global, FitResult result) {
        if (!result.update().isEncoded()) {
            return result;
        }
        Map<String, TableDelta> out = new LinkedHashMap<>();
        for (Map.Entry<String, TableDelta> e : result.update().deltas().entrySet()) {
            String name = e.getKey();
            if (!(e.getValue() instanceof TableDelta.Encoded encoded)) {
                out.put(name, e.getValue());
                continue;
            }
            String where = "client " + result.clientId() + ", table '" + name + "': ";
            if (!global.has(name)) {
                throw new CodecException(where + "no such table in the global model, which has "
                        + global.tables().keySet());
            }
            FloatTable t = global.table(name);
            if (encoded.rows() != t.rows() || encoded.cols() != t.cols()) {
                throw new CodecException(where + "payload of shape " + encoded.rows() + "x" + encoded.cols()
                        + " for a table of " + t.rows() + "x" + t.cols());
            }
            try {
                out.put(name, writerOf(encoded).decode(encoded));
            } catch (CodecException ex) {
                throw new CodecException(where + ex.getMessage(), ex);
            }
        }
        return new FitResult(result.clientId(), result.numExamples(), new ModelUpdate(out), result.metrics());
    }

    @Override
    public Aggregate aggregateFit(int round, ModelState global, List<FitResult> results, List<ClientFailure> failures) {
        List<FitResult> decoded = new ArrayList<>(results.size());
        List<ClientFailure> allFailures = new ArrayList<>(failures);
        long uplink = 0;
        long floats = 0;
        int undecodable = 0;
        for (FitResult r : results) {
            uplink += r.update().wireBytes();
            floats += r.update().valueCount();
            try {
                decoded.add(decode(global, r));
            } catch (CodecException e) {
                undecodable++;
                allFailures.add(new ClientFailure(r.clientId(), round, ClientFailure.Phase.FIT,
                        "undecodable update: " + e.getMessage()));
            }
        }
        Aggregate a = delegate().aggregateFit(round, global, decoded, allFailures);
        Map<String, Double> metrics = new LinkedHashMap<>(a.metrics());
        metrics.put("uplink_floats", (double) floats);
        metrics.put(Aggregation.UPLINK_BYTES, (double) uplink);
        metrics.put(Aggregation.CLIENT_UPLINK_BYTES, results.isEmpty() ? 0.0 : (double) uplink / results.size());
        metrics.put(DECODE_FAILURES_METRIC, (double) undecodable);
        return new Aggregate(a.next(), metrics);
    }

    @Override
    public String toString() {
        return "DecodingStrategy[" + codec.name()
                + (denseCodec.name().equals(codec.name()) ? "" : ", dense " + denseCodec.name())
                + ", around " + delegate() + "]";
    }
}
