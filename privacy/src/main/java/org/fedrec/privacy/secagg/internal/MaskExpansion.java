package org.fedrec.privacy.secagg.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pseudorandom generator that expands a 32-byte seed into a mask over Z_(2^k): the AES-256-CTR
 * keystream under the seed with a zero IV, read as little-endian k-bit words (k = 32 or 64). Each seed is
 * used for one mask only (seeds are fresh per round), so the fixed IV never repeats a keystream. The
 * JDK's AES-CTR uses AES-NI where the CPU has it.
 */
public final class MaskExpansion {

    private static final int CHUNK_BYTES = 1 << 15;
    private static final byte[] ZEROS = new byte[CHUNK_BYTES];
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private MaskExpansion() {
    }

    /**
     * {@code acc[i] += sign * PRG(seed)[i]} for every i (sign = +1 or -1), wrapping mod 2^64, which is
     * also correct mod 2^bits: callers reduce once at the end.
     */
    public static void addMask(byte[] seed, int bits, int sign, long[] acc) {
        if (seed.length != 32) {
            throw new IllegalArgumentException("a mask seed must be 32 bytes, found " + seed.length);
        }
        if (sign != 1 && sign != -1) {
            throw new IllegalArgumentException("mask sign must be +1 or -1, was " + sign);
        }
        int wordBytes = bits / 8;
        if (bits != 32 && bits != 64) {
            throw new IllegalArgumentException("mask word size must be 32 or 64 bits, was " + bits);
        }
        Cipher ctr;
        try {
            ctr = Cipher.getInstance("AES/CTR/NoPadding");
            ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"), new IvParameterSpec(new byte[16]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR is not available in this JDK", e);
        }
        byte[] stream = new byte[CHUNK_BYTES];
        int wordsPerChunk = CHUNK_BYTES / wordBytes;
        for (int start = 0; start < acc.length; start += wordsPerChunk) {
            int words = Math.min(wordsPerChunk, acc.length - start);
            int bytes = words * wordBytes;
            try {
                ctr.update(ZEROS, 0, bytes, stream, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-CTR keystream failed", e);
            }
            if (bits == 32) {
                for (int i = 0; i < words; i++) {
                    acc[start + i] += sign * ((int) INTS.get(stream, i * 4) & 0xFFFF_FFFFL);
                }
            } else {
                for (int i = 0; i < words; i++) {
                    acc[start + i] += sign * (long) LONGS.get(stream, i * 8);
                }
            }
        }
    }
}
