package org.fedrec.models.eval;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.IntStream;

import org.fedrec.core.SplitMix64;
import org.fedrec.models.eval.internal.Sampling;

/**
 * The candidates of leave-one-out evaluation with sampled negatives (He et al., "Neural Collaborative
 * Filtering", WWW 2017): for each user with a held-out test item, that item and {@code negatives} items
 * (99 by default) drawn uniformly without replacement from the items the user never interacted with.
 * Built once and reused by every evaluation, so that all rounds and all models are ranked against the
 * same candidates.
 *
 * <p><b>Determinism.</b> A user's negatives are a function of {@code (seed, user, numItems, negatives)}
 * and the user's excluded items alone (interacted items and test item), never of other users: so the
 * same user gets the same candidates whether evaluated centrally or inside a federated client holding
 * only some users (build there with {@code -1} as the test item of every user the client does not hold).
 * Exactly: let {@code E} be the user's interacted items with the test item added, sorted, and
 * {@code m = numItems - |E|}; Floyd's algorithm draws {@code negatives} distinct ranks in {@code [0, m)}
 * from {@link SplitMix64#forStream SplitMix64.forStream(seed, user)} with {@link SplitMix64#nextIntJdkRule};
 * the ranks, sorted, are mapped to the items that are the rank-th smallest outside {@code E}.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class SampledCandidates {
    /** The number of negatives of the NCF protocol. */
    public static final int DEFAULT_NEGATIVES = 99;

    private final int numItems;
    private final int negatives;
    private final long seed;
    /** Per user, the start of its row in {@link #rows}, or -1 if it has no test item. */
    private final int[] rowStart;
    /** Rows of {@code negatives + 1} items: the test item, then the negatives ascending. */
    private final int[] rows;

    private SampledCandidates(int numItems, int negatives, long seed, int[] rowStart, int[] rows) {
        this.numItems = numItems;
        this.negatives = negatives;
        this.seed = seed;
        this.rowStart = rowStart;
        this.rows = rows;
    }

    /** As {@link #build(int, UserItems, int[], int, long)} with {@code interacted[u]} the items of user u. */
    public static SampledCandidates build(int numItems, int[][] interacted, int[] testItemPerUser, int negatives,
            long seed) {
        return build(numItems, UserItems.ofRows(interacted), testItemPerUser, negatives, seed);
    }

    /**
     * Samples the candidates of every user that has a test item.
     *
     * @param numItems the number of items; item indices are in {@code [0, numItems)}
     * @param interacted per user, every item it interacted with in training, validation or test data
     * @param testItemPerUser per user, its held-out test item, or -1 for a user not to be evaluated; its
     *     length is the number of users
     * @param negatives the number of negatives per user ({@link #DEFAULT_NEGATIVES} in the NCF protocol)
     * @param seed the seed of the sampling
     * @throws IllegalArgumentException if a user to evaluate has fewer than {@code negatives} items it never
     *     interacted with, or an index is out of range
     */
    public static SampledCandidates build(int numItems, UserItems interacted, int[] testItemPerUser, int negatives,
            long seed) {
        Objects.requireNonNull(interacted, "interacted");
        Objects.requireNonNull(testItemPerUser, "testItemPerUser");
        if (numItems < 1) {
            throw new IllegalArgumentException("expected numItems >= 1, found " + numItems);
        }
        if (negatives < 1) {
            throw new IllegalArgumentException("expected negatives >= 1, found " + negatives);
        }
        int numUsers = testItemPerUser.length;
        interacted.requireUsers(numUsers, "interacted items (one row per entry of testItemPerUser)");
        interacted.requireItemsBelow(numItems, "interacted items");
        int width = negatives + 1;
        int[] rowStart = new int[numUsers];
        int next = 0;
        for (int u = 0; u < numUsers; u++) {
            int test = testItemPerUser[u];
            if (test < -1 || test >= numItems) {
                throw new IllegalArgumentException("testItemPerUser[" + u + "]: expected an item index in [0, "
                        + numItems + ") or -1 (none), found " + test);
            }
            if (test == -1) {
                rowStart[u] = -1;
                continue;
            }
            int unseen = numItems - interacted.count(u) - (interacted.contains(u, test) ? 0 : 1);
            if (unseen < negatives) {
                throw new IllegalArgumentException("user " + u + ": expected at least " + negatives
                        + " items never interacted with to sample negatives from, found " + unseen + " of "
                        + numItems);
            }
            if (next > Integer.MAX_VALUE - width) {
                throw new IllegalArgumentException("too many candidates for one array: " + numUsers
                        + " users x " + width);
            }
            rowStart[u] = next;
            next += width;
        }
        int[] rows = new int[next];
        IntStream.range(0, numUsers).parallel().filter(u -> rowStart[u] >= 0).forEach(u -> fillRow(numItems,
                interacted, u, testItemPerUser[u], negatives, seed, rows, rowStart[u]));
        return new SampledCandidates(numItems, negatives, seed, rowStart, rows);
    }

    private static void fillRow(int numItems, UserItems interacted, int user, int test, int negatives, long seed,
            int[] rows, int at) {
        int[] excluded = withItem(interacted, user, test);
        rows[at] = test;
        int from = at + 1;
        int to = from + negatives;
        Sampling.distinct(SplitMix64.forStream(seed, user), numItems - excluded.length, negatives, rows, from);
        Arrays.sort(rows, from, to);
        // The rank-th item outside `excluded` is rank + #{i : excluded[i] - i <= rank}.
        int p = 0;
        for (int c = from; c < to; c++) {
            int rank = rows[c];
            while (p < excluded.length && excluded[p] - p <= rank) {
                p++;
            }
            rows[c] = rank + p;
        }
    }

    /** The user's sorted interacted items with {@code item} inserted if absent. */
    private static int[] withItem(UserItems interacted, int user, int item) {
        int start = interacted.start(user);
        int end = interacted.end(user);
        int[] all = interacted.itemArray();
        int pos = Arrays.binarySearch(all, start, end, item);
        if (pos >= 0) {
            return Arrays.copyOfRange(all, start, end);
        }
        int insert = -pos - 1;
        int[] out = new int[end - start + 1];
        System.arraycopy(all, start, out, 0, insert - start);
        out[insert - start] = item;
        System.arraycopy(all, insert, out, insert - start + 1, end - insert);
        return out;
    }

    public int numUsers() {
        return rowStart.length;
    }

    public int numItems() {
        return numItems;
    }

    /** The number of negatives per user. */
    public int negatives() {
        return negatives;
    }

    public long seed() {
        return seed;
    }

    /** The users that have a test item, ascending. */
    public int[] testUsers() {
        return IntStream.range(0, rowStart.length).filter(u -> rowStart[u] >= 0).toArray();
    }

    public boolean hasTestItem(int user) {
        return rowStart[user] >= 0;
    }

    /** The user's test item, or -1 if it has none. */
    public int testItem(int user) {
        int at = rowStart[user];
        return at < 0 ? -1 : rows[at];
    }

    /** The user's sampled negatives, ascending (a copy); empty if it has no test item. */
    public int[] negativesOf(int user) {
        int at = rowStart[user];
        return at < 0 ? new int[0] : Arrays.copyOfRange(rows, at + 1, at + 1 + negatives);
    }

    /** The start of the user's row (test item, then negatives) in {@link #rowArray()}, or -1. */
    int rowStart(int user) {
        return rowStart[user];
    }

    /** All rows back to back; not a copy, never modify. */
    int[] rowArray() {
        return rows;
    }

    @Override
    public String toString() {
        return "SampledCandidates[users=" + rows.length / (negatives + 1) + " of " + rowStart.length + ", items="
                + numItems + ", negatives=" + negatives + ", seed=" + seed + "]";
    }
}
