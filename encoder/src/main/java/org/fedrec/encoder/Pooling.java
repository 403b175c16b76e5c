package org.fedrec.encoder;

/**
 * How one vector per text is made from a model's output. Which one a model needs is part of how it
 * was trained: using another gives valid-looking but worse embeddings.
 */
public enum Pooling {
    /**
     * The mean of the token vectors of the last hidden state over the attention mask (padding is not
     * counted), as sentence-transformers models such as all-MiniLM-L6-v2 were trained.
     */
    MEAN,
    /** The vector of the first token ({@code [CLS]}) of the last hidden state, as BGE models were trained. */
    CLS,
    /** None: the graph already outputs one vector per text, {@code [batch, hidden]}. */
    NONE
}
