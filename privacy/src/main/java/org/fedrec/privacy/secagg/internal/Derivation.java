package org.fedrec.privacy.secagg.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * Every key, seed and binding string of a round derived from a Diffie-Hellman secret or a seed, in one
 * place so that clients and server derive them identically. Each derivation carries its purpose, the round
 * and the clients involved, so no two uses share a key.
 */
public final class Derivation {

    private static final byte[] SALT = "fedrec-secagg-v1".getBytes(StandardCharsets.UTF_8);

    private Derivation() {
    }

    /** The seed of the pairwise mask of clients {@code a} and {@code b} (order does not matter). */
    public static byte[] pairwiseMaskSeed(byte[] dhSecret, long round, int a, int b) {
        return Hkdf.derive(dhSecret, SALT, info("pairwise-mask", round, Math.min(a, b), Math.max(a, b)), 32);
    }

    /** The AES-256-GCM key for shares from {@code sender} to {@code recipient} (one direction only). */
    public static byte[] shareKey(byte[] dhSecret, long round, int sender, int recipient) {
        return Hkdf.derive(dhSecret, SALT, info("share-encryption", round, sender, recipient), 32);
    }

    /** The associated data of an encrypted share: round, sender and recipient ids. */
    public static byte[] shareAssociatedData(long round, String sender, String recipient) {
        byte[] s = sender.getBytes(StandardCharsets.UTF_8);
        byte[] r = recipient.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(SALT.length + 8 + 8 + s.length + r.length).put(SALT).putLong(round)
                .putInt(s.length).put(s).putInt(r.length).put(r).array();
    }

    /** SHA-256 over the round, the client id and its self-mask seed: binds a reconstructed seed to its owner. */
    public static byte[] selfMaskCommitment(long round, String client, byte[] seed) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(SALT);
            sha.update(shareAssociatedData(round, client, "self-mask"));
            return sha.digest(seed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }

    private static byte[] info(String purpose, long round, int first, int second) {
        byte[] p = purpose.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(p.length + 16).put(p).putLong(round).putInt(first).putInt(second).array();
    }
}
