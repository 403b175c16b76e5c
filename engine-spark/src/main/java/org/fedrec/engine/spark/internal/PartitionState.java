package org.fedrec.engine.spark.internal;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.fedrec.models.PrivateStates;

/**
 * The private side of one executor partition between rounds: which clients it holds, and the private
 * parameters of the users its clients have trained so far ({@code users} increasing, their slices one
 * after another in {@code slices}). Users not listed are still at their seeded initial value, which
 * {@link PrivateStates} recreates on first use. Never collected to the driver.
 */
public record PartitionState(List<String> clientIds, int[] users, float[] slices) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    public PartitionState {
        clientIds = List.copyOf(clientIds);
    }

    /** A partition whose users have never trained. */
    public static PartitionState initial(List<String> clientIds) {
        return new PartitionState(clientIds, new int[0], new float[0]);
    }

    /** Loads this partition's trained users into {@code states} (a fresh store) and returns it. */
    public PrivateStates restoreInto(PrivateStates states) {
        states.restore(users, slices);
        return states;
    }

    /** This partition after its clients touched {@code touched} users' parameters in {@code states}. */
    public PartitionState after(PrivateStates states, int[] touched) {
        int[] union = IntStream.concat(Arrays.stream(users), Arrays.stream(touched)).distinct().sorted().toArray();
        return new PartitionState(clientIds, union, states.export(union));
    }
}
