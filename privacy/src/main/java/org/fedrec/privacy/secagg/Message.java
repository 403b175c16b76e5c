package org.fedrec.privacy.secagg;

import java.util.List;
import java.util.Objects;

/**
 * The messages of a secure-aggregation round, as immutable records that check their shape on
 * construction. {@link ClientMessage}s go from a client to the server, {@link ServerMessage}s from the
 * server to one client. Byte arrays are owned by the message (not copied: a masked input is large);
 * lists are copied. {@link WireFormat} turns them into bytes and back.
 */
public sealed interface Message {

    /** Bytes of an X25519 public key, a self-mask commitment and a secret. */
    int KEY_BYTES = 32;

    long round();

    Stage stage();

    /** A message a client sends the server. */
    sealed interface ClientMessage extends Message {
        /** The sender. */
        String client();
    }

    /** A message the server sends one client. */
    sealed interface ServerMessage extends Message {
        /** The addressee. */
        String recipient();
    }

    /**
     * Stage 0, client to server: the public keys of the client's fresh X25519 key pairs for this round, one
     * to encrypt shares between clients, one to agree pairwise masks.
     */
    record AdvertiseKeys(long round, String client, byte[] encryptionKey, byte[] maskingKey)
            implements ClientMessage {
        public AdvertiseKeys {
            requireId(client, "client");
            requireLength(encryptionKey, KEY_BYTES, "encryption key of client " + client);
            requireLength(maskingKey, KEY_BYTES, "masking key of client " + client);
        }

        @Override
        public Stage stage() {
            return Stage.ADVERTISE_KEYS;
        }
    }

    /** Stage 0, server to client: the advertised keys of the recipient's neighbours that took part. */
    record KeyDirectory(long round, String recipient, List<AdvertiseKeys> neighbours) implements ServerMessage {
        public KeyDirectory {
            requireId(recipient, "recipient");
            neighbours = List.copyOf(neighbours);
        }

        @Override
        public Stage stage() {
            return Stage.ADVERTISE_KEYS;
        }
    }

    /** One Shamir share pair (mask key and self-mask seed) from {@code sender} for {@code recipient}, AES-GCM encrypted. */
    record EncryptedShare(String sender, String recipient, byte[] nonce, byte[] ciphertext) {
        public EncryptedShare {
            requireId(sender, "sender");
            requireId(recipient, "recipient");
            Objects.requireNonNull(nonce, "nonce");
            Objects.requireNonNull(ciphertext, "ciphertext");
        }
    }

    /**
     * Stage 1, client to server: one encrypted share for each neighbour in the key directory, and a
     * SHA-256 commitment to the self-mask seed (so a reconstructed seed can be checked).
     */
    record ShareKeys(long round, String client, byte[] selfMaskCommitment, List<EncryptedShare> shares)
            implements ClientMessage {
        public ShareKeys {
            requireId(client, "client");
            requireLength(selfMaskCommitment, KEY_BYTES, "self-mask commitment of client " + client);
            shares = List.copyOf(shares);
        }

        @Override
        public Stage stage() {
            return Stage.SHARE_KEYS;
        }
    }

    /** Stage 1, server to client: the shares the recipient's neighbours addressed to it. */
    record ShareBundle(long round, String recipient, List<EncryptedShare> shares) implements ServerMessage {
        public ShareBundle {
            requireId(recipient, "recipient");
            shares = List.copyOf(shares);
        }

        @Override
        public Stage stage() {
            return Stage.SHARE_KEYS;
        }
    }

    /** Stage 2, client to server: the input plus all its masks, entries in [0, 2^modulusBits). */
    record MaskedInput(long round, String client, int modulusBits, long[] masked) implements ClientMessage {
        public MaskedInput {
            requireId(client, "client");
            Objects.requireNonNull(masked, "masked");
            if (modulusBits != 32 && modulusBits != 64) {
                throw new IllegalArgumentException("masked input of client " + client
                        + " must be over 32 or 64 bits, was " + modulusBits);
            }
        }

        @Override
        public Stage stage() {
            return Stage.MASKED_INPUT;
        }
    }

    /**
     * Stage 2, server to client: which of the recipient's neighbours dropped after sharing (reveal their
     * mask-key shares) and which sent a masked input (reveal their self-mask shares; the recipient is one).
     */
    record UnmaskingRequest(long round, String recipient, List<String> dropped, List<String> survivors)
            implements ServerMessage {
        public UnmaskingRequest {
            requireId(recipient, "recipient");
            dropped = List.copyOf(dropped);
            survivors = List.copyOf(survivors);
        }

        @Override
        public Stage stage() {
            return Stage.UNMASKING;
        }
    }

    /** A share of {@code owner}'s secret, revealed by the client sending it. */
    record RevealedShare(String owner, byte[] share) {
        public RevealedShare {
            requireId(owner, "owner");
            Objects.requireNonNull(share, "share");
        }
    }

    /** Stage 3, client to server: exactly the shares the unmasking request asked for. */
    record UnmaskingResponse(long round, String client, List<RevealedShare> maskKeyShares,
                             List<RevealedShare> selfMaskShares) implements ClientMessage {
        public UnmaskingResponse {
            requireId(client, "client");
            maskKeyShares = List.copyOf(maskKeyShares);
            selfMaskShares = List.copyOf(selfMaskShares);
        }

        @Override
        public Stage stage() {
            return Stage.UNMASKING;
        }
    }

    private static void requireId(String id, String what) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(what + " id must be non-blank, was " + (id == null ? "null" : "'" + id + "'"));
        }
    }

    private static void requireLength(byte[] bytes, int length, String what) {
        if (bytes == null || bytes.length != length) {
            throw new IllegalArgumentException(what + " must be " + length + " bytes, found "
                    + (bytes == null ? "null" : bytes.length + " bytes"));
        }
    }
}
