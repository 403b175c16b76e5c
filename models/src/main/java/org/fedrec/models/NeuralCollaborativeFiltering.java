package org.fedrec.models;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.RandomSource;
import org.fedrec.core.TableDelta;
import org.fedrec.models.eval.Scorer;
import org.fedrec.models.internal.Optimizers;
import org.fedrec.models.internal.RowOverlay;
import org.fedrec.models.internal.Vectors;

/**
 * NeuMF (He et al., "Neural Collaborative Filtering", WWW 2017, section 3.4): the fusion of generalized
 * matrix factorisation and a multi-layer perceptron,
 * <pre>
 *   phi^GMF = p^G_u * q^G_i                                    (element-wise, eq. 9)
 *   a_0 = [p^M_u ; q^M_i],  a_l = relu(W_l a_(l-1) + b_l),  l = 1..L   (eq. 10)
 *   s(u, i) = out_w . [phi^GMF ; a_L] + out_b                   (eq. 11; the logit of y_hat)
 * </pre>
 * The user embeddings {@code p^G} (width {@code d_g}) and {@code p^M} ({@code d_m}) are private: one
 * {@link PrivateStates} slice {@code [p^G ; p^M]} per user. Everything else is global: the item tables
 * {@value #GMF_ITEM} and {@value #MLP_ITEM} (sent as sparse rows of the items a client touched; one
 * {@link RowOverlay} over both, as they share the item index) and the dense tables
 * {@code mlp_w1, mlp_b1, ..., mlp_wL, mlp_bL, out_w, out_b} (sent whole). {@code W_l} is a
 * {@code units x inputs} table, a bias a {@code units x 1} table, {@code out_w} is {@code 1 x (d_g + units_L)}.
 *
 * <p>Training follows {@link MatrixFactorization}: per positive pair, {@code K} uniform negatives, one of
 * the losses of {@link TrainSettings.Loss} over the logits; the paper's log loss (eq. 7) is
 * {@link TrainSettings.Loss#BCE}, the default of {@link #defaultSettings()}. Gradients are derived by hand
 * (see {@code NeuMFStep}); every parameter is updated once per step from the pre-step values. L2 applies
 * to the user's row, the touched item rows and the layer weights; FedProx's {@code mu} to all global
 * parameters. Adam is lazy for rows (moments advance only for the rows a step touches) and dense for the
 * layers; its moments live for one fit. Without pre-training (the paper's section 3.4.1).
 *
 * <p>Initialisation: embeddings from {@code N(0, initStd^2)}, hidden layers He uniform
 * {@code U(+-sqrt(6 / fan_in))}, the output layer Xavier uniform {@code U(+-sqrt(6 / (fan_in + 1)))},
 * biases zero.
 */
public final class NeuralCollaborativeFiltering implements RecommenderModel {

    public static final String GMF_ITEM = "gmf_item";
    public static final String MLP_ITEM = "mlp_item";
    /** Weights of hidden layer {@code l} (1-based) are the table {@code mlp_w<l>}. */
    public static final String MLP_WEIGHT_PREFIX = "mlp_w";
    /** Biases of hidden layer {@code l} (1-based) are the table {@code mlp_b<l>}. */
    public static final String MLP_BIAS_PREFIX = "mlp_b";
    public static final String OUT_WEIGHT = "out_w";
    public static final String OUT_BIAS = "out_b";

    /**
     * The network's shape.
     *
     * @param gmfDim  {@code d_g}, width of the GMF embeddings
     * @param mlpDim  {@code d_m}, width of the MLP embeddings (the tower's input is {@code 2 d_m})
     * @param layers  units of each hidden layer, input side first; may be empty
     * @param initStd standard deviation of the initial embeddings
     */
    public record Architecture(int gmfDim, int mlpDim, List<Integer> layers, double initStd) {

        public Architecture {
            if (gmfDim < 1 || mlpDim < 1) {
                throw new IllegalArgumentException("NeuMF needs gmfDim >= 1 and mlpDim >= 1, found " + gmfDim + ", "
                        + mlpDim);
            }
            layers = List.copyOf(layers);
            for (int l = 0; l < layers.size(); l++) {
                if (layers.get(l) < 1) {
                    throw new IllegalArgumentException("NeuMF hidden layer " + (l + 1) + " needs >= 1 unit, found "
                            + layers.get(l) + " in " + layers);
                }
            }
            if (!(initStd > 0) || Double.isInfinite(initStd)) {
                throw new IllegalArgumentException("NeuMF initStd must be finite and > 0, found " + initStd);
            }
        }

        /** {@code d_g = 16}, {@code d_m = 32}, tower {@code 64 -> 64 -> 32 -> 16}, {@code initStd = 0.01}. */
        public static Architecture defaults() {
            return new Architecture(16, 32, List.of(64, 32, 16), 0.01);
        }
    }

    private final int numItems;
    private final Architecture architecture;
    private final NeuMFNetwork net;

    public NeuralCollaborativeFiltering(int numItems, Architecture architecture) {
        if (numItems < 1) {
            throw new IllegalArgumentException("NeuMF needs numItems >= 1, found " + numItems);
        }
        this.numItems = numItems;
        this.architecture = architecture;
        this.net = new NeuMFNetwork(architecture.gmfDim(), architecture.mlpDim(), architecture.layers());
    }

    /** NeuMF's usual local training: log loss (BCE), Adam at lr 0.001, 4 negatives, no L2, no proximal term. */
    public static TrainSettings defaultSettings() {
        return new TrainSettings(1, 0.001, TrainSettings.Optimizer.ADAM, 4, 0.0, TrainSettings.Loss.BCE,
                TrainSettings.defaults().temperature(), 0.0);
    }

    @Override
    public String name() {
        return "neumf";
    }

    @Override
    public int numItems() {
        return numItems;
    }

    public Architecture architecture() {
        return architecture;
    }

    /** The global tables' names in the order of {@link #initialGlobal}. */
    public List<String> tableNames() {
        String[] names = new String[2 + net.denseTables.size()];
        names[0] = GMF_ITEM;
        names[1] = MLP_ITEM;
        for (int t = 0; t < net.denseTables.size(); t++) {
            names[2 + t] = net.denseTables.get(t).name();
        }
        return List.of(names);
    }

    @Override
    public ModelState initialGlobal(RandomSource random) {
        SplittableRandom rng = random.split("neumf-init").generator();
        Map<String, FloatTable> tables = new LinkedHashMap<>();
        tables.put(GMF_ITEM, new FloatTable(numItems, net.gmfDim, gaussian(numItems * net.gmfDim, rng)));
        tables.put(MLP_ITEM, new FloatTable(numItems, net.mlpDim, gaussian(numItems * net.mlpDim, rng)));
        net.unpack(net.initialDense(rng), tables);
        return new ModelState(tables);
    }

    private float[] gaussian(int n, SplittableRandom rng) {
        float[] a = new float[n];
        fillGaussian(a, 0, n, rng);
        return a;
    }

    private void fillGaussian(float[] a, int off, int n, SplittableRandom rng) {
        for (int i = 0; i < n; i++) {
            a[off + i] = (float) (Vectors.gaussian(rng) * architecture.initStd());
        }
    }

    @Override
    public PrivateStates newPrivateStates(int numUsers, RandomSource random) {
        int width = net.userWidth();
        return new PrivateStates(numUsers, width, random, (data, off, rng) -> fillGaussian(data, off, width, rng));
    }

    @Override
    public LocalFit fit(ModelState global, ClientData data, PrivateStates users, TrainSettings s,
                        SplittableRandom random) {
        FloatTable gmf = itemTable(global, GMF_ITEM, net.gmfDim);
        FloatTable mlp = itemTable(global, MLP_ITEM, net.mlpDim);
        checkUsers(users);
        if (s.itemHiding() == TrainSettings.ItemHiding.DENSE) {
            throw new IllegalArgumentException(TrainSettings.ITEM_HIDING + "=dense is implemented for MF only: for NeuMF it "
                    + "would take a forward and backward pass through the MLP for every catalog item at every step");
        }
        float[] dense = net.pack(global);
        float[] denseGlobal = dense.clone();
        try (RowOverlay overlay = new RowOverlay(TrainingPairs.expectedRows(data, s), gmf, mlp)) {
            Trainer trainer = new Trainer(s, data, users, overlay, gmf, mlp, dense, denseGlobal);
            TrainingPairs.Progress progress = TrainingPairs.runEpochs(data, s, numItems, random, trainer::step);
            Map<String, TableDelta> deltas = new LinkedHashMap<>();
            deltas.put(GMF_ITEM, overlay.delta(0));
            deltas.put(MLP_ITEM, overlay.delta(1));
            for (NeuMFNetwork.DenseTable d : net.denseTables) {
                float[] change = new float[d.size()];
                for (int k = 0; k < change.length; k++) {
                    change[k] = dense[d.offset() + k] - denseGlobal[d.offset() + k];
                }
                deltas.put(d.name(), new TableDelta.Dense(change));
            }
            return new LocalFit(new ModelUpdate(deltas), progress.meanLoss(), progress.steps());
        }
    }

    private FloatTable itemTable(ModelState global, String name, int cols) {
        FloatTable t = global.table(name);
        if (t.rows() != numItems || t.cols() != cols) {
            throw new IllegalArgumentException("global table '" + name + "' is " + t.rows() + "x" + t.cols()
                    + ", this NeuMF model expects " + numItems + "x" + cols);
        }
        return t;
    }

    private void checkUsers(PrivateStates users) {
        if (users.width() != net.userWidth()) {
            throw new IllegalArgumentException("private states of width " + users.width() + " given to a NeuMF model"
                    + " whose users need d_g + d_m = " + net.userWidth());
        }
    }

    /** Samples a step's candidates, asks {@link NeuMFStep} for its gradients and applies them. */
    private final class Trainer {
        private final ClientData data;
        private final PrivateStates users;
        private final RowOverlay overlay;
        private final NeuMFStep step;
        private final NeuMFStep.Params params = new NeuMFStep.Params();
        private final int[] slots;
        private final int[] rows;
        private final float lr;
        private final boolean adam;
        private float[] userM;
        private float[] userV;
        private float[] gmfM = new float[0];
        private float[] gmfV = new float[0];
        private float[] mlpM = new float[0];
        private float[] mlpV = new float[0];
        private float[] denseM;
        private float[] denseV;
        private long t;

        Trainer(TrainSettings s, ClientData data, PrivateStates users, RowOverlay overlay, FloatTable gmfGlobal,
                FloatTable mlpGlobal, float[] dense, float[] denseGlobal) {
            this.data = data;
            this.users = users;
            this.overlay = overlay;
            this.step = new NeuMFStep(net, s);
            this.slots = new int[step.candidates()];
            this.rows = new int[step.candidates()];
            this.lr = (float) s.lr();
            this.adam = s.optimizer() == TrainSettings.Optimizer.ADAM;
            params.user = users.data();
            params.gmfGlobal = gmfGlobal.data();
            params.mlpGlobal = mlpGlobal.data();
            params.dense = dense;
            params.denseGlobal = denseGlobal;
            if (adam) {
                userM = new float[data.userCount() * net.userWidth()];
                userV = new float[userM.length];
                denseM = new float[dense.length];
                denseV = new float[dense.length];
            }
        }

        /**
         * One step on (local user, item); returns its data loss. A virtual (padding) step draws the fake
         * item's label from the model and leaves the user's private row alone.
         */
        double step(int localUser, int item, boolean virtual, SplittableRandom random) {
            rows[0] = item;
            slots[0] = overlay.slot(item);
            for (int c = 1; c < rows.length; c++) {
                rows[c] = TrainingPairs.sampleNegative(data, localUser, numItems, random);
                slots[c] = overlay.slot(rows[c]);
            }
            params.userOffset = users.offset(data.user(localUser));
            params.gmf = overlay.local(0);
            params.mlp = overlay.local(1);
            double loss = step.compute(params, slots, rows, virtual ? random : null);
            if (adam) {
                applyAdam(localUser, virtual);
            } else {
                applySgd(virtual);
            }
            return loss;
        }

        private void applySgd(boolean virtual) {
            int dg = net.gmfDim;
            int dm = net.mlpDim;
            if (!virtual) {
                Optimizers.sgd(params.user, params.userOffset, step.userGrad, 0, step.userGrad.length, lr);
            }
            for (int r = 0; r < step.distinct; r++) {
                int slot = step.distinctSlot[r];
                Optimizers.sgd(params.gmf, slot * dg, step.gmfGrad, r * dg, dg, lr);
                Optimizers.sgd(params.mlp, slot * dm, step.mlpGrad, r * dm, dm, lr);
            }
            Optimizers.sgd(params.dense, 0, step.denseGrad, 0, step.denseGrad.length, lr);
        }

        private void applyAdam(int localUser, boolean virtual) {
            int dg = net.gmfDim;
            int dm = net.mlpDim;
            int uw = net.userWidth();
            t++;
            ensureRowState(overlay.size());
            if (!virtual) {
                Optimizers.adam(params.user, params.userOffset, userM, userV, localUser * uw, step.userGrad, 0, uw, lr,
                        t);
            }
            for (int r = 0; r < step.distinct; r++) {
                int slot = step.distinctSlot[r];
                Optimizers.adam(params.gmf, gmfM, gmfV, slot * dg, step.gmfGrad, r * dg, dg, lr, t);
                Optimizers.adam(params.mlp, mlpM, mlpV, slot * dm, step.mlpGrad, r * dm, dm, lr, t);
            }
            Optimizers.adam(params.dense, denseM, denseV, 0, step.denseGrad, 0, step.denseGrad.length, lr, t);
        }

        private void ensureRowState(int slotCount) {
            int have = gmfM.length / net.gmfDim;
            if (have < slotCount) {
                int cap = Math.max(slotCount, have * 2);
                gmfM = Arrays.copyOf(gmfM, cap * net.gmfDim);
                gmfV = Arrays.copyOf(gmfV, cap * net.gmfDim);
                mlpM = Arrays.copyOf(mlpM, cap * net.mlpDim);
                mlpV = Arrays.copyOf(mlpV, cap * net.mlpDim);
            }
        }
    }

    /**
     * Scores with the global tables and the users' private rows; the first layer's user half is computed
     * once per call. Safe for concurrent calls on different users.
     */
    @Override
    public Scorer scorer(ModelState global, PrivateStates users) {
        float[] gmf = itemTable(global, GMF_ITEM, net.gmfDim).data();
        float[] mlp = itemTable(global, MLP_ITEM, net.mlpDim).data();
        float[] dense = net.pack(global);
        checkUsers(users);
        float[] p = users.data();
        int dg = net.gmfDim;
        int dm = net.mlpDim;
        return (user, items, count, out) -> {
            float[] userPart = new float[net.layers == 0 ? 0 : net.width[1]];
            float[] act = new float[net.activationSize];
            int uo = users.offset(user);
            net.userPart(dense, p, uo, userPart);
            for (int c = 0; c < count; c++) {
                int i = items[c];
                out[c] = net.forward(dense, p, uo, gmf, i * dg, mlp, i * dm, userPart, act, 0);
            }
        };
    }
}
