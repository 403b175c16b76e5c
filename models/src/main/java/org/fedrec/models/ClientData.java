package org.fedrec.models;

import java.util.Arrays;

/**
 * The local data of one federated client: the users it holds (dense global user indices) and each
 * user's training items (positives), in compressed-row form. A cross-device client holds one user; a
 * silo, or the centralized baseline, holds many.
 */
public final class ClientData {

    private final int[] users;
    private final int[] offsets;
    private final int[] items;

    /**
     * @param users   the client's users, distinct
     * @param offsets {@code users.length + 1} offsets into {@code items}
     * @param items   each user's positive items; sorted ascending and distinct within a user
     */
    public ClientData(int[] users, int[] offsets, int[] items) {
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
        this.users = users.clone();
        this.offsets = offsets.clone();
        this.items = items.clone();
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
