package org.fedrec.models;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The local data of every client of a population, in a few primitive arrays instead of one object per
 * client, so that an idle virtual client costs its data and a few bytes: a client is materialised as a
 * {@link ClientData} only when it is asked for ({@link #client(int)}), and is garbage once its task is done.
 *
 * <p>Layout (compressed rows, twice): client {@code c} holds users {@code users[userStart[c] ..
 * userStart[c+1])}; the {@code j}-th of those users (position {@code p = userStart[c] + j}) has training
 * items {@code items[pairStart[p] .. pairStart[p+1])}, ascending, and each pair's visits per epoch in
 * {@code visits} (one unsigned byte per pair while every count is below 256, else an int; none when all
 * are 1). Per client that is 4 bytes of client offset, 8 of user index and pair offset per user, and 5
 * per training pair (4 + 1).
 *
 * <p>Client ids: when every client holds one user and is called {@code "u" + user} (cross-device, as
 * {@code PerUserPartitioner} names them) ids are derived from the index and no string is stored;
 * otherwise they are kept in an array with a hash index.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class ClientStore {

    private static final String USER_PREFIX = "u";

    private final int[] userStart;
    private final int[] users;
    private final int[] pairStart;
    private final int[] items;
    private final byte[] smallVisits;
    private final int[] largeVisits;
    private final String[] ids; // null when derived from users
    private final Map<String, Integer> indexOfId; // null when derived
    private final int[] clientOfUser; // for derived ids: user -> client, -1 when none

    private ClientStore(Builder b) {
        int clients = b.clients;
        this.userStart = Arrays.copyOf(b.userStart, clients + 1);
        this.users = Arrays.copyOf(b.users, b.userCount);
        this.pairStart = Arrays.copyOf(b.pairStart, b.userCount + 1);
        this.items = Arrays.copyOf(b.items, b.pairCount);
        if (b.anyVisits && b.maxVisits < 256) {
            byte[] small = new byte[b.pairCount];
            for (int p = 0; p < b.pairCount; p++) {
                small[p] = (byte) b.visits[p];
            }
            this.smallVisits = small;
            this.largeVisits = null;
        } else {
            this.smallVisits = null;
            this.largeVisits = b.anyVisits ? Arrays.copyOf(b.visits, b.pairCount) : null;
        }
        boolean derived = clients > 0;
        int maxUser = -1;
        for (int c = 0; c < clients && derived; c++) {
            derived = userStart[c + 1] - userStart[c] == 1 && b.ids[c].equals(USER_PREFIX + users[userStart[c]]);
            maxUser = Math.max(maxUser, derived ? users[userStart[c]] : maxUser);
        }
        if (derived) {
            this.ids = null;
            this.indexOfId = null;
            this.clientOfUser = new int[maxUser + 1];
            Arrays.fill(clientOfUser, -1);
            for (int c = 0; c < clients; c++) {
                clientOfUser[users[userStart[c]]] = c;
            }
        } else {
            this.ids = Arrays.copyOf(b.ids, clients);
            this.indexOfId = new HashMap<>();
            for (int c = 0; c < clients; c++) {
                if (indexOfId.put(ids[c], c) != null) {
                    throw new IllegalArgumentException("client id '" + ids[c] + "' appears twice");
                }
            }
            this.clientOfUser = null;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Number of clients. */
    public int clients() {
        return userStart.length - 1;
    }

    /** The id of client {@code index}. */
    public String idOf(int index) {
        Objects.checkIndex(index, clients());
        return ids != null ? ids[index] : USER_PREFIX + users[userStart[index]];
    }

    /** The index of client {@code id}, or -1 if there is none. */
    public int indexOf(String id) {
        if (ids != null) {
            Integer i = indexOfId.get(id);
            return i == null ? -1 : i;
        }
        if (id.length() < 2 || !id.startsWith(USER_PREFIX) || id.charAt(1) == '0' && id.length() > 2) {
            return -1;
        }
        int user = 0;
        for (int k = 1; k < id.length(); k++) {
            char ch = id.charAt(k);
            if (ch < '0' || ch > '9' || user > (Integer.MAX_VALUE - 9) / 10) {
                return -1;
            }
            user = user * 10 + (ch - '0');
        }
        return user < clientOfUser.length ? clientOfUser[user] : -1;
    }

    /** Every client id in index order, as a view (no string is kept for derived ids). */
    public List<String> ids() {
        return new IdList();
    }

    /** Client {@code index}'s data, materialised afresh. */
    public ClientData client(int index) {
        Objects.checkIndex(index, clients());
        int u0 = userStart[index];
        int u1 = userStart[index + 1];
        int p0 = pairStart[u0];
        int p1 = pairStart[u1];
        int[] offsets = new int[u1 - u0 + 1];
        for (int u = u0; u <= u1; u++) {
            offsets[u - u0] = pairStart[u] - p0;
        }
        int[] visits = null;
        if (smallVisits != null) {
            visits = new int[p1 - p0];
            for (int p = p0; p < p1; p++) {
                visits[p - p0] = smallVisits[p] & 0xff;
            }
        } else if (largeVisits != null) {
            visits = Arrays.copyOfRange(largeVisits, p0, p1);
        }
        return ClientData.ofValidated(Arrays.copyOfRange(users, u0, u1), offsets, Arrays.copyOfRange(items, p0, p1),
                visits);
    }

    /** Client {@code id}'s data; the error names the id. */
    public ClientData client(String id) {
        int index = indexOf(id);
        if (index < 0) {
            throw new IllegalArgumentException("no client '" + id + "' in this partition");
        }
        return client(index);
    }

    /** Global indices of client {@code index}'s users. */
    public int[] usersOf(int index) {
        Objects.checkIndex(index, clients());
        return Arrays.copyOfRange(users, userStart[index], userStart[index + 1]);
    }

    /** Pair visits per local epoch of client {@code index} (its training pairs, counted with their visits). */
    public long visitsPerEpoch(int index) {
        Objects.checkIndex(index, clients());
        int p0 = pairStart[userStart[index]];
        int p1 = pairStart[userStart[index + 1]];
        if (smallVisits == null && largeVisits == null) {
            return p1 - p0;
        }
        long sum = 0;
        for (int p = p0; p < p1; p++) {
            sum += smallVisits != null ? smallVisits[p] & 0xff : largeVisits[p];
        }
        return sum;
    }

    /** Total training pairs. */
    public long pairs() {
        return items.length;
    }

    /** Bytes of the arrays this store holds (data plus client bookkeeping), for memory reports. */
    public long bytes() {
        long b = 4L * (userStart.length + users.length + pairStart.length + items.length);
        b += smallVisits != null ? smallVisits.length : 0;
        b += largeVisits != null ? 4L * largeVisits.length : 0;
        b += clientOfUser != null ? 4L * clientOfUser.length : 0;
        if (ids != null) {
            for (String id : ids) {
                b += 40 + 2L * id.length() + 32; // string, its bytes, a hash entry (estimate)
            }
        }
        return b;
    }

    private final class IdList extends AbstractList<String> implements RandomAccess {
        @Override
        public String get(int index) {
            return idOf(index);
        }

        @Override
        public int size() {
            return clients();
        }
    }

    /** Appends clients one after another. */
    public static final class Builder {
        private int clients;
        private int userCount;
        private int pairCount;
        private int[] userStart = new int[17];
        private int[] users = new int[16];
        private int[] pairStart = new int[17];
        private int[] items = new int[64];
        private int[] visits = new int[64];
        private String[] ids = new String[17];
        private boolean anyVisits;
        private int maxVisits;

        private Builder() {
        }

        /** Adds the next client (index = the number added before). */
        public Builder add(String id, ClientData data) {
            Objects.requireNonNull(id, "id");
            if (clients + 1 >= userStart.length) {
                userStart = Arrays.copyOf(userStart, userStart.length * 2);
                ids = Arrays.copyOf(ids, userStart.length);
            }
            int n = data.userCount();
            if (userCount + n + 1 >= pairStart.length) {
                int grown = Math.max(pairStart.length * 2, userCount + n + 2);
                pairStart = Arrays.copyOf(pairStart, grown);
                users = Arrays.copyOf(users, grown);
            }
            int pairs = data.interactionCount();
            if ((long) pairCount + pairs > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("a client store holds at most 2^31 training pairs");
            }
            if (pairCount + pairs > items.length) {
                int grown = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(items.length * 2L, pairCount + pairs));
                items = Arrays.copyOf(items, grown);
                visits = Arrays.copyOf(visits, grown);
            }
            ids[clients] = id;
            for (int j = 0; j < n; j++) {
                users[userCount + j] = data.user(j);
                pairStart[userCount + j] = pairCount + data.start(j);
            }
            for (int p = 0; p < pairs; p++) {
                items[pairCount + p] = data.item(p);
                int v = data.visits(p);
                visits[pairCount + p] = v;
                anyVisits |= v != 1;
                maxVisits = Math.max(maxVisits, v);
            }
            userCount += n;
            pairCount += pairs;
            pairStart[userCount] = pairCount;
            clients++;
            userStart[clients] = userCount;
            return this;
        }

        public ClientStore build() {
            return new ClientStore(this);
        }
    }
}
