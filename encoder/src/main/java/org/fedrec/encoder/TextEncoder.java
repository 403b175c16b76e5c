package org.fedrec.encoder;

import java.util.List;

/**
 * Turns texts into fixed-length vectors with a pretrained model. Equal texts give equal vectors for the
 * same {@link #modelId()}, which is why embeddings can be cached under it.
 */
public interface TextEncoder extends AutoCloseable {

    /**
     * A stable identifier of everything that decides the vectors: the model's name and a hash of its
     * graph file, its tokenizer and the pooling settings. Safe as a file name.
     */
    String modelId();

    /** The length of every vector. */
    int dimension();

    /**
     * One vector per text, in the order given (an empty list gives an empty array). Texts longer than the
     * model's maximum sequence length are truncated: their tail does not count.
     *
     * @throws NullPointerException naming the index of a null text
     */
    float[][] encode(List<String> texts);

    /** Frees the model's native memory; the encoder cannot be used afterwards. */
    @Override
    void close();
}
