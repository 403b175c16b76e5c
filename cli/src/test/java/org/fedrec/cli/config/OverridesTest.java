package org.fedrec.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.fedrec.core.config.ConfigException;
import org.junit.jupiter.api.Test;

class OverridesTest {

    @Test
    void parsesKeyValuePairsInOrder() {
        assertThat(Overrides.parse(List.of("train.lr=0.01", "name=a=b", "empty=", "rounds=5", "train.lr=0.02")))
                .containsExactly(Map.entry("name", "a=b"), Map.entry("empty", ""), Map.entry("rounds", "5"),
                        Map.entry("train.lr", "0.02"));
    }

    @Test
    void malformedEntriesAreNamed() {
        assertThatThrownBy(() -> Overrides.parse(List.of("rounds=3", "train.lr")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("malformed override 'train.lr': no '='; expected key=value, e.g. train.lr=0.01");
        assertThatThrownBy(() -> Overrides.parse(List.of("=3")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("malformed override '=3': the key before '=' is empty");
        assertThatThrownBy(() -> Overrides.parse(List.of("train..lr=3")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'train..lr' is not a dotted key");
        assertThatThrownBy(() -> Overrides.parse(List.of("--rounds=3")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("malformed override '--rounds=3'");
    }
}
