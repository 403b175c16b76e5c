package org.fedrec.cli.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.fedrec.core.config.Config;
import org.fedrec.core.config.ConfigDef;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The configuration options of the commands that take simulate's keys (a picocli mixin): a config file,
 * the shortcuts {@code --dataset}, {@code --data-dir}, {@code --seed}, and {@code KEY=VALUE} overrides,
 * which win over the file. A command adds its own shortcuts through {@link #resolve(ConfigDef, List)}.
 */
public final class ConfigOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML or JSON file of configuration keys.")
    Path configFile;

    @Option(names = "--dataset", paramLabel = "NAME", description = "Shortcut for dataset=NAME.")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Shortcut for data_dir=DIR.")
    String dataDir;

    @Option(names = "--seed", paramLabel = "N", description = "Shortcut for seed=N.")
    Long seed;

    @Parameters(paramLabel = "KEY=VALUE", arity = "0..*", description = "Configuration overrides.")
    List<String> overrides = new ArrayList<>();

    /** The shortcuts as {@code key=value} entries, then {@code extra} ones, then the overrides as typed. */
    public List<String> entries(List<String> extra) {
        List<String> all = new ArrayList<>();
        if (dataset != null) {
            all.add("dataset=" + dataset);
        }
        if (dataDir != null) {
            all.add("data_dir=" + dataDir);
        }
        if (seed != null) {
            all.add("seed=" + seed);
        }
        all.addAll(extra);
        all.addAll(overrides);
        return all;
    }

    /** Defaults, then the file, then {@link #entries}, validated by {@code def}. */
    public Config resolve(ConfigDef def, List<String> extra) {
        return ConfigFiles.resolve(def, configFile, entries(extra));
    }

    /** True if {@code key} was given on the command line (by shortcut or override) or in the config file. */
    public boolean names(String key) {
        return Overrides.parse(entries(List.of())).containsKey(key)
                || (configFile != null && ConfigFiles.load(configFile).containsKey(key));
    }
}
