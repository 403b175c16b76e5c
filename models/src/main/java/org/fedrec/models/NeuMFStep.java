package org.fedrec.models;

import java.util.Arrays;

import org.fedrec.models.internal.Losses;
import org.fedrec.models.internal.Vectors;

/**
 * The loss and the hand-derived gradient of one NeuMF training step (one user, a positive item and its
 * sampled negatives), computed at the current parameters without changing them. The trainer applies the
 * gradients; the gradient tests compare them with finite differences, so both check the same code.
 *
 * <p>The objective of a step is the data loss over the candidates' logits (see {@link TrainSettings.Loss})
 * plus {@code l2/2} times the squared norm of the user's row, of each distinct candidate item row
 * ({@code q^G} and {@code q^M}) and of every layer weight (not the biases), plus {@code mu/2} times the
 * squared distance of each touched global parameter (item rows, every dense parameter) to its value in
 * the global model. A candidate that occurs twice contributes twice to the data loss but its row once to
 * the penalties. Backpropagation, with {@code g_c = dLoss/ds_c}:
 * <pre>
 *   d out_b += g_c;  d out_w += g_c [p^G * q^G_c ; a_L];  d p^G += g_c w^G * q^G_c;  d q^G_c += g_c w^G * p^G
 *   da_L = g_c w^H;  dz_l = da_l * [z_l > 0];  d W_l += dz_l a_(l-1)^T;  d b_l += dz_l;  da_(l-1) = W_l^T dz_l
 *   [d p^M ; d q^M_c] += da_0
 * </pre>
 * where {@code out_w = [w^G ; w^H]}. Not thread-safe: one instance per training thread.
 */
final class NeuMFStep {

    /** Where the parameters of a step live; the trainer re-binds the item arrays when its overlay grows. */
    static final class Params {
        /** The user's {@code [p^G ; p^M]} at {@link #userOffset}. */
        float[] user;
        int userOffset;
        /** Local item rows ({@code q^G}, {@code q^M}) by slot. */
        float[] gmf;
        float[] mlp;
        /** The global item tables by item row: the FedProx anchor. */
        float[] gmfGlobal;
        float[] mlpGlobal;
        /** Local and global flat dense parameters (see {@link NeuMFNetwork}). */
        float[] dense;
        float[] denseGlobal;
    }

    private final NeuMFNetwork net;
    private final TrainSettings.Loss loss;
    private final float invTemperature;
    private final float l2;
    private final float mu;
    private final int candidates;

    private final float[] userPart;
    private final float[] act;
    private final float[] score;
    private final float[] upstream;
    private final float[] downstream;

    /** Gradient by the user's row {@code [p^G ; p^M]}. */
    final float[] userGrad;
    /** Gradient by the {@code q^G} row of distinct candidate {@code r}, at {@code r * gmfDim}. */
    final float[] gmfGrad;
    /** Gradient by the {@code q^M} row of distinct candidate {@code r}, at {@code r * mlpDim}. */
    final float[] mlpGrad;
    /** Gradient by the flat dense parameters. */
    final float[] denseGrad;
    /** Local slot of distinct candidate {@code r}. */
    final int[] distinctSlot;
    /** Global item row of distinct candidate {@code r}. */
    final int[] distinctRow;
    /** Number of distinct candidates of the last step. */
    int distinct;
    private final int[] candidateIndex;

    NeuMFStep(NeuMFNetwork net, TrainSettings settings) {
        this.net = net;
        this.loss = settings.loss();
        this.invTemperature = (float) (1.0 / settings.temperature());
        this.l2 = (float) settings.l2();
        this.mu = (float) settings.proximalMu();
        this.candidates = settings.negatives() + 1;
        this.userPart = new float[net.layers == 0 ? 0 : net.width[1]];
        this.act = new float[candidates * net.activationSize];
        this.score = new float[candidates];
        this.upstream = new float[net.maxWidth];
        this.downstream = new float[net.maxWidth];
        this.userGrad = new float[net.userWidth()];
        this.gmfGrad = new float[candidates * net.gmfDim];
        this.mlpGrad = new float[candidates * net.mlpDim];
        this.denseGrad = new float[net.denseSize];
        this.distinctSlot = new int[candidates];
        this.distinctRow = new int[candidates];
        this.candidateIndex = new int[candidates];
    }

    int candidates() {
        return candidates;
    }

    /**
     * Computes the gradients of the step over candidates {@code 0 .. negatives} (0 is the positive) into
     * this object's gradient arrays and returns the data loss (without the penalties).
     *
     * @param slots local slot of each candidate's item rows in {@code p.gmf} and {@code p.mlp}
     * @param rows  global item row of each candidate
     */
    double compute(Params p, int[] slots, int[] rows) {
        return compute(p, slots, rows, null);
    }

    /**
     * As {@link #compute(Params, int[], int[])}; with {@code virtualLabels} non-null, candidate 0 is a
     * padding fake whose label is drawn from the model ({@link Losses#virtualLabelGradient}).
     */
    double compute(Params p, int[] slots, int[] rows, java.util.SplittableRandom virtualLabels) {
        int dg = net.gmfDim;
        int dm = net.mlpDim;
        int as = net.activationSize;
        distinct = 0;
        for (int c = 0; c < candidates; c++) {
            int r = 0;
            while (r < distinct && distinctSlot[r] != slots[c]) {
                r++;
            }
            if (r == distinct) {
                distinctSlot[r] = slots[c];
                distinctRow[r] = rows[c];
                distinct++;
            }
            candidateIndex[c] = r;
        }
        net.userPart(p.dense, p.user, p.userOffset, userPart);
        for (int c = 0; c < candidates; c++) {
            int s = slots[c];
            score[c] = net.forward(p.dense, p.user, p.userOffset, p.gmf, s * dg, p.mlp, s * dm, userPart, act, c * as);
        }
        double value = virtualLabels != null
                ? Losses.virtualLabelGradient(loss, score, candidates - 1, virtualLabels)
                : Losses.lossAndGradient(loss, invTemperature, score, candidates - 1);

        Arrays.fill(userGrad, 0);
        Arrays.fill(gmfGrad, 0, distinct * dg, 0);
        Arrays.fill(mlpGrad, 0, distinct * dm, 0);
        Arrays.fill(denseGrad, 0);
        for (int c = 0; c < candidates; c++) {
            backward(p, score[c], slots[c], candidateIndex[c], c * as);
        }
        addPenalties(p);
        return value;
    }

    private void backward(Params p, float g, int slot, int r, int ao) {
        int dg = net.gmfDim;
        int dm = net.mlpDim;
        float[] dense = p.dense;
        int ow = net.outWeight;
        int uo = p.userOffset;
        int go = slot * dg;
        denseGrad[net.outBias] += g;
        for (int k = 0; k < dg; k++) {
            float pg = p.user[uo + k];
            float qg = p.gmf[go + k];
            float w = dense[ow + k];
            denseGrad[ow + k] += g * pg * qg;
            userGrad[k] += g * w * qg;
            gmfGrad[r * dg + k] += g * w * pg;
        }
        int top = net.layers;
        Vectors.axpy(g, act, ao + net.activationOffset[top], denseGrad, ow + dg, net.width[top]);
        float[] da = upstream;
        float[] prev = downstream;
        for (int j = 0; j < net.width[top]; j++) {
            da[j] = g * dense[ow + dg + j];
        }
        for (int l = top; l >= 1; l--) {
            int nIn = net.width[l - 1];
            int in = ao + net.activationOffset[l - 1];
            int out = ao + net.activationOffset[l];
            int w = net.weightOffset[l];
            int b = net.biasOffset[l];
            Arrays.fill(prev, 0, nIn, 0);
            for (int o = 0; o < net.width[l]; o++) {
                if (act[out + o] <= 0) {
                    continue; // relu'(z) = 0, so dz = 0
                }
                float dz = da[o];
                Vectors.axpy(dz, act, in, denseGrad, w + o * nIn, nIn);
                denseGrad[b + o] += dz;
                Vectors.axpy(dz, dense, w + o * nIn, prev, 0, nIn);
            }
            float[] t = da;
            da = prev;
            prev = t;
        }
        for (int j = 0; j < dm; j++) {
            userGrad[dg + j] += da[j];
            mlpGrad[r * dm + j] += da[dm + j];
        }
    }

    private void addPenalties(Params p) {
        int dg = net.gmfDim;
        int dm = net.mlpDim;
        if (l2 > 0) {
            Vectors.axpy(l2, p.user, p.userOffset, userGrad, 0, userGrad.length);
            Vectors.axpy(l2, p.dense, 0, denseGrad, 0, net.weightCount);
        }
        for (int r = 0; r < distinct; r++) {
            int s = distinctSlot[r];
            int row = distinctRow[r];
            for (int k = 0; k < dg; k++) {
                float q = p.gmf[s * dg + k];
                gmfGrad[r * dg + k] += l2 * q + mu * (q - p.gmfGlobal[row * dg + k]);
            }
            for (int k = 0; k < dm; k++) {
                float q = p.mlp[s * dm + k];
                mlpGrad[r * dm + k] += l2 * q + mu * (q - p.mlpGlobal[row * dm + k]);
            }
        }
        if (mu > 0) {
            float[] w = p.dense;
            float[] w0 = p.denseGlobal;
            for (int i = 0; i < denseGrad.length; i++) {
                denseGrad[i] += mu * (w[i] - w0[i]);
            }
        }
    }
}
