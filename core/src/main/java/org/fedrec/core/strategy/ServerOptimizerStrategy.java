package org.fedrec.core.strategy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.TableDelta;

/**
 * A FedAvg-family strategy whose server keeps optimizer state per parameter (momentum, moment
 * estimates) and treats the clients' mean delta as a pseudo-gradient step.
 *
 * <p>Sparse tables are updated lazily, as sparse Adam is: only rows some client sent advance their
 * state and value; rows nobody touched keep both. Dense tables update every value.
 */
abstract class ServerOptimizerStrategy extends FedAvg {

    private final Map<String, Map<String, float[]>> stateByTable = new HashMap<>();

    ServerOptimizerStrategy(Settings settings) {
        super(settings);
    }

    /** Names of the per-parameter state arrays this optimizer keeps, e.g. {@code m} and {@code v}. */
    abstract String[] stateNames();

    /** Initial value of each state array's entries, in {@link #stateNames()} order. */
    abstract float[] initialState();

    /**
     * Updates {@code len} parameters starting at {@code off} of {@code theta} (and the same range of each
     * state array) with the mean deltas starting at {@code deltaOff}.
     */
    abstract void step(float[] theta, float[][] state, int off, float[] delta, int deltaOff, int len);

    @Override
    protected final ModelState serverStep(ModelState global, ModelUpdate meanDelta) {
        Map<String, FloatTable> next = new LinkedHashMap<>(global.tables());
        meanDelta.deltas().forEach((name, d) -> {
            if (d instanceof TableDelta.Encoded encoded) {
                throw encoded.notDecoded(null, name, "the server optimiser step");
            }
            FloatTable t = global.table(name).copy();
            float[][] state = stateFor(name, t.size());
            if (d instanceof TableDelta.Dense dense) {
                step(t.data(), state, 0, dense.values(), 0, t.size());
            } else if (d instanceof TableDelta.SparseRows sparse) {
                int cols = sparse.cols();
                int[] rows = sparse.rows();
                for (int j = 0; j < rows.length; j++) {
                    step(t.data(), state, rows[j] * cols, sparse.values(), j * cols, cols);
                }
            }
            next.put(name, t);
        });
        return new ModelState(next);
    }

    private float[][] stateFor(String table, int size) {
        Map<String, float[]> byName = stateByTable.computeIfAbsent(table, k -> new LinkedHashMap<>());
        String[] names = stateNames();
        float[] init = initialState();
        float[][] out = new float[names.length][];
        for (int i = 0; i < names.length; i++) {
            float[] a = byName.get(names[i]);
            if (a == null || a.length != size) {
                a = new float[size];
                java.util.Arrays.fill(a, init[i]);
                byName.put(names[i], a);
            }
            out[i] = a;
        }
        return out;
    }
}
