package org.fedrec.privacy.secagg;

import java.util.Arrays;

import org.fedrec.core.SplitMix64;

/**
 * Who masks with whom and who holds whose shares in a round, over clients numbered 0..n-1. Either the
 * complete graph of the original protocol (Bonawitz et al. 2017), where each client's masks and shares
 * involve all n - 1 others, or the random k-regular Harary graph of SecAgg+ (Bell, Bonawitz, Gascón,
 * Lepoint, Raykova, CCS 2020, section 3.3): the clients are placed on a ring in a random order drawn from a
 * public seed, and each is joined to the k/2 nearest on either side. With k = O(log n) a client's cost no
 * longer grows with n, while a server that does not choose the seed cannot isolate a client.
 *
 * <p>Immutable. Adjacency is symmetric and irreflexive.
 */
public final class NeighbourGraph {

    private final int size;
    private final int degree;
    /** Ring position of each client, or null for the complete graph. */
    private final int[] position;
    /** Client at each ring position, or null for the complete graph. */
    private final int[] atPosition;

    private NeighbourGraph(int size, int degree, int[] atPosition) {
        this.size = size;
        this.degree = degree;
        this.atPosition = atPosition;
        if (atPosition == null) {
            this.position = null;
        } else {
            this.position = new int[size];
            for (int p = 0; p < size; p++) {
                position[atPosition[p]] = p;
            }
        }
    }

    /** The complete graph on {@code size} clients. */
    public static NeighbourGraph complete(int size) {
        requireSize(size);
        return new NeighbourGraph(size, size - 1, null);
    }

    /**
     * The SecAgg+ graph: a k-regular Harary graph on a ring shuffled by {@code seed}; the complete graph
     * when {@code degree >= size - 1}.
     *
     * @param degree k, even and at least 2
     * @param seed   public randomness every party agrees on (in a deployment, drawn after the clients commit
     *               to participate, so the server cannot choose who neighbours whom)
     */
    public static NeighbourGraph harary(int size, int degree, long seed) {
        requireSize(size);
        if (degree < 2 || degree % 2 != 0) {
            throw new IllegalArgumentException("SecAgg+ neighbour degree k must be even and >= 2, was " + degree);
        }
        if (degree >= size - 1) {
            return complete(size);
        }
        int[] ring = new int[size];
        Arrays.setAll(ring, i -> i);
        new SplitMix64(seed).shuffle(ring, 0, size);
        return new NeighbourGraph(size, degree, ring);
    }

    private static void requireSize(int size) {
        if (size < 2) {
            throw new IllegalArgumentException("a secure-aggregation round needs at least 2 clients, was " + size);
        }
    }

    public int size() {
        return size;
    }

    /** Neighbours of every client: n - 1 for the complete graph, k for SecAgg+. */
    public int degree() {
        return degree;
    }

    public boolean isComplete() {
        return position == null;
    }

    public boolean adjacent(int a, int b) {
        check(a);
        check(b);
        if (a == b) {
            return false;
        }
        if (position == null) {
            return true;
        }
        int d = Math.abs(position[a] - position[b]);
        return Math.min(d, size - d) <= degree / 2;
    }

    /** The neighbours of {@code client}, increasing (a new array). */
    public int[] neighbours(int client) {
        check(client);
        int[] out = new int[degree];
        if (position == null) {
            for (int i = 0, j = 0; i < size; i++) {
                if (i != client) {
                    out[j++] = i;
                }
            }
            return out;
        }
        int p = position[client];
        int j = 0;
        for (int step = 1; step <= degree / 2; step++) {
            out[j++] = atPosition[Math.floorMod(p + step, size)];
            out[j++] = atPosition[Math.floorMod(p - step, size)];
        }
        Arrays.sort(out);
        return out;
    }

    private void check(int client) {
        if (client < 0 || client >= size) {
            throw new IllegalArgumentException("client number must be in [0, " + size + "), was " + client);
        }
    }

    @Override
    public String toString() {
        return isComplete() ? "NeighbourGraph[complete, n=" + size + "]"
                : "NeighbourGraph[Harary, n=" + size + ", k=" + degree + "]";
    }
}
