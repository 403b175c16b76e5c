package org.fedrec.core.compression;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import org.fedrec.core.TableDelta;
import org.fedrec.core.compression.internal.ByteSink;
import org.fedrec.core.compression.internal.ByteSource;

/**
 * A codec for one table's delta, named by a spec of up to three stages joined by {@code +}, in this order:
 * <ol>
 *   <li>{@code topk:F} (optional): keep the {@code k = ceil(F * rows * cols)} values of largest magnitude
 *       ({@link TopK}; F is a fraction of the table's <em>dense</em> size), sent as (flat index, value)
 *       pairs; without it a sparse delta is sent as its rows and a dense one whole;</li>
 *   <li>the value format: {@code fp32} (default), {@code fp16} (IEEE half, round to nearest even,
 *       {@link Half}), {@code q8} or {@code q4} (unbiased stochastic quantization,
 *       {@link StochasticQuantization}, blocks of 64 values; {@code q8:B} sets the block to B values);</li>
 *   <li>{@code deflate} (optional): the body after the first byte is compressed with DEFLATE
 *       ({@link Deflater}, raw, Huffman coding only: the entropy of the bytes, not repeats).</li>
 * </ol>
 * Examples: {@code q8}, {@code fp16+deflate}, {@code topk:0.01}, {@code topk:0.01+q8+deflate}.
 *
 * <p><b>Payload.</b> Byte 0 holds the layout (bits 0-1: 0 dense, 1 rows, 2 elements), the value format
 * (bits 2-3: fp32, fp16, q8, q4) and the deflate flag (bit 4). Then, deflated or not: for rows and
 * elements the count n as an unsigned LEB128 varint and n indices (row indices, or flat indices
 * {@code row * cols + col}, increasing) as varints of their gaps ({@code first}, then
 * {@code next - previous - 1}); then the values: fp32 4 bytes and fp16 2 bytes each, little-endian; q8/q4
 * one fp32 scale per block, then the levels, one byte each (q8, in [-127, 127]) or two per byte (q4, low
 * nibble first, {@code level + 8} in [1, 15]). A deflated body is preceded by its inflated length (a
 * varint). Row and flat indices coded this way cost 1 to 2 bytes each where fp32 spends 4.
 *
 * <p><b>Decoding</b> gives a {@link TableDelta.SparseRows} for rows and elements (for elements: every row
 * holding a sent value, the unsent values of that row 0, so aggregation averages the row over the clients
 * that sent some of it) and a {@link TableDelta.Dense} for dense. A payload that does not decode throws a
 * {@link CodecException} that says what was read where. Immutable and thread-safe; {@link #encode} is a
 * pure function of its arguments and the random stream.
 */
public final class Codec {

    /** How values are written. */
    public enum Format {
        FP32, FP16, Q8, Q4;

        int bits() {
            return this == Q8 ? 8 : this == Q4 ? 4 : 0;
        }
    }

    private static final int DENSE = 0;
    private static final int ROWS = 1;
    private static final int ELEMENTS = 2;
    private static final String[] LAYOUTS = {"dense", "rows", "elements"};

    /** The block of quantization scales unless the spec says otherwise. */
    public static final int DEFAULT_BLOCK = 64;

    private final String name;
    private final double topK;
    private final Format format;
    private final int block;
    private final boolean deflate;

    private Codec(String name, double topK, Format format, int block, boolean deflate) {
        this.name = name;
        this.topK = topK;
        this.format = format;
        this.block = block;
        this.deflate = deflate;
    }

    /**
     * Parses a spec ({@code topk:0.01+q8+deflate}, see the class comment).
     *
     * @throws IllegalArgumentException naming the stage that is unknown, malformed, repeated or out of order
     */
    public static Codec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("codec spec is empty; expected stages like topk:0.01+q8+deflate");
        }
        String normal = spec.trim().toLowerCase(Locale.ROOT);
        double topK = 0;
        Format format = null;
        int block = DEFAULT_BLOCK;
        boolean deflate = false;
        int lastStage = -1;
        List<String> stages = new ArrayList<>();
        for (String raw : normal.split("\\+", -1)) {
            String stage = raw.trim();
            int order;
            if (stage.startsWith("topk:") || stage.equals("topk")) {
                order = 0;
                String f = stage.length() > 5 ? stage.substring(5) : "";
                try {
                    topK = Double.parseDouble(f);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("codec '" + spec + "': stage '" + stage
                            + "' needs a fraction of the table's dense size, e.g. topk:0.01");
                }
                if (!(topK > 0 && topK <= 1)) {
                    throw new IllegalArgumentException("codec '" + spec + "': top-k fraction must be in (0, 1], found "
                            + f);
                }
            } else if (stage.equals("fp32") || stage.equals("fp16") || stage.startsWith("q8") || stage.startsWith("q4")) {
                order = 1;
                String base = stage.length() >= 2 && stage.charAt(0) == 'q' ? stage.substring(0, 2) : stage;
                format = switch (base) {
                    case "fp32" -> Format.FP32;
                    case "fp16" -> Format.FP16;
                    case "q8" -> Format.Q8;
                    default -> Format.Q4;
                };
                if (stage.length() > 2 && base.startsWith("q")) {
                    if (stage.charAt(2) != ':') {
                        throw unknown(spec, stage);
                    }
                    try {
                        block = Integer.parseInt(stage.substring(3));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("codec '" + spec + "': stage '" + stage
                                + "' needs a block size in values, e.g. " + base + ":64");
                    }
                    if (block < 1 || block > 1 << 20) {
                        throw new IllegalArgumentException("codec '" + spec + "': block size must be in [1, 2^20], found "
                                + block);
                    }
                }
            } else if (stage.equals("deflate")) {
                order = 2;
                deflate = true;
            } else {
                throw unknown(spec, stage);
            }
            if (order <= lastStage) {
                throw new IllegalArgumentException("codec '" + spec + "': stage '" + stage + "' is repeated or out of "
                        + "order; stages go topk:F, then one of fp32|fp16|q8|q4, then deflate");
            }
            lastStage = order;
            stages.add(stage);
        }
        return new Codec(String.join("+", stages), topK, format == null ? Format.FP32 : format, block, deflate);
    }

    private static IllegalArgumentException unknown(String spec, String stage) {
        return new IllegalArgumentException("codec '" + spec + "': unknown stage '" + stage
                + "'; expected topk:F, fp32, fp16, q8[:BLOCK], q4[:BLOCK] or deflate, joined by '+'");
    }

    /** The canonical spec, e.g. {@code topk:0.01+q8+deflate}: what {@link TableDelta.Encoded#codec()} carries. */
    public String name() {
        return name;
    }

    /** The top-k fraction, 0 when the codec keeps every value. */
    public double topKFraction() {
        return topK;
    }

    public Format format() {
        return format;
    }

    /** Values per quantization scale. */
    public int block() {
        return block;
    }

    public boolean deflates() {
        return deflate;
    }

    /** True when decoding does not give back exactly what was encoded (top-k, fp16, q8, q4). */
    public boolean lossy() {
        return topK > 0 || format != Format.FP32;
    }

    /** What {@link #encode} gives: the payload, and the delta the server will decode from it. */
    public record Encoding(TableDelta.Encoded encoded, TableDelta decoded) {
    }

    /**
     * Encodes one table's delta ({@link TableDelta.Dense} or {@link TableDelta.SparseRows}) of a
     * {@code rows x cols} table. The delta is only read. {@code random} drives stochastic quantization.
     * The returned {@link Encoding#decoded()} equals {@code decode(encoded)} exactly (for error feedback).
     *
     * @throws IllegalArgumentException for an encoded delta, a delta that does not fit the shape, or a
     *                                  value the format cannot carry (non-finite; beyond fp16's range)
     */
    public Encoding encode(int rows, int cols, TableDelta delta, SplittableRandom random) {
        int layout;
        int[] indices;
        float[] values;
        if (delta instanceof TableDelta.Dense dense) {
            if (dense.values().length != (long) rows * cols) {
                throw new IllegalArgumentException("dense delta of " + dense.values().length + " values for a " + rows
                        + "x" + cols + " table");
            }
            if (topK > 0) {
                indices = TopK.select(dense.values(), TopK.k(topK, rows, cols));
                values = gather(dense.values(), indices);
                layout = ELEMENTS;
            } else {
                indices = null;
                values = dense.values();
                layout = DENSE;
            }
        } else if (delta instanceof TableDelta.SparseRows sparse) {
            if (sparse.cols() != cols || (sparse.rows().length > 0 && sparse.rows()[sparse.rows().length - 1] >= rows)) {
                throw new IllegalArgumentException("sparse delta of width " + sparse.cols() + " up to row "
                        + (sparse.rows().length == 0 ? -1 : sparse.rows()[sparse.rows().length - 1]) + " for a " + rows
                        + "x" + cols + " table");
            }
            if (topK > 0) {
                int[] positions = TopK.select(sparse.values(), TopK.k(topK, rows, cols));
                values = gather(sparse.values(), positions);
                indices = new int[positions.length];
                for (int i = 0; i < positions.length; i++) {
                    indices[i] = sparse.rows()[positions[i] / cols] * cols + positions[i] % cols;
                }
                layout = ELEMENTS;
            } else {
                indices = sparse.rows();
                values = sparse.values();
                layout = ROWS;
            }
        } else {
            throw new IllegalArgumentException("codec " + name + " cannot encode an already encoded delta (" + delta + ")");
        }

        ByteSink body = new ByteSink(16 + values.length * 2 + (indices == null ? 0 : indices.length * 2));
        if (indices != null) {
            body.writeVarint(indices.length);
            int prev = -1;
            for (int idx : indices) {
                body.writeVarint(idx - prev - 1);
                prev = idx;
            }
        }
        float[] reconstructed = writeValues(body, values, random);
        int flags = layout | format.ordinal() << 2 | (deflate ? 1 << 4 : 0);
        byte[] payload;
        if (deflate) {
            ByteSink out = new ByteSink(body.size() / 2 + 16);
            out.writeByte(flags);
            out.writeVarint(body.size());
            deflateInto(body.array(), body.size(), out);
            payload = out.toArray();
        } else {
            ByteSink out = new ByteSink(body.size() + 1);
            out.writeByte(flags);
            out.write(body.array(), 0, body.size());
            payload = out.toArray();
        }
        TableDelta.Encoded encoded = new TableDelta.Encoded(name, rows, cols, values.length, payload);
        return new Encoding(encoded, build(layout, rows, cols, indices, reconstructed));
    }

    private static float[] gather(float[] values, int[] positions) {
        float[] out = new float[positions.length];
        for (int i = 0; i < positions.length; i++) {
            out[i] = values[positions[i]];
        }
        return out;
    }

    /** Writes the values in this codec's format; returns what the decoder will read back. */
    private float[] writeValues(ByteSink out, float[] values, SplittableRandom random) {
        switch (format) {
            case FP32 -> {
                for (float v : values) {
                    requireFinite(v);
                    out.writeFloat(v);
                }
                return values;
            }
            case FP16 -> {
                float[] back = new float[values.length];
                for (int i = 0; i < values.length; i++) {
                    float v = values[i];
                    requireFinite(v);
                    int h = Half.fromFloat(v);
                    back[i] = Half.toFloat(h);
                    if (Float.isInfinite(back[i])) {
                        throw new IllegalArgumentException("value " + v + " at position " + i
                                + " is beyond fp16's range (" + Half.MAX_VALUE + ")");
                    }
                    out.writeShort(h);
                }
                return back;
            }
            default -> {
                int bits = format.bits();
                byte[] levels = new byte[values.length];
                float[] scales = new float[StochasticQuantization.blocks(values.length, block)];
                StochasticQuantization.quantize(values, bits, block, random, levels, scales);
                for (float s : scales) {
                    out.writeFloat(s);
                }
                if (bits == 8) {
                    out.write(levels, 0, levels.length);
                } else {
                    for (int i = 0; i < levels.length; i += 2) {
                        int lo = levels[i] + 8;
                        int hi = i + 1 < levels.length ? levels[i + 1] + 8 : 0;
                        out.writeByte(lo | hi << 4);
                    }
                }
                return StochasticQuantization.dequantize(levels, scales, bits, block);
            }
        }
    }

    private static void requireFinite(float v) {
        if (!Float.isFinite(v)) {
            throw new IllegalArgumentException("cannot encode the non-finite value " + v);
        }
    }

    private static void deflateInto(byte[] body, int len, ByteSink out) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
        try {
            // Huffman coding only: LZ77 finds almost no repeats in noisy numbers, and on update payloads
            // Huffman-only output was smaller and twice as fast as the default level.
            deflater.setStrategy(Deflater.HUFFMAN_ONLY);
            deflater.setInput(body, 0, len);
            deflater.finish();
            byte[] chunk = new byte[Math.max(64, Math.min(1 << 16, len / 2 + 64))];
            while (!deflater.finished()) {
                int n = deflater.deflate(chunk);
                out.write(chunk, 0, n);
            }
        } finally {
            deflater.end();
        }
    }

    /**
     * Decodes a payload this codec wrote. The shape is the encoded delta's own; the caller checks it against
     * the global table first.
     *
     * @throws CodecException for a payload of another codec, of another format or layout than this codec
     *                        writes, truncated, with trailing bytes, with indices out of range or a
     *                        non-finite value
     */
    public TableDelta decode(TableDelta.Encoded encoded) {
        if (!encoded.codec().equals(name)) {
            throw new CodecException("payload written by codec '" + encoded.codec() + "', expected '" + name + "'");
        }
        byte[] payload = encoded.payload();
        int rows = encoded.rows();
        int cols = encoded.cols();
        ByteSource head = new ByteSource(payload, 0, payload.length);
        int flags = head.readByte("the flags byte");
        int layout = flags & 3;
        int fmt = (flags >>> 2) & 3;
        boolean deflated = (flags & 1 << 4) != 0;
        if ((flags >>> 5) != 0 || layout == 3) {
            throw new CodecException("malformed payload: flags byte 0x" + Integer.toHexString(flags) + " is not one "
                    + "this format defines");
        }
        int expectedLayout = topK > 0 ? ELEMENTS : -1;
        if (fmt != format.ordinal() || deflated != deflate || (expectedLayout >= 0 ? layout != ELEMENTS
                : layout == ELEMENTS)) {
            throw new CodecException("payload flags say layout " + LAYOUTS[layout] + ", format "
                    + Format.values()[fmt].name().toLowerCase(Locale.ROOT) + (deflated ? ", deflated" : "")
                    + ", which codec '" + name + "' does not write");
        }
        long tableSize = (long) rows * cols;
        ByteSource body = head;
        if (deflated) {
            int len = head.readVarint("the inflated length");
            long most = 1 + 5 + tableSize * 9;
            if (len > most) {
                throw new CodecException("malformed payload: inflated length " + len + " exceeds the " + most
                        + " bytes a " + rows + "x" + cols + " table can need");
            }
            byte[] inflated = inflate(payload, head.position(), head.remaining(), len);
            body = new ByteSource(inflated, 0, inflated.length);
        }
        int[] indices = null;
        int count;
        if (layout == DENSE) {
            count = Math.toIntExact(tableSize);
        } else {
            int n = body.readVarint("the " + (layout == ROWS ? "row" : "value") + " count");
            long bound = layout == ROWS ? rows : Math.min(tableSize, topK > 0 ? TopK.k(topK, rows, cols) : tableSize);
            if (n > bound) {
                throw new CodecException("malformed payload: " + n + (layout == ROWS ? " rows" : " values")
                        + " for a " + rows + "x" + cols + " table, at most " + bound);
            }
            indices = new int[n];
            long limit = layout == ROWS ? rows : tableSize;
            long prev = -1;
            for (int i = 0; i < n; i++) {
                long idx = prev + 1 + body.readVarint("index", i, n);
                if (idx >= limit) {
                    throw new CodecException("malformed payload: index " + i + " of " + n + " is " + idx + ", beyond the "
                            + (layout == ROWS ? rows + " rows" : tableSize + " values") + " of a " + rows + "x" + cols
                            + " table");
                }
                indices[i] = (int) idx;
                prev = idx;
            }
            count = layout == ROWS ? Math.multiplyExact(n, cols) : n;
        }
        float[] values = readValues(body, count);
        body.requireEnd("the " + count + " values");
        if (encoded.values() != count) {
            throw new CodecException("encoded delta declares " + encoded.values() + " values but its payload holds "
                    + count);
        }
        return build(layout, rows, cols, indices, values);
    }

    private float[] readValues(ByteSource in, int count) {
        float[] out = new float[count];
        switch (format) {
            case FP32 -> {
                in.readFloats(out, count, "the " + count + " fp32 values");
                for (int i = 0; i < count; i++) {
                    finite(out[i], i, count);
                }
            }
            case FP16 -> {
                int[] halves = new int[count];
                in.readShorts(halves, count, "the " + count + " fp16 values");
                for (int i = 0; i < count; i++) {
                    out[i] = finite(Half.toFloat(halves[i]), i, count);
                }
            }
            default -> {
                int bits = format.bits();
                int nBlocks = StochasticQuantization.blocks(count, block);
                float[] scales = new float[nBlocks];
                in.readFloats(scales, nBlocks, "the " + nBlocks + " block scales");
                for (int b = 0; b < nBlocks; b++) {
                    if (!(scales[b] >= 0 && scales[b] <= Float.MAX_VALUE)) {
                        throw new CodecException("malformed payload: the scale of block " + b + " is " + scales[b]
                                + ", expected a finite value >= 0");
                    }
                }
                int s = StochasticQuantization.levels(bits);
                byte[] levels;
                if (bits == 8) {
                    levels = in.readBytes(count, "the " + count + " levels");
                    for (int i = 0; i < count; i++) {
                        if (levels[i] < -s) {
                            throw new CodecException("malformed payload: level " + i + " is " + levels[i] + ", outside [-"
                                    + s + ", " + s + "]");
                        }
                    }
                } else {
                    byte[] packed = in.readBytes((count + 1) / 2, "the " + count + " levels");
                    levels = new byte[count];
                    for (int i = 0; i < count; i += 2) {
                        int b = packed[i / 2] & 0xff;
                        levels[i] = nibble(b & 0xf, i, s);
                        if (i + 1 < count) {
                            levels[i + 1] = nibble(b >>> 4, i + 1, s);
                        } else if ((b >>> 4) != 0) {
                            throw new CodecException("malformed payload: the padding nibble after level " + i
                                    + " is " + (b >>> 4) + ", expected 0");
                        }
                    }
                }
                return StochasticQuantization.dequantize(levels, scales, bits, block);
            }
        }
        return out;
    }

    private static byte nibble(int code, int i, int s) {
        int l = code - 8;
        if (l < -s || l > s) {
            throw new CodecException("malformed payload: level " + i + " is " + l + ", outside [-" + s + ", " + s + "]");
        }
        return (byte) l;
    }

    private static float finite(float v, int i, int count) {
        if (!Float.isFinite(v)) {
            throw new CodecException("malformed payload: value " + i + " of " + count + " is " + v);
        }
        return v;
    }

    private static byte[] inflate(byte[] src, int off, int len, int inflatedLength) {
        Inflater inflater = new Inflater(true);
        try {
            // No dummy byte after the stream (which old zlib wanted for "nowrap"): it could complete a
            // stream cut by its last byte.
            inflater.setInput(src, off, len);
            byte[] out = new byte[inflatedLength];
            int got = 0;
            while (got < inflatedLength) {
                int n = inflater.inflate(out, got, inflatedLength - got);
                if (n == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                got += n;
            }
            if (got < inflatedLength) {
                throw new CodecException("payload truncated: the deflated body gave " + got + " of the "
                        + inflatedLength + " bytes it declares");
            }
            if (!inflater.finished() && inflater.inflate(new byte[1]) != 0) {
                throw new CodecException("malformed payload: the deflated body is longer than the " + inflatedLength
                        + " bytes it declares");
            }
            if (!inflater.finished()) {
                throw new CodecException("payload truncated: the deflated body ends before its end-of-stream marker");
            }
            if (inflater.getRemaining() > 0) {
                throw new CodecException("malformed payload: " + inflater.getRemaining()
                        + " trailing byte(s) after the deflated body");
            }
            return out;
        } catch (DataFormatException e) {
            throw new CodecException("malformed payload: the deflated body is corrupt (" + e.getMessage() + ")", e);
        } finally {
            inflater.end();
        }
    }

    private static TableDelta build(int layout, int rows, int cols, int[] indices, float[] values) {
        if (layout == DENSE) {
            return new TableDelta.Dense(values);
        }
        if (layout == ROWS) {
            return new TableDelta.SparseRows(cols, indices, values);
        }
        int distinct = 0;
        int last = -1;
        for (int idx : indices) {
            int row = idx / cols;
            if (row != last) {
                distinct++;
                last = row;
            }
        }
        int[] outRows = new int[distinct];
        float[] outValues = new float[Math.multiplyExact(distinct, cols)];
        int j = -1;
        last = -1;
        for (int i = 0; i < indices.length; i++) {
            int row = indices[i] / cols;
            if (row != last) {
                outRows[++j] = row;
                last = row;
            }
            outValues[j * cols + indices[i] % cols] = values[i];
        }
        return new TableDelta.SparseRows(cols, outRows, outValues);
    }

    @Override
    public String toString() {
        return "Codec[" + name + "]";
    }
}
