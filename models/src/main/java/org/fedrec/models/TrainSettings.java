package org.fedrec.models;

import java.util.Locale;

import org.fedrec.core.RoundConfig;
import org.fedrec.core.strategy.FedProx;

/**
 * How a client trains locally in one round. The server sends these in the {@link RoundConfig}; missing
 * keys take the defaults of {@link #defaults()}.
 *
 * @param epochs      passes over the client's training pairs
 * @param lr          learning rate
 * @param optimizer   per-step optimiser
 * @param negatives   uniformly sampled negatives per positive (items the user has not interacted with)
 * @param l2          L2 penalty on every parameter row a step touches
 * @param loss        pairwise BPR, sampled softmax over the positive and its negatives, or pointwise
 *                    binary cross-entropy (NeuMF's log loss)
 * @param temperature softmax temperature
 * @param proximalMu  FedProx's mu: penalty {@code mu/2 ||w - w_global||^2} on global parameters
 * @param negativeCandidates 1 for uniform negatives; m > 1 for dynamic negative sampling (Zhang et al.,
 *                    SIGIR 2013): each negative is the highest-scoring of m uniform candidates
 */
public record TrainSettings(int epochs, double lr, Optimizer optimizer, int negatives, double l2, Loss loss,
                            double temperature, double proximalMu, int negativeCandidates) {

    /** Local optimisers. Adam keeps its moments for the duration of one fit (lazy, per touched row). */
    public enum Optimizer { SGD, ADAM }

    /** Training objectives. */
    public enum Loss { BPR, SOFTMAX, BCE }

    public static final String EPOCHS = "local_epochs";
    public static final String LR = "lr";
    public static final String OPTIMIZER = "optimizer";
    public static final String NEGATIVES = "negatives";
    public static final String L2 = "l2";
    public static final String LOSS = "loss";
    public static final String TEMPERATURE = "temperature";
    public static final String NEGATIVE_CANDIDATES = "negative_candidates";

    /** Uniform negative sampling. */
    public TrainSettings(int epochs, double lr, Optimizer optimizer, int negatives, double l2, Loss loss,
                         double temperature, double proximalMu) {
        this(epochs, lr, optimizer, negatives, l2, loss, temperature, proximalMu, 1);
    }

    public TrainSettings {
        if (epochs < 1) {
            throw new IllegalArgumentException(EPOCHS + " must be >= 1, found " + epochs);
        }
        if (!(lr > 0) || Double.isInfinite(lr) || Double.isInfinite(temperature) || Double.isInfinite(proximalMu)) {
            throw new IllegalArgumentException(LR + ", " + TEMPERATURE + " and " + FedProx.PROXIMAL_MU
                    + " must be finite and lr > 0, found " + lr + ", " + temperature + ", " + proximalMu);
        }
        if (negatives < 1) {
            throw new IllegalArgumentException(NEGATIVES + " must be >= 1, found " + negatives);
        }
        if (!(l2 >= 0) || !(proximalMu >= 0)) {
            throw new IllegalArgumentException(L2 + " and " + FedProx.PROXIMAL_MU + " must be >= 0, found " + l2 + ", "
                    + proximalMu);
        }
        if (negativeCandidates < 1) {
            throw new IllegalArgumentException(NEGATIVE_CANDIDATES + " must be >= 1, found " + negativeCandidates);
        }
        if (!(temperature > 0)) {
            throw new IllegalArgumentException(TEMPERATURE + " must be > 0, found " + temperature);
        }
    }

    public static TrainSettings defaults() {
        return new TrainSettings(1, 0.05, Optimizer.SGD, 4, 1e-4, Loss.BPR, 0.2, 0.0);
    }

    /** Settings from a round config, falling back to {@code base} for missing keys. */
    public static TrainSettings from(RoundConfig c, TrainSettings base) {
        return new TrainSettings(
                c.getInt(EPOCHS, base.epochs()),
                c.getDouble(LR, base.lr()),
                parse(Optimizer.class, OPTIMIZER, c.getString(OPTIMIZER, base.optimizer().name())),
                c.getInt(NEGATIVES, base.negatives()),
                c.getDouble(L2, base.l2()),
                parse(Loss.class, LOSS, c.getString(LOSS, base.loss().name())),
                c.getDouble(TEMPERATURE, base.temperature()),
                c.getDouble(FedProx.PROXIMAL_MU, base.proximalMu()),
                c.getInt(NEGATIVE_CANDIDATES, base.negativeCandidates()));
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String key, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("round config '" + key + "' must be one of "
                    + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT) + ", found '" + value + "'");
        }
    }

    /** These settings as round-config entries. */
    public RoundConfig toRoundConfig() {
        return RoundConfig.EMPTY.with(EPOCHS, epochs).with(LR, lr)
                .with(OPTIMIZER, optimizer.name().toLowerCase(Locale.ROOT)).with(NEGATIVES, negatives).with(L2, l2)
                .with(LOSS, loss.name().toLowerCase(Locale.ROOT)).with(TEMPERATURE, temperature)
                .with(FedProx.PROXIMAL_MU, proximalMu).with(NEGATIVE_CANDIDATES, negativeCandidates);
    }
}
