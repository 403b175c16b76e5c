package org.fedrec.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.fedrec.data.SyntheticShop;
import org.fedrec.encoder.EmbeddingCache;
import org.fedrec.encoder.EncoderSpec;
import org.fedrec.encoder.OnnxTextEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of fedrec's text encoder over ONNX Runtime itself: all-MiniLM-L6-v2 on {@value #TEXTS} item
 * texts of the synthetic shop (title and categories, 5 to 20 tokens, like MovieLens titles), in batches of
 * {@code batchSize}, on {@code threads} intra-op threads. One operation encodes all the texts; texts/s is
 * ops/s times {@value #TEXTS}.
 * <ul>
 *   <li>{@code encoder}: {@link OnnxTextEncoder#encode} from the strings (tokenising, batching, pooling,
 *       normalising);</li>
 *   <li>{@code rawFromText}: a plain ONNX Runtime session and tokenizer used as their documentation
 *       shows, from the strings: per batch, tokenise with padding, create tensors from {@code long[][]},
 *       run, mean-pool and normalise;</li>
 *   <li>{@code rawPretokenized}: the same session on the same batches already tokenised and turned into
 *       tensors in setup: only run, mean-pool and normalise are timed (the ceiling).</li>
 * </ul>
 * The texts are sorted by token count in setup, so that the encoder (which sorts by length itself) and the
 * raw session see identical batches. The acceptance ratio is {@code encoder / rawPretokenized} (target 0.9).
 * Run with {@code ORT_DISABLE_TELEMETRY=1} in the environment.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Xmx2g"})
@State(Scope.Benchmark)
public class TextEncoderBenchmark {

    static final int TEXTS = 256;

    @Param({"32"})
    public int batchSize;

    @Param({"2"})
    public int threads;

    private List<String> texts;
    private OnnxTextEncoder encoder;
    private OrtEnvironment env;
    private OrtSession session;
    private HuggingFaceTokenizer tokenizer;
    private final List<Map<String, OnnxTensor>> pretokenized = new ArrayList<>();
    private final List<long[][]> masks = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() throws IOException, OrtException {
        env = OrtEnvironment.getEnvironment();
        try (InputStream json = resource("all-minilm-l6-v2-tokenizer.json")) {
            tokenizer = HuggingFaceTokenizer.newInstance(json, Map.of("padding", "true", "truncation", "true",
                    "maxLength", "256"));
        }
        List<String> shop = EmbeddingCache.itemTexts(SyntheticShop.generate(SyntheticMl100k.config()).catalog())
                .subList(0, TEXTS);
        texts = new ArrayList<>(shop);
        texts.sort(Comparator.comparingInt(t -> tokenizer.encode(t).getIds().length));
        encoder = OnnxTextEncoder.open(EncoderSpec.builtIn(EncoderSpec.MINILM), threads, batchSize);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             InputStream model = resource("all-minilm-l6-v2.onnx")) {
            options.setIntraOpNumThreads(threads);
            session = env.createSession(model.readAllBytes(), options);
        }
        for (int start = 0; start < TEXTS; start += batchSize) {
            Inputs in = tokenize(texts.subList(start, Math.min(TEXTS, start + batchSize)));
            pretokenized.add(in.tensors());
            masks.add(in.mask());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        for (Map<String, OnnxTensor> batch : pretokenized) {
            batch.values().forEach(OnnxTensor::close);
        }
        session.close();
        tokenizer.close();
        encoder.close();
    }

    @Benchmark
    public float[][] encoder() {
        return encoder.encode(texts);
    }

    @Benchmark
    public List<float[]> rawFromText() throws OrtException {
        List<float[]> out = new ArrayList<>(TEXTS);
        for (int start = 0; start < TEXTS; start += batchSize) {
            Inputs in = tokenize(texts.subList(start, Math.min(TEXTS, start + batchSize)));
            try {
                runAndPool(in.tensors(), in.mask(), out);
            } finally {
                in.tensors().values().forEach(OnnxTensor::close);
            }
        }
        return out;
    }

    @Benchmark
    public List<float[]> rawPretokenized() throws OrtException {
        List<float[]> out = new ArrayList<>(TEXTS);
        for (int b = 0; b < pretokenized.size(); b++) {
            runAndPool(pretokenized.get(b), masks.get(b), out);
        }
        return out;
    }

    private record Inputs(Map<String, OnnxTensor> tensors, long[][] mask) {
    }

    private Inputs tokenize(List<String> batch) throws OrtException {
        Encoding[] encodings = tokenizer.batchEncode(batch);
        long[][] ids = new long[encodings.length][];
        long[][] mask = new long[encodings.length][];
        long[][] types = new long[encodings.length][];
        for (int i = 0; i < encodings.length; i++) {
            ids[i] = encodings[i].getIds();
            mask[i] = encodings[i].getAttentionMask();
            types[i] = encodings[i].getTypeIds();
        }
        return new Inputs(Map.of("input_ids", OnnxTensor.createTensor(env, ids),
                "attention_mask", OnnxTensor.createTensor(env, mask),
                "token_type_ids", OnnxTensor.createTensor(env, types)), mask);
    }

    /** Runs one batch; mean pooling over the attention mask and L2 normalisation, written out plainly. */
    private void runAndPool(Map<String, OnnxTensor> inputs, long[][] mask, List<float[]> out) throws OrtException {
        try (OrtSession.Result result = session.run(inputs)) {
            OnnxTensor hidden = (OnnxTensor) result.get(0);
            long[] shape = hidden.getInfo().getShape();
            int seq = (int) shape[1];
            int dim = (int) shape[2];
            FloatBuffer data = hidden.getFloatBuffer();
            for (int r = 0; r < mask.length; r++) {
                float[] v = new float[dim];
                int count = 0;
                for (int t = 0; t < seq; t++) {
                    if (mask[r][t] == 1) {
                        count++;
                        int at = (r * seq + t) * dim;
                        for (int k = 0; k < dim; k++) {
                            v[k] += data.get(at + k);
                        }
                    }
                }
                double norm = 0;
                for (int k = 0; k < dim; k++) {
                    v[k] /= count;
                    norm += (double) v[k] * v[k];
                }
                float inv = (float) (1 / Math.sqrt(norm));
                for (int k = 0; k < dim; k++) {
                    v[k] *= inv;
                }
                out.add(v);
            }
        }
    }

    private static InputStream resource(String name) {
        return TextEncoderBenchmark.class.getClassLoader().getResourceAsStream(name);
    }
}
