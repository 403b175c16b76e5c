package org.fedrec.engine.spark.internal;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.io.StreamCorruptedException;

import org.fedrec.core.ClientFailure;
import org.fedrec.core.EvaluateResult;
import org.fedrec.core.FitResult;

/**
 * What one client's request came to, travelling from an executor to the driver: its position in the
 * round's instruction list and either its result ({@link FitResult} or {@link EvaluateResult}) or its
 * {@link ClientFailure}.
 */
public final class Outcome implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private static final byte FIT = 0;
    private static final byte EVALUATE = 1;
    private static final byte FAILURE = 2;

    private final int index;
    private transient Object value;

    private Outcome(int index, Object value) {
        this.index = index;
        this.value = value;
    }

    /** The outcome of request {@code index}: a {@link FitResult}, an {@link EvaluateResult} or a failure. */
    public static Outcome of(int index, Object value) {
        if (!(value instanceof FitResult || value instanceof EvaluateResult || value instanceof ClientFailure)) {
            throw new IllegalArgumentException("outcome of request " + index + " must be a client result or failure, "
                    + "found " + (value == null ? "null" : value.getClass().getName()));
        }
        return new Outcome(index, value);
    }

    /** Position of the request in the round's instruction list. */
    public int index() {
        return index;
    }

    /** The client's result, or a {@link ClientFailure}. */
    public Object value() {
        return value;
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        if (value instanceof FitResult r) {
            out.writeByte(FIT);
            Wire.writeFit(out, r);
        } else if (value instanceof EvaluateResult r) {
            out.writeByte(EVALUATE);
            Wire.writeEvaluate(out, r);
        } else {
            out.writeByte(FAILURE);
            Wire.writeFailure(out, (ClientFailure) value);
        }
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        byte kind = in.readByte();
        value = switch (kind) {
            case FIT -> Wire.readFit(in);
            case EVALUATE -> Wire.readEvaluate(in);
            case FAILURE -> Wire.readFailure(in);
            default -> throw new StreamCorruptedException("unknown outcome kind " + kind + " at index " + index);
        };
    }
}
