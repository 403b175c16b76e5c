package org.fedrec.privacy.secagg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * For random rosters, thresholds, moduli, inputs and dropout schedules, the unmasked aggregate is exactly
 * the plain sum mod 2^k of the inputs that were masked, and decoding it gives the real sum to within the
 * fixed-point rounding.
 */
class SecAggPropertiesTest {

    static final Stage[] STAGES = Stage.values();

    /** Up to n - t clients drop, each before a random stage. */
    static Map<String, Stage> dropouts(RoundSetup setup, int count, SplittableRandom rng) {
        List<String> ids = new ArrayList<>(setup.clients());
        Map<String, Stage> drops = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            drops.put(ids.remove(rng.nextInt(ids.size())), STAGES[rng.nextInt(STAGES.length)]);
        }
        return drops;
    }

    static List<String> masked(RoundSetup setup, Map<String, Stage> drops) {
        List<String> out = new ArrayList<>();
        for (String id : setup.clients()) {
            Stage s = drops.get(id);
            if (s == null || s == Stage.UNMASKING) {
                out.add(id);
            }
        }
        return out;
    }

    @Property(tries = 40, seed = "20170101")
    void aggregateEqualsThePlainSumOfTheMaskedInputs(@ForAll @IntRange(min = 3, max = 9) int n,
            @ForAll @IntRange(min = 2, max = 9) int threshold, @ForAll boolean wide,
            @ForAll @IntRange(min = 1, max = 40) int length, @ForAll @LongRange(min = 0, max = 1 << 20) long seed) {
        int t = Math.min(threshold, n);
        RoundSetup setup = RoundSetup.complete(seed, Fixtures.ids(n), t, length, wide ? 64 : 32);
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, Stage> drops = dropouts(setup, rng.nextInt(n - t + 1), rng);
        Map<String, long[]> inputs = Fixtures.randomInputs(setup, seed + 1);

        InMemorySecAgg.Outcome out = Fixtures.run(setup, inputs, drops, seed);

        assertThat(out.aborted()).as("dropouts %s", drops).isFalse();
        assertThat(out.result().contributors()).isEqualTo(masked(setup, drops));
        assertThat(out.result().sum()).isEqualTo(Fixtures.plainSum(setup, inputs, masked(setup, drops)));
    }

    @Property(tries = 25, seed = "20170102")
    void decodedAggregateIsTheRealSumWithinRounding(@ForAll @IntRange(min = 3, max = 8) int n,
            @ForAll @IntRange(min = 1, max = 30) int length, @ForAll @LongRange(min = 0, max = 1 << 20) long seed) {
        FixedPoint codec = new FixedPoint(4.0, 1 << 20, 32);
        RoundSetup setup = RoundSetup.complete(seed, Fixtures.ids(n), 2, length, 32);
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, long[]> inputs = new LinkedHashMap<>();
        double[] realSum = new double[length];
        for (String id : setup.clients()) {
            long[] x = new long[length];
            for (int i = 0; i < length; i++) {
                double v = rng.nextDouble(-4, 4);
                realSum[i] += v;
                x[i] = codec.encode(v, id);
            }
            inputs.put(id, x);
        }
        long[] sum = Fixtures.run(setup, inputs, Map.of(), seed).result().sum();
        for (int i = 0; i < length; i++) {
            assertThat(codec.decode(sum[i])).isCloseTo(realSum[i],
                    within(n / (2.0 * codec.scale()) + 1e-12));
        }
    }

    @Property(tries = 15, seed = "20200101")
    void secAggPlusGraphsRecoverRandomDropouts(@ForAll @IntRange(min = 12, max = 40) int n,
            @ForAll @LongRange(min = 0, max = 1 << 20) long seed) {
        // with 10% dropping, a group of k + 1 = 9 loses more than 9 - t = 6 members with probability ~3e-5
        int k = 8;
        int t = 3;
        RoundSetup setup = new RoundSetup(seed, Fixtures.ids(n), t, 16, 64, NeighbourGraph.harary(n, k, seed));
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, Stage> drops = new LinkedHashMap<>();
        for (String id : setup.clients()) {
            if (rng.nextInt(10) == 0) {
                drops.put(id, STAGES[rng.nextInt(STAGES.length)]);
            }
        }
        Map<String, long[]> inputs = Fixtures.randomInputs(setup, seed + 1);

        InMemorySecAgg.Outcome out = Fixtures.run(setup, inputs, drops, seed);

        assertThat(out.aborted()).as("dropouts %s", drops).isFalse();
        List<String> contributors = out.result().contributors();
        assertThat(masked(setup, drops)).containsAll(contributors);
        assertThat(out.result().sum()).isEqualTo(Fixtures.plainSum(setup, inputs, contributors));
    }
}
