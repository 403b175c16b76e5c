package org.fedrec.privacy.secagg;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What every party of one secure-aggregation round agrees on before it starts: the round number, the
 * roster of clients (a client's position in it is its number, and its Shamir evaluation point is that
 * number plus one), the threshold t, the length of the input vector, the modulus 2^k of its entries, and
 * the neighbour graph.
 *
 * <p>A client's <em>group</em> is itself and its neighbours: the clients it gives shares of its secrets
 * to. Any t members of a group recover the secrets of its owner, so t is at most the group size (n for
 * the complete graph, k + 1 for SecAgg+). t of at least 2 is required: with t = 1 any single share, and so
 * any one client colluding with the server, reveals a secret. Immutable.
 */
public final class RoundSetup {

    private final long round;
    private final List<String> clients;
    private final Map<String, Integer> numberOf;
    private final int threshold;
    private final int vectorLength;
    private final int modulusBits;
    private final NeighbourGraph graph;

    /**
     * @param round        the round number, bound into every message and key derivation
     * @param clients      the roster, distinct non-blank ids
     * @param threshold    t, shares needed to recover a secret
     * @param vectorLength entries of each client's input
     * @param modulusBits  k of Z_(2^k): 32 or 64
     * @param graph        neighbours over the roster's numbering
     */
    public RoundSetup(long round, List<String> clients, int threshold, int vectorLength, int modulusBits,
                      NeighbourGraph graph) {
        Objects.requireNonNull(clients, "clients");
        Objects.requireNonNull(graph, "graph");
        this.round = round;
        this.clients = List.copyOf(clients);
        this.numberOf = new HashMap<>();
        for (int i = 0; i < this.clients.size(); i++) {
            String id = this.clients.get(i);
            if (id.isBlank()) {
                throw new IllegalArgumentException("client id at roster position " + i + " is blank");
            }
            if (numberOf.put(id, i) != null) {
                throw new IllegalArgumentException("client " + id + " appears twice in the roster of round " + round);
            }
        }
        if (graph.size() != this.clients.size()) {
            throw new IllegalArgumentException("neighbour graph has " + graph.size() + " clients but the roster has "
                    + this.clients.size());
        }
        int groupSize = graph.degree() + 1;
        if (threshold < 2 || threshold > groupSize) {
            throw new IllegalArgumentException("threshold t must be in [2, " + groupSize + "] (a client and its "
                    + graph.degree() + " neighbours), was " + threshold);
        }
        if (vectorLength < 1) {
            throw new IllegalArgumentException("vector length must be >= 1, was " + vectorLength);
        }
        if (modulusBits != 32 && modulusBits != 64) {
            throw new IllegalArgumentException("modulus bits k must be 32 or 64, was " + modulusBits);
        }
        this.threshold = threshold;
        this.vectorLength = vectorLength;
        this.modulusBits = modulusBits;
        this.graph = graph;
    }

    /**
     * A round over {@code clients} with the complete graph ({@code degree} 0) or a SecAgg+ graph of that
     * even degree drawn from {@code graphSeed}, and t the ceiling of {@code thresholdFraction} of a
     * client's group (itself and its neighbours), at least 2.
     */
    public static RoundSetup forCohort(long round, List<String> clients, int vectorLength, int modulusBits,
                                       int degree, double thresholdFraction, long graphSeed) {
        if (!(thresholdFraction > 0 && thresholdFraction <= 1)) {
            throw new IllegalArgumentException("threshold fraction must be in (0, 1], was " + thresholdFraction);
        }
        int n = clients.size();
        NeighbourGraph graph = degree == 0 || degree >= n - 1 ? NeighbourGraph.complete(n)
                : NeighbourGraph.harary(n, degree, graphSeed);
        int threshold = Math.max(2, (int) Math.ceil(thresholdFraction * (graph.degree() + 1)));
        return new RoundSetup(round, clients, threshold, vectorLength, modulusBits, graph);
    }

    /** A round over the complete graph (the original protocol). */
    public static RoundSetup complete(long round, List<String> clients, int threshold, int vectorLength,
                                      int modulusBits) {
        return new RoundSetup(round, clients, threshold, vectorLength, modulusBits,
                NeighbourGraph.complete(clients.size()));
    }

    public long round() {
        return round;
    }

    public List<String> clients() {
        return clients;
    }

    public int threshold() {
        return threshold;
    }

    public int vectorLength() {
        return vectorLength;
    }

    public int modulusBits() {
        return modulusBits;
    }

    public NeighbourGraph graph() {
        return graph;
    }

    /** True when {@code client} is on the roster. */
    public boolean has(String client) {
        return numberOf.containsKey(client);
    }

    /** The roster position of {@code client}; an error names the client and the round. */
    public int number(String client) {
        Integer i = numberOf.get(client);
        if (i == null) {
            throw new SecAggProtocolException("round " + round + ": client " + client + " is not on the roster of "
                    + clients.size() + " clients");
        }
        return i;
    }

    /** True when the two clients are neighbours. */
    public boolean adjacent(String a, String b) {
        return graph.adjacent(number(a), number(b));
    }

    /** 2^k - 1: entries of inputs and masked inputs lie in [0, 2^k). */
    public long modulusMask() {
        return modulusBits == 64 ? -1L : (1L << modulusBits) - 1;
    }

    @Override
    public String toString() {
        return "RoundSetup[round " + round + ", n=" + clients.size() + ", t=" + threshold + ", length "
                + vectorLength + ", Z_2^" + modulusBits + ", " + graph + "]";
    }
}
