package org.fedrec.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scalar settings the server sends a client with its instructions for one round (local epochs, learning
 * rate, proximal term, which split to evaluate). Values are numbers, booleans or strings.
 */
public record RoundConfig(Map<String, Object> values) {

    public static final RoundConfig EMPTY = new RoundConfig(Map.of());

    public RoundConfig {
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (!(v instanceof Number || v instanceof Boolean || v instanceof String)) {
                throw new IllegalArgumentException("round config value for '" + k
                        + "' must be a number, boolean or string, found " + (v == null ? "null" : v.getClass().getName()));
            }
            copy.put(k, v);
        });
        values = Collections.unmodifiableMap(copy);
    }

    public RoundConfig with(String key, Object value) {
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return new RoundConfig(copy);
    }

    public double getDouble(String key, double fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw wrongType(key, "a number", v);
    }

    public int getInt(String key, int fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            return Math.toIntExact(((Number) v).longValue());
        }
        throw wrongType(key, "an integer", v);
    }

    public boolean getBoolean(String key, boolean fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw wrongType(key, "a boolean", v);
    }

    public String getString(String key, String fallback) {
        Object v = values.get(key);
        return v == null ? fallback : v.toString();
    }

    private static IllegalArgumentException wrongType(String key, String expected, Object found) {
        return new IllegalArgumentException("round config '" + key + "' must be " + expected + ", found "
                + found.getClass().getSimpleName() + " " + found);
    }
}
