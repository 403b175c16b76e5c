package org.fedrec.bench;

import java.util.concurrent.TimeUnit;

import org.fedrec.privacy.Conversion;
import org.fedrec.privacy.PldAccountant;
import org.fedrec.privacy.RdpAccountant;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The PLD accountant ({@link PldAccountant}, d = 1e-4) on the reference vectors of
 * {@code shared/reference/dp_vectors.md}, and per round of DP-FedAvg.
 *
 * <ul>
 *   <li>{@code referenceCase}: a new accountant, all of it: discretising one step (both directions when
 *       q &lt; 1), the FFT self-composition and the conversion. V15a–d report ε(δ = 1e-5), V16 and V17 δ(ε = 1).</li>
 *   <li>{@code oneMoreRound}: what accounting round by round costs once the one-step PLD is discretised and
 *       its spectrum's power is at the round (both shared by every accountant {@code compose} derives):
 *       ε after {@code rounds} rounds of q = 0.01, z = 1.1 (the README example), i.e. one inverse FFT per
 *       direction and the conversion (the next round's multiplication per frequency is negligible).</li>
 *   <li>{@code rdpOneMoreRound}: the same ε by the RDP accountant, for scale.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class PldAccountantBenchmark {

    /** One reference vector: (q, z, steps), and whether it is read at δ (ε given) or ε (δ given). */
    @State(Scope.Benchmark)
    public static class Case {
        @Param({"V15a", "V15b", "V15c", "V15d", "V16", "V17"})
        public String vector;

        double q;
        double z;
        long steps;
        boolean deltaAtEpsilonOne;

        @Setup(Level.Trial)
        public void setUp() {
            switch (vector) {
                case "V15a" -> set(1, 0.7, 2, false);
                case "V15b" -> set(1, 0.35, 2, false);
                case "V15c" -> set(0.01, 0.7, 120, false);
                case "V15d" -> set(0.01, 0.35, 120, false);
                case "V16" -> set(1, Math.sqrt(3), 3, true);
                case "V17" -> set(0.2, 0.5, 3, true);
                default -> throw new IllegalArgumentException("unknown vector " + vector);
            }
        }

        private void set(double q, double z, long steps, boolean deltaAtEpsilonOne) {
            this.q = q;
            this.z = z;
            this.steps = steps;
            this.deltaAtEpsilonOne = deltaAtEpsilonOne;
        }
    }

    /** An accountant whose one-step PLD of (0.01, 1.1) is already discretised. */
    @State(Scope.Benchmark)
    public static class Rounds {
        @Param({"100", "1000"})
        public long rounds;

        PldAccountant oneRound;

        @Setup(Level.Trial)
        public void setUp() {
            oneRound = PldAccountant.create().compose(0.01, 1.1, 1);
            oneRound.epsilon(1e-5); // discretises the step
        }
    }

    @Benchmark
    public double referenceCase(Case c) {
        PldAccountant acc = PldAccountant.create().compose(c.q, c.z, c.steps);
        return c.deltaAtEpsilonOne ? acc.delta(1) : acc.epsilon(1e-5);
    }

    @Benchmark
    public double oneMoreRound(Rounds r) {
        return r.oneRound.compose(0.01, 1.1, r.rounds - 1).epsilon(1e-5);
    }

    @Benchmark
    public double rdpOneMoreRound(Rounds r) {
        return RdpAccountant.create().compose(0.01, 1.1, r.rounds).epsilon(1e-5, Conversion.IMPROVED).epsilon();
    }
}
