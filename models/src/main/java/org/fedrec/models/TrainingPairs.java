package org.fedrec.models;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.fedrec.models.internal.Vectors;

/**
 * A client's (local user, item) training pairs in a per-epoch shuffled order, and the uniform negative
 * sampler the local trainers share. The pairs are the users' positives, each visited as often per epoch
 * as {@link ClientData#visits(int)} says, and, with
 * {@link TrainSettings.ItemHiding#PADDING}, each user's fake items (virtual pairs), drawn once per fit and
 * shuffled in among the real pairs.
 */
final class TrainingPairs {

    /** Rejection attempts before a sampler gives up avoiding positives (users who touched almost everything). */
    static final int NEGATIVE_TRIES = 64;

    private final int[] pairUser;
    private final int[] pairItem;
    private final int realPairs;
    /** Pair indices, each repeated by its visits per epoch (fake pairs once); shuffled at each epoch. */
    private final int[] order;

    private TrainingPairs(ClientData data, double paddingRatio, int numItems, SplittableRandom random) {
        int real = data.interactionCount();
        int[] fakes = new int[data.userCount()];
        int total = real;
        for (int lu = 0; lu < data.userCount(); lu++) {
            int positives = data.end(lu) - data.start(lu);
            fakes[lu] = (int) Math.min(numItems - positives, Math.round(paddingRatio * positives));
            total += fakes[lu];
        }
        this.realPairs = real;
        this.pairUser = new int[total];
        this.pairItem = new int[total];
        int next = real;
        for (int lu = 0; lu < data.userCount(); lu++) {
            for (int p = data.start(lu); p < data.end(lu); p++) {
                pairUser[p] = lu;
                pairItem[p] = data.item(p);
            }
            Set<Integer> chosen = new HashSet<>();
            for (int tries = 0; chosen.size() < fakes[lu] && tries < NEGATIVE_TRIES * (fakes[lu] + 1); tries++) {
                int j = random.nextInt(numItems);
                if (!data.isPositive(lu, j) && chosen.add(j)) {
                    pairUser[next] = lu;
                    pairItem[next] = j;
                    next++;
                }
            }
        }
        long visits = data.visitsPerEpoch() + (next - real);
        if (visits > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many pair visits per epoch for one client: " + visits);
        }
        this.order = new int[(int) visits];
        int at = 0;
        for (int p = 0; p < next; p++) {
            for (int v = p < real ? data.visits(p) : 1; v > 0; v--) {
                order[at++] = p;
            }
        }
    }

    /** About how many distinct rows a fit touches: each visit's item and negatives, every epoch. */
    static int expectedRows(ClientData data, TrainSettings settings) {
        double rows = (data.visitsPerEpoch() + data.interactionCount() * settings.paddingRatio())
                * (1 + settings.negatives()) * settings.epochs();
        return (int) Math.min(Integer.MAX_VALUE, rows);
    }

    int size() {
        return order.length;
    }

    /** One local training step on one (local user, item) pair; returns the step's loss. */
    @FunctionalInterface
    interface Step {
        /** @param virtual true for a padding pair: {@code item} is a fake, trained under a virtual label */
        double run(int localUser, int item, boolean virtual, SplittableRandom random);
    }

    /** What a local fit reports besides its update: the mean loss per real step and the number of steps. */
    record Progress(double meanLoss, long steps) {
    }

    /**
     * The local epoch loop the trainers share: draws the fake pairs of {@code settings.paddingRatio()}
     * (none when it is 0), then for each epoch shuffles all pairs with {@code random} and runs {@code step}
     * on every pair in that order. The mean loss is over the real pairs' steps; the step count over all.
     */
    static Progress runEpochs(ClientData data, TrainSettings settings, int numItems, SplittableRandom random,
                              Step step) {
        TrainingPairs pairs = new TrainingPairs(data, settings.paddingRatio(), numItems, random);
        double lossSum = 0;
        long realSteps = 0;
        long steps = 0;
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            pairs.shuffle(random);
            for (int i = 0; i < pairs.size(); i++) {
                int p = pairs.order[i];
                boolean virtual = p >= pairs.realPairs;
                double loss = step.run(pairs.pairUser[p], pairs.pairItem[p], virtual, random);
                if (!virtual) {
                    lossSum += loss;
                    realSteps++;
                }
                steps++;
            }
        }
        return new Progress(realSteps == 0 ? 0 : lossSum / realSteps, steps);
    }

    /** Starts an epoch: a fresh random order of the pairs. */
    void shuffle(SplittableRandom random) {
        Vectors.shuffle(order, random);
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
