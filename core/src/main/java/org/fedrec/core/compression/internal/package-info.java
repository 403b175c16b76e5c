/** Byte buffers of the codecs; not an API. */
package org.fedrec.core.compression.internal;
