package org.fedrec.cli.simulate;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

import org.fedrec.cli.CliException;
import org.fedrec.cli.encode.EncodeProgressLine;
import org.fedrec.cli.run.ConsoleProgress;
import org.fedrec.data.ItemCatalog;
import org.fedrec.encoder.EmbeddingCache;
import org.fedrec.encoder.EncoderException;
import org.fedrec.encoder.EncoderSpec;
import org.fedrec.encoder.OnnxTextEncoder;

/**
 * The catalog's item texts as frozen embeddings for the text models: encoded once per (model, text)
 * through the on-disk {@link EmbeddingCache} (a re-run reads them back), row-major {@code items x dim}.
 */
final class ItemTextEmbeddings {

    /** The embeddings, {@code items x dim} row-major, and the encoder's model id. */
    record Encoded(float[] values, int items, int dim, String modelId) {
    }

    private ItemTextEmbeddings() {
    }

    static Encoded encode(ItemCatalog catalog, String encoderName, Path cacheDir, int threads, PrintWriter err) {
        boolean anyText = false;
        for (int i = 0; i < catalog.size() && !anyText; i++) {
            anyText = !catalog.text(i).isBlank();
        }
        if (!anyText) {
            throw new CliException("model=text and model=hybrid need item text (titles or categories), and this "
                    + "dataset has none: give an item-text file (data.item_file) or use model=mf");
        }
        EncoderSpec spec;
        try {
            spec = EncoderSpec.builtIn(encoderName);
        } catch (IllegalArgumentException e) {
            throw new CliException("config key 'encoder.model': " + e.getMessage(), e);
        }
        try (OnnxTextEncoder encoder = OnnxTextEncoder.open(spec, threads, 32);
             EmbeddingCache cache = EmbeddingCache.open(cacheDir, encoder)) {
            cache.warnings().forEach(w -> err.println("fedrec: warning: " + w));
            EmbeddingCache.Result r;
            try (EncodeProgressLine progress = new EncodeProgressLine(err, ConsoleProgress.interactiveTerminal(),
                    ConsoleProgress.terminalColumns())) {
                r = cache.encodeCatalog(catalog, progress);
            }
            err.printf(Locale.ROOT, "fedrec: item texts: %d encoded by %s (%.1f items/s), %d from the cache %s%n",
                    r.encoded(), encoder.modelId(), r.itemsPerSecond(), r.fromCache(), cache.file());
            err.flush();
            int dim = encoder.dimension();
            float[] values = new float[Math.multiplyExact(catalog.size(), dim)];
            for (int i = 0; i < catalog.size(); i++) {
                System.arraycopy(r.vectors()[i], 0, values, i * dim, dim);
            }
            return new Encoded(values, catalog.size(), dim, encoder.modelId());
        } catch (UncheckedIOException | EncoderException e) {
            throw new CliException("encoding the item texts with " + encoderName + ": " + e.getMessage(), e);
        }
    }
}
