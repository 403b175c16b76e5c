package org.fedrec.privacy.secagg;

import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.fedrec.privacy.secagg.Message.AdvertiseKeys;
import org.fedrec.privacy.secagg.Message.EncryptedShare;
import org.fedrec.privacy.secagg.Message.KeyDirectory;
import org.fedrec.privacy.secagg.Message.MaskedInput;
import org.fedrec.privacy.secagg.Message.RevealedShare;
import org.fedrec.privacy.secagg.Message.ServerMessage;
import org.fedrec.privacy.secagg.Message.ShareBundle;
import org.fedrec.privacy.secagg.Message.ShareKeys;
import org.fedrec.privacy.secagg.Message.UnmaskingRequest;
import org.fedrec.privacy.secagg.Message.UnmaskingResponse;
import org.fedrec.privacy.secagg.internal.Derivation;
import org.fedrec.privacy.secagg.internal.MaskExpansion;
import org.fedrec.privacy.secagg.internal.Shamir;
import org.fedrec.privacy.secagg.internal.ShareCipher;
import org.fedrec.privacy.secagg.internal.X25519;

/**
 * One client's side of a secure-aggregation round (Bonawitz et al., CCS 2017, Figure 4, semi-honest
 * variant; SecAgg+ of Bell et al. 2020 when the round's graph is sparse), as a state machine:
 *
 * <pre>
 *  NEW --start--> KEYS_ADVERTISED --onKeyDirectory--> KEYS_SHARED --onShareBundle--> INPUT_MASKED
 *      --onUnmaskingRequest--> DONE
 * </pre>
 *
 * <ol>
 * <li>{@link #start}: fresh X25519 key pairs (c for encrypting shares, s for masks); sends both public keys.</li>
 * <li>{@link #onKeyDirectory}: draws a self-mask seed b; Shamir-shares the mask key s^SK and b, t of a
 * group (itself and the neighbours that advertised); sends each neighbour its share pair under AES-GCM
 * with a key agreed from c.</li>
 * <li>{@link #onShareBundle}: decrypts the shares its neighbours sent (the senders are the neighbours still
 * in the round) and sends {@code y = x + PRG(b) + sum_{v > u} PRG(s_uv) - sum_{v < u} PRG(s_uv) mod 2^k},
 * with s_uv agreed from s.</li>
 * <li>{@link #onUnmaskingRequest}: for each neighbour that dropped, its mask-key share; for each survivor
 * (itself included), its self-mask share. Never both for one client, and nothing unless at least t of its
 * group survived.</li>
 * </ol>
 *
 * <p>A call in the wrong state, or a message for another round, another recipient, from a client that is
 * not a neighbour, or failing authentication, throws a {@link SecAggProtocolException} naming them. Not
 * thread-safe: one thread drives a session.
 */
public final class ClientSession {

    /** Where the client is in the round. */
    public enum State { NEW, KEYS_ADVERTISED, KEYS_SHARED, INPUT_MASKED, DONE }

    /** Bytes of a decrypted share: owner and holder numbers, then the two shares. */
    private static final int PLAINTEXT_BYTES = 8 + 2 * Shamir.SHARE_BYTES;

    private final RoundSetup setup;
    private final String id;
    private final int me;
    private final SecureRandom random;
    private State state = State.NEW;
    private KeyPair encryptionKeys;
    private KeyPair maskingKeys;
    private byte[] selfMaskSeed;
    /** The neighbours in the key directory, by id. */
    private final Map<String, AdvertiseKeys> directory = new LinkedHashMap<>();
    /** X25519 secrets agreed with each neighbour's encryption key, from which both directions' share keys derive. */
    private final Map<String, byte[]> encryptionSecrets = new LinkedHashMap<>();
    /** Shares held, by owner: [mask-key share, self-mask share]; its own included. */
    private final Map<String, byte[][]> held = new LinkedHashMap<>();

    /**
     * @param random source of keys, seeds, share polynomials and nonces: a {@link SecureRandom} in a
     *               deployment (a seeded one only in tests and simulations)
     */
    public ClientSession(RoundSetup setup, String clientId, SecureRandom random) {
        this.setup = Objects.requireNonNull(setup, "setup");
        this.me = setup.number(clientId);
        this.id = clientId;
        this.random = Objects.requireNonNull(random, "random");
    }

    public String clientId() {
        return id;
    }

    public State state() {
        return state;
    }

    /** Stage 0: fresh key pairs for this round, advertised. */
    public AdvertiseKeys start() {
        requireState(State.NEW, "start");
        encryptionKeys = X25519.generate(random);
        maskingKeys = X25519.generate(random);
        state = State.KEYS_ADVERTISED;
        return new AdvertiseKeys(setup.round(), id, X25519.encode(encryptionKeys.getPublic()),
                X25519.encode(maskingKeys.getPublic()));
    }

    /** Stage 1: shares of the mask key and of a fresh self-mask seed, one encrypted pair per neighbour. */
    public ShareKeys onKeyDirectory(KeyDirectory keys) {
        requireMessage(keys, State.KEYS_ADVERTISED);
        Set<String> publicKeys = new HashSet<>();
        publicKeys.add(Arrays.toString(X25519.encode(encryptionKeys.getPublic())));
        publicKeys.add(Arrays.toString(X25519.encode(maskingKeys.getPublic())));
        for (AdvertiseKeys k : keys.neighbours()) {
            requireNeighbour(k.client(), "KeyDirectory");
            if (k.round() != setup.round()) {
                throw violation("got a KeyDirectory entry of client " + k.client() + " for round " + k.round());
            }
            if (directory.putIfAbsent(k.client(), k) != null) {
                throw violation("got a KeyDirectory listing client " + k.client() + " twice");
            }
            if (!publicKeys.add(Arrays.toString(k.encryptionKey())) || !publicKeys.add(Arrays.toString(k.maskingKey()))) {
                throw violation("got a KeyDirectory in which client " + k.client() + " reuses a public key");
            }
        }
        requireGroupOfThreshold(directory.size() + 1, "neighbours in its KeyDirectory");
        selfMaskSeed = new byte[Message.KEY_BYTES];
        random.nextBytes(selfMaskSeed);

        List<String> group = new ArrayList<>(directory.keySet());
        group.add(id);
        int[] xs = new int[group.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = setup.number(group.get(i)) + 1;
        }
        byte[][] maskKeyShares = Shamir.split(X25519.encode(maskingKeys.getPrivate()), setup.threshold(), xs, random);
        byte[][] selfMaskShares = Shamir.split(selfMaskSeed, setup.threshold(), xs, random);
        List<EncryptedShare> out = new ArrayList<>(directory.size());
        for (int i = 0; i < group.size() - 1; i++) {
            String to = group.get(i);
            byte[] key = shareKey(to, me, setup.number(to));
            byte[] nonce = ShareCipher.nonce(random);
            byte[] plaintext = ByteBuffer.allocate(PLAINTEXT_BYTES).putInt(me).putInt(setup.number(to))
                    .put(maskKeyShares[i]).put(selfMaskShares[i]).array();
            out.add(new EncryptedShare(id, to, nonce, ShareCipher.encrypt(key, nonce,
                    Derivation.shareAssociatedData(setup.round(), id, to), plaintext)));
        }
        held.put(id, new byte[][] {maskKeyShares[group.size() - 1], selfMaskShares[group.size() - 1]});
        state = State.KEYS_SHARED;
        return new ShareKeys(setup.round(), id, Derivation.selfMaskCommitment(setup.round(), id, selfMaskSeed), out);
    }

    /**
     * Stage 2: decrypts the forwarded shares and masks {@code input} (entries in [0, 2^k), for example from
     * {@link FixedPoint}) with the self mask and one pairwise mask per neighbour that sent a share.
     */
    public MaskedInput onShareBundle(ShareBundle bundle, long[] input) {
        requireMessage(bundle, State.KEYS_SHARED);
        requireInput(input);
        List<String> senders = new ArrayList<>();
        for (EncryptedShare s : bundle.shares()) {
            requireNeighbour(s.sender(), "ShareBundle");
            AdvertiseKeys keys = directory.get(s.sender());
            if (keys == null) {
                throw violation("got a share from client " + s.sender() + ", which was not in its KeyDirectory");
            }
            if (!s.recipient().equals(id)) {
                throw violation("got a share from client " + s.sender() + " addressed to client " + s.recipient());
            }
            if (held.containsKey(s.sender())) {
                throw violation("got two shares from client " + s.sender());
            }
            int from = setup.number(s.sender());
            byte[] plaintext = ShareCipher.decrypt(shareKey(s.sender(), from, me), s.nonce(),
                    Derivation.shareAssociatedData(setup.round(), s.sender(), id), s.ciphertext());
            if (plaintext == null) {
                throw new ShareAuthenticationException(setup.round(), s.sender(), id);
            }
            if (plaintext.length != PLAINTEXT_BYTES) {
                throw violation("got a share from client " + s.sender() + " that decrypts to " + plaintext.length
                        + " bytes; expected " + PLAINTEXT_BYTES);
            }
            ByteBuffer p = ByteBuffer.wrap(plaintext);
            int owner = p.getInt();
            int holder = p.getInt();
            if (owner != from || holder != me) {
                throw violation("got a share from client " + s.sender() + " that decrypts to owner " + owner
                        + ", holder " + holder + "; expected owner " + from + ", holder " + me);
            }
            byte[] maskKeyShare = new byte[Shamir.SHARE_BYTES];
            byte[] selfMaskShare = new byte[Shamir.SHARE_BYTES];
            p.get(maskKeyShare).get(selfMaskShare);
            held.put(s.sender(), new byte[][] {maskKeyShare, selfMaskShare});
            senders.add(s.sender());
        }
        requireGroupOfThreshold(senders.size() + 1, "neighbours that shared keys");
        long[] masked = input.clone();
        MaskExpansion.addMask(selfMaskSeed, setup.modulusBits(), 1, masked);
        for (String v : senders) {
            int other = setup.number(v);
            byte[] secret = X25519.agree(maskingKeys.getPrivate(), X25519.publicKey(directory.get(v).maskingKey(), v),
                    id, v);
            MaskExpansion.addMask(Derivation.pairwiseMaskSeed(secret, setup.round(), me, other), setup.modulusBits(),
                    me < other ? 1 : -1, masked);
        }
        long mask = setup.modulusMask();
        for (int i = 0; i < masked.length; i++) {
            masked[i] &= mask;
        }
        state = State.INPUT_MASKED;
        return new MaskedInput(setup.round(), id, setup.modulusBits(), masked);
    }

    /** Stage 3: mask-key shares of the dropped, self-mask shares of the survivors; never both for one client. */
    public UnmaskingResponse onUnmaskingRequest(UnmaskingRequest request) {
        requireMessage(request, State.INPUT_MASKED);
        Set<String> survivors = new HashSet<>(request.survivors());
        if (survivors.size() != request.survivors().size()) {
            throw violation("got an UnmaskingRequest listing a survivor twice: " + request.survivors());
        }
        if (!survivors.contains(id)) {
            throw violation("got an UnmaskingRequest whose survivors " + request.survivors() + " do not include it");
        }
        Set<String> dropped = new HashSet<>();
        for (String v : request.dropped()) {
            if (survivors.contains(v)) {
                throw violation("got an UnmaskingRequest naming client " + v
                        + " both dropped and surviving; revealing both its mask key and its self mask would"
                        + " unmask its input");
            }
            if (!dropped.add(v)) {
                throw violation("got an UnmaskingRequest listing dropped client " + v + " twice");
            }
        }
        for (String v : request.survivors()) {
            requireHeld(v);
        }
        for (String v : request.dropped()) {
            requireHeld(v);
        }
        requireGroupOfThreshold(survivors.size(), "surviving group members in its UnmaskingRequest");
        List<RevealedShare> maskKeyShares = new ArrayList<>();
        for (String v : request.dropped()) {
            maskKeyShares.add(new RevealedShare(v, held.get(v)[0]));
        }
        List<RevealedShare> selfMaskShares = new ArrayList<>();
        for (String v : request.survivors()) {
            selfMaskShares.add(new RevealedShare(v, held.get(v)[1]));
        }
        state = State.DONE;
        return new UnmaskingResponse(setup.round(), id, maskKeyShares, selfMaskShares);
    }

    private byte[] shareKey(String other, int sender, int recipient) {
        byte[] secret = encryptionSecrets.computeIfAbsent(other, v -> X25519.agree(encryptionKeys.getPrivate(),
                X25519.publicKey(directory.get(v).encryptionKey(), v), id, v));
        return Derivation.shareKey(secret, setup.round(), sender, recipient);
    }

    private void requireHeld(String owner) {
        if (!held.containsKey(owner)) {
            throw violation("got an UnmaskingRequest naming client " + owner + ", whose shares it does not hold");
        }
    }

    private void requireInput(long[] input) {
        if (input == null || input.length != setup.vectorLength()) {
            throw new IllegalArgumentException("client " + id + " in round " + setup.round() + ": input must have "
                    + setup.vectorLength() + " entries, found " + (input == null ? "null" : input.length));
        }
        long mask = setup.modulusMask();
        for (int i = 0; i < input.length; i++) {
            if ((input[i] & ~mask) != 0) {
                throw new IllegalArgumentException("client " + id + " in round " + setup.round() + ": input entry " + i
                        + " = " + Long.toUnsignedString(input[i]) + " is outside Z_2^" + setup.modulusBits());
            }
        }
    }

    private void requireNeighbour(String other, String messageType) {
        if (!setup.has(other) || other.equals(id) || !setup.adjacent(id, other)) {
            throw violation("got a " + messageType + " involving client " + other + ", which is not one of its "
                    + setup.graph().degree() + " neighbours");
        }
    }

    private void requireGroupOfThreshold(int groupSize, String what) {
        if (groupSize < setup.threshold()) {
            throw violation("has " + groupSize + " " + what + " (itself included), fewer than the threshold t = "
                    + setup.threshold());
        }
    }

    private void requireMessage(ServerMessage m, State expected) {
        Objects.requireNonNull(m, "message");
        String type = m.getClass().getSimpleName();
        requireState(expected, "handle a " + type);
        if (m.round() != setup.round()) {
            throw violation("got a " + type + " for round " + m.round());
        }
        if (!m.recipient().equals(id)) {
            throw violation("got a " + type + " addressed to client " + m.recipient());
        }
    }

    private void requireState(State expected, String action) {
        if (state != expected) {
            throw violation("cannot " + action + " in state " + state + "; that needs state " + expected);
        }
    }

    private SecAggProtocolException violation(String what) {
        return new SecAggProtocolException("client " + id + " in round " + setup.round() + " (state " + state + ") "
                + what);
    }

    @Override
    public String toString() {
        return "ClientSession[" + id + ", round " + setup.round() + ", " + state + "]";
    }
}
