package org.fedrec.core.compression;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

import org.fedrec.core.FitInstruction;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.RandomSource;
import org.fedrec.core.Strategy;
import org.fedrec.core.TableDelta;
import org.fedrec.core.strategy.ForwardingStrategy;

/**
 * Downlink compression: a decorator that sends the round's training clients the global model through a
 * {@link Codec} (fp16, q8, q4, optionally deflated) instead of as fp32. The model is encoded once per round,
 * as a broadcast, and every training client of the round starts from the same decoded copy; each
 * {@link FitInstruction#wireBytes()} is what that copy costs on the wire (every table's payload and header,
 * {@link TableDelta.Encoded#wireBytes()}), so {@code downlink_bytes} and simulated download times count it.
 *
 * <p>The server's own global model stays exact: a client's update is its trained model minus the copy it
 * started from, and the strategy adds the aggregate to the exact model, so the rounding of one round's copy
 * does not accumulate into the next. Evaluation instructions carry the exact model (what the server serves).
 *
 * <p>A top-k codec is refused: it would send a model with all but k values zeroed, not a rounding of it.
 * Stochastic rounding (q8, q4) draws from a stream derived from the round's sampling stream, so a seeded run
 * repeats.
 */
public final class DownlinkEncodingStrategy extends ForwardingStrategy {

    private final Codec codec;

    /** @throws IllegalArgumentException for a top-k codec */
    public DownlinkEncodingStrategy(Strategy inner, Codec codec) {
        super(inner);
        this.codec = requireBroadcastable(codec);
    }

    /**
     * {@code codec}, if it can send a global model: any without a top-k stage.
     *
     * @throws IllegalArgumentException for a top-k codec, saying which can
     */
    public static Codec requireBroadcastable(Codec codec) {
        Objects.requireNonNull(codec, "codec");
        if (codec.topKFraction() > 0) {
            throw new IllegalArgumentException("downlink codec '" + codec.name() + "' has a top-k stage: the clients "
                    + "would start from a model with all but the top-k values zeroed; use fp16, q8 or q4 (with or "
                    + "without deflate)");
        }
        return codec;
    }

    public Codec codec() {
        return codec;
    }

    @Override
    public List<FitInstruction> configureFit(int round, ModelState global, List<String> available,
                                             RandomSource random) {
        List<FitInstruction> instructions = super.configureFit(round, global, available, random);
        if (instructions.isEmpty()) {
            return instructions;
        }
        Broadcast broadcast = broadcast(global, random.split("downlink").generator());
        List<FitInstruction> out = new ArrayList<>(instructions.size());
        for (FitInstruction ins : instructions) {
            if (ins.global() != global) {
                throw new IllegalStateException("strategy " + delegate().getClass().getSimpleName() + " sent client "
                        + ins.clientId() + " a model other than the round's global one; a downlink codec encodes "
                        + "only the global model");
            }
            out.add(new FitInstruction(ins.clientId(), broadcast.model(), ins.config(), broadcast.wireBytes()));
        }
        return out;
    }

    /** The global model as the clients decode it, and its bytes on the wire. */
    record Broadcast(ModelState model, long wireBytes) {
    }

    /** Encodes every table of {@code global} with the codec and decodes it back, as a client would. */
    Broadcast broadcast(ModelState global, SplittableRandom random) {
        Map<String, FloatTable> decoded = new LinkedHashMap<>();
        long bytes = 0;
        for (Map.Entry<String, FloatTable> e : global.tables().entrySet()) {
            FloatTable t = e.getValue();
            Codec.Encoding encoding;
            try {
                encoding = codec.encode(t.rows(), t.cols(), new TableDelta.Dense(t.data()), random);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("downlink codec '" + codec.name() + "' cannot encode global table '"
                        + e.getKey() + "' (" + t.rows() + "x" + t.cols() + "): " + ex.getMessage(), ex);
            }
            bytes += encoding.encoded().wireBytes();
            float[] values = ((TableDelta.Dense) encoding.decoded()).values();
            decoded.put(e.getKey(), new FloatTable(t.rows(), t.cols(), values));
        }
        return new Broadcast(new ModelState(decoded), bytes);
    }
}
