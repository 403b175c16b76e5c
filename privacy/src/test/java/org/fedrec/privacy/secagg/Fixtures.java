package org.fedrec.privacy.secagg;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.fedrec.core.Clock;

/** Seeded rounds for the secure-aggregation tests. */
final class Fixtures {

    private Fixtures() {
    }

    /** Each client's SecureRandom, seeded from the run seed and its id. */
    static SecureRandom clientRandom(long runSeed, String id) {
        return InMemorySecAgg.seededRandom(runSeed * 1_000_003L + id.hashCode());
    }

    static List<String> ids(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("c" + i);
        }
        return out;
    }

    /** Uniform entries of Z_2^bits for each client. */
    static Map<String, long[]> randomInputs(RoundSetup setup, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, long[]> out = new LinkedHashMap<>();
        for (String id : setup.clients()) {
            long[] x = new long[setup.vectorLength()];
            for (int i = 0; i < x.length; i++) {
                x[i] = rng.nextLong() & setup.modulusMask();
            }
            out.put(id, x);
        }
        return out;
    }

    /** The plain sum mod 2^k of the listed clients' inputs. */
    static long[] plainSum(RoundSetup setup, Map<String, long[]> inputs, List<String> clients) {
        long[] sum = new long[setup.vectorLength()];
        for (String id : clients) {
            long[] x = inputs.get(id);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += x[i];
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] &= setup.modulusMask();
        }
        return sum;
    }

    static InMemorySecAgg.Outcome run(RoundSetup setup, Map<String, long[]> inputs, Map<String, Stage> dropBefore,
                                      long seed) {
        return new InMemorySecAgg(Clock.system(), false, null).run(setup, dropBefore, id -> clientRandom(seed, id),
                inputs::get);
    }
}
