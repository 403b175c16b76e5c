package org.fedrec.cli.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import org.fedrec.cli.CliRun;
import org.fedrec.privacy.Conversion;
import org.fedrec.privacy.OrderGrid;
import org.fedrec.privacy.PldAccountant;
import org.fedrec.privacy.RdpAccountant;
import org.junit.jupiter.api.Test;

/** {@code fedrec privacy epsilon|noise}, run in-process. */
class PrivacyCommandTest {

    private final CliRun cli = new CliRun();

    @Test
    void epsilonPrintsBothConversionsAndTheOrder() {
        // Reference vector V12 (TF-Privacy MNIST tutorial): classic 3.009211173 at α=9, improved 2.5970795197 at α=8.
        int status = cli.execute("privacy", "epsilon", "--q", String.valueOf(256 / 60000.0), "--z", "1.1",
                "--rounds", "14063", "--delta", "1e-5");
        assertThat(status).as(cli.err()).isZero();
        assertThat(cli.out())
                .containsPattern("improved.*2\\.597080\\s+at order 8\\.0")
                .containsPattern("classic.*3\\.009211\\s+at order 9\\.0");
    }

    @Test
    void noisePrintsTheMultiplierThatMeetsTheTarget() {
        int status = cli.execute("privacy", "noise", "--q", "0.01", "--rounds", "1000", "--delta", "1e-5",
                "--epsilon", "8");
        assertThat(status).as(cli.err()).isZero();
        double z = Double.parseDouble(cli.out().replaceAll("(?s).*z = ([0-9.]+).*", "$1"));
        double eps = RdpAccountant.create().compose(0.01, z, 1000).epsilon(1e-5, Conversion.IMPROVED).epsilon();
        assertThat(eps).isLessThanOrEqualTo(8 + 1e-5).isGreaterThan(7.99);
        assertThat(RdpAccountant.create(OrderGrid.DEFAULT, org.fedrec.privacy.FractionalSeries.SIGNED)
                .compose(0.01, z * 0.999, 1000).epsilon(1e-5, Conversion.IMPROVED).epsilon()).isGreaterThan(8);
    }

    @Test
    void epsilonWithThePldAccountantPrintsItNextToTheRdpFigures() {
        // Reference vector V15(c): dp_accounting's PLD accountant gives 2.4612381 for q=0.01, z=0.7, 120 steps.
        int status = cli.execute("privacy", "epsilon", "--q", "0.01", "--z", "0.7", "--rounds", "120", "--delta",
                "1e-5", "--accountant", "pld");
        assertThat(status).as(cli.err()).isZero();
        assertThat(cli.out()).contains("accountant=pld discretization=1.0E-4")
                .containsPattern("pld \\(connect-the-dots, FFT\\):\\s+2\\.461238\\n")
                .containsPattern("improved.*at order")
                .containsPattern("classic.*at order");
        double improved = Double.parseDouble(cli.out().replaceAll("(?s).*improved[^:]*:\\s+([0-9.]+).*", "$1"));
        assertThat(improved).isGreaterThan(2.461238);
    }

    @Test
    void noiseWithThePldAccountantFindsLessNoiseThanRdp() {
        int status = cli.execute("privacy", "noise", "--q", "0.01", "--rounds", "200", "--delta", "1e-5",
                "--epsilon", "2", "--accountant", "pld", "--discretization", "1e-3");
        assertThat(status).as(cli.err()).isZero();
        String out = cli.out();
        double pldZ = Double.parseDouble(out.replaceAll("(?s).*z = ([0-9.]+)  \\(epsilon [0-9.]+ by pld\\).*", "$1"));
        double rdpZ = Double.parseDouble(out.replaceAll("(?s).*z = ([0-9.]+)  \\(epsilon [0-9.]+ at order.*", "$1"));
        assertThat(pldZ).isLessThan(rdpZ);
        double eps = PldAccountant.create(1e-3).compose(0.01, pldZ, 200).epsilon(1e-5);
        assertThat(eps).isLessThanOrEqualTo(2 + 1e-5).isGreaterThan(1.999);
        assertThat(out).containsPattern("by rdp improved\\)");
    }

    @Test
    void badArgumentsAreUsageErrorsNamingTheOption() {
        assertThat(cli.execute("privacy", "epsilon", "--q", "1.5", "--z", "1", "--rounds", "10", "--delta", "1e-5"))
                .isEqualTo(2);
        assertThat(cli.err()).contains("--q").contains("1.5");
        cli.clear();
        assertThat(cli.execute("privacy", "noise", "--q", "0.01", "--rounds", "10", "--delta", "2", "--epsilon", "1"))
                .isEqualTo(2);
        assertThat(cli.err()).contains("--delta").contains("2.0");
        cli.clear();
        assertThat(cli.execute("privacy", "noise", "--q", "0.01", "--rounds", "10", "--delta", "1e-5")).isEqualTo(2);
        assertThat(cli.err()).contains("--epsilon");
        cli.clear();
        assertThat(cli.execute("privacy", "epsilon", "--q", "0.1", "--z", "1", "--rounds", "10", "--delta", "1e-5",
                "--accountant", "pld", "--discretization", "0")).isEqualTo(2);
        assertThat(cli.err()).contains("--discretization").contains("0.0");
        cli.clear();
        assertThat(cli.execute("privacy", "epsilon", "--q", "0.1", "--z", "1", "--rounds", "10", "--delta", "1e-5",
                "--accountant", "moments")).isEqualTo(2);
        assertThat(cli.err()).contains("--accountant").contains("moments");
    }
}
