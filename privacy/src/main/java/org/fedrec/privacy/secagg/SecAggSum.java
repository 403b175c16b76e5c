package org.fedrec.privacy.secagg;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.fedrec.core.Clock;
import org.fedrec.core.RandomSource;
import org.fedrec.core.SecureSum;

/**
 * {@link SecureSum} by the secure-aggregation protocol: each round runs {@link ClientSession}s and a
 * {@link ServerSession} in this JVM over their byte form ({@link InMemorySecAgg}), so the sum the caller
 * receives is the unmasked total and no single client's vector is ever held unmasked by the server side.
 * Values are fixed-point encoded with {@code values}; a value outside its range is refused, naming the
 * client and the index, rather than clipped, so a sum is never silently wrong.
 *
 * <p>Every client of the call contributes (a simulation: clients that failed to fit are simply not in
 * the call); dropout recovery itself is exercised by the protocol's own tests.
 */
public final class SecAggSum implements SecureSum {

    private final FixedPoint values;
    private final int degree;
    private final double thresholdFraction;
    private final RandomSource random;

    /**
     * @param values            fixed-point codec of the vector entries
     * @param degree            SecAgg+ neighbour degree (even), or 0 for the complete graph
     * @param thresholdFraction t as a fraction of a client's group, in (0, 1]
     * @param random            source of the graphs and of the clients' key material (seeded: a simulation)
     */
    public SecAggSum(FixedPoint values, int degree, double thresholdFraction, RandomSource random) {
        this.values = Objects.requireNonNull(values, "values");
        if (degree < 0) {
            throw new IllegalArgumentException("neighbour degree must be >= 0 (0 = complete graph), was " + degree);
        }
        this.degree = degree;
        this.thresholdFraction = thresholdFraction;
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public float[] sum(int round, List<String> clientIds, List<float[]> vectors) {
        if (clientIds.size() != vectors.size()) {
            throw new IllegalArgumentException(clientIds.size() + " client ids but " + vectors.size() + " vectors");
        }
        if (clientIds.size() < 2) {
            throw new IllegalArgumentException("secure aggregation needs at least 2 clients, round " + round + " has "
                    + clientIds.size());
        }
        int length = vectors.get(0).length;
        Map<String, long[]> encoded = new HashMap<>();
        for (int c = 0; c < clientIds.size(); c++) {
            float[] v = vectors.get(c);
            String id = clientIds.get(c);
            if (v.length != length) {
                throw new IllegalArgumentException("client " + id + ": vector of " + v.length + " entries, expected "
                        + length + " like client " + clientIds.get(0));
            }
            long[] e = new long[length];
            for (int i = 0; i < length; i++) {
                if (values.clips(v[i])) {
                    throw new IllegalArgumentException("client " + id + ": entry " + i + " is " + v[i]
                            + ", outside the secure-aggregation range [-" + values.range() + ", " + values.range() + "]");
                }
                e[i] = values.encode(v[i], "client " + id + " entry " + i);
            }
            encoded.put(id, e);
        }
        values.requireCapacity(clientIds.size());
        RandomSource roundRandom = random.split("secure-sum", round);
        RoundSetup setup = RoundSetup.forCohort(round, clientIds, length, values.bits(), degree, thresholdFraction,
                roundRandom.split("graph").seed());
        InMemorySecAgg.Outcome out = new InMemorySecAgg(Clock.system(), true, null).run(setup, Map.of(),
                id -> InMemorySecAgg.seededRandom(roundRandom.split("client", round, id).seed()), encoded::get);
        if (out.aborted()) {
            throw new IllegalStateException("secure aggregation of round " + round + " aborted: "
                    + out.abort().getMessage(), out.abort());
        }
        long[] sum = out.result().sum();
        float[] total = new float[length];
        for (int i = 0; i < length; i++) {
            total[i] = (float) values.decode(sum[i]);
        }
        return total;
    }
}
