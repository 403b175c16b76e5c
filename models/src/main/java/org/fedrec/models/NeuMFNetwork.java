package org.fedrec.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.models.internal.Vectors;

/**
 * The shape of a NeuMF network and its forward pass on float arrays.
 *
 * <p>Dense parameters (layer weights and biases) live in one flat array: every weight matrix first
 * ({@code W_1 .. W_L}, then {@code out_w}), then every bias, so that L2 on weights is one prefix. A weight
 * matrix is row-major with one row per output unit. Activations of one candidate item are one flat
 * slice: {@code a_0 = [p^M ; q^M]}, then {@code a_l = relu(W_l a_(l-1) + b_l)} for each hidden layer.
 */
final class NeuMFNetwork {

    /** One dense table inside the flat array. */
    record DenseTable(String name, int rows, int cols, int offset) {
        int size() {
            return rows * cols;
        }
    }

    final int gmfDim;
    final int mlpDim;
    /** {@code width[0] = 2 * mlpDim}, {@code width[l]} = units of hidden layer l. */
    final int[] width;
    final int layers;
    final int[] weightOffset;
    final int[] biasOffset;
    final int outWeight;
    final int outBias;
    final int weightCount;
    final int denseSize;
    final int[] activationOffset;
    final int activationSize;
    final int maxWidth;
    final List<DenseTable> denseTables;

    NeuMFNetwork(int gmfDim, int mlpDim, List<Integer> hidden) {
        this.gmfDim = gmfDim;
        this.mlpDim = mlpDim;
        this.layers = hidden.size();
        this.width = new int[layers + 1];
        width[0] = 2 * mlpDim;
        for (int l = 1; l <= layers; l++) {
            width[l] = hidden.get(l - 1);
        }
        this.weightOffset = new int[layers + 1];
        this.biasOffset = new int[layers + 1];
        int off = 0;
        for (int l = 1; l <= layers; l++) {
            weightOffset[l] = off;
            off = Math.addExact(off, Math.multiplyExact(width[l], width[l - 1]));
        }
        this.outWeight = off;
        off += gmfDim + width[layers];
        this.weightCount = off;
        for (int l = 1; l <= layers; l++) {
            biasOffset[l] = off;
            off += width[l];
        }
        this.outBias = off;
        this.denseSize = off + 1;
        this.activationOffset = new int[layers + 1];
        int a = 0;
        int max = 0;
        for (int l = 0; l <= layers; l++) {
            activationOffset[l] = a;
            a += width[l];
            max = Math.max(max, width[l]);
        }
        this.activationSize = a;
        this.maxWidth = max;
        List<DenseTable> tables = new ArrayList<>();
        for (int l = 1; l <= layers; l++) {
            tables.add(new DenseTable(NeuralCollaborativeFiltering.MLP_WEIGHT_PREFIX + l, width[l], width[l - 1],
                    weightOffset[l]));
            tables.add(new DenseTable(NeuralCollaborativeFiltering.MLP_BIAS_PREFIX + l, width[l], 1, biasOffset[l]));
        }
        tables.add(new DenseTable(NeuralCollaborativeFiltering.OUT_WEIGHT, 1, gmfDim + width[layers], outWeight));
        tables.add(new DenseTable(NeuralCollaborativeFiltering.OUT_BIAS, 1, 1, outBias));
        this.denseTables = Collections.unmodifiableList(tables);
    }

    int userWidth() {
        return gmfDim + mlpDim;
    }

    /** Hidden layers with He uniform weights, the output layer with Xavier (Glorot) uniform weights, zero biases. */
    float[] initialDense(SplittableRandom rng) {
        float[] dense = new float[denseSize];
        for (int l = 1; l <= layers; l++) {
            fillUniform(dense, weightOffset[l], width[l] * width[l - 1], Math.sqrt(6.0 / width[l - 1]), rng);
        }
        int fanIn = gmfDim + width[layers];
        fillUniform(dense, outWeight, fanIn, Math.sqrt(6.0 / (fanIn + 1)), rng);
        return dense;
    }

    private static void fillUniform(float[] a, int off, int len, double limit, SplittableRandom rng) {
        for (int i = 0; i < len; i++) {
            a[off + i] = (float) ((2 * rng.nextDouble() - 1) * limit);
        }
    }

    /** The dense tables of {@code global} packed into a new flat array; shapes are checked. */
    float[] pack(ModelState global) {
        float[] dense = new float[denseSize];
        for (DenseTable d : denseTables) {
            FloatTable t = global.table(d.name());
            if (t.rows() != d.rows() || t.cols() != d.cols()) {
                throw new IllegalArgumentException("global table '" + d.name() + "' is " + t.rows() + "x" + t.cols()
                        + ", this NeuMF model expects " + d.rows() + "x" + d.cols());
            }
            System.arraycopy(t.data(), 0, dense, d.offset(), d.size());
        }
        return dense;
    }

    /** Adds the dense tables of a flat array to {@code tables}, in layer order. */
    void unpack(float[] dense, Map<String, FloatTable> tables) {
        for (DenseTable d : denseTables) {
            float[] values = new float[d.size()];
            System.arraycopy(dense, d.offset(), values, 0, values.length);
            tables.put(d.name(), new FloatTable(d.rows(), d.cols(), values));
        }
    }

    /**
     * The part of the first layer's pre-activation that depends on the user only: {@code W_1[:, :d_m] p^M},
     * into {@code out[0 .. width[1])}. Nothing to do without hidden layers.
     */
    void userPart(float[] dense, float[] user, int userOff, float[] out) {
        if (layers == 0) {
            return;
        }
        int in = width[0];
        for (int o = 0; o < width[1]; o++) {
            out[o] = Vectors.dot(dense, weightOffset[1] + o * in, user, userOff + gmfDim, mlpDim);
        }
    }

    /**
     * The logit of one (user, item) pair; writes the candidate's activations to {@code act[ao ..]}.
     *
     * @param user     holds {@code [p^G ; p^M]} at {@code userOff}
     * @param gmf      holds the item's {@code q^G} at {@code gmfOff}
     * @param mlp      holds the item's {@code q^M} at {@code mlpOff}
     * @param userPart {@link #userPart} of this user and these weights
     */
    float forward(float[] dense, float[] user, int userOff, float[] gmf, int gmfOff, float[] mlp, int mlpOff,
                  float[] userPart, float[] act, int ao) {
        System.arraycopy(user, userOff + gmfDim, act, ao, mlpDim);
        System.arraycopy(mlp, mlpOff, act, ao + mlpDim, mlpDim);
        for (int l = 1; l <= layers; l++) {
            int nIn = width[l - 1];
            int in = ao + activationOffset[l - 1];
            int out = ao + activationOffset[l];
            int w = weightOffset[l];
            int b = biasOffset[l];
            for (int o = 0; o < width[l]; o++) {
                float z = l == 1
                        ? userPart[o] + Vectors.dot(dense, w + o * nIn + mlpDim, act, in + mlpDim, mlpDim)
                        : Vectors.dot(dense, w + o * nIn, act, in, nIn);
                z += dense[b + o];
                act[out + o] = z > 0 ? z : 0;
            }
        }
        float s = dense[outBias];
        for (int k = 0; k < gmfDim; k++) {
            s += dense[outWeight + k] * user[userOff + k] * gmf[gmfOff + k];
        }
        return s + Vectors.dot(dense, outWeight + gmfDim, act, ao + activationOffset[layers], width[layers]);
    }
}
