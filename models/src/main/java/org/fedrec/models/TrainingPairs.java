package org.fedrec.models;

import java.util.SplittableRandom;

import org.fedrec.models.internal.Vectors;

/**
 * A client's (local user, positive item) training pairs in a per-epoch shuffled order (a pair appears as
 * many times as {@link ClientData#visits(int)} says), and the uniform
 * negative sampler the local trainers share.
 */
final class TrainingPairs {

    /** Rejection attempts before a sampler gives up avoiding positives (users who touched almost everything). */
    static final int NEGATIVE_TRIES = 64;

    private final ClientData data;
    private final int[] pairUser;
    /** Pair indices, each repeated by its visits per epoch; shuffled in place at the start of each epoch. */
    private final int[] order;

    TrainingPairs(ClientData data) {
        this.data = data;
        int n = data.interactionCount();
        this.pairUser = new int[n];
        for (int lu = 0; lu < data.userCount(); lu++) {
            for (int p = data.start(lu); p < data.end(lu); p++) {
                pairUser[p] = lu;
            }
        }
        long visits = data.visitsPerEpoch();
        if (visits > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many pair visits per epoch for one client: " + visits);
        }
        this.order = new int[(int) visits];
        int next = 0;
        for (int p = 0; p < n; p++) {
            for (int v = data.visits(p); v > 0; v--) {
                order[next++] = p;
            }
        }
    }

    /** About how many distinct rows a fit touches: each visit's positive and negatives, every epoch. */
    static int expectedRows(ClientData data, TrainSettings settings) {
        long rows = data.visitsPerEpoch() * (1 + settings.negatives()) * settings.epochs();
        return (int) Math.min(Integer.MAX_VALUE, rows);
    }

    int size() {
        return order.length;
    }

    /** One local training step on one (local user, positive item) pair; returns the step's loss. */
    @FunctionalInterface
    interface Step {
        double run(int localUser, int item, SplittableRandom random);
    }

    /** What a local fit reports besides its update: the mean loss per step and the number of steps. */
    record Progress(double meanLoss, long steps) {
    }

    /**
     * The local epoch loop the trainers share: for each of {@code epochs} epochs, shuffle the client's pairs
     * with {@code random}, then run {@code step} on every pair in that order (a pair as often as its visits).
     */
    static Progress runEpochs(ClientData data, int epochs, SplittableRandom random, Step step) {
        TrainingPairs pairs = new TrainingPairs(data);
        double lossSum = 0;
        long steps = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            pairs.shuffle(random);
            for (int i = 0; i < pairs.size(); i++) {
                lossSum += step.run(pairs.user(i), pairs.item(i), random);
                steps++;
            }
        }
        return new Progress(steps == 0 ? 0 : lossSum / steps, steps);
    }

    /** Starts an epoch: a fresh random order of the pairs. */
    void shuffle(SplittableRandom random) {
        Vectors.shuffle(order, random);
    }

    /** Local user of the {@code i}-th pair of the current order. */
    int user(int i) {
        return pairUser[order[i]];
    }

    /** Item of the {@code i}-th pair of the current order. */
    int item(int i) {
        return data.item(order[i]);
    }

    /** A uniform item of {@code 0 .. numItems-1} that is not a positive of {@code localUser}, when one is found. */
    static int sampleNegative(ClientData data, int localUser, int numItems, SplittableRandom random) {
        int j = random.nextInt(numItems);
        for (int tries = 0; tries < NEGATIVE_TRIES && data.isPositive(localUser, j); tries++) {
            j = random.nextInt(numItems);
        }
        return j;
    }
}
