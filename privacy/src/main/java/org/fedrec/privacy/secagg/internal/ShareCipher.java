package org.fedrec.privacy.secagg.internal;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for the shares one client sends another through the server: a random 96-bit nonce, a
 * 128-bit tag, and associated data binding the ciphertext to its round, sender and recipient, so that a
 * share altered, replayed into another round or redirected to another client fails to decrypt.
 */
public final class ShareCipher {

    /** Bytes of a nonce. */
    public static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private ShareCipher() {
    }

    public static byte[] nonce(SecureRandom random) {
        byte[] n = new byte[NONCE_BYTES];
        random.nextBytes(n);
        return n;
    }

    public static byte[] encrypt(byte[] key, byte[] nonce, byte[] associatedData, byte[] plaintext) {
        try {
            return cipher(Cipher.ENCRYPT_MODE, key, nonce, associatedData).doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** The plaintext, or null when the tag does not verify (wrong key, nonce, associated data or ciphertext). */
    public static byte[] decrypt(byte[] key, byte[] nonce, byte[] associatedData, byte[] ciphertext) {
        if (nonce.length != NONCE_BYTES) {
            return null;
        }
        try {
            return cipher(Cipher.DECRYPT_MODE, key, nonce, associatedData).doFinal(ciphertext);
        } catch (AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce, byte[] associatedData)
            throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(associatedData);
        return c;
    }
}
