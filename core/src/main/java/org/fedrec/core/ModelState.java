package org.fedrec.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The global part of a model: named parameter tables (item embeddings, biases, dense layer weights) that
 * the server aggregates. A user's private parameters are never part of a {@code ModelState}.
 *
 * <p>Immutable: the map is unmodifiable and its tables are not written after construction.
 */
public record ModelState(Map<String, FloatTable> tables) {

    public ModelState {
        Objects.requireNonNull(tables, "tables");
        LinkedHashMap<String, FloatTable> copy = new LinkedHashMap<>();
        tables.forEach((name, table) -> {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("table names must be non-blank");
            }
            copy.put(name, Objects.requireNonNull(table, () -> "table '" + name + "' is null"));
        });
        tables = Collections.unmodifiableMap(copy);
    }

    /** The table called {@code name}; an error lists the tables this state has. */
    public FloatTable table(String name) {
        FloatTable t = tables.get(name);
        if (t == null) {
            throw new IllegalArgumentException("model state has no table '" + name + "'; it has " + tables.keySet());
        }
        return t;
    }

    public boolean has(String name) {
        return tables.containsKey(name);
    }

    /** Total number of float parameters. */
    public long parameterCount() {
        long n = 0;
        for (FloatTable t : tables.values()) {
            n += t.size();
        }
        return n;
    }

    /** A new state with {@code name} replaced (or added). */
    public ModelState with(String name, FloatTable table) {
        LinkedHashMap<String, FloatTable> copy = new LinkedHashMap<>(tables);
        copy.put(name, table);
        return new ModelState(copy);
    }
}
