package org.fedrec.privacy.secagg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import org.fedrec.privacy.secagg.Message.AdvertiseKeys;
import org.fedrec.privacy.secagg.Message.ClientMessage;
import org.fedrec.privacy.secagg.Message.EncryptedShare;
import org.fedrec.privacy.secagg.Message.KeyDirectory;
import org.fedrec.privacy.secagg.Message.MaskedInput;
import org.fedrec.privacy.secagg.Message.RevealedShare;
import org.fedrec.privacy.secagg.Message.ShareBundle;
import org.fedrec.privacy.secagg.Message.ShareKeys;
import org.fedrec.privacy.secagg.Message.UnmaskingRequest;
import org.fedrec.privacy.secagg.Message.UnmaskingResponse;
import org.fedrec.privacy.secagg.internal.Derivation;
import org.fedrec.privacy.secagg.internal.MaskExpansion;
import org.fedrec.privacy.secagg.internal.Shamir;
import org.fedrec.privacy.secagg.internal.X25519;

/**
 * The server's side of a secure-aggregation round (Bonawitz et al., CCS 2017, Figure 4, semi-honest
 * variant; SecAgg+ of Bell et al. 2020 when the round's graph is sparse), as a state machine. In each
 * collecting state it {@link #receive}s the clients' messages of that stage, in any order; closing the
 * stage (when the deadline passes, in a deployment) fixes who is still in the round and yields the
 * messages for the next:
 *
 * <pre>
 *  COLLECTING_KEYS --closeKeyAdvertisement--> COLLECTING_SHARES --closeKeySharing-->
 *  COLLECTING_MASKED_INPUTS --closeMaskedInputCollection--> COLLECTING_UNMASKING --closeUnmasking--> DONE
 *  (any close) --too few clients--> ABORTED
 * </pre>
 *
 * <p><b>Dropouts.</b> Let U1 ⊇ U2 ⊇ U3 ⊇ U4 be the clients that advertised keys, shared keys, sent a masked
 * input and answered the unmasking request. A client's secrets are held by its group (itself and its
 * neighbours) among the clients that received its shares, and t of them are needed. After stages 0 and 1
 * the server drops every client whose group among the live clients is smaller than t (repeating until
 * none is: for the complete graph, the round aborts when fewer than t clients are live); such a client
 * has not masked anything yet. After stage 2 it checks, before asking for any share, that every secret it
 * will need still has t holders in U3, and aborts otherwise. After stage 3 it aborts if some secret got
 * fewer than t shares. An aborted round has released fewer than t shares of every secret the sum needs,
 * so it reveals no client's input. In between, any pattern of dropouts that leaves t holders for every
 * needed secret is recovered: for the complete graph, up to n - t dropouts at any stages.
 *
 * <p><b>Unmasking.</b> For each survivor u it reconstructs the self-mask seed b_u (never the mask key) and
 * removes PRG(b_u); for each client v that dropped after sharing it reconstructs the mask key s_v^SK
 * (never the seed) and removes the pairwise masks v shared with surviving neighbours. A reconstructed
 * mask key must match the advertised public key and a seed its commitment; a mismatch means a corrupt
 * share, and the server names the client that sent it when the spare shares identify it.
 *
 * <p>Mask expansion in {@link #closeUnmasking} runs on the common fork-join pool. Otherwise not
 * thread-safe: one thread drives a session.
 */
public final class ServerSession {

    /** Where the server is in the round. */
    public enum State {
        COLLECTING_KEYS(Stage.ADVERTISE_KEYS), COLLECTING_SHARES(Stage.SHARE_KEYS),
        COLLECTING_MASKED_INPUTS(Stage.MASKED_INPUT), COLLECTING_UNMASKING(Stage.UNMASKING), DONE(null),
        ABORTED(null);

        private final Stage collects;

        State(Stage collects) {
            this.collects = collects;
        }

        /** The stage whose client messages this state accepts, or null. */
        public Stage collects() {
            return collects;
        }
    }

    private final RoundSetup setup;
    private final int n;
    private State state = State.COLLECTING_KEYS;
    private final AdvertiseKeys[] advertised;
    private final ShareKeys[] shared;
    private final boolean[] maskedInput;
    private final UnmaskingResponse[] responses;
    private final UnmaskingRequest[] requests;
    /** U1, U2, U3 once their stages are closed. */
    private boolean[] live1;
    private boolean[] live2;
    private final long[] sum;

    public ServerSession(RoundSetup setup) {
        this.setup = Objects.requireNonNull(setup, "setup");
        this.n = setup.clients().size();
        this.advertised = new AdvertiseKeys[n];
        this.shared = new ShareKeys[n];
        this.maskedInput = new boolean[n];
        this.responses = new UnmaskingResponse[n];
        this.requests = new UnmaskingRequest[n];
        this.sum = new long[setup.vectorLength()];
    }

    public State state() {
        return state;
    }

    public RoundSetup setup() {
        return setup;
    }

    /**
     * Accepts one client message of the stage being collected. A message for another round or stage, from
     * a client not expected at this stage, a second message from the same client, or one of the wrong shape
     * is refused with a {@link SecAggProtocolException} naming the client; the session is unchanged and the
     * client counts as silent for this stage.
     */
    public void receive(ClientMessage m) {
        Objects.requireNonNull(m, "message");
        String type = m.getClass().getSimpleName();
        if (state.collects() == null) {
            throw violation("got a " + type + " from client " + m.client() + " but the round is " + state);
        }
        if (m.round() != setup.round()) {
            throw violation("got a " + type + " for round " + m.round() + " from client " + m.client());
        }
        if (m.stage() != state.collects()) {
            throw violation("got a " + type + " (stage " + m.stage() + ") from client " + m.client()
                    + " while collecting stage " + state.collects());
        }
        int u = setup.number(m.client());
        if (m instanceof AdvertiseKeys a) {
            requireFirst(advertised[u] != null, a);
            advertised[u] = a;
        } else if (m instanceof ShareKeys s) {
            requireExpected(live1[u], s, "it is not among the clients that advertised keys");
            requireFirst(shared[u] != null, s);
            checkShares(u, s);
            shared[u] = s;
        } else if (m instanceof MaskedInput y) {
            requireExpected(live2[u], y, "it is not among the clients that shared keys");
            requireFirst(maskedInput[u], y);
            checkMaskedInput(y);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += y.masked()[i];
            }
            maskedInput[u] = true;
        } else if (m instanceof UnmaskingResponse r) {
            requireExpected(requests[u] != null, r, "it was not asked to unmask");
            requireFirst(responses[u] != null, r);
            checkResponse(requests[u], r);
            responses[u] = r;
        }
    }

    /** Closes stage 0: fixes U1 and returns each member's directory of its live neighbours' keys. */
    public Map<String, KeyDirectory> closeKeyAdvertisement() {
        requireState(State.COLLECTING_KEYS, "closeKeyAdvertisement");
        boolean[] live = new boolean[n];
        for (int u = 0; u < n; u++) {
            live[u] = advertised[u] != null;
        }
        live1 = keepGroupsOfThreshold(live, Stage.ADVERTISE_KEYS);
        Map<String, KeyDirectory> out = new LinkedHashMap<>();
        for (int u = 0; u < n; u++) {
            if (live1[u]) {
                List<AdvertiseKeys> keys = new ArrayList<>();
                for (int v : setup.graph().neighbours(u)) {
                    if (live1[v]) {
                        keys.add(advertised[v]);
                    }
                }
                out.put(id(u), new KeyDirectory(setup.round(), id(u), keys));
            }
        }
        state = State.COLLECTING_SHARES;
        return out;
    }

    /** Closes stage 1: fixes U2 and returns, for each member, the shares its live neighbours sent it. */
    public Map<String, ShareBundle> closeKeySharing() {
        requireState(State.COLLECTING_SHARES, "closeKeySharing");
        boolean[] live = new boolean[n];
        for (int u = 0; u < n; u++) {
            live[u] = shared[u] != null;
        }
        live2 = keepGroupsOfThreshold(live, Stage.SHARE_KEYS);
        List<List<EncryptedShare>> inbox = new ArrayList<>(n);
        for (int u = 0; u < n; u++) {
            inbox.add(new ArrayList<>());
        }
        for (int v = 0; v < n; v++) {
            if (live2[v]) {
                for (EncryptedShare s : shared[v].shares()) {
                    int to = setup.number(s.recipient());
                    if (live2[to]) {
                        inbox.get(to).add(s);
                    }
                }
            }
        }
        Map<String, ShareBundle> out = new LinkedHashMap<>();
        for (int u = 0; u < n; u++) {
            if (live2[u]) {
                out.put(id(u), new ShareBundle(setup.round(), id(u), inbox.get(u)));
            }
        }
        state = State.COLLECTING_MASKED_INPUTS;
        return out;
    }

    /**
     * Closes stage 2: fixes U3 and, if every secret the sum needs still has t holders in U3, returns each
     * survivor's unmasking request; otherwise aborts before any share is revealed.
     */
    public Map<String, UnmaskingRequest> closeMaskedInputCollection() {
        requireState(State.COLLECTING_MASKED_INPUTS, "closeMaskedInputCollection");
        if (count(maskedInput) == 0) {
            throw abort(Stage.MASKED_INPUT, "none of the " + count(live2) + " clients that shared keys sent a masked"
                    + " input");
        }
        for (int u = 0; u < n; u++) {
            if (maskedInput[u] && holders(u, maskedInput) < setup.threshold()) {
                throw abort(Stage.MASKED_INPUT, "the self-mask seed of client " + id(u) + " has "
                        + holders(u, maskedInput) + " holders among the " + count(maskedInput)
                        + " clients that sent a masked input; the threshold is " + setup.threshold());
            }
            if (droppedAfterSharing(u) && hasSurvivingNeighbour(u)
                    && holders(u, maskedInput) < setup.threshold()) {
                throw abort(Stage.MASKED_INPUT, "client " + id(u) + " dropped after sharing keys and its mask key has "
                        + holders(u, maskedInput) + " holders among the " + count(maskedInput)
                        + " clients that sent a masked input; the threshold is " + setup.threshold());
            }
        }
        Map<String, UnmaskingRequest> out = new LinkedHashMap<>();
        for (int u = 0; u < n; u++) {
            if (maskedInput[u]) {
                List<String> dropped = new ArrayList<>();
                List<String> survivors = new ArrayList<>();
                for (int v : group(u)) {
                    if (maskedInput[v]) {
                        survivors.add(id(v));
                    } else if (live2[v]) {
                        dropped.add(id(v));
                    }
                }
                requests[u] = new UnmaskingRequest(setup.round(), id(u), dropped, survivors);
                out.put(id(u), requests[u]);
            }
        }
        state = State.COLLECTING_UNMASKING;
        return out;
    }

    /**
     * Closes stage 3: reconstructs the self-mask seeds of the survivors and the mask keys of the clients
     * that dropped after sharing, removes their masks and returns the sum of the survivors' inputs; aborts
     * if some secret got fewer than t shares.
     */
    public SecAggResult closeUnmasking() {
        requireState(State.COLLECTING_UNMASKING, "closeUnmasking");
        List<MaskRemoval> removals = new ArrayList<>();
        for (int u = 0; u < n; u++) {
            if (maskedInput[u]) {
                String owner = id(u);
                byte[] commitment = shared[u].selfMaskCommitment();
                byte[] seed = recover(u, false, s -> Arrays.equals(commitment,
                        Derivation.selfMaskCommitment(setup.round(), owner, s)));
                removals.add(new MaskRemoval(u, -1, seed));
            } else if (droppedAfterSharing(u) && hasSurvivingNeighbour(u)) {
                byte[] publicKey = advertised[u].maskingKey();
                String owner = id(u);
                byte[] maskKey = recover(u, true, s -> Arrays.equals(publicKey, X25519.publicKeyOf(s, owner)));
                for (int v : setup.graph().neighbours(u)) {
                    if (maskedInput[v]) {
                        removals.add(new MaskRemoval(v, u, maskKey));
                    }
                }
            }
        }
        int length = sum.length;
        long[] masks = IntStream.range(0, removals.size()).parallel().collect(() -> new long[length],
                (acc, i) -> removals.get(i).addTo(acc), ServerSession::addInto);
        long mask = setup.modulusMask();
        long[] out = new long[length];
        List<String> contributors = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            out[i] = (sum[i] - masks[i]) & mask;
        }
        for (int u = 0; u < n; u++) {
            if (maskedInput[u]) {
                contributors.add(id(u));
            }
        }
        state = State.DONE;
        return new SecAggResult(setup.round(), out, contributors);
    }

    /**
     * A mask the server must subtract: the self mask of {@code survivor} (dropped = -1, secret = its seed),
     * or the pairwise mask of {@code survivor} with {@code dropped} (secret = the dropped client's mask key).
     */
    private final class MaskRemoval {
        final int survivor;
        final int dropped;
        final byte[] secret;

        MaskRemoval(int survivor, int dropped, byte[] secret) {
            this.survivor = survivor;
            this.dropped = dropped;
            this.secret = secret;
        }

        void addTo(long[] acc) {
            if (dropped < 0) {
                MaskExpansion.addMask(secret, setup.modulusBits(), 1, acc);
                return;
            }
            String d = id(dropped);
            String s = id(survivor);
            byte[] agreed = X25519.agree(X25519.privateKey(secret, d),
                    X25519.publicKey(advertised[survivor].maskingKey(), s), d, s);
            // the survivor added +PRG if its number is below the dropped client's, -PRG otherwise
            MaskExpansion.addMask(Derivation.pairwiseMaskSeed(agreed, setup.round(), survivor, dropped),
                    setup.modulusBits(), survivor < dropped ? 1 : -1, acc);
        }
    }

    private static void addInto(long[] acc, long[] other) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += other[i];
        }
    }

    /** The secret of {@code owner} from the revealed shares, checked by {@code valid}; aborts below t shares. */
    private byte[] recover(int owner, boolean maskKey, Predicate<byte[]> valid) {
        String kind = maskKey ? "mask key" : "self-mask seed";
        List<Integer> from = new ArrayList<>();
        List<byte[]> shares = new ArrayList<>();
        for (int w = 0; w < n; w++) {
            if (responses[w] == null) {
                continue;
            }
            for (RevealedShare s : maskKey ? responses[w].maskKeyShares() : responses[w].selfMaskShares()) {
                if (s.owner().equals(id(owner))) {
                    from.add(w);
                    shares.add(s.share());
                }
            }
        }
        int t = setup.threshold();
        if (from.size() < t) {
            throw abort(Stage.UNMASKING, "the " + kind + " of client " + id(owner) + " got " + from.size()
                    + " shares from the " + count(responses) + " clients that answered; the threshold is " + t);
        }
        byte[] secret = reconstructChecked(from, shares, valid, -1);
        if (secret != null) {
            return secret;
        }
        for (int skip = 0; skip < from.size() && from.size() > t; skip++) {
            if (reconstructChecked(from, shares, valid, skip) != null) {
                throw corrupt("the " + kind + " share of client " + id(owner) + " revealed by client "
                        + id(from.get(skip)) + " is corrupt: the other " + (from.size() - 1)
                        + " shares agree on the committed secret");
            }
        }
        List<String> names = new ArrayList<>();
        from.forEach(w -> names.add(id(w)));
        throw corrupt("the revealed shares of the " + kind + " of client " + id(owner)
                + " do not reconstruct the committed secret: at least one of " + names + " sent a corrupt share");
    }

    /** The secret from all shares but {@code skip} (-1: all), if they are consistent and it is valid; else null. */
    private byte[] reconstructChecked(List<Integer> from, List<byte[]> shares, Predicate<byte[]> valid, int skip) {
        int m = from.size() - (skip < 0 ? 0 : 1);
        int[] xs = new int[m];
        byte[][] ys = new byte[m][];
        for (int i = 0, j = 0; i < from.size(); i++) {
            if (i != skip) {
                xs[j] = from.get(i) + 1;
                ys[j++] = shares.get(i);
            }
        }
        int t = setup.threshold();
        byte[] secret = Shamir.reconstruct(xs, ys, t);
        return secret != null && Shamir.consistent(xs, ys, t) && valid.test(secret) ? secret : null;
    }

    /** Removes clients whose group among the live ones is below t until none is; aborts below t live clients. */
    private boolean[] keepGroupsOfThreshold(boolean[] live, Stage stage) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int u = 0; u < n; u++) {
                if (live[u] && holders(u, live) < setup.threshold()) {
                    live[u] = false;
                    changed = true;
                }
            }
        }
        if (count(live) == 0) {
            throw abort(stage, "no client's group (itself and its " + setup.graph().degree()
                    + " neighbours) has enough live members: " + countNonNull(stage) + " of " + n
                    + " clients sent this stage's message; the threshold is " + setup.threshold());
        }
        return live;
    }

    private int countNonNull(Stage stage) {
        return stage == Stage.ADVERTISE_KEYS ? count(advertised) : count(shared);
    }

    /** Members of {@code u}'s group (itself and its neighbours) that are {@code live}. */
    private int holders(int u, boolean[] live) {
        int c = live[u] ? 1 : 0;
        for (int v : setup.graph().neighbours(u)) {
            if (live[v]) {
                c++;
            }
        }
        return c;
    }

    private int[] group(int u) {
        int[] nb = setup.graph().neighbours(u);
        int[] g = Arrays.copyOf(nb, nb.length + 1);
        g[nb.length] = u;
        Arrays.sort(g);
        return g;
    }

    private boolean droppedAfterSharing(int u) {
        return live2[u] && !maskedInput[u];
    }

    private boolean hasSurvivingNeighbour(int u) {
        for (int v : setup.graph().neighbours(u)) {
            if (maskedInput[v]) {
                return true;
            }
        }
        return false;
    }

    private void checkShares(int u, ShareKeys s) {
        Set<String> expected = new HashSet<>();
        for (int v : setup.graph().neighbours(u)) {
            if (live1[v]) {
                expected.add(id(v));
            }
        }
        Set<String> seen = new HashSet<>();
        for (EncryptedShare e : s.shares()) {
            if (!e.sender().equals(s.client())) {
                throw violation("got ShareKeys from client " + s.client() + " carrying a share sent by " + e.sender());
            }
            if (!expected.contains(e.recipient()) || !seen.add(e.recipient())) {
                throw violation("got ShareKeys from client " + s.client() + " with a share for " + e.recipient()
                        + ", which is not a live neighbour still owed a share");
            }
        }
        if (!seen.equals(expected)) {
            Set<String> missing = new HashSet<>(expected);
            missing.removeAll(seen);
            throw violation("got ShareKeys from client " + s.client() + " without shares for its live neighbours "
                    + missing);
        }
    }

    private void checkMaskedInput(MaskedInput y) {
        if (y.modulusBits() != setup.modulusBits() || y.masked().length != setup.vectorLength()) {
            throw violation("got a MaskedInput from client " + y.client() + " of " + y.masked().length
                    + " entries over Z_2^" + y.modulusBits() + "; expected " + setup.vectorLength() + " over Z_2^"
                    + setup.modulusBits());
        }
        long mask = setup.modulusMask();
        long[] v = y.masked();
        for (int i = 0; i < v.length; i++) {
            if ((v[i] & ~mask) != 0) {
                throw violation("got a MaskedInput from client " + y.client() + " whose entry " + i + " = "
                        + Long.toUnsignedString(v[i]) + " is outside Z_2^" + setup.modulusBits());
            }
        }
    }

    private void checkResponse(UnmaskingRequest asked, UnmaskingResponse r) {
        checkOwners(asked.dropped(), r.maskKeyShares(), r.client(), "mask-key");
        checkOwners(asked.survivors(), r.selfMaskShares(), r.client(), "self-mask");
    }

    private void checkOwners(List<String> asked, List<RevealedShare> given, String client, String kind) {
        List<String> owners = new ArrayList<>();
        for (RevealedShare s : given) {
            owners.add(s.owner());
            if (s.share().length != Shamir.SHARE_BYTES) {
                throw violation("got a " + kind + " share of client " + s.owner() + " from client " + client + " of "
                        + s.share().length + " bytes; expected " + Shamir.SHARE_BYTES);
            }
        }
        if (!owners.equals(asked)) {
            throw violation("got " + kind + " shares of " + owners + " from client " + client + "; it was asked for "
                    + asked);
        }
    }

    private void requireExpected(boolean expected, ClientMessage m, String why) {
        if (!expected) {
            throw violation("got a " + m.getClass().getSimpleName() + " from client " + m.client() + ", but " + why);
        }
    }

    private void requireFirst(boolean seen, ClientMessage m) {
        if (seen) {
            throw violation("got a second " + m.getClass().getSimpleName() + " from client " + m.client());
        }
    }

    private void requireState(State expected, String action) {
        if (state != expected) {
            throw violation("cannot " + action + " in state " + state + "; that needs state " + expected);
        }
    }

    private SecAggAbortedException abort(Stage stage, String reason) {
        state = State.ABORTED;
        return new SecAggAbortedException(setup.round(), stage, reason);
    }

    private SecAggProtocolException corrupt(String what) {
        state = State.ABORTED;
        return violation(what);
    }

    private SecAggProtocolException violation(String what) {
        return new SecAggProtocolException("server in round " + setup.round() + " (state " + state + ") " + what);
    }

    private String id(int u) {
        return setup.clients().get(u);
    }

    private static int count(boolean[] flags) {
        int c = 0;
        for (boolean f : flags) {
            if (f) {
                c++;
            }
        }
        return c;
    }

    private static int count(Object[] slots) {
        int c = 0;
        for (Object o : slots) {
            if (o != null) {
                c++;
            }
        }
        return c;
    }

    @Override
    public String toString() {
        return "ServerSession[round " + setup.round() + ", " + state + "]";
    }
}
