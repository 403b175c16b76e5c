package org.fedrec.core.compression.internal;

import java.util.Arrays;

/** A growable little-endian byte buffer with unsigned LEB128 varints. */
public final class ByteSink {

    private byte[] buf;
    private int size;

    public ByteSink(int capacity) {
        this.buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }

    public void writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    /** An unsigned LEB128 varint of a non-negative int: 7 bits per byte, low first. */
    public void writeVarint(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("varints are unsigned, found " + v);
        }
        ensure(5);
        while ((v & ~0x7f) != 0) {
            buf[size++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    public void writeShort(int v) {
        ensure(2);
        buf[size++] = (byte) v;
        buf[size++] = (byte) (v >>> 8);
    }

    public void writeFloat(float f) {
        int v = Float.floatToRawIntBits(f);
        ensure(4);
        buf[size++] = (byte) v;
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 24);
    }

    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    public int size() {
        return size;
    }

    public byte[] toArray() {
        return Arrays.copyOf(buf, size);
    }

    /** The internal array (valid up to {@link #size()}), without a copy. */
    public byte[] array() {
        return buf;
    }
}
