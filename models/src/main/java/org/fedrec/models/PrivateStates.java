package org.fedrec.models;

import java.util.SplittableRandom;

import org.fedrec.core.RandomSource;

/**
 * Per-user private parameters (user embeddings) of a simulated population, kept on the client side: the
 * server never reads them and no update carries them. Each user owns a fixed-width slice of one primitive
 * array; a slice is initialised on first use from the run's seed and the user's index, so a user's
 * initial state does not depend on which client or thread touches it first.
 *
 * <p>Different users may be used from different threads at once; one user from one thread at a time
 * (a user belongs to exactly one client).
 */
public final class PrivateStates {

    /** Initialises one user's slice. */
    @FunctionalInterface
    public interface Initializer {
        void init(float[] data, int offset, SplittableRandom random);
    }

    private final int width;
    private final float[] data;
    private final boolean[] ready;
    private final RandomSource random;
    private final Initializer initializer;

    public PrivateStates(int users, int width, RandomSource random, Initializer initializer) {
        if (users < 0 || width <= 0) {
            throw new IllegalArgumentException("private states need users >= 0 and width > 0, found " + users + ", "
                    + width);
        }
        this.width = width;
        this.data = new float[Math.multiplyExact(users, width)];
        this.ready = new boolean[users];
        this.random = random.split("private-init");
        this.initializer = initializer;
    }

    public int width() {
        return width;
    }

    public int users() {
        return ready.length;
    }

    /** The array holding every slice; a user's slice starts at {@link #offset(int)}. */
    public float[] data() {
        return data;
    }

    /**
     * A copy of {@code users}' slices, one after another in the given order (initialising any not yet
     * used): for an engine that keeps a client's private state between rounds outside this store.
     */
    public float[] export(int[] users) {
        float[] out = new float[Math.multiplyExact(users.length, width)];
        for (int i = 0; i < users.length; i++) {
            System.arraycopy(data, offset(users[i]), out, i * width, width);
        }
        return out;
    }

    /**
     * Sets {@code users}' slices from {@code slices}, laid out as {@link #export} writes them; those users
     * count as initialised from then on.
     */
    public void restore(int[] users, float[] slices) {
        if (slices.length != (long) users.length * width) {
            throw new IllegalArgumentException("restoring " + users.length + " users of width " + width + " needs "
                    + ((long) users.length * width) + " values, found " + slices.length);
        }
        for (int i = 0; i < users.length; i++) {
            int user = users[i];
            if (user < 0 || user >= ready.length) {
                throw new IllegalArgumentException("cannot restore user " + user + " into private states of "
                        + ready.length + " users");
            }
            System.arraycopy(slices, i * width, data, user * width, width);
            ready[user] = true;
        }
    }

    /** Offset of {@code user}'s slice, initialising it on first use. */
    public int offset(int user) {
        if (!ready[user]) {
            initializer.init(data, user * width, random.split("user", user).generator());
            ready[user] = true;
        }
        return user * width;
    }
}
