package org.fedrec.models.eval;

/** A scorer reading a dense {@code scores[user][item]} table, for hand-made rankings. */
record TableScorer(float[][] scores) implements Scorer {
    /** The same item scores for every one of {@code numUsers} users. */
    static TableScorer sameForAll(int numUsers, float... itemScores) {
        float[][] s = new float[numUsers][];
        for (int u = 0; u < numUsers; u++) {
            s[u] = itemScores;
        }
        return new TableScorer(s);
    }

    @Override
    public void score(int user, int[] items, int count, float[] out) {
        for (int i = 0; i < count; i++) {
            out[i] = scores[user][items[i]];
        }
    }
}
