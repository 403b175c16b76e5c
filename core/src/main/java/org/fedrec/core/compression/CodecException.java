package org.fedrec.core.compression;

/**
 * A payload that does not decode: truncated, malformed, written by another codec, or of another shape. The
 * message says what was expected and what was found, and where in the payload.
 */
public final class CodecException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
