package org.fedrec.models;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The local data of one federated client: the users it holds (dense global user indices) and each
 * user's training items (positives), in compressed-row form. A cross-device client holds one user; a
 * silo, or the centralized baseline, holds many. Each training pair is visited once per local epoch, or
 * more often when built with a {@link RecencyWeighting}.
 */
public final class ClientData {

    private final int[] users;
    private final int[] offsets;
    private final int[] items;
    /** Per training pair, its visits per epoch; {@code null} when every pair is visited once. */
    private final int[] visits;

    /**
     * @param users   the client's users, distinct
     * @param offsets {@code users.length + 1} offsets into {@code items}
     * @param items   each user's positive items; sorted ascending and distinct within a user
     */
    public ClientData(int[] users, int[] offsets, int[] items) {
        this(users, offsets, items, null);
    }

    /** From a {@link ClientStore}'s slices (already validated there): visits per pair, or null. */
    static ClientData ofValidated(int[] users, int[] offsets, int[] items, int[] visits) {
        return new ClientData(users, offsets, items, visits, false);
    }

    private ClientData(int[] users, int[] offsets, int[] items, int[] visits) {
        this(users, offsets, items, visits, true);
    }

    private ClientData(int[] users, int[] offsets, int[] items, int[] visits, boolean copy) {
        if (offsets.length != users.length + 1 || offsets[0] != 0 || offsets[users.length] != items.length) {
            throw new IllegalArgumentException("offsets must have users+1 entries from 0 to items.length");
        }
        for (int u = 0; u < users.length; u++) {
            for (int p = offsets[u] + 1; p < offsets[u + 1]; p++) {
                if (items[p] <= items[p - 1]) {
                    throw new IllegalArgumentException("items of user " + users[u]
                            + " must be sorted and distinct, found " + items[p - 1] + " then " + items[p]);
                }
            }
        }
        this.users = copy ? users.clone() : users;
        this.offsets = copy ? offsets.clone() : offsets;
        this.items = copy ? items.clone() : items;
        this.visits = visits;
    }

    /** Builds from per-user item lists (each is sorted and de-duplicated here). */
    public static ClientData of(int[] users, int[][] itemsPerUser) {
        int[] offsets = new int[users.length + 1];
        int[][] sorted = new int[users.length][];
        for (int u = 0; u < users.length; u++) {
            sorted[u] = Arrays.stream(itemsPerUser[u]).sorted().distinct().toArray();
            offsets[u + 1] = offsets[u] + sorted[u].length;
        }
        int[] items = new int[offsets[users.length]];
        for (int u = 0; u < users.length; u++) {
            System.arraycopy(sorted[u], 0, items, offsets[u], sorted[u].length);
        }
        return new ClientData(users, offsets, items);
    }

    /**
     * Builds from per-user item lists in the order the user interacted, oldest first, visiting recent pairs
     * more often as {@code weighting} says. An item listed twice for a user is one pair, aged by its latest
     * occurrence.
     */
    public static ClientData ofChronological(int[] users, int[][] itemsOldestFirst, RecencyWeighting weighting) {
        if (itemsOldestFirst.length != users.length) {
            throw new IllegalArgumentException("expected one item list per user (" + users.length + "), found "
                    + itemsOldestFirst.length);
        }
        int[][] sorted = new int[users.length][];
        for (int u = 0; u < users.length; u++) {
            sorted[u] = Arrays.stream(itemsOldestFirst[u]).sorted().distinct().toArray();
        }
        ClientData plain = of(users, sorted);
        int[] visits = new int[plain.items.length];
        for (int u = 0; u < users.length; u++) {
            int[] chronological = itemsOldestFirst[u];
            Map<Integer, Integer> ageOf = new HashMap<>();
            for (int k = chronological.length - 1; k >= 0; k--) {
                ageOf.putIfAbsent(chronological[k], ageOf.size());
            }
            for (int p = plain.offsets[u]; p < plain.offsets[u + 1]; p++) {
                visits[p] = weighting.visits(ageOf.get(plain.items[p]));
            }
        }
        return new ClientData(plain.users, plain.offsets, plain.items, visits);
    }

    public int userCount() {
        return users.length;
    }

    /** Global index of the client's {@code local}-th user. */
    public int user(int local) {
        return users[local];
    }

    public int[] users() {
        return users.clone();
    }

    /** Number of (user, item) training pairs: the FedAvg weight. */
    public int interactionCount() {
        return items.length;
    }

    public int start(int local) {
        return offsets[local];
    }

    public int end(int local) {
        return offsets[local + 1];
    }

    /** How many times local training visits pair {@code p} per epoch (1 unless built with a recency weighting). */
    public int visits(int p) {
        return visits == null ? 1 : visits[p];
    }

    /** Pair visits per local epoch: the sum of {@link #visits(int)} over the pairs. */
    public long visitsPerEpoch() {
        return visits == null ? items.length : Arrays.stream(visits).asLongStream().sum();
    }

    /** The item of training pair {@code p} (pairs are grouped by user). */
    public int item(int p) {
        return items[p];
    }

    /** True if {@code item} is a training positive of the client's {@code local}-th user. */
    public boolean isPositive(int local, int item) {
        return Arrays.binarySearch(items, offsets[local], offsets[local + 1], item) >= 0;
    }

    /** The {@code local}-th user's positives, as a copy. */
    public int[] itemsOf(int local) {
        return Arrays.copyOfRange(items, offsets[local], offsets[local + 1]);
    }
}
