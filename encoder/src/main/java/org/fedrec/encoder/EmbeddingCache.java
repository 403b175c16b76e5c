package org.fedrec.encoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fedrec.core.Clock;
import org.fedrec.data.ItemCatalog;
import org.fedrec.encoder.internal.EmbeddingFile;
import org.fedrec.encoder.internal.Sha256;

/**
 * Text embeddings computed once per (model, text) and kept on disk, so that an item catalog is encoded on
 * its first run only and a changed text alone is encoded again.
 *
 * <p>Each model has its own file {@code DIR/MODEL_ID.emb} (see {@link TextEncoder#modelId()}): records
 * keyed by the SHA-256 of the text's UTF-8 bytes, each with a checksum, appended and forced to disk after
 * every chunk of {@value #CHUNK} texts, so that an interrupted run keeps what it encoded. Damage is
 * repaired on open, with a warning ({@link #warnings()}): damaged records are dropped and their texts
 * encoded again. A file that belongs to another model or is not an embedding file is an
 * {@link EncoderException} and is left alone. One process at a time may open a model's file.
 *
 * <p>The cache does not own the encoder: close both.
 */
public final class EmbeddingCache implements AutoCloseable {

    /** Texts encoded and stored per step; progress is reported after each. */
    public static final int CHUNK = 256;

    private final TextEncoder encoder;
    private final EmbeddingFile store;
    private final Clock clock;

    /** What an {@link #encode} call returned and did. */
    public record Result(float[][] vectors, int distinctTexts, int fromCache, int encoded, long encodeNanos) {

        /** Texts encoded per second of encoding, or 0 when nothing needed encoding. */
        public double itemsPerSecond() {
            return encoded == 0 || encodeNanos <= 0 ? 0 : encoded / (encodeNanos / 1e9);
        }
    }

    private EmbeddingCache(TextEncoder encoder, EmbeddingFile store, Clock clock) {
        this.encoder = encoder;
        this.store = store;
        this.clock = clock;
    }

    /**
     * Opens {@code directory}'s file for {@code encoder}'s model, creating the directory and the file if
     * needed.
     *
     * @throws EncoderException when the file is another model's or not an embedding file, or is in use
     * @throws UncheckedIOException when it cannot be read or created
     */
    public static EmbeddingCache open(Path directory, TextEncoder encoder) {
        return open(directory, encoder, Clock.system());
    }

    /** As {@link #open(Path, TextEncoder)}, timing the encoding on {@code clock}. */
    public static EmbeddingCache open(Path directory, TextEncoder encoder, Clock clock) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(encoder, "encoder");
        Path file = directory.resolve(encoder.modelId() + ".emb");
        try {
            return new EmbeddingCache(encoder, EmbeddingFile.open(file, encoder.modelId(), encoder.dimension()),
                    Objects.requireNonNull(clock, "clock"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open embedding cache " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * One vector per text, in order: read from the cache where present, else encoded (each distinct
     * text once) and stored.
     */
    public synchronized Result encode(List<String> texts, EncodeProgress progress) {
        Objects.requireNonNull(progress, "progress");
        MessageDigest sha = Sha256.newDigest();
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            int index = i;
            String text = Objects.requireNonNull(texts.get(i), () -> "text " + index + " is null");
            keys.computeIfAbsent(text, t -> sha.digest(t.getBytes(StandardCharsets.UTF_8)));
        }
        List<String> missing = new ArrayList<>();
        keys.forEach((text, key) -> {
            if (!store.contains(key)) {
                missing.add(text);
            }
        });
        long start = clock.nanoTime();
        progress.update(0, missing.size(), 0);
        try {
            Map<String, float[]> known = new HashMap<>();
            for (int from = 0; from < missing.size(); from += CHUNK) {
                List<String> chunk = missing.subList(from, Math.min(missing.size(), from + CHUNK));
                float[][] vectors = encoder.encode(chunk);
                store.append(chunk.stream().map(keys::get).toList(), vectors);
                for (int i = 0; i < vectors.length; i++) {
                    known.put(chunk.get(i), vectors[i]);
                }
                progress.update(from + chunk.size(), missing.size(), clock.nanoTime() - start);
            }
            long encodeNanos = clock.nanoTime() - start;
            // One array per position, so that a caller changing one row does not change a repeat of its text.
            float[][] out = new float[texts.size()][];
            for (int i = 0; i < texts.size(); i++) {
                String text = texts.get(i);
                float[] v = known.get(text);
                if (v == null) {
                    v = store.read(keys.get(text));
                    known.put(text, v);
                    out[i] = v;
                } else {
                    out[i] = v.clone();
                }
            }
            return new Result(out, keys.size(), keys.size() - missing.size(), missing.size(),
                    missing.isEmpty() ? 0 : encodeNanos);
        } catch (IOException e) {
            throw new UncheckedIOException("embedding cache " + store.file() + ": " + e.getMessage(), e);
        }
    }

    /**
     * One vector per item of {@code catalog}, for its text {@link ItemCatalog#text(int)}: the title, then
     * the categories (for MovieLens {@code Toy Story (1995). Animation, Children's, Comedy}).
     */
    public Result encodeCatalog(ItemCatalog catalog, EncodeProgress progress) {
        return encode(itemTexts(catalog), progress);
    }

    /** The texts {@link #encodeCatalog} encodes, by item index. */
    public static List<String> itemTexts(ItemCatalog catalog) {
        List<String> texts = new ArrayList<>(catalog.size());
        for (int i = 0; i < catalog.size(); i++) {
            texts.add(catalog.text(i));
        }
        return texts;
    }

    /** The number of distinct texts stored for this model. */
    public synchronized int size() {
        return store.size();
    }

    /** The model's file. */
    public Path file() {
        return store.file();
    }

    /** What opening the file repaired (dropped records), for the user to see; empty when nothing was. */
    public List<String> warnings() {
        return store.warnings();
    }

    @Override
    public synchronized void close() {
        try {
            store.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close embedding cache " + store.file(), e);
        }
    }
}
