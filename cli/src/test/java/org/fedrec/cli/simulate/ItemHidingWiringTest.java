package org.fedrec.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;

import org.fedrec.cli.CliException;
import org.fedrec.core.strategy.SecureRowSumFedAvg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code privacy.hide_items} reaches the strategy, and combinations that cannot work fail naming the keys. */
class ItemHidingWiringTest {

    @Test
    void secaggTotalsPutsTheSecureRowSumAroundTheStrategy() {
        Simulation sim = Simulation.build(SimulateCommandTest.config("synthetic.users=50",
                "privacy.hide_items=secagg_totals"));
        assertThat(sim.strategy()).isInstanceOf(SecureRowSumFedAvg.class);
    }

    @Test
    void theSecureAggregationProtocolGivesTheCleartextTotals(@TempDir Path tmp) throws Exception {
        double[] hr = new double[2];
        String[] sums = {"cleartext", "secagg"};
        for (int k = 0; k < 2; k++) {
            Path dir = tmp.resolve(sums[k]);
            assertThat(SimulateCommand.run(SimulateCommandTest.config("synthetic.users=40",
                    "rounds=2", "eval.every=0", "early_stopping.refit=false", "privacy.hide_items=secagg_totals",
                    "privacy.secure_sum=" + sums[k], "privacy.secagg_degree=6"), dir, false, List.of())).isZero();
            hr[k] = SimulateCommandTest.summary(dir).get("metrics").get("HR@10").asDouble();
        }
        // Fixed-point rounding (2^-20) may move a score by far less than any gap between candidates.
        assertThat(hr[1]).isCloseTo(hr[0], within(0.03));
    }

    @Test
    void unsupportedCombinationsFailBeforeTheDataIsRead() {
        assertThatThrownBy(() -> Simulation.build(SimulateCommandTest.config("model=neumf", "privacy.hide_items=dense")))
                .isInstanceOf(CliException.class).hasMessageContaining("privacy.hide_items=dense")
                .hasMessageContaining("model=mf");
        assertThatThrownBy(() -> Simulation.build(SimulateCommandTest.config("privacy.hide_items=secagg_totals",
                "dp.enabled=true"))).isInstanceOf(CliException.class).hasMessageContaining("dp.enabled=true");
        assertThatThrownBy(() -> Simulation.build(SimulateCommandTest.config("privacy.hide_items=padding",
                "train.loss=softmax"))).isInstanceOf(CliException.class).hasMessageContaining("found softmax");
    }
}
