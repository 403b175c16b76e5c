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
 */
public record TrainSettings(int epochs, double lr, Optimizer optimizer, int negatives, double l2, Loss loss,
                            double temperature, double proximalMu) {

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

    public TrainSettings {
        if (epochs < 1) {
            throw new IllegalArgumentException(EPOCHS + " must be >= 1, found " + epochs);
        }
        if (!(lr > 0)) {
            throw new IllegalArgumentException(LR + " must be > 0, found " + lr);
        }
        if (negatives < 1) {
            throw new IllegalArgumentException(NEGATIVES + " must be >= 1, found " + negatives);
        }
        if (!(l2 >= 0) || !(proximalMu >= 0)) {
            throw new IllegalArgumentException(L2 + " and " + FedProx.PROXIMAL_MU + " must be >= 0, found " + l2 + ", "
                    + proximalMu);
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
                Optimizer.valueOf(c.getString(OPTIMIZER, base.optimizer().name()).toUpperCase(Locale.ROOT)),
                c.getInt(NEGATIVES, base.negatives()),
                c.getDouble(L2, base.l2()),
                Loss.valueOf(c.getString(LOSS, base.loss().name()).toUpperCase(Locale.ROOT)),
                c.getDouble(TEMPERATURE, base.temperature()),
                c.getDouble(FedProx.PROXIMAL_MU, base.proximalMu()));
    }

    /** These settings as round-config entries. */
    public RoundConfig toRoundConfig() {
        return RoundConfig.EMPTY.with(EPOCHS, epochs).with(LR, lr)
                .with(OPTIMIZER, optimizer.name().toLowerCase(Locale.ROOT)).with(NEGATIVES, negatives).with(L2, l2)
                .with(LOSS, loss.name().toLowerCase(Locale.ROOT)).with(TEMPERATURE, temperature)
                .with(FedProx.PROXIMAL_MU, proximalMu);
    }
}
