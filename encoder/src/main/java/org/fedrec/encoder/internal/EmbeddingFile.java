package org.fedrec.encoder.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.fedrec.core.io.AtomicFiles;
import org.fedrec.encoder.EncoderException;

/**
 * An append-only file of fixed-size records {@code (key, vector)} for one model, indexed in memory by key.
 *
 * <pre>
 * header:  "FDRCEMB1" | int version (1) | int dimension | int n | n bytes model id (UTF-8) | int CRC32C of the above
 * record:  32 bytes key (SHA-256 of the text) | dimension floats | int CRC32C of key and floats
 * </pre>
 * All numbers big-endian. A new file's header is written atomically ({@link AtomicFiles}); records are
 * appended and forced to disk after each {@link #append}. On open every record's checksum is verified:
 * damaged records (a write cut short by a crash, or bad bytes) are dropped, the file is compacted without
 * them, and {@link #warnings()} says so. A header that is not this format or not this
 * model's is an {@link EncoderException}: the file is left alone. The file is locked while open.
 */
public final class EmbeddingFile implements AutoCloseable {

    /** Bytes of a record's key. */
    public static final int KEY_BYTES = 32;

    private static final byte[] MAGIC = "FDRCEMB1".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private final Path file;
    private final int dimension;
    private final int recordBytes;
    private final long headerBytes;
    private final FileChannel channel;
    private final FileLock lock;
    private final Map<Key, Long> offsets = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private long end;

    /** A record key: 32 bytes as four longs, for hashing. */
    private record Key(long a, long b, long c, long d) {
        static Key of(byte[] k, int at) {
            ByteBuffer bb = ByteBuffer.wrap(k, at, KEY_BYTES);
            return new Key(bb.getLong(), bb.getLong(), bb.getLong(), bb.getLong());
        }
    }

    private EmbeddingFile(Path file, int dimension, long headerBytes, FileChannel channel, FileLock lock) {
        this.file = file;
        this.dimension = dimension;
        this.recordBytes = KEY_BYTES + dimension * Float.BYTES + Integer.BYTES;
        this.headerBytes = headerBytes;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Opens (creating it if absent) the file of {@code modelId}'s vectors of length {@code dimension}.
     *
     * @throws EncoderException when the file belongs to another model or format, or another process has it open
     */
    public static EmbeddingFile open(Path file, String modelId, int dimension) throws IOException {
        byte[] header = header(modelId, dimension);
        if (!Files.exists(file)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            AtomicFiles.write(file, header);
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new EncoderException("embedding cache " + file + " is in use by another encoder or process");
            }
            EmbeddingFile f = new EmbeddingFile(file, dimension, header.length, channel, lock);
            f.checkHeader(header, modelId);
            f.load();
            return f;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The number of distinct keys stored. */
    public int size() {
        return offsets.size();
    }

    public boolean contains(byte[] key) {
        return offsets.containsKey(Key.of(key, 0));
    }

    /** The vector stored under {@code key}, or null. */
    public float[] read(byte[] key) throws IOException {
        Long offset = offsets.get(Key.of(key, 0));
        if (offset == null) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.allocate(dimension * Float.BYTES);
        readFully(buf, offset + KEY_BYTES);
        float[] v = new float[dimension];
        buf.flip().asFloatBuffer().get(v);
        return v;
    }

    /** Appends one record per key and forces them to disk. */
    public void append(List<byte[]> keys, float[][] vectors) throws IOException {
        if (keys.size() != vectors.length) {
            throw new IllegalArgumentException("expected one vector per key, found " + keys.size() + " keys and "
                    + vectors.length + " vectors");
        }
        ByteBuffer buf = ByteBuffer.allocate(recordBytes * keys.size());
        CRC32C crc = new CRC32C();
        for (int i = 0; i < vectors.length; i++) {
            if (vectors[i].length != dimension) {
                throw new IllegalArgumentException("vector " + i + ": expected dimension " + dimension + ", found "
                        + vectors[i].length);
            }
            int start = buf.position();
            buf.put(keys.get(i));
            for (float x : vectors[i]) {
                buf.putFloat(x);
            }
            crc.reset();
            crc.update(buf.array(), start, recordBytes - Integer.BYTES);
            buf.putInt((int) crc.getValue());
        }
        buf.flip();
        long at = end;
        while (buf.hasRemaining()) {
            at += channel.write(buf, at);
        }
        channel.force(false);
        for (int i = 0; i < keys.size(); i++) {
            offsets.put(Key.of(keys.get(i), 0), end + (long) i * recordBytes);
        }
        end = at;
    }

    /** What opening the file repaired, for the user to see; empty when nothing was. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    // ---- opening ----

    private static byte[] header(String modelId, int dimension) {
        byte[] id = modelId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 3 * Integer.BYTES + id.length + Integer.BYTES);
        b.put(MAGIC).putInt(VERSION).putInt(dimension).putInt(id.length).put(id);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    private void checkHeader(byte[] expected, String modelId) throws IOException {
        long size = channel.size();
        ByteBuffer found = ByteBuffer.allocate((int) Math.min(size, expected.length));
        readFully(found, 0);
        byte[] bytes = found.array();
        if (bytes.length < MAGIC.length || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new EncoderException("embedding cache " + file + " is not a fedrec embedding file (expected it to "
                    + "start with FDRCEMB1); move it away or delete it");
        }
        if (!Arrays.equals(bytes, expected)) {
            throw new EncoderException("embedding cache " + file + " does not hold vectors of model " + modelId
                    + " with dimension " + dimension + " (its header differs: " + describeHeader(bytes)
                    + "); delete it to rebuild it");
        }
    }

    private static String describeHeader(byte[] bytes) {
        if (bytes.length < MAGIC.length + 3 * Integer.BYTES) {
            return "cut short at " + bytes.length + " bytes";
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, MAGIC.length, bytes.length - MAGIC.length);
        int version = b.getInt();
        int dim = b.getInt();
        int n = b.getInt();
        String id = n >= 0 && n <= b.remaining() ? new String(bytes, b.position(), n, StandardCharsets.UTF_8) : "?";
        return "version " + version + ", dimension " + dim + ", model " + id;
    }

    /** Indexes every record whose checksum holds; compacts the file without the others. */
    private void load() throws IOException {
        long size = channel.size();
        long records = (size - headerBytes) / recordBytes;
        long tail = (size - headerBytes) % recordBytes;
        List<Long> damaged = new ArrayList<>();
        // Read through the locked channel: closing another descriptor of the file would drop the lock.
        int perRead = Math.max(1, (1 << 16) / recordBytes);
        ByteBuffer chunk = ByteBuffer.allocate(perRead * recordBytes);
        CRC32C crc = new CRC32C();
        for (long r = 0; r < records; r += perRead) {
            int n = (int) Math.min(perRead, records - r);
            chunk.clear().limit(n * recordBytes);
            readFully(chunk, headerBytes + r * recordBytes);
            byte[] bytes = chunk.array();
            for (int i = 0; i < n; i++) {
                int at = i * recordBytes;
                crc.reset();
                crc.update(bytes, at, recordBytes - Integer.BYTES);
                int stored = ByteBuffer.wrap(bytes, at + recordBytes - Integer.BYTES, Integer.BYTES).getInt();
                long offset = headerBytes + (r + i) * recordBytes;
                if (stored == (int) crc.getValue()) {
                    offsets.put(Key.of(bytes, at), offset);
                } else {
                    damaged.add(offset);
                }
            }
        }
        end = headerBytes + records * recordBytes;
        if (damaged.isEmpty() && tail == 0) {
            return;
        }
        if (!damaged.isEmpty()) {
            warnings.add("embedding cache " + file + ": dropped " + damaged.size() + " damaged record(s) (checksum "
                    + "mismatch; first at byte " + damaged.get(0) + "); their texts will be encoded again");
        }
        if (tail != 0) {
            warnings.add("embedding cache " + file + ": dropped an incomplete last record of " + tail + " bytes (a write "
                    + "cut short); its text will be encoded again");
        }
        compact();
    }

    /**
     * Moves the good records down over the damaged ones, in offset order, and truncates the file after the
     * last. Crash-safe: a record is only ever copied to a lower slot that holds a damaged record or one
     * already copied lower, so a cut-short move loses nothing that the next open would not find again.
     */
    private void compact() throws IOException {
        List<Long> good = new ArrayList<>(offsets.values());
        good.sort(null);
        offsets.clear();
        ByteBuffer rec = ByteBuffer.allocate(recordBytes);
        long to = headerBytes;
        for (long from : good) {
            rec.clear();
            readFully(rec, from);
            if (from != to) {
                rec.flip();
                long at = to;
                while (rec.hasRemaining()) {
                    at += channel.write(rec, at);
                }
            }
            offsets.put(Key.of(rec.array(), 0), to);
            to += recordBytes;
        }
        channel.truncate(to);
        channel.force(true);
        end = to;
    }

    private void readFully(ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, at);
            if (n < 0) {
                throw new EOFException("embedding cache " + file + " ends at byte " + at + ", before the record at "
                        + position);
            }
            at += n;
        }
    }
}
