package org.fedrec.engine.spark.internal;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.StreamCorruptedException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fedrec.core.ClientFailure;
import org.fedrec.core.EvaluateResult;
import org.fedrec.core.FitResult;
import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.ModelUpdate;
import org.fedrec.core.RoundConfig;
import org.fedrec.core.TableDelta;

/**
 * Explicit mappers between core's records (which are not {@code Serializable}, and should not be) and
 * Java object streams, used by the engine's serializable holders in their {@code writeObject} and
 * {@code readObject}. Arrays are written whole, so their copies are bulk copies. Reading goes through
 * the records' constructors, so a damaged stream fails their validation.
 */
final class Wire {

    private static final byte DENSE = 0;
    private static final byte SPARSE = 1;
    private static final byte ENCODED = 2;

    private Wire() {
    }

    static void writeState(ObjectOutputStream out, ModelState state) throws IOException {
        out.writeInt(state.tables().size());
        for (Map.Entry<String, FloatTable> e : state.tables().entrySet()) {
            FloatTable t = e.getValue();
            out.writeUTF(e.getKey());
            out.writeInt(t.rows());
            out.writeInt(t.cols());
            out.writeObject(t.data());
        }
    }

    static ModelState readState(ObjectInputStream in) throws IOException, ClassNotFoundException {
        int n = in.readInt();
        Map<String, FloatTable> tables = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            int rows = in.readInt();
            int cols = in.readInt();
            tables.put(name, new FloatTable(rows, cols, (float[]) in.readObject()));
        }
        return new ModelState(tables);
    }

    static void writeConfig(ObjectOutputStream out, RoundConfig config) throws IOException {
        out.writeObject(new LinkedHashMap<>(config.values()));
    }

    @SuppressWarnings("unchecked")
    static RoundConfig readConfig(ObjectInputStream in) throws IOException, ClassNotFoundException {
        return new RoundConfig((Map<String, Object>) in.readObject());
    }

    static void writeFit(ObjectOutputStream out, FitResult r) throws IOException {
        out.writeUTF(r.clientId());
        out.writeLong(r.numExamples());
        out.writeInt(r.update().deltas().size());
        for (Map.Entry<String, TableDelta> e : r.update().deltas().entrySet()) {
            out.writeUTF(e.getKey());
            if (e.getValue() instanceof TableDelta.SparseRows s) {
                out.writeByte(SPARSE);
                out.writeInt(s.cols());
                out.writeObject(s.rows());
                out.writeObject(s.values());
            } else if (e.getValue() instanceof TableDelta.Encoded enc) {
                out.writeByte(ENCODED);
                out.writeUTF(enc.codec());
                out.writeInt(enc.rows());
                out.writeInt(enc.cols());
                out.writeInt(enc.values());
                out.writeObject(enc.payload());
            } else {
                out.writeByte(DENSE);
                out.writeObject(((TableDelta.Dense) e.getValue()).values());
            }
        }
        writeMetrics(out, r.metrics());
    }

    static FitResult readFit(ObjectInputStream in) throws IOException, ClassNotFoundException {
        String clientId = in.readUTF();
        long examples = in.readLong();
        int n = in.readInt();
        Map<String, TableDelta> deltas = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            byte kind = in.readByte();
            if (kind == SPARSE) {
                int cols = in.readInt();
                deltas.put(name, new TableDelta.SparseRows(cols, (int[]) in.readObject(), (float[]) in.readObject()));
            } else if (kind == DENSE) {
                deltas.put(name, new TableDelta.Dense((float[]) in.readObject()));
            } else if (kind == ENCODED) {
                String codec = in.readUTF();
                int rows = in.readInt();
                int cols = in.readInt();
                int values = in.readInt();
                deltas.put(name, new TableDelta.Encoded(codec, rows, cols, values, (byte[]) in.readObject()));
            } else {
                throw new StreamCorruptedException("unknown delta kind " + kind + " for table '" + name
                        + "' of client " + clientId);
            }
        }
        return new FitResult(clientId, examples, new ModelUpdate(deltas), readMetrics(in));
    }

    static void writeEvaluate(ObjectOutputStream out, EvaluateResult r) throws IOException {
        out.writeUTF(r.clientId());
        out.writeLong(r.numExamples());
        writeMetrics(out, r.metrics());
    }

    static EvaluateResult readEvaluate(ObjectInputStream in) throws IOException, ClassNotFoundException {
        String clientId = in.readUTF();
        long examples = in.readLong();
        return new EvaluateResult(clientId, examples, readMetrics(in));
    }

    static void writeFailure(ObjectOutputStream out, ClientFailure f) throws IOException {
        out.writeUTF(f.clientId());
        out.writeInt(f.round());
        out.writeUTF(f.phase().name());
        out.writeObject(f.message()); // may exceed writeUTF's 64 KB
    }

    static ClientFailure readFailure(ObjectInputStream in) throws IOException, ClassNotFoundException {
        String clientId = in.readUTF();
        int round = in.readInt();
        ClientFailure.Phase phase = ClientFailure.Phase.valueOf(in.readUTF());
        return new ClientFailure(clientId, round, phase, (String) in.readObject());
    }

    private static void writeMetrics(ObjectOutputStream out, Map<String, Double> metrics) throws IOException {
        out.writeInt(metrics.size());
        for (Map.Entry<String, Double> m : metrics.entrySet()) {
            out.writeUTF(m.getKey());
            out.writeDouble(m.getValue());
        }
    }

    private static Map<String, Double> readMetrics(ObjectInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            metrics.put(in.readUTF(), in.readDouble());
        }
        return metrics;
    }
}
