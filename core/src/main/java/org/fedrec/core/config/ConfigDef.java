package org.fedrec.core.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of {@link ConfigKey}s: parses raw values into a {@link Config}, rejects unknown keys (suggesting
 * the closest known one), and renders reference documentation from the definitions.
 */
public final class ConfigDef {

    private final Map<String, ConfigKey<?>> keys = new LinkedHashMap<>();

    public ConfigDef define(ConfigKey<?> key) {
        if (keys.putIfAbsent(key.name(), key) != null) {
            throw new IllegalArgumentException("config key '" + key.name() + "' is defined twice");
        }
        return this;
    }

    public ConfigDef defineAll(Collection<? extends ConfigKey<?>> all) {
        all.forEach(this::define);
        return this;
    }

    public Collection<ConfigKey<?>> keys() {
        return Collections.unmodifiableCollection(keys.values());
    }

    public ConfigKey<?> key(String name) {
        ConfigKey<?> k = keys.get(name);
        if (k == null) {
            throw new ConfigException(name, "unknown key" + suggestion(name));
        }
        return k;
    }

    /**
     * Parses {@code raw} (key to raw value, in the order later sources override earlier ones) into a
     * full config; keys not given take their defaults. {@code source} names where the values came from.
     */
    public Config parse(Map<String, ?> raw, String source) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigKey<?> k : keys.values()) {
            values.put(k.name(), k.defaultValue());
        }
        raw.forEach((name, value) -> {
            ConfigKey<?> k = keys.get(name);
            if (k == null) {
                throw new ConfigException(name, "unknown key in " + source + suggestion(name));
            }
            try {
                values.put(name, k.parse(value));
            } catch (ConfigException e) {
                throw new ConfigException(null, e.getMessage() + " (in " + source + ")");
            }
        });
        return new Config(this, values);
    }

    private String suggestion(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : keys.keySet()) {
            int d = editDistance(name, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= Math.max(2, name.length() / 3) ? "; did you mean '" + best + "'?"
                : "; run with --help for the list of keys";
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Reference documentation: per key a line with name, type and default, then a line with its meaning. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (ConfigKey<?> k : keys.values()) {
            lines.add(k.name() + " = " + (k.defaultValue() == null ? "(unset)" : k.defaultValue()) + "   [" + k.expected()
                    + "]");
            lines.add("    " + k.doc());
        }
        return lines;
    }

    /** Reference documentation as a Markdown table. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder("| key | type | default | meaning |\n|---|---|---|---|\n");
        for (ConfigKey<?> k : keys.values()) {
            sb.append("| `").append(k.name()).append("` | ").append(k.expected()).append(" | ")
                    .append(k.defaultValue() == null ? "unset" : "`" + k.defaultValue() + "`").append(" | ")
                    .append(k.doc().replace("|", "\\|")).append(" |\n");
        }
        return sb.toString();
    }
}
