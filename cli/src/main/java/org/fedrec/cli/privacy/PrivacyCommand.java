package org.fedrec.cli.privacy;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.fedrec.cli.CliException;
import org.fedrec.privacy.Conversion;
import org.fedrec.privacy.EpsilonDelta;
import org.fedrec.privacy.FractionalSeries;
import org.fedrec.privacy.OrderGrid;
import org.fedrec.privacy.PldAccountant;
import org.fedrec.privacy.RdpAccountant;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedrec privacy}: the RDP and PLD accountants of the Poisson-subsampled Gaussian mechanism
 * (DP-FedAvg with client sampling rate q and noise multiplier z) from the command line.
 */
@Command(name = "privacy", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = "Differential-privacy accounting (RDP or PLD of the Poisson-subsampled Gaussian mechanism).",
        subcommands = {PrivacyCommand.Epsilon.class, PrivacyCommand.Noise.class})
public final class PrivacyCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required command: epsilon or noise");
    }

    /** The order grids by the name of the library that uses them. */
    enum Orders {
        TF_PRIVACY(OrderGrid.TF_PRIVACY), OPACUS(OrderGrid.OPACUS), DP_ACCOUNTING(OrderGrid.DP_ACCOUNTING);

        final OrderGrid grid;

        Orders(OrderGrid grid) {
            this.grid = grid;
        }
    }

    /** Which accountant answers: RDP alone, or the PLD accountant as well (RDP printed for comparison). */
    enum Accountant { RDP, PLD }

    /** Options both subcommands share. */
    static class Common {
        @Option(names = "--q", required = true, paramLabel = "RATE",
                description = "Sampling rate: the probability that a client takes part in a round, in (0, 1].")
        double q;

        @Option(names = "--rounds", required = true, paramLabel = "N", description = "Number of rounds (steps).")
        long rounds;

        @Option(names = "--delta", required = true, paramLabel = "DELTA", description = "Target δ, in (0, 1).")
        double delta;

        @Option(names = "--orders", paramLabel = "GRID", defaultValue = "tf_privacy",
                description = "Rényi orders to minimize over: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
        Orders orders;

        @Option(names = "--accountant", paramLabel = "ACCOUNTANT", defaultValue = "rdp",
                description = "rdp, or pld for the privacy-loss-distribution accountant (numerically tight; the "
                        + "RDP figures are printed next to it) (default ${DEFAULT-VALUE}).")
        Accountant accountant;

        @Option(names = "--discretization", paramLabel = "D", defaultValue = "1e-4",
                description = "PLD grid spacing of the privacy loss, in (0, 1] (default ${DEFAULT-VALUE}, as "
                        + "dp_accounting); smaller is tighter and slower.")
        double discretization;

        boolean pld() {
            return accountant == Accountant.PLD;
        }

        void check() {
            if (!(q > 0 && q <= 1)) {
                throw new CliException("--q must be a sampling rate in (0, 1], was " + q);
            }
            if (rounds < 1) {
                throw new CliException("--rounds must be >= 1, was " + rounds);
            }
            if (!(delta > 0 && delta < 1)) {
                throw new CliException("--delta must be in (0, 1), was " + delta);
            }
            if (!(discretization > 0 && discretization <= 1)) {
                throw new CliException("--discretization must be in (0, 1], was " + discretization);
            }
        }

        String header() {
            return "delta=" + delta + (pld() ? " accountant=pld discretization=" + discretization : "");
        }

        /** ε at δ of (q, z, rounds) by the PLD accountant on this discretization. */
        double pldEpsilon(double z) {
            try {
                return PldAccountant.create(discretization).compose(q, z, rounds).epsilon(delta);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage(), e);
            }
        }
    }

    /** {@code fedrec privacy epsilon}: ε spent after the given rounds, by both conversions (and the PLD). */
    @Command(name = "epsilon", mixinStandardHelpOptions = true,
            description = "Prints ε for (q, z, rounds, δ) by the improved and the classic RDP conversion, with the "
                    + "Rényi order that attains each, and with --accountant pld also by the PLD accountant.")
    static final class Epsilon implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @CommandLine.Mixin
        Common common = new Common();

        @Option(names = "--z", required = true, paramLabel = "Z",
                description = "Noise multiplier: noise standard deviation over the clipping norm, > 0.")
        double z;

        @Override
        public Integer call() {
            common.check();
            if (!(z > 0 && z < Double.POSITIVE_INFINITY)) {
                throw new CliException("--z must be a noise multiplier > 0, was " + z);
            }
            RdpAccountant spent = RdpAccountant.create(common.orders.grid, FractionalSeries.SIGNED)
                    .compose(common.q, z, common.rounds);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "q=%s z=%s rounds=%d %s orders=%s%n", common.q, z, common.rounds,
                    common.header(), common.orders.name().toLowerCase(Locale.ROOT));
            if (common.pld()) {
                out.printf(Locale.ROOT, "epsilon %-29s %.6f%n", "pld (connect-the-dots, FFT):", common.pldEpsilon(z));
            }
            print(out, spent.epsilon(common.delta, Conversion.IMPROVED), "improved (Balle et al. 2020)");
            print(out, spent.epsilon(common.delta, Conversion.CLASSIC), "classic (Mironov 2017)");
            out.flush();
            return 0;
        }


        private static void print(PrintWriter out, EpsilonDelta e, String label) {
            out.printf(Locale.ROOT, "epsilon %-29s %.6f  at order %s%n", label + ":", e.epsilon(), e.order());
        }
    }

    /** {@code fedrec privacy noise}: the noise multiplier that keeps ε within a target. */
    @Command(name = "noise", mixinStandardHelpOptions = true,
            description = "Prints the smallest noise multiplier z for which (q, rounds) stays within the target ε at δ "
                    + "(with --accountant pld by the PLD accountant, then by RDP for comparison).")
    static final class Noise implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @CommandLine.Mixin
        Common common = new Common();

        @Option(names = "--epsilon", required = true, paramLabel = "EPS", description = "Target ε, > 0.")
        double epsilon;

        @Option(names = "--conversion", paramLabel = "CONVERSION", defaultValue = "improved",
                description = "RDP to (ε, δ) conversion: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
        Conversion conversion;

        @Override
        public Integer call() {
            common.check();
            if (!(epsilon > 0 && epsilon < Double.POSITIVE_INFINITY)) {
                throw new CliException("--epsilon must be > 0 and finite, was " + epsilon);
            }
            double z;
            double pldZ = Double.NaN;
            try {
                z = RdpAccountant.noiseMultiplier(common.q, common.rounds, common.delta, epsilon, common.orders.grid,
                        FractionalSeries.SIGNED, conversion);
                if (common.pld()) {
                    pldZ = PldAccountant.noiseMultiplier(common.q, common.rounds, common.delta, epsilon,
                            common.discretization);
                }
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage(), e);
            }
            EpsilonDelta reached = RdpAccountant.create(common.orders.grid, FractionalSeries.SIGNED)
                    .compose(common.q, z, common.rounds).epsilon(common.delta, conversion);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "q=%s rounds=%d %s epsilon<=%s conversion=%s orders=%s%n", common.q,
                    common.rounds, common.header(), epsilon, conversion.name().toLowerCase(Locale.ROOT),
                    common.orders.name().toLowerCase(Locale.ROOT));
            if (common.pld()) {
                out.printf(Locale.ROOT, "z = %.6f  (epsilon %.6f by pld)%n", pldZ, common.pldEpsilon(pldZ));
            }
            out.printf(Locale.ROOT, "z = %.6f  (epsilon %.6f at order %s%s)%n", z, reached.epsilon(), reached.order(),
                    common.pld() ? " by rdp " + conversion.name().toLowerCase(Locale.ROOT) : "");
            out.flush();
            return 0;
        }
    }
}
