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
 * @param itemHiding  how the update hides which items the client's users touched (see {@link ItemHiding})
 * @param paddingRatio {@link ItemHiding#PADDING}: fake items per real positive of each user; 0 otherwise
 */
public record TrainSettings(int epochs, double lr, Optimizer optimizer, int negatives, double l2, Loss loss,
                            double temperature, double proximalMu, int negativeCandidates, ItemHiding itemHiding,
                            double paddingRatio) {

    /** Local optimisers. Adam keeps its moments for the duration of one fit (lazy, per touched row). */
    public enum Optimizer { SGD, ADAM }

    /** Training objectives. */
    public enum Loss { BPR, SOFTMAX, BCE }

    /**
     * What a client's item-table update reveals about the items its users touched. Hiding that goes beyond
     * one client's update (secure aggregation of the cohort's rows) is the server's and the fleet's business,
     * see {@code org.fedrec.core.strategy.SecureRowSumFedAvg}; for the local trainer it is {@link #NONE}.
     */
    public enum ItemHiding {
        /**
         * Sparse rows of the touched items: the positives and the sampled negatives. A server that reads one
         * update sees which rows were touched and, from the direction of each row's change, which were
         * positives.
         */
        NONE,
        /**
         * Every catalog row, sent dense: each step uses every item the user has not interacted with as a
         * negative, weighted {@code negatives / (items - positives)}, which is the exact expectation of the
         * uniformly sampled step, so every row carries a genuine, non-zero change (an all-zero row would
         * mark an untouched item). This hides which rows were touched, not which were positives: a
         * positive's row still moves towards the user's embedding and every other row away from it, so a
         * server that reads the directions of one client's rows still finds the positives. Costs
         * {@code items x cols} floats per table and {@code O(items x dim)} work per step. MF only.
         */
        DENSE,
        /**
         * Padding in the manner of FedRec (Lin, Liang, Pan, Ming, IEEE Intelligent Systems 2020): besides
         * its positives, each user trains {@code paddingRatio} times as many fake items, sampled uniformly
         * from the items it has not interacted with, in the same epochs and with the same steps as a
         * positive, under a virtual label drawn from the model's own belief (see
         * {@code Losses.virtualLabelGradient}): with probability p, the model's probability that the user
         * prefers the fake item, it is trained as a positive, else as an item the user ranks below the
         * step's negatives. A fake trained as a positive is made exactly as a real positive's row is, and
         * the expected gradient by the fake item's score is zero, so the fakes add noise, not bias. Fakes
         * never train the user's private embedding. Hides the positives among about
         * {@code 1 + p * paddingRatio} times as many positive-looking rows in one update. Under BPR p is a
         * pairwise preference, about 1/2 for a random fake; under BCE it is the probability of an
         * interaction, small for most items once the model has learnt the data's sparsity, so few fakes
         * look like positives and the hiding is weak. A server that links one client's updates over rounds
         * can intersect them (fakes and labels are drawn afresh each round, positives stay).
         */
        PADDING
    }

    public static final String EPOCHS = "local_epochs";
    public static final String LR = "lr";
    public static final String OPTIMIZER = "optimizer";
    public static final String NEGATIVES = "negatives";
    public static final String L2 = "l2";
    public static final String LOSS = "loss";
    public static final String TEMPERATURE = "temperature";
    public static final String NEGATIVE_CANDIDATES = "negative_candidates";
    public static final String ITEM_HIDING = "hide_items";
    public static final String PADDING_RATIO = "padding_ratio";

    /** Uniform negative sampling, no item hiding. */
    public TrainSettings(int epochs, double lr, Optimizer optimizer, int negatives, double l2, Loss loss,
                         double temperature, double proximalMu) {
        this(epochs, lr, optimizer, negatives, l2, loss, temperature, proximalMu, 1);
    }

    /** No item hiding. */
    public TrainSettings(int epochs, double lr, Optimizer optimizer, int negatives, double l2, Loss loss,
                         double temperature, double proximalMu, int negativeCandidates) {
        this(epochs, lr, optimizer, negatives, l2, loss, temperature, proximalMu, negativeCandidates, ItemHiding.NONE,
                0);
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
        if (itemHiding == null) {
            throw new IllegalArgumentException(ITEM_HIDING + " is null");
        }
        if (itemHiding == ItemHiding.PADDING ? !(paddingRatio > 0 && paddingRatio <= 1000) : paddingRatio != 0) {
            throw new IllegalArgumentException(PADDING_RATIO + " must be in (0, 1000] with " + ITEM_HIDING
                    + "=padding and 0 otherwise, found " + paddingRatio + " with " + ITEM_HIDING + "="
                    + itemHiding.name().toLowerCase(Locale.ROOT));
        }
        if (itemHiding != ItemHiding.NONE && loss == Loss.SOFTMAX) {
            throw new IllegalArgumentException(ITEM_HIDING + "=" + itemHiding.name().toLowerCase(Locale.ROOT)
                    + " needs " + LOSS + " bpr or bce (a sampled softmax has no per-item label to draw nor a "
                    + "closed-form expectation over negatives), found softmax");
        }
        if (itemHiding == ItemHiding.DENSE && negativeCandidates != 1) {
            throw new IllegalArgumentException(ITEM_HIDING + "=dense takes the expectation over uniform negatives and "
                    + "needs " + NEGATIVE_CANDIDATES + "=1, found " + negativeCandidates);
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
                c.getInt(NEGATIVE_CANDIDATES, base.negativeCandidates()),
                parse(ItemHiding.class, ITEM_HIDING, c.getString(ITEM_HIDING, base.itemHiding().name())),
                c.getDouble(PADDING_RATIO, base.paddingRatio()));
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
                .with(FedProx.PROXIMAL_MU, proximalMu).with(NEGATIVE_CANDIDATES, negativeCandidates)
                .with(ITEM_HIDING, itemHiding.name().toLowerCase(Locale.ROOT)).with(PADDING_RATIO, paddingRatio);
    }
}
