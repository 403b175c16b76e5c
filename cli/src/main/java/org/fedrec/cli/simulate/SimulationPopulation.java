package org.fedrec.cli.simulate;

import java.io.Serial;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fedrec.core.ClientFactory;
import org.fedrec.engine.spark.SparkPopulation;
import org.fedrec.models.PrivateStates;

/**
 * A {@link Simulation}'s clients for the Spark engine. What travels is the run's config (its set values);
 * an executor in another JVM rebuilds the simulation from it, reading the dataset from the same
 * {@code data_dir} or regenerating the synthetic shop from the seed. The driver's JVM, and so every
 * executor of a local master, uses the simulation it already has.
 */
final class SimulationPopulation implements SparkPopulation {

    @Serial
    private static final long serialVersionUID = 1L;

    private final Map<String, Object> config;
    private final transient Simulation local;

    SimulationPopulation(Simulation simulation) {
        this.local = simulation;
        this.config = new LinkedHashMap<>();
        simulation.config().asMap().forEach((k, v) -> {
            if (v != null) {
                config.put(k, v);
            }
        });
    }

    @Override
    public Clients build() {
        Simulation sim = local != null ? local
                : Simulation.build(SimulateKeys.definition().parse(config, "the config the Spark driver sent"));
        return new Clients() {
            @Override
            public List<String> clientIds() {
                return sim.clientIds();
            }

            @Override
            public int[] usersOf(String clientId) {
                return sim.usersOf(clientId);
            }

            @Override
            public PrivateStates newPrivateStates() {
                return sim.newPrivateStates();
            }

            @Override
            public ClientFactory factory(PrivateStates states) {
                return sim.clientFactory(states);
            }
        };
    }
}
