package org.fedrec.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parsed, validated configuration: every key of its {@link ConfigDef} with a typed value. Immutable. */
public final class Config {

    private final ConfigDef def;
    private final Map<String, Object> values;

    Config(ConfigDef def, Map<String, Object> values) {
        this.def = def;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        if (!values.containsKey(key.name()) || def.key(key.name()) != key) {
            throw new ConfigException(key.name(), "is not part of this configuration");
        }
        return (T) values.get(key.name());
    }

    /** A copy with one more value, parsed and validated like any other. */
    public Config with(String key, Object raw) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(key, def.key(key).parse(raw));
        return new Config(def, copy);
    }

    public ConfigDef definition() {
        return def;
    }

    /** Every key and its value, in definition order: what provenance records. */
    public Map<String, Object> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
