package org.fedrec.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConfigDefTest {

    static final ConfigKey<Integer> ROUNDS = ConfigKey.ofInt("rounds", 50, 1, 100_000, "Federated rounds.");
    static final ConfigKey<Double> LR = ConfigKey.ofDouble("train.lr", 0.05, 0, 10, "Local learning rate.");
    static final ConfigKey<String> LOSS = ConfigKey.ofChoice("train.loss", "bpr", List.of("bpr", "softmax"), "Loss.");
    static final ConfigKey<Boolean> BIAS = ConfigKey.ofBoolean("model.bias", true, "Item biases.");
    static final ConfigDef DEF = new ConfigDef().define(ROUNDS).define(LR).define(LOSS).define(BIAS);

    @Test
    void defaultsApplyAndStringsAndNumbersParse() {
        Config c = DEF.parse(Map.of("rounds", "200", "train.lr", 0.1, "train.loss", "SOFTMAX", "model.bias", "false"), "cli");
        assertThat(c.get(ROUNDS)).isEqualTo(200);
        assertThat(c.get(LR)).isEqualTo(0.1);
        assertThat(c.get(LOSS)).isEqualTo("softmax");
        assertThat(c.get(BIAS)).isFalse();
        assertThat(DEF.parse(Map.of(), "none").get(ROUNDS)).isEqualTo(50);
    }

    @Test
    void errorsNameTheKeyTheExpectationAndTheSource() {
        assertThatThrownBy(() -> DEF.parse(Map.of("rounds", "many"), "run.yaml"))
                .hasMessageContaining("'rounds'").hasMessageContaining("int in [1, 100000]")
                .hasMessageContaining("'many'").hasMessageContaining("run.yaml");
        assertThatThrownBy(() -> DEF.parse(Map.of("rounds", 0), "cli")).hasMessageContaining("found 0");
        assertThatThrownBy(() -> DEF.parse(Map.of("rounds", 2.5), "cli")).hasMessageContaining("2.5");
        assertThatThrownBy(() -> DEF.parse(Map.of("train.loss", "hinge"), "cli")).hasMessageContaining("one of bpr, softmax");
        assertThatThrownBy(() -> DEF.parse(Map.of("train.l", 1), "cli")).hasMessageContaining("did you mean 'train.lr'");
    }

    @Test
    void documentationListsEveryKeyWithItsDefault() {
        assertThat(DEF.toMarkdown()).contains("`rounds`", "`50`", "Federated rounds.", "`train.loss`");
        assertThat(DEF.describe()).hasSize(8).contains("rounds = 50   [int in [1, 100000]]", "    Federated rounds.");
    }
}
