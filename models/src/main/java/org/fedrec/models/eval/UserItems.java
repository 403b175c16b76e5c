package org.fedrec.models.eval;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable set of items per user (training interactions, held-out test items, exclusions), stored
 * in compressed sparse row form: each user's items sorted ascending and without repeats, whatever order
 * and repeats the input had. Users and items are dense 0-based indices.
 */
public final class UserItems {
    private final int[] offsets;
    private final int[] items;
    private final int maxItem;

    private UserItems(int[] offsets, int[] items, int maxItem) {
        this.offsets = offsets;
        this.items = items;
        this.maxItem = maxItem;
    }

    /** {@code rows[u]} holds the items of user {@code u} (a null row is an empty one). The input is copied. */
    public static UserItems ofRows(int[][] rows) {
        Objects.requireNonNull(rows, "rows");
        int[] offsets = new int[rows.length + 1];
        for (int u = 0; u < rows.length; u++) {
            offsets[u + 1] = offsets[u] + (rows[u] == null ? 0 : rows[u].length);
        }
        int[] flat = new int[offsets[rows.length]];
        for (int u = 0; u < rows.length; u++) {
            if (rows[u] != null) {
                System.arraycopy(rows[u], 0, flat, offsets[u], rows[u].length);
            }
        }
        return normalized(offsets, flat);
    }

    /**
     * Compressed sparse rows: user {@code u}'s items are {@code items[offsets[u] .. offsets[u+1])}, so
     * {@code offsets} has one entry more than there are users. The input is copied.
     */
    public static UserItems ofCsr(int[] offsets, int[] items) {
        Objects.requireNonNull(offsets, "offsets");
        Objects.requireNonNull(items, "items");
        if (offsets.length == 0) {
            throw new IllegalArgumentException("offsets: expected numUsers + 1 >= 1 entries, found none");
        }
        int base = offsets[0];
        if (base < 0 || base > items.length) {
            throw new IllegalArgumentException("offsets: expected offsets[0] in [0, " + items.length
                    + "], found " + base);
        }
        for (int u = 0; u + 1 < offsets.length; u++) {
            if (offsets[u + 1] < offsets[u] || offsets[u + 1] > items.length) {
                throw new IllegalArgumentException("offsets: expected non-decreasing offsets within [0, "
                        + items.length + "], found offsets[" + u + "]=" + offsets[u] + ", offsets[" + (u + 1)
                        + "]=" + offsets[u + 1]);
            }
        }
        int[] shifted = new int[offsets.length];
        for (int u = 0; u < offsets.length; u++) {
            shifted[u] = offsets[u] - base;
        }
        return normalized(shifted, Arrays.copyOfRange(items, base, offsets[offsets.length - 1]));
    }

    /** Pairs {@code (users[i], items[i])}, e.g. the interaction columns of a data set. */
    public static UserItems ofPairs(int numUsers, int[] users, int[] items) {
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(items, "items");
        if (numUsers < 0) {
            throw new IllegalArgumentException("expected numUsers >= 0, found " + numUsers);
        }
        if (users.length != items.length) {
            throw new IllegalArgumentException("expected as many users as items, found " + users.length
                    + " users and " + items.length + " items");
        }
        int[] offsets = new int[numUsers + 1];
        for (int i = 0; i < users.length; i++) {
            int u = users[i];
            if (u < 0 || u >= numUsers) {
                throw new IllegalArgumentException("users[" + i + "]: expected a user index in [0, " + numUsers
                        + "), found " + u);
            }
            offsets[u + 1]++;
        }
        for (int u = 0; u < numUsers; u++) {
            offsets[u + 1] += offsets[u];
        }
        int[] next = Arrays.copyOf(offsets, numUsers);
        int[] flat = new int[items.length];
        for (int i = 0; i < users.length; i++) {
            flat[next[users[i]]++] = items[i];
        }
        return normalized(offsets, flat);
    }

    /** Every user's items in any of {@code sets}, each of which must have {@code numUsers} users. */
    static UserItems union(int numUsers, List<UserItems> sets) {
        int[] offsets = new int[numUsers + 1];
        for (UserItems s : sets) {
            s.requireUsers(numUsers, "item set");
        }
        for (int u = 0; u < numUsers; u++) {
            int n = 0;
            for (UserItems s : sets) {
                n += s.count(u);
            }
            offsets[u + 1] = offsets[u] + n;
        }
        int[] flat = new int[offsets[numUsers]];
        for (int u = 0; u < numUsers; u++) {
            int at = offsets[u];
            for (UserItems s : sets) {
                System.arraycopy(s.items, s.start(u), flat, at, s.count(u));
                at += s.count(u);
            }
        }
        return normalized(offsets, flat);
    }

    /** Sorts and de-duplicates each row in place and compacts the rows; rejects negative items. */
    private static UserItems normalized(int[] offsets, int[] flat) {
        int numUsers = offsets.length - 1;
        int out = 0;
        int maxItem = -1;
        int start = offsets[0];
        for (int u = 0; u < numUsers; u++) {
            int end = offsets[u + 1];
            Arrays.sort(flat, start, end);
            if (start < end && flat[start] < 0) {
                throw new IllegalArgumentException("expected item indices >= 0, found " + flat[start]
                        + " for user " + u);
            }
            offsets[u] = out;
            for (int p = start; p < end; p++) {
                if (p == start || flat[p] != flat[p - 1]) {
                    flat[out++] = flat[p];
                }
            }
            if (end > start) {
                maxItem = Math.max(maxItem, flat[out - 1]);
            }
            start = end;
        }
        offsets[numUsers] = out;
        return new UserItems(offsets, out == flat.length ? flat : Arrays.copyOf(flat, out), maxItem);
    }

    public int numUsers() {
        return offsets.length - 1;
    }

    /** The number of distinct items of {@code user}. */
    public int count(int user) {
        return offsets[user + 1] - offsets[user];
    }

    /** The number of (user, item) pairs. */
    public int size() {
        return items.length;
    }

    /** The items of {@code user}, ascending (a copy). */
    public int[] itemsOf(int user) {
        return Arrays.copyOfRange(items, offsets[user], offsets[user + 1]);
    }

    public boolean contains(int user, int item) {
        return Arrays.binarySearch(items, offsets[user], offsets[user + 1], item) >= 0;
    }

    /** The first position of {@code user}'s row in {@link #itemArray()}. */
    int start(int user) {
        return offsets[user];
    }

    /** One past the last position of {@code user}'s row. */
    int end(int user) {
        return offsets[user + 1];
    }

    /** All rows back to back; not a copy, never modify. */
    int[] itemArray() {
        return items;
    }

    void requireUsers(int numUsers, String what) {
        if (numUsers() != numUsers) {
            throw new IllegalArgumentException(what + ": expected " + numUsers + " users, found " + numUsers());
        }
    }

    void requireItemsBelow(int numItems, String what) {
        if (maxItem < numItems) {
            return;
        }
        for (int u = 0; ; u++) {
            if (count(u) > 0 && items[end(u) - 1] >= numItems) {
                throw new IllegalArgumentException(what + ": expected item indices in [0, " + numItems
                        + "), found " + items[end(u) - 1] + " for user " + u);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserItems other && Arrays.equals(offsets, other.offsets)
                && Arrays.equals(items, other.items);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(offsets) + Arrays.hashCode(items);
    }

    @Override
    public String toString() {
        return "UserItems[users=" + numUsers() + ", pairs=" + size() + "]";
    }
}
