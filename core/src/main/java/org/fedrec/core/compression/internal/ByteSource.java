package org.fedrec.core.compression.internal;

import org.fedrec.core.compression.CodecException;

/**
 * Reads what {@link ByteSink} wrote; every read that runs past the end, and every varint that does not fit
 * an int, throws a {@link CodecException} saying what was being read, at which byte of how many.
 */
public final class ByteSource {

    private final byte[] buf;
    private final int end;
    private int pos;

    public ByteSource(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return end - pos;
    }

    private void need(long n, String what) {
        if (end - pos < n) {
            throw new CodecException("payload truncated: " + what + " needs " + n + " byte(s) at byte " + pos + " but only "
                    + (end - pos) + " remain of " + end);
        }
    }

    /** Throws unless {@code n} more bytes remain; {@code what} names them in the message. */
    public void require(long n, String what) {
        need(n, what);
    }

    /**
     * A varint whose description is {@code what + " " + index + " of " + count}, built only if it fails
     * (for loops over many indices).
     */
    public int readVarint(String what, int index, int count) {
        if (pos < end && buf[pos] >= 0) { // one byte, the common case
            return buf[pos++];
        }
        return readVarint(what + " " + index + " of " + count);
    }

    /** {@code n} little-endian floats into {@code out}, checking the length once. */
    public void readFloats(float[] out, int n, String what) {
        need(4L * n, what);
        for (int i = 0; i < n; i++) {
            out[i] = Float.intBitsToFloat((buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16
                    | (buf[pos + 3] & 0xff) << 24);
            pos += 4;
        }
    }

    /** {@code n} little-endian unsigned shorts into {@code out}, checking the length once. */
    public void readShorts(int[] out, int n, String what) {
        need(2L * n, what);
        for (int i = 0; i < n; i++) {
            out[i] = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8;
            pos += 2;
        }
    }

    public int readByte(String what) {
        need(1, what);
        return buf[pos++] & 0xff;
    }

    public int readVarint(String what) {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            need(1, what);
            int b = buf[pos++] & 0xff;
            if (shift == 28 && (b & 0xf0) != 0) {
                throw new CodecException("malformed payload: " + what + " at byte " + (pos - 1)
                        + " is a varint larger than 2^31 - 1");
            }
            v |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new CodecException("malformed payload: " + what + " at byte " + pos + " is a varint longer than 5 bytes");
    }

    public int readShort(String what) {
        need(2, what);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8;
        pos += 2;
        return v;
    }

    public float readFloat(String what) {
        need(4, what);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16 | (buf[pos + 3] & 0xff) << 24;
        pos += 4;
        return Float.intBitsToFloat(v);
    }

    /** Copies {@code n} bytes into a new array. */
    public byte[] readBytes(int n, String what) {
        need(n, what);
        byte[] out = java.util.Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    /** Throws unless every byte was read. */
    public void requireEnd(String after) {
        if (pos != end) {
            throw new CodecException("malformed payload: " + (end - pos) + " trailing byte(s) after " + after + " (read "
                    + pos + " of " + end + ")");
        }
    }
}
