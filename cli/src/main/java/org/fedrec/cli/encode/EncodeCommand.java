package org.fedrec.cli.encode;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.fedrec.cli.CliException;
import org.fedrec.cli.config.ConfigOptions;
import org.fedrec.cli.run.ConsoleProgress;
import org.fedrec.cli.simulate.SimulateKeys;
import org.fedrec.cli.simulate.Simulation;
import org.fedrec.core.config.Config;
import org.fedrec.data.DataFormatException;
import org.fedrec.data.Dataset;
import org.fedrec.data.DatasetReaders;
import org.fedrec.encoder.EmbeddingCache;
import org.fedrec.encoder.EncoderSpec;
import org.fedrec.encoder.OnnxTextEncoder;
import org.fedrec.encoder.Pooling;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fedrec encode}: encodes a dataset's item texts (title, then categories) with a pretrained text
 * encoder into the embedding cache, and prints how many were encoded, how many came from the cache and
 * the items per second.
 */
@Command(name = "encode", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Encodes the item texts of a dataset (title, then categories) with a pretrained text encoder "
                + "into the embedding cache: texts already there are read back, new or changed ones encoded. "
                + "Prints items/s.",
                "Dataset: as in simulate (dataset=..., data_dir=...); a --data-dir without --dataset is detected.",
                "KEY=VALUE: simulate's dataset keys (see 'fedrec simulate --help').", ""})
public final class EncodeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(names = "--model", paramLabel = "NAME", defaultValue = EncoderSpec.MINILM,
            description = "Built-in encoder: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).",
            completionCandidates = BuiltIn.class)
    String model;

    @Option(names = "--onnx", paramLabel = "FILE",
            description = "Your own ONNX model instead (inputs input_ids, attention_mask[, token_type_ids]); "
                    + "needs --tokenizer and --pooling.")
    Path onnx;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "The HuggingFace tokenizer.json of --onnx.")
    Path tokenizer;

    @Option(names = "--pooling", paramLabel = "POOLING",
            description = "How --onnx's output becomes one vector: ${COMPLETION-CANDIDATES} (none: the output is "
                    + "already [batch, hidden]).")
    Pooling pooling;

    @Option(names = "--max-length", paramLabel = "TOKENS",
            description = "Truncate texts at this many tokens (default: 256 for all-MiniLM-L6-v2, 512 otherwise).")
    Integer maxLength;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "ONNX Runtime threads (default 0: one per core).")
    int threads;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + OnnxTextEncoder.DEFAULT_BATCH_SIZE,
            description = "Texts per model call (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where embeddings are kept (default: the dataset cache's embeddings/, ~/.cache/fedrec/embeddings).")
    Path cacheDir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EncoderSpec encoderSpec = encoderSpec();
        Config config = datasetConfig();
        err.println("fedrec: reading " + config.get(SimulateKeys.DATASET) + " ...");
        err.flush();
        Dataset dataset = Simulation.loadDataset(config);
        Path dir = cacheDir != null ? cacheDir : Simulation.cacheDir(config).resolve("embeddings");
        int threadCount = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        try (OnnxTextEncoder encoder = OnnxTextEncoder.open(encoderSpec, threadCount, batchSize);
             EmbeddingCache cache = EmbeddingCache.open(dir, encoder)) {
            cache.warnings().forEach(w -> err.println("fedrec: warning: " + w));
            EmbeddingCache.Result r;
            try (EncodeProgressLine progress = new EncodeProgressLine(err, ConsoleProgress.interactiveTerminal(),
                    ConsoleProgress.terminalColumns())) {
                r = cache.encodeCatalog(dataset.catalog(), progress);
            }
            out.printf(Locale.ROOT, "dataset %s (format %s): %d items, %d distinct texts%n", dataset.name(),
                    dataset.format(), dataset.catalog().size(), r.distinctTexts());
            out.printf(Locale.ROOT, "model %s: %s, dimension %d, %d thread(s), batch %d%n", encoder.modelId(),
                    encoderSpec, encoder.dimension(), threadCount, batchSize);
            out.printf(Locale.ROOT, "encoded %d text(s) in %s (%.1f items/s); %d read from the cache%n", r.encoded(),
                    ConsoleProgress.duration(r.encodeNanos()), r.itemsPerSecond(), r.fromCache());
            out.printf(Locale.ROOT, "cache %s (%d texts)%n", cache.file().toAbsolutePath(), cache.size());
            out.flush();
        } catch (UncheckedIOException e) {
            throw new CliException(e.getMessage(), e);
        }
        return 0;
    }

    private EncoderSpec encoderSpec() {
        if (threads < 0 || batchSize < 1) {
            throw new CliException("--threads must be >= 0 and --batch-size >= 1, found " + threads + " and " + batchSize);
        }
        EncoderSpec s;
        if (onnx != null) {
            if (tokenizer == null || pooling == null) {
                throw new CliException("--onnx " + onnx + " needs --tokenizer FILE (its tokenizer.json) and --pooling "
                        + "mean|cls|none; found " + (tokenizer == null ? "no --tokenizer" : "no --pooling"));
            }
            s = EncoderSpec.files(onnx, tokenizer, pooling);
        } else {
            if (tokenizer != null || pooling != null) {
                throw new CliException("--tokenizer and --pooling go with --onnx FILE (a built-in model brings its own)");
            }
            try {
                s = EncoderSpec.builtIn(model);
            } catch (IllegalArgumentException e) {
                throw new CliException("--model: " + e.getMessage(), e);
            }
        }
        if (maxLength != null) {
            try {
                s = s.withMaxLength(maxLength);
            } catch (IllegalArgumentException e) {
                throw new CliException("--max-length: " + e.getMessage(), e);
            }
        }
        return s;
    }

    /** simulate's dataset keys; a data_dir given without a dataset is read in its detected format. */
    private Config datasetConfig() {
        Config config = options.resolve(SimulateKeys.definition(), List.of());
        String dir = config.get(SimulateKeys.DATA_DIR);
        if (dir == null || options.names(SimulateKeys.DATASET.name())) {
            return config;
        }
        try {
            return config.with(SimulateKeys.DATASET.name(), DatasetReaders.detect(Path.of(dir)));
        } catch (DataFormatException e) {
            throw new CliException(e.getMessage() + "; name the format with --dataset FORMAT", e);
        }
    }

    /** The built-in model names, for --model's help and completion. */
    static final class BuiltIn implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return EncoderSpec.BUILT_IN.iterator();
        }
    }
}
