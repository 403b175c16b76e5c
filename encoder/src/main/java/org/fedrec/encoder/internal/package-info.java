/** Implementation details of the encoder module: pooling arithmetic and the cache's file format. */
package org.fedrec.encoder.internal;
