package org.fedrec.models;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32C;

import org.fedrec.core.FloatTable;
import org.fedrec.core.ModelState;
import org.fedrec.core.io.AtomicFiles;

/**
 * A saved model: its global {@link ModelState}, the model's {@link RecommenderModel#name() name} and
 * string metadata (e.g. the config as JSON, a provenance digest).
 *
 * <p>File format, version {@value #FORMAT_VERSION}; integers are unsigned 32-bit little-endian, strings
 * are a length and UTF-8 bytes:
 * <pre>
 *   "FEDRECK1"                 8 bytes of magic
 *   version                    u32
 *   header length              u32, the bytes of the header block
 *   header block               model name, metadata count, (key, value)*, table count, (name, rows, cols)*
 *   header CRC32C              u32 over everything before it
 *   table data                 each table's rows * cols float32 little-endian, in header order
 *   file CRC32C                u32 over everything before it
 * </pre>
 * The header has its own checksum so that a damaged length or shape is reported as damage, and the
 * declared shapes give the exact file length, so that a short file is reported as truncated, naming the
 * table cut short. CRC32C detects accidental corruption, not tampering: a provenance digest in the
 * metadata is the place for that.
 *
 * <p>Tables are streamed through a fixed buffer in both directions: reading a table allocates its array
 * once and nothing proportional to it besides.
 *
 * @param modelName the model family, e.g. {@code mf} or {@code neumf}
 * @param metadata  string metadata, in insertion order
 * @param state     the global tables
 */
public record Checkpoint(String modelName, Map<String, String> metadata, ModelState state) {

    /** The format version this build writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final byte[] MAGIC = "FEDRECK1".getBytes(StandardCharsets.US_ASCII);
    private static final int DEFAULT_BUFFER = 1 << 20;
    /** Bytes before the header block: magic, version, header length. */
    private static final int PREAMBLE = MAGIC.length + 8;

    public Checkpoint {
        if (modelName == null || modelName.isBlank()) {
            throw new IllegalArgumentException("checkpoint model name must be non-blank, found '" + modelName + "'");
        }
        Objects.requireNonNull(state, "state");
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        metadata.forEach((k, v) -> {
            if (k == null || v == null) {
                throw new IllegalArgumentException("checkpoint metadata must not hold null, found " + k + "=" + v);
            }
            copy.put(k, v);
        });
        metadata = Collections.unmodifiableMap(copy);
    }

    /** A checkpoint file that cannot be read: not a checkpoint, another version, truncated or corrupt. */
    public static final class FormatException extends IOException {
        private static final long serialVersionUID = 1L;

        private final Path path;

        FormatException(Path path, String message) {
            super(path + ": " + message);
            this.path = path;
        }

        public Path path() {
            return path;
        }
    }

    /**
     * Writes a checkpoint to {@code path} atomically: to a temporary file in the same directory, forced
     * to disk, then moved over {@code path}. On failure {@code path} is left as it was.
     */
    public static void write(Path path, String modelName, Map<String, String> metadata, ModelState state)
            throws IOException {
        write(path, new Checkpoint(modelName, metadata, state), DEFAULT_BUFFER);
    }

    /** Reads a checkpoint, verifying both checksums. */
    public static Checkpoint read(Path path) throws IOException {
        return read(path, DEFAULT_BUFFER);
    }

    static void write(Path path, Checkpoint checkpoint, int bufferSize) throws IOException {
        AtomicFiles.replace(path, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                Writer w = new Writer(ch, bufferSize);
                byte[] header = checkpoint.header();
                w.bytes(MAGIC);
                w.u32(FORMAT_VERSION);
                w.u32(header.length);
                w.bytes(header);
                w.u32((int) w.checksum());
                for (FloatTable t : checkpoint.state.tables().values()) {
                    w.floats(t.data());
                }
                w.u32((int) w.checksum());
                w.flush();
                ch.force(true);
            }
        });
    }

    private byte[] header() {
        HeaderBuilder h = new HeaderBuilder();
        h.str(modelName).u32(metadata.size());
        metadata.forEach((k, v) -> h.str(k).str(v));
        h.u32(state.tables().size());
        state.tables().forEach((name, t) -> h.str(name).u32(t.rows()).u32(t.cols()));
        ByteBuffer done = h.buffer();
        byte[] out = new byte[done.position()];
        done.flip().get(out);
        return out;
    }

    static Checkpoint read(Path path, int bufferSize) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            Reader r = new Reader(path, ch, bufferSize);
            byte[] magic = r.bytes(MAGIC.length, null);
            if (magic == null || !Arrays.equals(magic, MAGIC)) {
                throw new FormatException(path, "not a fedrec checkpoint: expected it to start with \"FEDRECK1\", "
                        + (size == 0 ? "the file is empty" : "it starts with " + describe(r.head)));
            }
            int version = r.u32("the format version");
            if (version != FORMAT_VERSION) {
                throw new FormatException(path, "unsupported checkpoint format version " + Integer.toUnsignedString(version)
                        + "; this build reads version " + FORMAT_VERSION);
            }
            long headerLength = Integer.toUnsignedLong(r.u32("the header length"));
            if (headerLength > Integer.MAX_VALUE - 16) {
                throw new FormatException(path, "the header length " + headerLength + " exceeds the limit of "
                        + (Integer.MAX_VALUE - 16) + " bytes; the file is corrupt");
            }
            if (headerLength > size - PREAMBLE - 4) {
                throw new FormatException(path, "truncated: expected " + (headerLength + 4)
                        + " bytes of header and header checksum, found " + Math.max(0, size - PREAMBLE));
            }
            ByteBuffer header = ByteBuffer.wrap(r.bytes((int) headerLength, "the header")).order(ByteOrder.LITTLE_ENDIAN);
            long computed = r.crc.getValue();
            long stored = Integer.toUnsignedLong(r.u32("the header checksum"));
            if (stored != computed) {
                throw new FormatException(path, "header checksum mismatch: stored CRC32C " + hex(stored) + ", computed "
                        + hex(computed) + "; the file is corrupt");
            }
            HeaderReader h = new HeaderReader(path, header);
            String modelName = h.str("the model name");
            int metaCount = h.count("metadata entries");
            Map<String, String> meta = new LinkedHashMap<>();
            for (int i = 0; i < metaCount; i++) {
                meta.put(h.str("a metadata key"), h.str("a metadata value"));
            }
            int tableCount = h.count("tables");
            String[] names = new String[tableCount];
            int[] rows = new int[tableCount];
            int[] cols = new int[tableCount];
            long expected = PREAMBLE + headerLength + 4 + 4;
            for (int t = 0; t < tableCount; t++) {
                names[t] = h.str("a table name");
                rows[t] = h.count("rows of table '" + names[t] + "'");
                cols[t] = h.count("columns of table '" + names[t] + "'");
                long n = (long) rows[t] * cols[t];
                if (cols[t] == 0 || n > Integer.MAX_VALUE) {
                    throw new FormatException(path, "table '" + names[t] + "' declares " + rows[t] + "x" + cols[t]
                            + "; a table needs >= 1 column and at most " + Integer.MAX_VALUE + " values");
                }
                expected += 4 * n;
            }
            if (header.hasRemaining()) {
                throw new FormatException(path, "the header has " + header.remaining() + " bytes after its last table");
            }
            if (size < expected) {
                long at = PREAMBLE + headerLength + 4;
                for (int t = 0; t < tableCount; t++) {
                    long bytes = 4L * rows[t] * cols[t];
                    if (at + bytes > size) {
                        throw new FormatException(path, "truncated: expected " + bytes + " bytes of table '" + names[t]
                                + "', found " + Math.max(0, size - at));
                    }
                    at += bytes;
                }
                throw new FormatException(path, "truncated: expected 4 bytes of file checksum, found " + (size - at));
            }
            if (size > expected) {
                throw new FormatException(path, "the file has " + (size - expected) + " bytes more than its "
                        + tableCount + " tables declare (" + expected + " bytes)");
            }
            Map<String, FloatTable> tables = new LinkedHashMap<>();
            for (int t = 0; t < tableCount; t++) {
                float[] data = new float[rows[t] * cols[t]];
                r.floats(data, "table '" + names[t] + "'");
                if (tables.put(names[t], new FloatTable(rows[t], cols[t], data)) != null) {
                    throw new FormatException(path, "table '" + names[t] + "' appears twice");
                }
            }
            computed = r.crc.getValue();
            stored = Integer.toUnsignedLong(r.u32("the file checksum"));
            if (stored != computed) {
                throw new FormatException(path, "checksum mismatch: stored CRC32C " + hex(stored) + ", computed "
                        + hex(computed) + "; the file is corrupt");
            }
            try {
                return new Checkpoint(modelName, meta, new ModelState(tables));
            } catch (IllegalArgumentException e) {
                throw new FormatException(path, e.getMessage());
            }
        }
    }

    private static String hex(long v) {
        return String.format("0x%08x", v);
    }

    /** The first bytes of a file as hex and printable ASCII, e.g. {@code 89 50 4e 47 ... (".PNG....")}. */
    private static String describe(byte[] head) {
        StringBuilder hex = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (byte b : head) {
            if (hex.length() > 0) {
                hex.append(' ');
            }
            hex.append(String.format("%02x", b & 0xff));
            text.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        }
        return hex + " (\"" + text + "\")";
    }

    /** Grows a little-endian buffer for the header block. */
    private static final class HeaderBuilder {
        private ByteBuffer b;

        HeaderBuilder() {
            this.b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        }

        ByteBuffer buffer() {
            return b;
        }

        HeaderBuilder u32(int v) {
            room(4);
            b.putInt(v);
            return this;
        }

        HeaderBuilder str(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            u32(bytes.length);
            room(bytes.length);
            b.put(bytes);
            return this;
        }

        private void room(int n) {
            if (b.remaining() < n) {
                ByteBuffer grown = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n))
                        .order(ByteOrder.LITTLE_ENDIAN);
                b.flip();
                grown.put(b);
                b = grown;
            }
        }
    }

    /** Parses the checksummed header block; errors name what was being read. */
    private static final class HeaderReader {
        private final Path path;
        private final ByteBuffer b;

        HeaderReader(Path path, ByteBuffer b) {
            this.path = path;
            this.b = b;
        }

        int count(String what) throws FormatException {
            need(4, what);
            int v = b.getInt();
            if (v < 0) {
                throw new FormatException(path, "the header declares " + Integer.toUnsignedString(v) + " " + what
                        + ", more than " + Integer.MAX_VALUE);
            }
            return v;
        }

        String str(String what) throws FormatException {
            int n = count("bytes of " + what);
            need(n, what);
            byte[] bytes = new byte[n];
            b.get(bytes);
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new FormatException(path, what + " in the header is not valid UTF-8");
            }
        }

        private void need(long n, String what) throws FormatException {
            if (b.remaining() < n) {
                throw new FormatException(path, "the header ends inside " + what + ": expected " + n + " bytes, found "
                        + b.remaining());
            }
        }
    }

    /** Buffered little-endian writes to a channel, with a running CRC32C of everything written. */
    private static final class Writer {
        private final FileChannel ch;
        private final ByteBuffer buf;
        private final CRC32C crc = new CRC32C();
        /** Buffer position up to which {@link #crc} has seen the bytes. */
        private int summed;

        Writer(FileChannel ch, int bufferSize) {
            this.ch = ch;
            this.buf = ByteBuffer.allocateDirect(Math.max(16, bufferSize & ~3)).order(ByteOrder.LITTLE_ENDIAN);
        }

        void u32(int v) throws IOException {
            room(4);
            buf.putInt(v);
        }

        void bytes(byte[] a) throws IOException {
            int off = 0;
            while (off < a.length) {
                room(1);
                int n = Math.min(buf.remaining(), a.length - off);
                buf.put(a, off, n);
                off += n;
            }
        }

        void floats(float[] a) throws IOException {
            int off = 0;
            while (off < a.length) {
                room(4);
                int n = Math.min(buf.remaining() / 4, a.length - off);
                buf.asFloatBuffer().put(a, off, n);
                buf.position(buf.position() + 4 * n);
                off += n;
            }
        }

        private void room(int n) throws IOException {
            if (buf.remaining() < n) {
                flush();
            }
        }

        /** CRC32C of everything written so far. */
        long checksum() {
            ByteBuffer unsummed = buf.duplicate().flip().position(summed);
            crc.update(unsummed);
            summed = buf.position();
            return crc.getValue();
        }

        void flush() throws IOException {
            checksum();
            summed = 0;
            buf.flip();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            buf.clear();
        }
    }

    /** Buffered little-endian reads from a channel, with a running CRC32C of everything consumed. */
    private static final class Reader {
        private final Path path;
        private final FileChannel ch;
        private final ByteBuffer buf;
        final CRC32C crc = new CRC32C();
        /** The file's first bytes, for the error on foreign files. */
        byte[] head = new byte[0];

        Reader(Path path, FileChannel ch, int bufferSize) {
            this.path = path;
            this.ch = ch;
            this.buf = ByteBuffer.allocateDirect(Math.max(16, bufferSize & ~3)).order(ByteOrder.LITTLE_ENDIAN);
            buf.limit(0);
        }

        /** Makes at least {@code n <= capacity} bytes available, or fewer at the end of the file. */
        private void fill(int n) throws IOException {
            if (buf.remaining() >= n) {
                return;
            }
            buf.compact();
            while (buf.position() < n) {
                if (ch.read(buf) < 0) {
                    break;
                }
            }
            buf.flip();
        }

        /** {@code n} bytes, or null if the file ends first and {@code what} is null. */
        byte[] bytes(int n, String what) throws IOException {
            byte[] out = new byte[n];
            int off = 0;
            while (off < n) {
                fill(Math.min(buf.capacity(), n - off));
                int k = Math.min(buf.remaining(), n - off);
                if (k == 0) {
                    if (what == null) {
                        head = Arrays.copyOf(out, off);
                        return null;
                    }
                    throw truncated(n, what, off);
                }
                buf.get(out, off, k);
                off += k;
            }
            crc.update(out, 0, n);
            if (what == null) {
                head = out;
            }
            return out;
        }

        int u32(String what) throws IOException {
            fill(4);
            if (buf.remaining() < 4) {
                throw truncated(4, what, buf.remaining());
            }
            ByteBuffer view = buf.duplicate();
            view.limit(view.position() + 4);
            crc.update(view);
            return buf.getInt();
        }

        void floats(float[] dst, String what) throws IOException {
            int off = 0;
            while (off < dst.length) {
                fill((int) Math.min(buf.capacity(), 4L * (dst.length - off)));
                int n = Math.min(buf.remaining() / 4, dst.length - off);
                if (n == 0) {
                    throw new FormatException(path, "truncated: expected " + 4L * dst.length + " bytes of " + what
                            + ", found " + (4L * off + buf.remaining()) + " (the file has changed while being read)");
                }
                ByteBuffer view = buf.duplicate();
                view.limit(view.position() + 4 * n);
                crc.update(view);
                buf.asFloatBuffer().get(dst, off, n);
                buf.position(buf.position() + 4 * n);
                off += n;
            }
        }

        private FormatException truncated(long expected, String what, long found) {
            return new FormatException(path, "truncated: expected " + expected + " bytes of " + what + ", found " + found);
        }
    }
}
