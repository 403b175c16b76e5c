package org.fedrec.core;

import java.util.List;

/**
 * {@link SecureSum} without the security: adds the vectors in the clear, in double precision. For
 * simulations and tests, where it gives the same sums a secure protocol would (up to that protocol's
 * quantisation) and lets the rest of the pipeline run as it will behind the real one.
 */
public final class CleartextSum implements SecureSum {

    @Override
    public float[] sum(int round, List<String> clientIds, List<float[]> vectors) {
        if (clientIds.size() != vectors.size()) {
            throw new IllegalArgumentException("round " + round + ": " + clientIds.size() + " client ids for "
                    + vectors.size() + " vectors");
        }
        if (vectors.isEmpty()) {
            throw new IllegalArgumentException("round " + round + ": no vectors to sum");
        }
        int length = vectors.get(0).length;
        double[] acc = new double[length];
        for (int k = 0; k < vectors.size(); k++) {
            float[] v = vectors.get(k);
            if (v.length != length) {
                throw new IllegalArgumentException("round " + round + ": client " + clientIds.get(k) + " sent a vector of "
                        + v.length + " values, client " + clientIds.get(0) + " one of " + length);
            }
            for (int i = 0; i < length; i++) {
                acc[i] += v[i];
            }
        }
        float[] out = new float[length];
        for (int i = 0; i < length; i++) {
            out[i] = (float) acc[i];
        }
        return out;
    }

    @Override
    public String toString() {
        return "CleartextSum";
    }
}
