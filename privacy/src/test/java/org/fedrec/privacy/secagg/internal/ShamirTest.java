package org.fedrec.privacy.secagg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;

import org.fedrec.privacy.secagg.InMemorySecAgg;
import org.junit.jupiter.api.Test;

class ShamirTest {

    @Test
    void theModulusIsTheLeastPrimeAbove2To256() {
        BigInteger two256 = BigInteger.ONE.shiftLeft(256);
        assertThat(Shamir.PRIME.isProbablePrime(128)).isTrue();
        assertThat(two256.nextProbablePrime()).isEqualTo(Shamir.PRIME);
    }

    @Test
    void anyTSharesRecoverTheSecretAndSpareSharesAreConsistent() {
        SecureRandom random = InMemorySecAgg.seededRandom(1);
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        secret[0] = (byte) 0xFF; // a secret near 2^256 still fits the field
        int[] xs = {3, 5, 6, 9, 11, 12};
        byte[][] shares = Shamir.split(secret, 4, xs, random);

        int[][] subsets = {{0, 1, 2, 3}, {2, 3, 4, 5}, {5, 0, 3, 1}};
        for (int[] subset : subsets) {
            int[] sx = Arrays.stream(subset).map(i -> xs[i]).toArray();
            byte[][] sy = Arrays.stream(subset).mapToObj(i -> shares[i]).toArray(byte[][]::new);
            assertThat(Shamir.reconstruct(sx, sy, 4)).as("subset %s", Arrays.toString(subset)).isEqualTo(secret);
        }
        assertThat(Shamir.consistent(xs, shares, 4)).isTrue();
        shares[5][30] ^= 1;
        assertThat(Shamir.consistent(xs, shares, 4)).isFalse();
    }
}
