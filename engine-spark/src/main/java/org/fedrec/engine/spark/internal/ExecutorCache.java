package org.fedrec.engine.spark.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.spark.broadcast.Broadcast;
import org.fedrec.engine.spark.SparkPopulation;

/**
 * Built populations of this JVM, by fleet key: a population is built once per JVM (driver or executor)
 * and reused by every task of that fleet. In local mode the executors run in the driver's JVM, so they
 * reuse the population the driver built. Holds only what {@link SparkPopulation#build()} makes
 * deterministically, so a task may run in any JVM.
 */
public final class ExecutorCache {

    private static final Map<String, SparkPopulation.Clients> BUILT = new ConcurrentHashMap<>();

    private ExecutorCache() {
    }

    public static SparkPopulation.Clients clients(String key, SparkPopulation recipe) {
        return BUILT.computeIfAbsent(key, k -> recipe.build());
    }

    public static SparkPopulation.Clients clients(String key, Broadcast<SparkPopulation> recipe) {
        SparkPopulation.Clients built = BUILT.get(key);
        return built != null ? built : clients(key, recipe.value());
    }

    public static void remove(String key) {
        BUILT.remove(key);
    }
}
