package org.fedrec.privacy.secagg;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import org.fedrec.core.Clock;
import org.fedrec.privacy.secagg.Message.ClientMessage;
import org.fedrec.privacy.secagg.Message.ServerMessage;

/**
 * Runs one secure-aggregation round with every client and the server in this JVM, passing each message
 * as {@link WireFormat} bytes (so traffic is counted as it would travel), and with clients dropping out on
 * a schedule. For simulations, tests and benchmarks; a networked runner drives the same
 * {@link ClientSession}s and {@link ServerSession} over a transport.
 *
 * <p>Client steps of a stage run in parallel on the common fork-join pool when asked; the server takes
 * their messages one at a time, in arrival order (its result does not depend on the order). Each
 * client's compute time, bytes up and bytes down, and the server's time and bytes are measured with the
 * injected {@link Clock}.
 */
public final class InMemorySecAgg {

    /** What one party spent: nanoseconds of its own computation, bytes sent and bytes received. */
    public record Cost(long nanos, long bytesSent, long bytesReceived) {
        Cost plus(long dn, long sent, long received) {
            return new Cost(nanos + dn, bytesSent + sent, bytesReceived + received);
        }
    }

    /**
     * A round's outcome: the result, or the abort if too many clients dropped (exactly one is non-null);
     * each client's cost (by id, roster order) and the server's.
     */
    public record Outcome(SecAggResult result, SecAggAbortedException abort, Map<String, Cost> clients,
                          Cost server) {
        public Outcome {
            if ((result == null) == (abort == null)) {
                throw new IllegalArgumentException("an outcome has a result or an abort, not both or neither");
            }
            clients = Collections.unmodifiableMap(new LinkedHashMap<>(clients));
        }

        public boolean aborted() {
            return abort != null;
        }
    }

    private final Clock clock;
    private final boolean parallel;
    private final BiConsumer<String, byte[]> serverWiretap;

    /**
     * @param clock         measures compute time
     * @param parallel      run a stage's client steps in parallel
     * @param serverWiretap sees every byte the server receives, with the sender's id (for tests of what a
     *                      curious server holds); null for none
     */
    public InMemorySecAgg(Clock clock, boolean parallel, BiConsumer<String, byte[]> serverWiretap) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.parallel = parallel;
        this.serverWiretap = serverWiretap;
    }

    /**
     * A SecureRandom whose bytes are a function of {@code seed} (SHA1PRNG seeded before first use), so a
     * simulated round is reproducible. For simulations, tests and benchmarks only: a deployed client uses a
     * fresh {@code new SecureRandom()}.
     */
    public static SecureRandom seededRandom(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA1PRNG is not available in this JDK", e);
        }
    }

    /**
     * Runs a round.
     *
     * @param dropBefore for each client that drops, the first stage whose message it does not send (it
     *                   sends nothing after either); clients not listed never drop
     * @param randomness each client's random source
     * @param inputs     each client's encoded input, asked for when it masks (entries in [0, 2^k))
     */
    public Outcome run(RoundSetup setup, Map<String, Stage> dropBefore, Function<String, SecureRandom> randomness,
                       Function<String, long[]> inputs) {
        Round r = new Round(setup, dropBefore);
        try {
            r.clientStage(Stage.ADVERTISE_KEYS, setup.clients(), (id, ignored) -> {
                r.sessions.put(id, new ClientSession(setup, id, randomness.apply(id)));
                return r.sessions.get(id).start();
            }, null);
            Map<String, ? extends ServerMessage> directories = r.server(s -> s.closeKeyAdvertisement());
            r.clientStage(Stage.SHARE_KEYS, directories.keySet(),
                    (id, m) -> r.sessions.get(id).onKeyDirectory((Message.KeyDirectory) m), directories);
            Map<String, ? extends ServerMessage> bundles = r.server(s -> s.closeKeySharing());
            r.clientStage(Stage.MASKED_INPUT, bundles.keySet(),
                    (id, m) -> r.sessions.get(id).onShareBundle((Message.ShareBundle) m, inputs.apply(id)), bundles);
            Map<String, ? extends ServerMessage> requests = r.server(s -> s.closeMaskedInputCollection());
            r.clientStage(Stage.UNMASKING, requests.keySet(),
                    (id, m) -> r.sessions.get(id).onUnmaskingRequest((Message.UnmaskingRequest) m), requests);
            SecAggResult result = r.server(ServerSession::closeUnmasking);
            return new Outcome(result, null, r.clientCosts(), r.serverCost);
        } catch (SecAggAbortedException e) {
            return new Outcome(null, e, r.clientCosts(), r.serverCost);
        }
    }

    /** The mutable state of one run. */
    private final class Round {
        final RoundSetup setup;
        final Map<String, Stage> dropBefore;
        final ServerSession server;
        final Map<String, ClientSession> sessions = new ConcurrentHashMap<>();
        final Map<String, Cost> costs = new ConcurrentHashMap<>();
        Cost serverCost = new Cost(0, 0, 0);

        Round(RoundSetup setup, Map<String, Stage> dropBefore) {
            this.setup = setup;
            this.dropBefore = Map.copyOf(dropBefore);
            this.server = new ServerSession(setup);
            for (String id : dropBefore.keySet()) {
                setup.number(id);
            }
        }

        /** Clients in {@code ids} that still take part at {@code stage} decode their message, act, and send. */
        void clientStage(Stage stage, Collection<String> ids,
                         BiFunction<String, ServerMessage, ClientMessage> step,
                         Map<String, ? extends ServerMessage> fromServer) {
            List<String> active = new ArrayList<>();
            for (String id : ids) {
                Stage drop = dropBefore.get(id);
                if (drop == null || drop.compareTo(stage) > 0) {
                    active.add(id);
                }
            }
            Stream<String> s = parallel ? active.parallelStream() : active.stream();
            s.forEach(id -> {
                long start = clock.nanoTime();
                long received = 0;
                ServerMessage in = null;
                if (fromServer != null) {
                    byte[] bytes = WireFormat.encode(fromServer.get(id));
                    received = bytes.length;
                    in = (ServerMessage) WireFormat.decode(bytes);
                }
                byte[] out = WireFormat.encode(step.apply(id, in));
                long spent = clock.nanoTime() - start;
                costs.merge(id, new Cost(spent, out.length, received), (a, b) -> a.plus(b.nanos(), b.bytesSent(),
                        b.bytesReceived()));
                synchronized (this) {
                    long serverStart = clock.nanoTime();
                    if (serverWiretap != null) {
                        serverWiretap.accept(id, out);
                    }
                    server.receive((ClientMessage) WireFormat.decode(out));
                    serverCost = serverCost.plus(clock.nanoTime() - serverStart, 0, out.length);
                }
            });
        }

        /** Closes a server stage, counting its time and the bytes of the messages it sends. */
        <T> T server(Function<ServerSession, T> close) {
            long start = clock.nanoTime();
            T out = close.apply(server);
            long sent = 0;
            if (out instanceof Map<?, ?> messages) {
                for (Object m : messages.values()) {
                    sent += WireFormat.encode((Message) m).length;
                }
            }
            serverCost = serverCost.plus(clock.nanoTime() - start, sent, 0);
            return out;
        }

        Map<String, Cost> clientCosts() {
            Map<String, Cost> out = new LinkedHashMap<>();
            for (String id : setup.clients()) {
                out.put(id, costs.getOrDefault(id, new Cost(0, 0, 0)));
            }
            return out;
        }
    }
}
