package org.fedrec.models;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
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
import org.fedrec.models.internal.TextBasis;
import org.fedrec.models.internal.Vectors;

/**
 * A two-tower recommender over frozen item text embeddings with a LoRA adapter (Hu et al., "LoRA:
 * Low-Rank Adaptation of Large Language Models", ICLR 2022), federated so that only the adapter, item
 * biases and (hybrid) small item-id rows travel.
 *
 * <p>Item tower: {@code t_i = (W0 + B A) e_i}, where {@code e_i} is item i's L2-normalised text embedding
 * (e values, from a pretrained encoder, given to the constructor as plain floats), {@code W0} a frozen
 * {@code d x e} base projection derived from the catalog's embeddings alone ({@link Base#PCA}: the top-d
 * principal directions; {@link Base#RANDOM}: a seeded Gaussian projection), never trained and never sent,
 * and {@code B} ({@code d x r}, initialised 0) and {@code A} ({@code r x e}, {@code N(0, 1/r)}) the
 * adapter, global dense tables. The hybrid variant ({@code idDim > 0}) adds an item-id embedding
 * {@code q_i} (width {@code idDim}) placed after {@code t_i} ({@link Combine#CONCAT}, item vectors of width
 * {@code D = d + idDim}) or added to its first {@code idDim} values ({@link Combine#ADD}, {@code D = d}):
 * {@code v_i = [t_i ; q_i]} or {@code t_i + [q_i ; 0]}. Every item has a global bias {@code b_i}.
 *
 * <p>User tower: {@code U_u = p_u} (a private embedding of width D, {@link UserTower#EMBEDDING}),
 * {@code [h_u ; 0]} with {@code h_u = (W0 + B A) ebar_u} the projected mean text embedding of the user's
 * training items ({@link UserTower#HISTORY}: a user the model never trained is still scored), or their sum
 * ({@link UserTower#BOTH}). The score is {@code s(u, i) = U_u . v_i + b_i}.
 *
 * <p>Personal adapter ({@link Architecture#personal()}): every user also keeps a private vector {@code w_u}
 * (width e, initialised 0) on the device, and the score gains {@code w_u . e_i}. This is the exact
 * score-effect of a per-user LoRA adapter {@code B_u A_u} on the projection: {@code U_u . (B_u A_u e_i) =
 * (A_u^T B_u^T U_u) . e_i}, so every rank of personal adapter is some {@code w_u}, and {@code w_u} is the
 * smallest state that spans them all. It is trained with the user embedding and never leaves the device.
 *
 * <p>Training is {@link MatrixFactorization}'s: per positive, K uniform negatives, one of the losses of
 * {@link TrainSettings.Loss} with {@code dS_c} its derivative by the score of candidate c. Gradients,
 * derived by hand, with {@code U_t} and {@code g_t} the first d values of {@code U} and {@code g}:
 * <pre>
 *   g_U  = sum_c dS_c v_c                       dL/dp_u = g_U + l2 p_u
 *   dL/dw_u = sum_c dS_c e_c + l2 w_u          (personal adapter)
 *   dL/dq_c = dS_c U[id part] + l2 q_c + mu (q_c - q_c^g),   dL/db_c = dS_c + l2 b_c + mu (b_c - b_c^g)
 *   dL/dB = U_t (sum_c dS_c A e_c)^T + [history] g_Ut (A ebar_u)^T         + l2 B + mu (B - B^g)
 *   dL/dA = (B^T U_t) (sum_c dS_c e_c)^T + [history] (B^T g_Ut) ebar_u^T   + l2 A + mu (A - A^g)
 * </pre>
 * every parameter updated once per step from the pre-step values. {@code W0 e_i} is computed once per
 * model; {@code A e_c} per step for the step's candidates (the adapter moves at every step); the scorer
 * projects every item once per global model.
 *
 * <p>The update holds dense deltas of {@value #LORA_A} and {@value #LORA_B}, and sparse rows of
 * {@value #ITEM_BIAS} (and {@value #ITEM_ID}) for the items the client touched. Text embeddings are not
 * part of the model state: {@link #textDigest()} identifies them (for a checkpoint's metadata).
 */
public final class TextTwoTower implements RecommenderModel {

    public static final String LORA_A = "lora_a";
    public static final String LORA_B = "lora_b";
    public static final String ITEM_BIAS = MatrixFactorization.ITEM_BIAS;
    public static final String ITEM_ID = "item_id";

    /** How the frozen base projection W0 is derived from the catalog's text embeddings. */
    public enum Base { PCA, RANDOM }

    /** How the hybrid's item-id embedding joins the text vector. */
    public enum Combine { ADD, CONCAT }

    /** What represents a user. */
    public enum UserTower {
        EMBEDDING, HISTORY, BOTH;

        boolean embedding() {
            return this != HISTORY;
        }

        boolean history() {
            return this != EMBEDDING;
        }
    }

    /**
     * The model's shape.
     *
     * @param dim       d, the width of the projected text vector
     * @param rank      r, the LoRA rank
     * @param idDim     width of the item-id embedding; 0 for the text-only model
     * @param combine   how the id embedding joins (with {@link Combine#ADD}, {@code idDim <= dim})
     * @param userTower the user representation
     * @param base      how W0 is derived
     * @param initStd   standard deviation of the initial user and id embeddings
     * @param personal  whether every user keeps a private personal adapter {@code w_u} on the device
     */
    public record Architecture(int dim, int rank, int idDim, Combine combine, UserTower userTower, Base base,
                               double initStd, boolean personal) {
        /** A shape without personal adapters. */
        public Architecture(int dim, int rank, int idDim, Combine combine, UserTower userTower, Base base,
                            double initStd) {
            this(dim, rank, idDim, combine, userTower, base, initStd, false);
        }

        public Architecture {
            if (dim < 1 || rank < 1 || idDim < 0) {
                throw new IllegalArgumentException("text two-tower needs dim >= 1, rank >= 1 and idDim >= 0, found "
                        + dim + ", " + rank + ", " + idDim);
            }
            if (combine == Combine.ADD && idDim > dim) {
                throw new IllegalArgumentException("combine=add needs idDim <= dim, found idDim " + idDim + " > dim "
                        + dim + " (use concat)");
            }
            if (combine == null || userTower == null || base == null || !(initStd > 0) || Double.isInfinite(initStd)) {
                throw new IllegalArgumentException("text two-tower needs combine, userTower, base and a finite "
                        + "initStd > 0, found " + combine + ", " + userTower + ", " + base + ", " + initStd);
            }
        }

        /** Item and user vector width D. */
        int width() {
            return combine == Combine.CONCAT ? dim + idDim : dim;
        }

        int idOffset() {
            return combine == Combine.CONCAT ? dim : 0;
        }
    }

    private final int numItems;
    private final int textDim;
    private final float[] text;
    private final Architecture arch;
    private final int width;
    private final int idOffset;
    /** {@code W0 e_i} for every item: numItems x d. */
    private final float[] baseProjected;
    private final String textDigest;
    private volatile Projection lastProjection;

    /**
     * @param text     {@code numItems x textDim} embeddings, row-major (normalised to unit length here; an
     *                 all-zero row stays zero)
     * @param baseSeed the seed of {@link Base#RANDOM}'s projection
     */
    public TextTwoTower(int numItems, int textDim, float[] text, Architecture arch, long baseSeed) {
        if (numItems < 1 || textDim < 1 || text.length != (long) numItems * textDim) {
            throw new IllegalArgumentException("text two-tower needs numItems x textDim embeddings, found " + numItems
                    + " x " + textDim + " and " + text.length + " values");
        }
        if (arch.dim() > textDim && arch.base() == Base.PCA) {
            throw new IllegalArgumentException("base=pca projects to at most the text dimension " + textDim
                    + ", found dim " + arch.dim());
        }
        this.numItems = numItems;
        this.textDim = textDim;
        this.arch = arch;
        this.width = arch.width();
        this.idOffset = arch.idOffset();
        this.text = text.clone();
        for (int i = 0; i < numItems; i++) {
            float norm = (float) Math.sqrt(Vectors.dot(this.text, i * textDim, this.text, i * textDim, textDim));
            for (int j = 0; norm > 0 && j < textDim; j++) {
                this.text[i * textDim + j] /= norm;
            }
        }
        this.textDigest = digest(this.text);
        float[] w0 = arch.base() == Base.PCA
                ? TextBasis.principalDirections(this.text, numItems, textDim, arch.dim())
                : TextBasis.randomProjection(arch.dim(), textDim, baseSeed);
        this.baseProjected = TextBasis.project(this.text, numItems, textDim, w0, arch.dim());
    }

    @Override
    public String name() {
        return arch.idDim() > 0 ? "hybrid" : "text";
    }

    @Override
    public int numItems() {
        return numItems;
    }

    public Architecture architecture() {
        return arch;
    }

    public int textDim() {
        return textDim;
    }

    /** SHA-256 of the normalised text embeddings (float32 little-endian): what a checkpoint was trained on. */
    public String textDigest() {
        return textDigest;
    }

    private boolean hybrid() {
        return arch.idDim() > 0;
    }

    @Override
    public ModelState initialGlobal(RandomSource random) {
        SplittableRandom rng = random.split("text-two-tower-init").generator();
        int r = arch.rank();
        float[] a = new float[r * textDim];
        double aStd = 1 / Math.sqrt(r);
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (Vectors.gaussian(rng) * aStd);
        }
        Map<String, FloatTable> tables = new LinkedHashMap<>();
        tables.put(LORA_A, new FloatTable(r, textDim, a));
        tables.put(LORA_B, FloatTable.zeros(arch.dim(), r));
        tables.put(ITEM_BIAS, FloatTable.zeros(numItems, 1));
        if (hybrid()) {
            float[] q = new float[numItems * arch.idDim()];
            for (int i = 0; i < q.length; i++) {
                q[i] = (float) (Vectors.gaussian(rng) * arch.initStd());
            }
            tables.put(ITEM_ID, new FloatTable(numItems, arch.idDim(), q));
        }
        return new ModelState(tables);
    }

    /** Width of the user-embedding part of a private slice: D, or 0 for the history tower. */
    private int embeddingWidth() {
        return arch.userTower().embedding() ? width : 0;
    }

    /**
     * Width of a user's private slice: {@code [p_u (D, with a user embedding) ; w_u (e, personal adapter)]},
     * at least 1 (unused when neither is present).
     */
    private int privateWidth() {
        return Math.max(1, embeddingWidth() + (arch.personal() ? textDim : 0));
    }

    @Override
    public PrivateStates newPrivateStates(int numUsers, RandomSource random) {
        int w = embeddingWidth();
        return new PrivateStates(numUsers, privateWidth(), random, (data, off, rng) -> {
            for (int k = 0; k < w; k++) {
                data[off + k] = (float) (Vectors.gaussian(rng) * arch.initStd());
            }
        });
    }

    private FloatTable table(ModelState global, String name, int rows, int cols) {
        FloatTable t = global.table(name);
        if (t.rows() != rows || t.cols() != cols) {
            throw new IllegalArgumentException("global table '" + name + "' is " + t.rows() + "x" + t.cols() + ", this "
                    + name() + " model expects " + rows + "x" + cols);
        }
        return t;
    }

    private void checkUsers(PrivateStates users) {
        if (users.width() != privateWidth()) {
            throw new IllegalArgumentException("private states of width " + users.width() + " given to a " + name()
                    + " model whose users need " + privateWidth());
        }
    }

    @Override
    public LocalFit fit(ModelState global, ClientData data, PrivateStates users, TrainSettings s,
                        SplittableRandom random) {
        if (s.itemHiding() == TrainSettings.ItemHiding.DENSE || s.negativeCandidates() != 1) {
            throw new IllegalArgumentException("model " + name() + " trains with uniform negatives and sparse rows: "
                    + TrainSettings.ITEM_HIDING + "=dense and " + TrainSettings.NEGATIVE_CANDIDATES
                    + " > 1 are implemented for mf only, found " + s.itemHiding().name().toLowerCase(Locale.ROOT)
                    + " and " + s.negativeCandidates());
        }
        checkUsers(users);
        FloatTable a = table(global, LORA_A, arch.rank(), textDim);
        FloatTable b = table(global, LORA_B, arch.dim(), arch.rank());
        FloatTable bias = table(global, ITEM_BIAS, numItems, 1);
        int expected = TrainingPairs.expectedRows(data, s);
        try (RowOverlay overlay = hybrid()
                ? new RowOverlay(expected, bias, table(global, ITEM_ID, numItems, arch.idDim()))
                : new RowOverlay(expected, bias)) {
            Trainer trainer = new Trainer(s, data, users, overlay, a.data(), b.data());
            TrainingPairs.Progress progress = TrainingPairs.runEpochs(data, s, numItems, random, trainer::step);
            Map<String, TableDelta> deltas = new LinkedHashMap<>();
            deltas.put(LORA_A, new TableDelta.Dense(minus(trainer.a, a.data())));
            deltas.put(LORA_B, new TableDelta.Dense(minus(trainer.b, b.data())));
            deltas.put(ITEM_BIAS, overlay.delta(0));
            if (hybrid()) {
                deltas.put(ITEM_ID, overlay.delta(1));
            }
            return new LocalFit(new ModelUpdate(deltas), progress.meanLoss(), progress.steps());
        }
    }

    private static float[] minus(float[] x, float[] y) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] - y[i];
        }
        return out;
    }

    /** Mean text embedding of {@code items} into {@code out[off .. off+e)}, and of their W0 projections. */
    private void historyMean(int[] items, float[] eOut, int eOff, float[] zOut, int zOff) {
        int d = arch.dim();
        if (items.length == 0) {
            return;
        }
        float inv = 1f / items.length;
        for (int item : items) {
            Vectors.axpy(inv, text, item * textDim, eOut, eOff, textDim);
            Vectors.axpy(inv, baseProjected, item * d, zOut, zOff, d);
        }
    }

    /** One step per training pair: forward, hand-derived gradients, SGD or lazy Adam. */
    private final class Trainer {
        private final TrainSettings s;
        private final ClientData data;
        private final PrivateStates users;
        private final RowOverlay overlay;
        private final float[] aGlobal;
        private final float[] bGlobal;
        final float[] a;
        final float[] b;
        private final int d = arch.dim();
        private final int r = arch.rank();
        private final int idDim = arch.idDim();
        private final int[] rows;
        private final int[] cand;
        private final float[] dS;
        /** Per candidate: {@code A e_c} (r) and {@code v_c} (D). */
        private final float[] ac;
        private final float[] vc;
        private final float[] u;
        private final float[] gU;
        private final float[] aHist;
        private final float[] eWeighted;
        private final float[] alpha;
        private final float[] w;
        private final float[] beta;
        private final float[] gA;
        private final float[] gB;
        private final float[] gRow;
        private final float[] gBias = new float[1];
        /** The gradient of a user's private slice, {@code [g_p ; g_w]}. */
        private final float[] gPrivate;
        private final int embeddingWidth = embeddingWidth();
        private final int privateWidth = privateWidth();
        private final boolean personal = arch.personal();
        /** Per local user: mean text embedding and its W0 projection (history tower only). */
        private final float[] histE;
        private final float[] histZ;
        private final float lr;
        private final float l2;
        private final float mu;
        private final float invTemperature;
        private final boolean adam;
        private float[] userM;
        private float[] userV;
        private float[] aM;
        private float[] aV;
        private float[] bM;
        private float[] bV;
        private float[] biasM = new float[0];
        private float[] biasV = new float[0];
        private float[] idM = new float[0];
        private float[] idV = new float[0];
        private long t;

        Trainer(TrainSettings s, ClientData data, PrivateStates users, RowOverlay overlay, float[] aGlobal,
                float[] bGlobal) {
            this.s = s;
            this.data = data;
            this.users = users;
            this.overlay = overlay;
            this.aGlobal = aGlobal;
            this.bGlobal = bGlobal;
            this.a = aGlobal.clone();
            this.b = bGlobal.clone();
            int k = s.negatives() + 1;
            this.rows = new int[k];
            this.cand = new int[k];
            this.dS = new float[k];
            this.ac = new float[k * r];
            this.vc = new float[k * width];
            this.u = new float[width];
            this.gU = new float[width];
            this.aHist = new float[r];
            this.eWeighted = new float[textDim];
            this.alpha = new float[r];
            this.w = new float[r];
            this.beta = new float[r];
            this.gA = new float[a.length];
            this.gB = new float[b.length];
            this.gRow = new float[Math.max(1, idDim)];
            this.gPrivate = new float[privateWidth];
            this.lr = (float) s.lr();
            this.l2 = (float) s.l2();
            this.mu = (float) s.proximalMu();
            this.invTemperature = (float) (1.0 / s.temperature());
            this.adam = s.optimizer() == TrainSettings.Optimizer.ADAM;
            if (arch.userTower().history()) {
                histE = new float[data.userCount() * textDim];
                histZ = new float[data.userCount() * d];
                for (int lu = 0; lu < data.userCount(); lu++) {
                    historyMean(data.itemsOf(lu), histE, lu * textDim, histZ, lu * d);
                }
            } else {
                histE = null;
                histZ = null;
            }
            if (adam) {
                userM = new float[data.userCount() * privateWidth];
                userV = new float[userM.length];
                aM = new float[a.length];
                aV = new float[a.length];
                bM = new float[b.length];
                bV = new float[b.length];
            }
        }

        double step(int localUser, int item, boolean virtual, SplittableRandom random) {
            int k = s.negatives();
            rows[0] = item;
            for (int c = 1; c <= k; c++) {
                rows[c] = TrainingPairs.sampleNegative(data, localUser, numItems, random);
            }
            for (int c = 0; c <= k; c++) {
                cand[c] = overlay.slot(rows[c]);
            }
            float[] bias = overlay.local(0);
            float[] ids = hybrid() ? overlay.local(1) : null;
            // User vector U = p_u + [h_u ; 0].
            boolean embedding = arch.userTower().embedding();
            boolean history = arch.userTower().history();
            float[] p = users.data();
            boolean trainsPrivate = embedding || personal;
            int po = trainsPrivate ? users.offset(data.user(localUser)) : -1;
            int wo = po + embeddingWidth;
            if (embedding) {
                System.arraycopy(p, po, u, 0, width);
            } else {
                Arrays.fill(u, 0);
            }
            if (history) {
                for (int j = 0; j < r; j++) {
                    aHist[j] = Vectors.dot(a, j * textDim, histE, localUser * textDim, textDim);
                }
                for (int i = 0; i < d; i++) {
                    u[i] += histZ[localUser * d + i] + Vectors.dot(b, i * r, aHist, 0, r);
                }
            }
            // Candidates: v_c and scores.
            for (int c = 0; c <= k; c++) {
                int row = rows[c];
                int vo = c * width;
                for (int j = 0; j < r; j++) {
                    ac[c * r + j] = Vectors.dot(a, j * textDim, text, row * textDim, textDim);
                }
                Arrays.fill(vc, vo, vo + width, 0);
                for (int i = 0; i < d; i++) {
                    vc[vo + i] = baseProjected[row * d + i] + Vectors.dot(b, i * r, ac, c * r, r);
                }
                if (ids != null) {
                    Vectors.axpy(1f, ids, cand[c] * idDim, vc, vo + idOffset, idDim);
                }
                dS[c] = Vectors.dot(u, 0, vc, vo, width) + bias[cand[c]];
                if (personal) {
                    dS[c] += Vectors.dot(p, wo, text, row * textDim, textDim);
                }
            }
            double loss = virtual ? Losses.virtualLabelGradient(s.loss(), dS, k, random)
                    : Losses.lossAndGradient(s.loss(), invTemperature, dS, k);
            Losses.mergeRepeatedCandidates(cand, dS, k);
            // Gradients at the pre-step values.
            Arrays.fill(gU, 0);
            Arrays.fill(eWeighted, 0);
            Arrays.fill(alpha, 0);
            for (int c = 0; c <= k; c++) {
                if (cand[c] < 0) {
                    continue;
                }
                Vectors.axpy(dS[c], vc, c * width, gU, 0, width);
                Vectors.axpy(dS[c], text, rows[c] * textDim, eWeighted, 0, textDim);
                Vectors.axpy(dS[c], ac, c * r, alpha, 0, r);
            }
            transposeTimes(u, w);
            outer(w, eWeighted, gA, r, textDim, false);
            outer(u, alpha, gB, d, r, false);
            if (history) {
                transposeTimes(gU, beta);
                outer(beta, histE, localUser * textDim, gA, r, textDim);
                outer(gU, aHist, 0, gB, d, r);
            }
            regularise(gA, a, aGlobal);
            regularise(gB, b, bGlobal);
            if (adam) {
                t++;
                ensureRowState(overlay.size());
            }
            for (int c = 0; c <= k; c++) {
                if (cand[c] >= 0) {
                    updateRows(cand[c], dS[c], bias, ids);
                }
            }
            if (trainsPrivate && !virtual) {
                if (embedding) {
                    System.arraycopy(gU, 0, gPrivate, 0, width);
                }
                if (personal) {
                    System.arraycopy(eWeighted, 0, gPrivate, embeddingWidth, textDim);
                }
                // A private slice that trains is exactly [p_u ; w_u]: privateWidth has no padding here.
                int n = privateWidth;
                for (int j = 0; j < n; j++) {
                    gPrivate[j] += l2 * p[po + j];
                }
                if (adam) {
                    Optimizers.adam(p, po, userM, userV, localUser * privateWidth, gPrivate, 0, n, lr, t);
                } else {
                    Optimizers.sgd(p, po, gPrivate, 0, n, lr);
                }
            }
            if (adam) {
                Optimizers.adam(a, aM, aV, 0, gA, 0, a.length, lr, t);
                Optimizers.adam(b, bM, bV, 0, gB, 0, b.length, lr, t);
            } else {
                Optimizers.sgd(a, 0, gA, 0, a.length, lr);
                Optimizers.sgd(b, 0, gB, 0, b.length, lr);
            }
            return loss;
        }

        /** {@code out = B^T x[0..d)}. */
        private void transposeTimes(float[] x, float[] out) {
            Arrays.fill(out, 0);
            for (int i = 0; i < d; i++) {
                Vectors.axpy(x[i], b, i * r, out, 0, r);
            }
        }

        /** {@code g = x y^T} ({@code add}: {@code g += x y^T}) for an {@code m x n} g. */
        private void outer(float[] x, float[] y, float[] g, int m, int n, boolean add) {
            if (!add) {
                Arrays.fill(g, 0);
            }
            outer(x, y, 0, g, m, n);
        }

        /** {@code g += x y[yo..yo+n)^T}. */
        private void outer(float[] x, float[] y, int yo, float[] g, int m, int n) {
            for (int i = 0; i < m; i++) {
                Vectors.axpy(x[i], y, yo, g, i * n, n);
            }
        }

        /** Adds the L2 and proximal terms of a dense table. */
        private void regularise(float[] g, float[] x, float[] anchor) {
            if (l2 == 0 && mu == 0) {
                return;
            }
            for (int i = 0; i < g.length; i++) {
                g[i] += l2 * x[i] + mu * (x[i] - anchor[i]);
            }
        }

        /** The bias (and id) row of {@code slot}: data gradient {@code dS U}, L2, proximal term. */
        private void updateRows(int slot, float g, float[] bias, float[] ids) {
            gBias[0] = g + l2 * bias[slot] + mu * (bias[slot] - overlay.global(0, slot, 0));
            if (ids != null) {
                int off = slot * idDim;
                for (int j = 0; j < idDim; j++) {
                    float q = ids[off + j];
                    gRow[j] = g * u[idOffset + j] + l2 * q + mu * (q - overlay.global(1, slot, j));
                }
                if (adam) {
                    Optimizers.adam(ids, idM, idV, off, gRow, 0, idDim, lr, t);
                } else {
                    Optimizers.sgd(ids, off, gRow, 0, idDim, lr);
                }
            }
            if (adam) {
                Optimizers.adam(bias, biasM, biasV, slot, gBias, 0, 1, lr, t);
            } else {
                bias[slot] -= lr * gBias[0];
            }
        }

        private void ensureRowState(int slots) {
            if (biasM.length < slots) {
                int cap = Math.max(slots, biasM.length * 2);
                biasM = Arrays.copyOf(biasM, cap);
                biasV = Arrays.copyOf(biasV, cap);
                idM = Arrays.copyOf(idM, cap * idDim);
                idV = Arrays.copyOf(idV, cap * idDim);
            }
        }
    }

    /** Every item's vector {@code v_i} (numItems x D) under one global model. */
    private record Projection(ModelState global, float[] items, float[] bias) {
    }

    private Projection projection(ModelState global) {
        Projection last = lastProjection;
        if (last != null && last.global() == global) {
            return last;
        }
        int d = arch.dim();
        int r = arch.rank();
        float[] a = table(global, LORA_A, r, textDim).data();
        float[] b = table(global, LORA_B, d, r).data();
        float[] bias = table(global, ITEM_BIAS, numItems, 1).data();
        float[] ids = hybrid() ? table(global, ITEM_ID, numItems, arch.idDim()).data() : null;
        float[] v = new float[numItems * width];
        float[] ae = new float[r];
        for (int i = 0; i < numItems; i++) {
            for (int j = 0; j < r; j++) {
                ae[j] = Vectors.dot(a, j * textDim, text, i * textDim, textDim);
            }
            for (int k = 0; k < d; k++) {
                v[i * width + k] = baseProjected[i * d + k] + Vectors.dot(b, k * r, ae, 0, r);
            }
            if (ids != null) {
                Vectors.axpy(1f, ids, i * arch.idDim(), v, i * width + idOffset, arch.idDim());
            }
        }
        Projection p = new Projection(global, v, bias);
        lastProjection = p;
        return p;
    }

    @Override
    public Scorer scorer(ModelState global, PrivateStates users) {
        return scorer(global, users, null);
    }

    /**
     * Scores from every item's projected vector (computed once per global model); with the history tower,
     * {@code data}'s users get {@code h_u}, the mean text part of their training items' vectors.
     */
    @Override
    public Scorer scorer(ModelState global, PrivateStates users, ClientData data) {
        checkUsers(users);
        Projection proj = projection(global);
        float[] v = proj.items();
        float[] bias = proj.bias();
        int d = arch.dim();
        Map<Integer, float[]> history = new HashMap<>();
        if (arch.userTower().history() && data != null) {
            for (int lu = 0; lu < data.userCount(); lu++) {
                int[] items = data.itemsOf(lu);
                float[] h = new float[d];
                for (int item : items) {
                    Vectors.axpy(1f / items.length, v, item * width, h, 0, d);
                }
                history.put(data.user(lu), h);
            }
        }
        boolean embedding = arch.userTower().embedding();
        boolean personal = arch.personal();
        int wOffset = embeddingWidth();
        float[] p = users.data();
        return (user, items, count, out) -> {
            float[] uv = new float[width];
            if (embedding) {
                System.arraycopy(p, users.offset(user), uv, 0, width);
            }
            float[] h = history.get(user);
            if (h != null) {
                Vectors.axpy(1f, h, 0, uv, 0, d);
            }
            int wo = personal ? users.offset(user) + wOffset : 0;
            for (int c = 0; c < count; c++) {
                int i = items[c];
                out[c] = Vectors.dot(uv, 0, v, i * width, width) + bias[i];
                if (personal) {
                    out[c] += Vectors.dot(p, wo, text, i * textDim, textDim);
                }
            }
        };
    }

    private static String digest(float[] values) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(values);
            return HexFormat.of().formatHex(sha.digest(buf.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
