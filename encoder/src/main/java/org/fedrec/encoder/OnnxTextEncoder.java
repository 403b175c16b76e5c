package org.fedrec.encoder;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;
import org.fedrec.encoder.internal.Pool;
import org.fedrec.encoder.internal.Sha256;

/**
 * A {@link TextEncoder} over an ONNX Runtime session and the model's HuggingFace tokenizer (DJL's
 * bindings to the Rust tokenizers library), fully in process and offline.
 *
 * <p>At load, the graph must take {@code input_ids} and {@code attention_mask} (and optionally
 * {@code token_type_ids}) as int64 {@code [batch, sequence]}, and give a float output of rank 3
 * {@code [batch, sequence, hidden]} for {@link Pooling#MEAN} and {@link Pooling#CLS} (preferring one
 * named {@code last_hidden_state} or {@code token_embeddings}), or of rank 2 {@code [batch, hidden]}
 * for {@link Pooling#NONE}; otherwise {@link #open} fails naming the model file, the expected and the
 * found inputs or outputs.
 *
 * <p>{@link #encode} tokenises all texts at once (truncating each at the spec's maximum length), sorts
 * them by token count so that each batch pads little, and runs batches of {@code batchSize} texts through
 * reused native-order input buffers, one tensor per input and batch. One call runs at a time; the
 * parallelism is ONNX Runtime's, over {@code threads} intra-op threads.
 */
public final class OnnxTextEncoder implements TextEncoder {

    /** Texts per ONNX Runtime call unless told otherwise. */
    public static final int DEFAULT_BATCH_SIZE = 32;

    private static final String INPUT_IDS = "input_ids";
    private static final String ATTENTION_MASK = "attention_mask";
    private static final String TOKEN_TYPE_IDS = "token_type_ids";
    private static final List<String> PREFERRED_OUTPUTS = List.of("last_hidden_state", "token_embeddings");

    private final EncoderSpec spec;
    private final String modelId;
    private final int batchSize;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final Signature signature;
    private final int dimension;
    private final LongBuffer ids;
    private final LongBuffer mask;
    private final LongBuffer types;
    private final long[] zeros;
    private final long[] ones;
    private float[] output = new float[0];
    private boolean closed;

    /** The inputs and output that the load-time check found. */
    private record Signature(boolean tokenTypes, String output, int rank, long hidden) {
    }

    private OnnxTextEncoder(EncoderSpec spec, String modelId, int batchSize, OrtEnvironment env, OrtSession session,
                            HuggingFaceTokenizer tokenizer, Signature signature) {
        this.spec = spec;
        this.modelId = modelId;
        this.batchSize = batchSize;
        this.env = env;
        this.session = session;
        this.tokenizer = tokenizer;
        this.signature = signature;
        int capacity = batchSize * spec.maxLength();
        this.ids = directLongs(capacity);
        this.mask = directLongs(capacity);
        this.types = directLongs(capacity);
        this.zeros = new long[spec.maxLength()];
        this.ones = new long[spec.maxLength()];
        Arrays.fill(ones, 1L);
        this.dimension = signature.hidden() > 0 ? (int) signature.hidden() : probeDimension();
    }

    /** Opens {@code spec} with one intra-op thread per core and batches of {@value #DEFAULT_BATCH_SIZE}. */
    public static OnnxTextEncoder open(EncoderSpec spec) {
        return open(spec, Runtime.getRuntime().availableProcessors(), DEFAULT_BATCH_SIZE);
    }

    /**
     * Loads the model and tokenizer of {@code spec} and checks the graph's inputs and outputs.
     *
     * @param threads   ONNX Runtime intra-op threads (at least 1)
     * @param batchSize texts per ONNX Runtime call (at least 1)
     * @throws EncoderException when a file is missing or unreadable, or the graph does not fit
     */
    public static OnnxTextEncoder open(EncoderSpec spec, int threads, int batchSize) {
        Objects.requireNonNull(spec, "spec");
        if (threads < 1) {
            throw new IllegalArgumentException("threads: expected at least 1, found " + threads);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: expected at least 1, found " + batchSize);
        }
        byte[] model = spec.readModel();
        byte[] tokenizerJson = spec.readTokenizer();
        HuggingFaceTokenizer tokenizer = loadTokenizer(spec, tokenizerJson);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = null;
        try {
            env.setTelemetry(false);
            session = createSession(env, spec, model, threads);
            Signature signature = check(spec, session);
            String id = modelId(spec, model, tokenizerJson, signature);
            return new OnnxTextEncoder(spec, id, batchSize, env, session, tokenizer, signature);
        } catch (OrtException e) {
            closeQuietly(session, tokenizer);
            throw new EncoderException("cannot load ONNX model " + spec.modelLocation() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(session, tokenizer);
            throw e;
        }
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    /** The model this encoder runs. */
    public EncoderSpec spec() {
        return spec;
    }

    @Override
    public synchronized float[][] encode(List<String> texts) {
        if (closed) {
            throw new IllegalStateException("text encoder " + modelId + " is closed");
        }
        int n = texts.size();
        String[] array = new String[n];
        for (int i = 0; i < n; i++) {
            int index = i;
            array[i] = Objects.requireNonNull(texts.get(i), () -> "text " + index + " is null");
        }
        float[][] vectors = new float[n][];
        if (n == 0) {
            return vectors;
        }
        Encoding[] encodings = tokenizer.batchEncode(array);
        int[] order = IntStream.range(0, n).boxed()
                .sorted((a, b) -> Integer.compare(encodings[a].getIds().length, encodings[b].getIds().length))
                .mapToInt(Integer::intValue).toArray();
        for (int start = 0; start < n; start += batchSize) {
            int rows = Math.min(batchSize, n - start);
            Encoding[] batch = new Encoding[rows];
            for (int r = 0; r < rows; r++) {
                batch[r] = encodings[order[start + r]];
            }
            float[][] pooled = run(batch);
            for (int r = 0; r < rows; r++) {
                vectors[order[start + r]] = pooled[r];
            }
        }
        return vectors;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            closeQuietly(session, tokenizer);
        }
    }

    @Override
    public String toString() {
        return "OnnxTextEncoder[" + modelId + ", " + spec + "]";
    }

    // ---- one batch ----

    /** Runs one batch of tokenised texts (right-padded to the longest) and pools each row. */
    private float[][] run(Encoding[] batch) {
        int rows = batch.length;
        int seqLen = 0;
        for (Encoding e : batch) {
            seqLen = Math.max(seqLen, e.getIds().length);
        }
        if (seqLen > spec.maxLength()) {
            throw new EncoderException("tokenizer " + spec.tokenizerLocation() + " gave " + seqLen
                    + " tokens although truncation at " + spec.maxLength() + " was asked for");
        }
        ids.clear();
        mask.clear();
        types.clear();
        for (Encoding e : batch) {
            long[] tokenIds = e.getIds();
            int pad = seqLen - tokenIds.length;
            ids.put(tokenIds).put(zeros, 0, pad);
            mask.put(ones, 0, tokenIds.length).put(zeros, 0, pad);
            if (signature.tokenTypes()) {
                types.put(e.getTypeIds()).put(zeros, 0, pad);
            }
        }
        ids.flip();
        mask.flip();
        types.flip();
        long[] shape = {rows, seqLen};
        Map<String, OnnxTensor> inputs = new HashMap<>(4);
        try (OnnxTensor idTensor = OnnxTensor.createTensor(env, ids, shape);
             OnnxTensor maskTensor = OnnxTensor.createTensor(env, mask, shape);
             OnnxTensor typeTensor = signature.tokenTypes() ? OnnxTensor.createTensor(env, types, shape) : null) {
            inputs.put(INPUT_IDS, idTensor);
            inputs.put(ATTENTION_MASK, maskTensor);
            if (typeTensor != null) {
                inputs.put(TOKEN_TYPE_IDS, typeTensor);
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(signature.output()))) {
                OnnxTensor out = (OnnxTensor) result.get(0);
                return pool(batch, out, rows, seqLen);
            }
        } catch (OrtException e) {
            throw new EncoderException("ONNX model " + spec.modelLocation() + " failed on a batch of " + rows
                    + " texts of up to " + seqLen + " tokens: " + e.getMessage(), e);
        }
    }

    private float[][] pool(Encoding[] batch, OnnxTensor out, int rows, int seqLen) {
        long[] shape = out.getInfo().getShape();
        int outSeq = signature.rank() == 3 ? seqLen : 1;
        long expected = (long) rows * outSeq * (dimension > 0 ? dimension : shape[shape.length - 1]);
        if (shape.length != signature.rank() || shape[0] != rows || out.getInfo().getNumElements() != expected) {
            throw new EncoderException("ONNX model " + spec.modelLocation() + ": output " + signature.output()
                    + " has shape " + Arrays.toString(shape) + " for a batch of " + rows + " texts of " + seqLen
                    + " tokens; expected [" + rows + (signature.rank() == 3 ? ", " + seqLen : "") + ", "
                    + (dimension > 0 ? dimension : "hidden") + "]");
        }
        int dim = (int) shape[shape.length - 1];
        FloatBuffer data = out.getFloatBuffer();
        int size = data.remaining();
        if (output.length < size) {
            output = new float[size];
        }
        data.get(output, 0, size);
        float[][] pooled = new float[rows][];
        for (int r = 0; r < rows; r++) {
            float[] v = new float[dim];
            if (spec.pooling() == Pooling.MEAN) {
                Pool.mean(output, r, outSeq, dim, batch[r].getIds().length, v);
            } else {
                Pool.first(output, r, outSeq, dim, v);
            }
            if (spec.normalize()) {
                Pool.l2Normalize(v);
            }
            pooled[r] = v;
        }
        return pooled;
    }

    /** The hidden size of a graph that does not declare it: the length of the vector of an empty text. */
    private int probeDimension() {
        return run(tokenizer.batchEncode(new String[] {""}))[0].length;
    }

    // ---- loading ----

    private static HuggingFaceTokenizer loadTokenizer(EncoderSpec spec, byte[] json) {
        Map<String, String> options = Map.of(
                "addSpecialTokens", "true",
                "padding", "false",
                "truncation", "true",
                "maxLength", Integer.toString(spec.maxLength()),
                "modelMaxLength", Integer.toString(spec.maxLength()));
        try {
            return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), options);
        } catch (IOException | RuntimeException e) {
            throw new EncoderException("cannot load tokenizer " + spec.tokenizerLocation()
                    + " (expected a HuggingFace tokenizer.json): " + e.getMessage(), e);
        }
    }

    private static OrtSession createSession(OrtEnvironment env, EncoderSpec spec, byte[] model, int threads)
            throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return env.createSession(model, options);
        }
    }

    /** The load-time check of the graph's inputs and output (see the class comment). */
    private static Signature check(EncoderSpec spec, OrtSession session) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        List<String> problems = new ArrayList<>();
        for (String required : List.of(INPUT_IDS, ATTENTION_MASK)) {
            if (!inputs.containsKey(required)) {
                problems.add("no input " + required);
            }
        }
        for (NodeInfo in : inputs.values()) {
            if (!List.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS).contains(in.getName())) {
                problems.add("input " + in.getName() + " cannot be fed");
            } else if (!isTensor(in.getInfo(), OnnxJavaType.INT64, 2)) {
                problems.add("input " + in.getName() + " is not int64 of rank 2");
            }
        }
        if (!problems.isEmpty()) {
            throw new EncoderException("ONNX model " + spec.modelLocation() + " does not fit a text encoder ("
                    + String.join("; ", problems) + "): expected inputs input_ids, attention_mask and optionally "
                    + "token_type_ids, each int64 [batch, sequence]; found " + describe(inputs));
        }
        int rank = spec.pooling() == Pooling.NONE ? 2 : 3;
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        NodeInfo chosen = null;
        for (NodeInfo out : outputs.values()) {
            if (isTensor(out.getInfo(), OnnxJavaType.FLOAT, rank)
                    && (chosen == null || PREFERRED_OUTPUTS.contains(out.getName()) && !PREFERRED_OUTPUTS.contains(chosen.getName()))) {
                chosen = out;
            }
        }
        if (chosen == null) {
            String expected = rank == 3 ? "[batch, sequence, hidden] (for " + lower(spec.pooling()) + " pooling)"
                    : "[batch, hidden] (for pooling none)";
            throw new EncoderException("ONNX model " + spec.modelLocation() + " has no float output of rank " + rank
                    + " " + expected + "; found " + describe(outputs));
        }
        long[] shape = ((TensorInfo) chosen.getInfo()).getShape();
        return new Signature(inputs.containsKey(TOKEN_TYPE_IDS), chosen.getName(), rank, shape[rank - 1]);
    }

    private static boolean isTensor(ValueInfo info, OnnxJavaType type, int rank) {
        return info instanceof TensorInfo t && t.type == type && t.getShape().length == rank;
    }

    private static String describe(Map<String, NodeInfo> nodes) {
        List<String> parts = new ArrayList<>();
        for (NodeInfo node : nodes.values()) {
            if (node.getInfo() instanceof TensorInfo t) {
                parts.add(node.getName() + " " + t.type.name().toLowerCase(Locale.ROOT) + " "
                        + Arrays.toString(t.getShape()).replace("-1", "?"));
            } else {
                parts.add(node.getName() + " (not a tensor: " + node.getInfo() + ")");
            }
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    /**
     * {@code NAME-HASH}: the spec's name (characters other than letters, digits, '.', '_' and '-'
     * replaced by '_') and the first 16 hex digits of the SHA-256 of the graph, the tokenizer and the
     * settings that change the vectors.
     */
    private static String modelId(EncoderSpec spec, byte[] model, byte[] tokenizerJson, Signature signature) {
        MessageDigest sha = Sha256.newDigest();
        sha.update(model);
        sha.update(tokenizerJson);
        String settings = "pooling=" + spec.pooling() + ";normalize=" + spec.normalize() + ";maxLength="
                + spec.maxLength() + ";output=" + signature.output();
        sha.update(settings.getBytes(StandardCharsets.UTF_8));
        String hash = HexFormat.of().formatHex(sha.digest(), 0, 8);
        return spec.name().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + hash;
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static LongBuffer directLongs(int capacity) {
        return ByteBuffer.allocateDirect(capacity * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    private static void closeQuietly(OrtSession session, HuggingFaceTokenizer tokenizer) {
        try {
            if (session != null) {
                session.close();
            }
        } catch (OrtException e) {
            // Nothing left to do with a session that failed to close; the native memory is ORT's.
        } finally {
            tokenizer.close();
        }
    }
}
