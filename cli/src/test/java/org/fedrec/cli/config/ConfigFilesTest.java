package org.fedrec.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedrec.core.config.Config;
import org.fedrec.core.config.ConfigDef;
import org.fedrec.core.config.ConfigException;
import org.fedrec.core.config.ConfigKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFilesTest {

    @TempDir
    Path tmp;

    private static final ConfigKey<Double> LR = ConfigKey.ofDouble("train.lr", 0.05, 0, 10, "learning rate");
    private static final ConfigKey<Integer> ROUNDS = ConfigKey.ofInt("rounds", 10, 1, 100_000, "rounds");
    private static final ConfigKey<String> STRATEGY =
            ConfigKey.ofChoice("strategy", "fedavg", List.of("fedavg", "fedadam"), "server strategy");
    private static final ConfigDef DEF = new ConfigDef().define(LR).define(ROUNDS).define(STRATEGY);

    private Path file(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content);
    }

    @Test
    void flattensNestedYaml() throws IOException {
        Path f = file("run.yaml", """
                # a run
                rounds: 20
                train:
                  lr: 0.01
                  optimizer:
                    name: adam
                    betas: [0.9, 0.999]
                data.name: shop
                strategy: FedAdam
                verbose: true
                big: 12345678901
                """);
        Map<String, Object> m = ConfigFiles.load(f);
        assertThat(m).containsExactly(
                Map.entry("rounds", 20),
                Map.entry("train.lr", 0.01),
                Map.entry("train.optimizer.name", "adam"),
                Map.entry("train.optimizer.betas", List.of(0.9, 0.999)),
                Map.entry("data.name", "shop"),
                Map.entry("strategy", "FedAdam"),
                Map.entry("verbose", true),
                Map.entry("big", 12345678901L));
    }

    @Test
    void flattensNestedJson() throws IOException {
        Path f = file("run.json", "{\"train\": {\"lr\": 0.01, \"epochs\": 2}, \"rounds\": 3, \"name\": null}");
        Map<String, Object> m = ConfigFiles.load(f);
        assertThat(m.keySet()).containsExactly("train.lr", "train.epochs", "rounds", "name");
        assertThat(m).containsEntry("train.lr", 0.01).containsEntry("train.epochs", 2).containsEntry("rounds", 3)
                .containsEntry("name", null);
    }

    @Test
    void emptyYamlIsAnEmptyConfig() throws IOException {
        assertThat(ConfigFiles.load(file("empty.yml", "# nothing\n"))).isEmpty();
    }

    @Test
    void badYamlNamesTheFileAndLine() throws IOException {
        Path f = file("bad.yaml", "rounds: 20\ntrain:\n  lr: 0.01\n   epochs: [1, 2\n");
        assertThatThrownBy(() -> ConfigFiles.load(f))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config file " + f + ", line 4, column 10: mapping values are not allowed here");
        Path tab = file("tab.yaml", "train:\n\tlr: 1\n");
        assertThatThrownBy(() -> ConfigFiles.load(tab))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config file " + tab + ", line 2, column 1: ")
                .hasMessageContaining("TAB")
                .hasMessageNotContaining("\n");
    }

    @Test
    void badJsonNamesTheFileAndLine() throws IOException {
        Path f = file("bad.json", "{\n  \"rounds\": 20,\n  \"train\": {\"lr\": 0.01,}\n}\n");
        assertThatThrownBy(() -> ConfigFiles.load(f))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config file " + f + ", line 3, column 24: Unexpected character");
        Path trailing = file("trailing.json", "{\"rounds\": 1}\n{\"rounds\": 2}\n");
        assertThatThrownBy(() -> ConfigFiles.load(trailing))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config file " + trailing + ", line 2");
    }

    @Test
    void duplicateKeysAreErrors() throws IOException {
        Path yaml = file("dup.yaml", "rounds: 1\nrounds: 2\n");
        assertThatThrownBy(() -> ConfigFiles.load(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config file " + yaml + ", line 2")
                .hasMessageContaining("rounds");
        Path nested = file("dup2.yaml", "train.lr: 1\ntrain:\n  lr: 2\n");
        assertThatThrownBy(() -> ConfigFiles.load(nested))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'train.lr'")
                .hasMessageContaining("defined twice in config file " + nested);
    }

    @Test
    void otherProblemsNameTheFile() throws IOException {
        Path missing = tmp.resolve("missing.yaml");
        assertThatThrownBy(() -> ConfigFiles.load(missing))
                .isInstanceOf(ConfigException.class).hasMessage("config file " + missing + " does not exist");
        Path toml = file("run.toml", "rounds = 1");
        assertThatThrownBy(() -> ConfigFiles.load(toml))
                .isInstanceOf(ConfigException.class).hasMessageContaining("expected a .yaml, .yml or .json file");
        Path list = file("list.yaml", "- 1\n- 2\n");
        assertThatThrownBy(() -> ConfigFiles.load(list))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config file " + list + ": expected an object of keys at the top level, found a list");
    }

    @Test
    void resolveAppliesFileThenOverridesAndNamesTheSourceOfBadValues() throws IOException {
        Path f = file("run.yaml", "rounds: 20\ntrain:\n  lr: 0.01\n");
        Config c = ConfigFiles.resolve(DEF, f, List.of("train.lr=0.2", "strategy=FEDADAM"));
        assertThat(c.get(ROUNDS)).isEqualTo(20);
        assertThat(c.get(LR)).isEqualTo(0.2);
        assertThat(c.get(STRATEGY)).isEqualTo("fedadam");
        assertThat(ConfigFiles.resolve(DEF, null, List.of()).get(ROUNDS)).isEqualTo(10);

        assertThatThrownBy(() -> ConfigFiles.resolve(DEF, f, List.of("rounds=many")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config key 'rounds'")
                .hasMessageContaining("found 'many'")
                .hasMessageContaining("command-line override 'rounds=many'");
        assertThatThrownBy(() -> ConfigFiles.resolve(DEF, f, List.of("train.rl=1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("did you mean 'train.lr'");
        Path bad = file("bad-value.yaml", "rounds: 0\n");
        assertThatThrownBy(() -> ConfigFiles.resolve(DEF, bad, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config key 'rounds'")
                .hasMessageContaining("config file " + bad);
    }
}
