package org.fedrec.models;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.RandomSource;
import org.fedrec.core.TableDelta;
import org.fedrec.models.eval.Scorer;
import org.fedrec.models.internal.Losses;
import org.fedrec.models.internal.Optimizers;
import org.fedrec.models.internal.RowOverlay;
import org.fedrec.models.internal.Vectors;

/**
 * Matrix factorisation for implicit feedback: {@code s(u, i) = p_u . q_i + b_i}. The item embeddings
 * {@code q} and biases {@code b} are global; the user embeddings {@code p} are private.
 *
 * <p>Trained per positive pair (u, i) with {@code K} uniformly sampled negatives j the user has not
 * interacted with, under one of three losses (gradients derived by hand; {@code dS_c} is the derivative
 * of the loss by the score of candidate c, with c = 0 the positive):
 * <ul>
 *   <li>BPR (Rendle et al. 2009): {@code L = sum_k softplus(-(s_i - s_jk))};
 *       {@code dS_i = -sum_k sigma(s_jk - s_i)}, {@code dS_jk = sigma(s_jk - s_i)}.</li>
 *   <li>Sampled softmax with temperature T: {@code L = -log softmax(s / T)_0};
 *       {@code dS_c = (softmax(s / T)_c - [c = 0]) / T}.</li>
 *   <li>Binary cross-entropy: {@code L = softplus(-s_i) + sum_k softplus(s_jk)};
 *       {@code dS_i = -sigma(-s_i)}, {@code dS_jk = sigma(s_jk)}.</li>
 * </ul>
 * Then {@code dL/dp_u = sum_c dS_c q_c + l2 p_u}, {@code dL/dq_c = dS_c p_u + l2 q_c + mu (q_c - q_c^global)}
 * and {@code dL/db_c = dS_c + l2 b_c + mu (b_c - b_c^global)}, each row updated once per step with the
 * pre-step values of the others.
 *
 * <p>{@link TrainSettings#itemHiding()} changes what the update reveals: padding adds virtual steps on
 * fake items; dense replaces the sampled negatives by their expectation over the whole catalog and sends
 * every row (see {@link TrainSettings.ItemHiding}).
 */
public final class MatrixFactorization implements RecommenderModel {

    public static final String ITEM_EMBEDDING = "item_embedding";
    public static final String ITEM_BIAS = "item_bias";

    private final int numItems;
    private final int dim;
    private final float initStd;

    public MatrixFactorization(int numItems, int dim, double initStd) {
        if (numItems < 1 || dim < 1) {
            throw new IllegalArgumentException("MF needs numItems >= 1 and dim >= 1, found " + numItems + ", " + dim);
        }
        this.numItems = numItems;
        this.dim = dim;
        this.initStd = (float) initStd;
    }

    @Override
    public String name() {
        return "mf";
    }

    @Override
    public int numItems() {
        return numItems;
    }

    public int dim() {
        return dim;
    }

    @Override
    public ModelState initialGlobal(RandomSource random) {
        SplittableRandom rng = random.split("mf-init").generator();
        float[] q = new float[numItems * dim];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) (Vectors.gaussian(rng) * initStd);
        }
        Map<String, FloatTable> tables = new LinkedHashMap<>();
        tables.put(ITEM_EMBEDDING, new FloatTable(numItems, dim, q));
        tables.put(ITEM_BIAS, FloatTable.zeros(numItems, 1));
        return new ModelState(tables);
    }

    @Override
    public PrivateStates newPrivateStates(int numUsers, RandomSource random) {
        return new PrivateStates(numUsers, dim, random, (data, off, rng) -> {
            for (int k = 0; k < dim; k++) {
                data[off + k] = (float) (Vectors.gaussian(rng) * initStd);
            }
        });
    }

    @Override
    public LocalFit fit(ModelState global, ClientData data, PrivateStates users, TrainSettings s,
                        SplittableRandom random) {
        FloatTable q = global.table(ITEM_EMBEDDING);
        FloatTable b = global.table(ITEM_BIAS);
        if (q.cols() != dim || q.rows() != numItems) {
            throw new IllegalArgumentException("global " + ITEM_EMBEDDING + " is " + q.rows() + "x" + q.cols()
                    + ", this MF model expects " + numItems + "x" + dim);
        }
        boolean dense = s.itemHiding() == TrainSettings.ItemHiding.DENSE;
        try (RowOverlay overlay = new RowOverlay(dense ? numItems : TrainingPairs.expectedRows(data, s), q, b)) {
            if (dense) {
                for (int row = 0; row < numItems; row++) {
                    overlay.slot(row); // every row, in order: slot == row
                }
            }
            LocalStep step = new LocalStep(s, data, users, overlay, q.data(), b.data());
            TrainingPairs.Progress progress = TrainingPairs.runEpochs(data, s, numItems, random,
                    dense ? step::runExpected : step::run);
            Map<String, TableDelta> deltas = new LinkedHashMap<>();
            deltas.put(ITEM_EMBEDDING, dense ? new TableDelta.Dense(overlay.delta(0).values()) : overlay.delta(0));
            deltas.put(ITEM_BIAS, dense ? new TableDelta.Dense(overlay.delta(1).values()) : overlay.delta(1));
            return new LocalFit(new ModelUpdate(deltas), progress.meanLoss(), progress.steps());
        }
    }

    /** One SGD/Adam step on one positive pair with its sampled negatives; scratch buffers reused. */
    private final class LocalStep {
        private final TrainSettings s;
        private final ClientData data;
        private final PrivateStates users;
        private final RowOverlay overlay;
        private final float[] globalQ;
        private final float[] globalB;
        private final int[] cand;
        private final float[] dS;
        private final float[] gUser = new float[dim];
        private final float[] gRow = new float[dim];
        private final float[] gBias = new float[1];
        private final float lr;
        private final float l2;
        private final float mu;
        private final float invTemperature;
        private final boolean adam;
        private float[] userM;
        private float[] userV;
        private float[] rowM = new float[0];
        private float[] rowV = new float[0];
        private float[] biasM = new float[0];
        private float[] biasV = new float[0];
        private float[] expectedScores;
        private int[] expectedSlots;
        private long t;

        LocalStep(TrainSettings s, ClientData data, PrivateStates users, RowOverlay overlay, float[] globalQ,
                  float[] globalB) {
            this.s = s;
            this.globalQ = globalQ;
            this.globalB = globalB;
            this.data = data;
            this.users = users;
            this.overlay = overlay;
            this.cand = new int[s.negatives() + 1];
            this.dS = new float[s.negatives() + 1];
            this.lr = (float) s.lr();
            this.l2 = (float) s.l2();
            this.mu = (float) s.proximalMu();
            this.invTemperature = (float) (1.0 / s.temperature());
            this.adam = s.optimizer() == TrainSettings.Optimizer.ADAM;
            if (adam) {
                userM = new float[data.userCount() * dim];
                userV = new float[userM.length];
            }
        }

        /**
         * One step on (user, item) with sampled negatives; returns the step's loss. A virtual (padding) step
         * draws the fake item's label ({@link Losses#virtualLabelGradient}) and leaves the user's row alone.
         */
        double run(int localUser, int item, boolean virtual, SplittableRandom random) {
            int k = s.negatives();
            cand[0] = overlay.slot(item);
            for (int c = 1; c <= k; c++) {
                cand[c] = overlay.slot(chooseNegative(localUser, random));
            }
            float[] u = users.data();
            int uo = users.offset(data.user(localUser));
            float[] qv = overlay.local(0);
            float[] bv = overlay.local(1);
            for (int c = 0; c <= k; c++) {
                dS[c] = Vectors.dot(u, uo, qv, cand[c] * dim, dim) + bv[cand[c]];
            }
            double loss = virtual ? Losses.virtualLabelGradient(s.loss(), dS, k, random)
                    : Losses.lossAndGradient(s.loss(), invTemperature, dS, k);
            Losses.mergeRepeatedCandidates(cand, dS, k);
            if (!virtual) {
                userGradient(u, uo, cand, dS, k);
            }
            if (adam) {
                t++;
                ensureRowState(overlay.size());
            }
            for (int c = 0; c <= k; c++) {
                if (cand[c] >= 0) { // a repeat is merged into its first occurrence
                    updateRow(u, uo, cand[c], dS[c], 1f);
                }
            }
            if (!virtual) {
                updateUser(u, uo, localUser);
            }
            return loss;
        }

        /**
         * The step of {@link TrainSettings.ItemHiding#DENSE} on a positive: every item the user has not
         * interacted with is a negative of weight {@code w = negatives / (items - positives)}, and its L2 and
         * proximal penalties are weighted {@code w} too, the expectation of the sampled step (in which each
         * such item is a candidate with probability about w). Rows are in slot order (slot == row).
         */
        double runExpected(int localUser, int item, boolean virtual, SplittableRandom random) {
            if (expectedScores == null) {
                expectedScores = new float[numItems];
                expectedSlots = new int[numItems];
            }
            int[] slots = expectedSlots;
            float[] score = expectedScores;
            slots[0] = item;
            int n = 0;
            int next = data.start(localUser);
            int end = data.end(localUser);
            for (int row = 0; row < numItems; row++) {
                if (next < end && data.item(next) == row) {
                    next++; // a positive of this user: never a negative
                } else {
                    slots[++n] = row;
                }
            }
            float w = n == 0 ? 0f : (float) s.negatives() / n;
            float[] u = users.data();
            int uo = users.offset(data.user(localUser));
            float[] qv = overlay.local(0);
            float[] bv = overlay.local(1);
            for (int c = 0; c <= n; c++) {
                score[c] = Vectors.dot(u, uo, qv, slots[c] * dim, dim) + bv[slots[c]];
            }
            double loss = Losses.expectedOverNegatives(s.loss(), score, n, w);
            userGradient(u, uo, slots, score, n);
            if (adam) {
                t++;
                ensureRowState(numItems);
            }
            updateRow(u, uo, slots[0], score[0], 1f);
            for (int c = 1; c <= n; c++) {
                updateRow(u, uo, slots[c], score[c], w);
            }
            updateUser(u, uo, localUser);
            return loss;
        }

        /** {@code gUser = l2 p_u + sum_c dS_c q_c} over the candidates' pre-step rows (slot -1 = merged). */
        private void userGradient(float[] u, int uo, int[] slots, float[] grad, int k) {
            float[] qv = overlay.local(0);
            for (int j = 0; j < dim; j++) {
                gUser[j] = l2 * u[uo + j];
            }
            for (int c = 0; c <= k; c++) {
                if (slots[c] >= 0) {
                    Vectors.axpy(grad[c], qv, slots[c] * dim, gUser, 0, dim);
                }
            }
        }

        /**
         * Updates the row at {@code slot} by its data gradient {@code g} (times the pre-step user row) and
         * its L2 and proximal penalties weighted {@code penalty}. Plain SGD without a proximal term, the
         * common case, is fused into one pass: {@code w <- (1 - lr l2 penalty) w - lr g x}.
         */
        private void updateRow(float[] u, int uo, int slot, float g, float penalty) {
            float[] qv = overlay.local(0);
            float[] bv = overlay.local(1);
            int off = slot * dim;
            if (!adam && mu == 0) {
                float decay = 1 - lr * l2 * penalty;
                float a = -lr * g;
                for (int j = 0; j < dim; j++) {
                    qv[off + j] = decay * qv[off + j] + a * u[uo + j];
                }
                bv[slot] = decay * bv[slot] - lr * g;
                return;
            }
            float l2w = l2 * penalty;
            float muw = mu * penalty;
            for (int j = 0; j < dim; j++) {
                gRow[j] = g * u[uo + j] + l2w * qv[off + j];
            }
            gBias[0] = g + l2w * bv[slot];
            if (muw > 0) {
                for (int j = 0; j < dim; j++) {
                    gRow[j] += muw * (qv[off + j] - overlay.global(0, slot, j));
                }
                gBias[0] += muw * (bv[slot] - overlay.global(1, slot, 0));
            }
            if (adam) {
                Optimizers.adam(qv, rowM, rowV, off, gRow, 0, dim, lr, t);
                Optimizers.adam(bv, biasM, biasV, slot, gBias, 0, 1, lr, t);
            } else {
                Optimizers.sgd(qv, off, gRow, 0, dim, lr);
                bv[slot] -= lr * gBias[0];
            }
        }

        /** The user's step by {@code gUser}. */
        private void updateUser(float[] u, int uo, int localUser) {
            if (adam) {
                // Moments are indexed by the client's local user; parameters live in the private store.
                Optimizers.adam(u, uo, userM, userV, localUser * dim, gUser, 0, dim, lr, t);
            } else {
                Optimizers.sgd(u, uo, gUser, 0, dim, lr);
            }
        }

        private void ensureRowState(int slots) {
            if (biasM.length < slots) {
                int cap = Math.max(slots, biasM.length * 2);
                rowM = java.util.Arrays.copyOf(rowM, cap * dim);
                rowV = java.util.Arrays.copyOf(rowV, cap * dim);
                biasM = java.util.Arrays.copyOf(biasM, cap);
                biasV = java.util.Arrays.copyOf(biasV, cap);
            }
        }

        /** A uniform negative, or the highest-scoring of m uniform candidates (dynamic negative sampling). */
        private int chooseNegative(int localUser, SplittableRandom random) {
            int m = s.negativeCandidates();
            int best = sampleNegative(localUser, random);
            if (m == 1) {
                return best;
            }
            float[] u = users.data();
            int uo = users.offset(data.user(localUser));
            float bestScore = peekScore(u, uo, best);
            for (int t = 1; t < m; t++) {
                int j = sampleNegative(localUser, random);
                float score = peekScore(u, uo, j);
                if (score > bestScore) {
                    best = j;
                    bestScore = score;
                }
            }
            return best;
        }

        /** Score of an item without copying its row into the overlay (candidates not chosen cost no upload). */
        private float peekScore(float[] u, int uo, int item) {
            int slot = overlay.slotIfLoaded(item);
            if (slot >= 0) {
                return Vectors.dot(u, uo, overlay.local(0), slot * dim, dim) + overlay.local(1)[slot];
            }
            return Vectors.dot(u, uo, globalQ, item * dim, dim) + globalB[item];
        }

        private int sampleNegative(int localUser, SplittableRandom random) {
            return TrainingPairs.sampleNegative(data, localUser, numItems, random);
        }
    }

    @Override
    public Scorer scorer(ModelState global, PrivateStates users) {
        float[] q = global.table(ITEM_EMBEDDING).data();
        float[] b = global.table(ITEM_BIAS).data();
        float[] p = users.data();
        return (user, items, count, out) -> {
            int uo = users.offset(user);
            for (int c = 0; c < count; c++) {
                int i = items[c];
                out[c] = Vectors.dot(p, uo, q, i * dim, dim) + b[i];
            }
        };
    }
}
