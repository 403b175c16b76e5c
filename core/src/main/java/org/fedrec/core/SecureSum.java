package org.fedrec.core;

import java.util.List;

/**
 * The seam to secure aggregation: the element-wise sum of one vector per client of a round, computed so
 * that whoever calls it learns that sum and nothing else about any single vector (Bonawitz et al., CCS
 * 2017, "Practical Secure Aggregation for Privacy-Preserving Machine Learning").
 *
 * <p>In simulation the caller holds every vector in memory; a real implementation masks each vector on
 * its client (pairwise masks that cancel in the sum, quantised to integers modulo 2^k, with secret-shared
 * seeds to recover from dropouts), so that only masked vectors reach the server, and returns the unmasked
 * sum. {@link CleartextSum} sums in the clear: the same result, no protection, for simulation and tests.
 * The secure protocol is built in the privacy module and plugs in here.
 */
public interface SecureSum {

    /**
     * The sum of {@code vectors} (one per client, in the order of {@code clientIds}, all of one length);
     * never modifies them. Fails with an {@link IllegalArgumentException} naming the client whose vector
     * does not fit.
     */
    float[] sum(int round, List<String> clientIds, List<float[]> vectors);
}
