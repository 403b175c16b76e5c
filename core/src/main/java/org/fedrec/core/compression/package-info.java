/**
 * Compressed traffic. Client updates: {@link org.fedrec.core.compression.Codec} (top-k sparsification, fp16,
 * unbiased 8- and 4-bit stochastic quantization, DEFLATE), the client-side
 * {@link org.fedrec.core.compression.EncodingInterceptor} with optional
 * {@link org.fedrec.core.compression.ErrorFeedback}, and the server-side
 * {@link org.fedrec.core.compression.DecodingStrategy}; and the compressed downlink,
 * {@link org.fedrec.core.compression.DownlinkEncodingStrategy}. JDK only.
 */
package org.fedrec.core.compression;
