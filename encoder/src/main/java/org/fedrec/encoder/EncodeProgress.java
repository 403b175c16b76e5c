package org.fedrec.encoder;

/**
 * Told how far an {@link EmbeddingCache#encode} call has got, after each chunk of texts is encoded and
 * stored, so that a caller can draw a progress bar with items per second.
 */
@FunctionalInterface
public interface EncodeProgress {

    /** Reports nothing. */
    EncodeProgress NONE = (done, total, elapsedNanos) -> { };

    /**
     * @param done         texts encoded so far in this call (texts read from the cache do not count)
     * @param total        texts this call has to encode
     * @param elapsedNanos time spent encoding so far
     */
    void update(int done, int total, long elapsedNanos);
}
