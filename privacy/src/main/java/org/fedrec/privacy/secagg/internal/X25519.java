package org.fedrec.privacy.secagg.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;

import javax.crypto.KeyAgreement;

/**
 * X25519 Diffie-Hellman (RFC 7748) on the JDK's "XDH" provider, with keys as their 32-byte RFC 7748
 * encodings so that they can travel in messages and be Shamir-shared.
 */
public final class X25519 {

    /** Bytes of an encoded public key (the little-endian u-coordinate) or private scalar. */
    public static final int KEY_BYTES = 32;
    private static final BigInteger BASE_POINT_U = BigInteger.valueOf(9);

    private X25519() {
    }

    public static KeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("XDH");
            g.initialize(NamedParameterSpec.X25519, random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is not available in this JDK", e);
        }
    }

    /** The 32-byte little-endian u-coordinate of a public key. */
    public static byte[] encode(PublicKey key) {
        return encodeU(((XECPublicKey) key).getU());
    }

    /** The 32-byte scalar of a private key. */
    public static byte[] encode(PrivateKey key) {
        return ((XECPrivateKey) key).getScalar()
                .orElseThrow(() -> new IllegalStateException("the X25519 private key does not expose its scalar"));
    }

    /** The public key whose encoding is {@code u}; {@code owner} names it in errors. */
    public static PublicKey publicKey(byte[] u, String owner) {
        requireLength(u, owner + "'s public key");
        byte[] be = new byte[KEY_BYTES];
        for (int i = 0; i < KEY_BYTES; i++) {
            be[i] = u[KEY_BYTES - 1 - i];
        }
        try {
            return KeyFactory.getInstance("XDH")
                    .generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(owner + "'s public key is not an X25519 key: " + e.getMessage(), e);
        }
    }

    /** The private key whose scalar is {@code scalar}; {@code owner} names it in errors. */
    public static PrivateKey privateKey(byte[] scalar, String owner) {
        requireLength(scalar, owner + "'s private key");
        try {
            return KeyFactory.getInstance("XDH").generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519,
                    scalar.clone()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(owner + "'s private key is not an X25519 key: " + e.getMessage(), e);
        }
    }

    /** The encoded public key of {@code scalar}: X25519(scalar, 9). */
    public static byte[] publicKeyOf(byte[] scalar, String owner) {
        return agree(privateKey(scalar, owner), publicKey(encodeU(BASE_POINT_U), "the base point"), owner,
                "the base point");
    }

    /**
     * The shared secret X25519(mine, theirs). An all-zero result (a small-order public key) is refused:
     * it would give a key every party knows.
     */
    public static byte[] agree(PrivateKey mine, PublicKey theirs, String me, String them) {
        try {
            KeyAgreement ka = KeyAgreement.getInstance("XDH");
            ka.init(mine);
            ka.doPhase(theirs, true);
            byte[] secret = ka.generateSecret();
            int or = 0;
            for (byte b : secret) {
                or |= b;
            }
            if (or == 0) {
                throw new IllegalArgumentException("key agreement of " + me + " with " + them
                        + " gave the all-zero secret: " + them + "'s public key has small order");
            }
            return secret;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("key agreement of " + me + " with " + them + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** {@code u} (below 2^255) as 32 little-endian bytes. */
    private static byte[] encodeU(BigInteger u) {
        byte[] be = u.toByteArray();
        byte[] le = new byte[KEY_BYTES];
        for (int i = 0; i < be.length && i < KEY_BYTES; i++) {
            le[i] = be[be.length - 1 - i];
        }
        return le;
    }

    private static void requireLength(byte[] key, String what) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException(what + " must be " + KEY_BYTES + " bytes, found "
                    + (key == null ? "null" : key.length + " bytes"));
        }
    }
}
