package org.fedrec.engine.spark.internal;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.fedrec.core.ClientFailure;
import org.fedrec.core.ModelState;
import org.fedrec.core.RoundConfig;

/**
 * One round's requests, as broadcast to the executors: the distinct global models and configs the
 * instructions carry (usually one of each, sent once), and for each partition its clients' requests.
 * Broadcast rather than captured in the task closure, so that each executor fetches the model once per
 * round; in local mode the tasks read the driver's own objects, without a copy.
 */
public final class RoundPlan implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** One client's request: its position in the round's instruction list, its id, its model and config. */
    public record Request(int index, String clientId, int global, int config) implements Serializable {
    }

    private final ClientFailure.Phase phase;
    private final int round;
    private final long seed;
    private final List<List<Request>> byPartition;
    private transient List<ModelState> globals;
    private transient List<RoundConfig> configs;

    private RoundPlan(ClientFailure.Phase phase, int round, long seed, List<List<Request>> byPartition,
                      List<ModelState> globals, List<RoundConfig> configs) {
        this.phase = phase;
        this.round = round;
        this.seed = seed;
        this.byPartition = byPartition;
        this.globals = globals;
        this.configs = configs;
    }

    /** Collects requests partition by partition; models and configs are shared by identity. */
    public static final class Builder {
        private final ClientFailure.Phase phase;
        private final int round;
        private final long seed;
        private final List<List<Request>> byPartition = new ArrayList<>();
        private final Map<ModelState, Integer> globalIndex = new IdentityHashMap<>();
        private final Map<RoundConfig, Integer> configIndex = new IdentityHashMap<>();
        private final List<ModelState> globals = new ArrayList<>();
        private final List<RoundConfig> configs = new ArrayList<>();
        private int requests;

        public Builder(ClientFailure.Phase phase, int round, long seed, int partitions) {
            this.phase = phase;
            this.round = round;
            this.seed = seed;
            for (int p = 0; p < partitions; p++) {
                byPartition.add(new ArrayList<>());
            }
        }

        public Builder add(int partition, int index, String clientId, ModelState global, RoundConfig config) {
            int g = globalIndex.computeIfAbsent(global, x -> {
                globals.add(x);
                return globals.size() - 1;
            });
            int c = configIndex.computeIfAbsent(config, x -> {
                configs.add(x);
                return configs.size() - 1;
            });
            byPartition.get(partition).add(new Request(index, clientId, g, c));
            requests++;
            return this;
        }

        /** Requests added so far. */
        public int size() {
            return requests;
        }

        public RoundPlan build() {
            List<List<Request>> frozen = new ArrayList<>(byPartition.size());
            byPartition.forEach(r -> frozen.add(List.copyOf(r)));
            return new RoundPlan(phase, round, seed, List.copyOf(frozen), List.copyOf(globals),
                    List.copyOf(configs));
        }
    }

    public ClientFailure.Phase phase() {
        return phase;
    }

    public int round() {
        return round;
    }

    /** The run's seed: each client's random source is split from it per purpose, round and client id. */
    public long seed() {
        return seed;
    }

    public List<Request> requests(int partition) {
        return byPartition.get(partition);
    }

    public ModelState global(Request r) {
        return globals.get(r.global());
    }

    public RoundConfig config(Request r) {
        return configs.get(r.config());
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        out.writeInt(globals.size());
        for (ModelState g : globals) {
            Wire.writeState(out, g);
        }
        out.writeInt(configs.size());
        for (RoundConfig c : configs) {
            Wire.writeConfig(out, c);
        }
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        int n = in.readInt();
        List<ModelState> g = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            g.add(Wire.readState(in));
        }
        int m = in.readInt();
        List<RoundConfig> c = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            c.add(Wire.readConfig(in));
        }
        globals = List.copyOf(g);
        configs = List.copyOf(c);
    }
}
