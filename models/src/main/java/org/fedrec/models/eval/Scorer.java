package org.fedrec.models.eval;

/**
 * Scores items for a user; a higher score means more recommended. Users and items are dense 0-based
 * indices. Evaluators call a scorer from several threads at once, each thread for different users and
 * with its own {@code items} and {@code out} arrays, so implementations must be safe for concurrent
 * reads (a trained model that is not modified during evaluation is).
 *
 * <p>Scores must not be NaN: evaluators reject them, naming the user and item.
 */
@FunctionalInterface
public interface Scorer {
    /**
     * Writes the score of {@code items[i]} for {@code user} to {@code out[i]}, for {@code i < count}.
     * Must not modify {@code items}; may ignore entries of either array at or beyond {@code count}.
     */
    void score(int user, int[] items, int count, float[] out);

    /**
     * Writes the score of every item {@code 0 .. numItems-1} for {@code user} to {@code out[0 .. numItems)},
     * as for full ranking. The default calls {@link #score} with the items in order; override it where
     * the model can score all items faster (one matrix-vector product, no index array).
     */
    default void scoreAll(int user, int numItems, float[] out) {
        int[] items = new int[numItems];
        for (int i = 0; i < numItems; i++) {
            items[i] = i;
        }
        score(user, items, numItems, out);
    }
}
