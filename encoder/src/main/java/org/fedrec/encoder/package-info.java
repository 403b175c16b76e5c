/**
 * Pretrained text encoders for item text, and a cache of their embeddings.
 *
 * <p>{@link org.fedrec.encoder.OnnxTextEncoder} runs a BERT-family sentence encoder in process over ONNX
 * Runtime, with the model's own HuggingFace tokenizer (DJL's bindings): the built-in
 * {@code all-MiniLM-L6-v2} and {@code bge-small-en-v1.5}, read from their Maven Central jars, or a user's
 * {@code model.onnx} + {@code tokenizer.json} ({@link org.fedrec.encoder.EncoderSpec}).
 * {@link org.fedrec.encoder.EmbeddingCache} stores each (model, text) embedding on disk once, so that an
 * item catalog is encoded on the first run only and a changed text alone is encoded again.
 *
 * <p>This is the only module that imports ONNX Runtime ({@code ai.onnxruntime}) and DJL
 * ({@code ai.djl}); what leaves it is plain {@code float[]} arrays. Both runtimes are used offline:
 * launchers and tests set {@code ORT_DISABLE_TELEMETRY=1} and {@code -Dai.djl.offline=true}.
 */
package org.fedrec.encoder;
