package org.fedrec.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fedrec.cli.CliException;
import org.fedrec.core.strategy.SecureRowSumFedAvg;
import org.junit.jupiter.api.Test;

/** {@code privacy.hide_items} reaches the strategy, and combinations that cannot work fail naming the keys. */
class ItemHidingWiringTest {

    @Test
    void secaggTotalsPutsTheSecureRowSumAroundTheStrategy() {
        Simulation sim = Simulation.build(SimulateCommandTest.config("synthetic.users=50",
                "privacy.hide_items=secagg_totals"));
        assertThat(sim.strategy()).isInstanceOf(SecureRowSumFedAvg.class);
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
