package org.fedrec.privacy.secagg;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.fedrec.privacy.secagg.Message.AdvertiseKeys;
import org.fedrec.privacy.secagg.Message.EncryptedShare;
import org.fedrec.privacy.secagg.Message.KeyDirectory;
import org.fedrec.privacy.secagg.Message.MaskedInput;
import org.fedrec.privacy.secagg.Message.RevealedShare;
import org.fedrec.privacy.secagg.Message.ShareBundle;
import org.fedrec.privacy.secagg.Message.ShareKeys;
import org.fedrec.privacy.secagg.Message.UnmaskingRequest;
import org.fedrec.privacy.secagg.Message.UnmaskingResponse;

/**
 * The canonical byte form of every {@link Message}: what the in-memory driver passes between parties and
 * counts as traffic, and what a transport can carry as an opaque payload. Big-endian; a version byte, a
 * type byte and the round, then the fields in record order: ids as length-prefixed UTF-8, byte arrays and
 * lists length-prefixed, a masked input as k/8 bytes per entry.
 *
 * <p>{@link #decode} refuses malformed input (unknown version or type, truncated, lengths out of range,
 * trailing bytes) with a {@link SecAggProtocolException} naming the message type.
 */
public final class WireFormat {

    private static final byte VERSION = 1;
    private static final List<Class<? extends Message>> TYPES = List.of(AdvertiseKeys.class, KeyDirectory.class,
            ShareKeys.class, ShareBundle.class, MaskedInput.class, UnmaskingRequest.class, UnmaskingResponse.class);

    private WireFormat() {
    }

    public static byte[] encode(Message m) {
        Writer w = new Writer(m instanceof MaskedInput y ? 64 + y.masked().length * (y.modulusBits() / 8) : 256);
        w.buf.put(VERSION).put((byte) TYPES.indexOf(m.getClass())).putLong(m.round());
        if (m instanceof AdvertiseKeys a) {
            writeKeys(w, a);
        } else if (m instanceof KeyDirectory d) {
            w.string(d.recipient());
            w.count(d.neighbours().size());
            d.neighbours().forEach(a -> {
                w.ensure(8);
                w.buf.putLong(a.round());
                writeKeys(w, a);
            });
        } else if (m instanceof ShareKeys s) {
            w.string(s.client());
            w.bytes(s.selfMaskCommitment());
            writeShares(w, s.shares());
        } else if (m instanceof ShareBundle b) {
            w.string(b.recipient());
            writeShares(w, b.shares());
        } else if (m instanceof MaskedInput y) {
            w.string(y.client());
            w.ensure(5 + y.masked().length * 8);
            w.buf.put((byte) y.modulusBits()).putInt(y.masked().length);
            if (y.modulusBits() == 64) {
                w.buf.asLongBuffer().put(y.masked());
                w.buf.position(w.buf.position() + 8 * y.masked().length);
            } else {
                for (long v : y.masked()) {
                    w.buf.putInt((int) v);
                }
            }
        } else if (m instanceof UnmaskingRequest r) {
            w.string(r.recipient());
            writeIds(w, r.dropped());
            writeIds(w, r.survivors());
        } else if (m instanceof UnmaskingResponse r) {
            w.string(r.client());
            writeRevealed(w, r.maskKeyShares());
            writeRevealed(w, r.selfMaskShares());
        }
        return Arrays.copyOf(w.buf.array(), w.buf.position());
    }

    public static Message decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        String type = "message";
        try {
            byte version = in.get();
            int tag = in.get();
            if (version != VERSION || tag < 0 || tag >= TYPES.size()) {
                throw new SecAggProtocolException("malformed secure-aggregation message: version " + version
                        + ", type " + tag + "; expected version " + VERSION + " and a type in [0, " + TYPES.size() + ")");
            }
            type = TYPES.get(tag).getSimpleName();
            long round = in.getLong();
            Message m = switch (tag) {
                case 0 -> readKeys(in, round);
                case 1 -> {
                    String recipient = string(in);
                    int count = count(in, 8 + 4 + 2 * (4 + Message.KEY_BYTES));
                    List<AdvertiseKeys> keys = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        keys.add(readKeys(in, in.getLong()));
                    }
                    yield new KeyDirectory(round, recipient, keys);
                }
                case 2 -> new ShareKeys(round, string(in), bytes(in), readShares(in));
                case 3 -> new ShareBundle(round, string(in), readShares(in));
                case 4 -> {
                    String client = string(in);
                    int bits = in.get() & 0xFF;
                    if (bits != 32 && bits != 64) {
                        throw new IllegalArgumentException("modulus bits " + bits);
                    }
                    long[] masked = new long[count(in, bits / 8)];
                    if (bits == 64) {
                        in.asLongBuffer().get(masked);
                        in.position(in.position() + 8 * masked.length);
                    } else {
                        for (int i = 0; i < masked.length; i++) {
                            masked[i] = in.getInt() & 0xFFFF_FFFFL;
                        }
                    }
                    yield new MaskedInput(round, client, bits, masked);
                }
                case 5 -> new UnmaskingRequest(round, string(in), readIds(in), readIds(in));
                default -> new UnmaskingResponse(round, string(in), readRevealed(in), readRevealed(in));
            };
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " trailing bytes");
            }
            return m;
        } catch (BufferUnderflowException e) {
            throw new SecAggProtocolException("malformed " + type + ": truncated after " + in.position() + " of "
                    + bytes.length + " bytes");
        } catch (IllegalArgumentException e) {
            throw new SecAggProtocolException("malformed " + type + ": " + e.getMessage());
        }
    }

    private static void writeKeys(Writer w, AdvertiseKeys a) {
        w.string(a.client());
        w.bytes(a.encryptionKey());
        w.bytes(a.maskingKey());
    }

    private static AdvertiseKeys readKeys(ByteBuffer in, long round) {
        return new AdvertiseKeys(round, string(in), bytes(in), bytes(in));
    }

    private static void writeShares(Writer w, List<EncryptedShare> shares) {
        w.count(shares.size());
        for (EncryptedShare s : shares) {
            w.string(s.sender());
            w.string(s.recipient());
            w.bytes(s.nonce());
            w.bytes(s.ciphertext());
        }
    }

    private static List<EncryptedShare> readShares(ByteBuffer in) {
        int count = count(in, 16);
        List<EncryptedShare> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new EncryptedShare(string(in), string(in), bytes(in), bytes(in)));
        }
        return out;
    }

    private static void writeIds(Writer w, List<String> ids) {
        w.count(ids.size());
        ids.forEach(w::string);
    }

    private static List<String> readIds(ByteBuffer in) {
        int count = count(in, 4);
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(string(in));
        }
        return out;
    }

    private static void writeRevealed(Writer w, List<RevealedShare> shares) {
        w.count(shares.size());
        for (RevealedShare s : shares) {
            w.string(s.owner());
            w.bytes(s.share());
        }
    }

    private static List<RevealedShare> readRevealed(ByteBuffer in) {
        int count = count(in, 8);
        List<RevealedShare> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new RevealedShare(string(in), bytes(in)));
        }
        return out;
    }

    /** A length prefix, checked against the bytes left given that each item takes at least {@code minItemBytes}. */
    private static int count(ByteBuffer in, int minItemBytes) {
        int count = in.getInt();
        if (count < 0 || (long) count * minItemBytes > in.remaining()) {
            throw new IllegalArgumentException("a length prefix of " + count + " items with only " + in.remaining()
                    + " bytes left");
        }
        return count;
    }

    private static byte[] bytes(ByteBuffer in) {
        byte[] b = new byte[count(in, 1)];
        in.get(b);
        return b;
    }

    private static String string(ByteBuffer in) {
        return new String(bytes(in), StandardCharsets.UTF_8);
    }

    /** A growing big-endian buffer. */
    private static final class Writer {
        ByteBuffer buf;

        Writer(int capacity) {
            buf = ByteBuffer.allocate(capacity);
        }

        void ensure(int more) {
            if (buf.remaining() < more) {
                ByteBuffer grown = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more));
                grown.put(buf.array(), 0, buf.position());
                buf = grown;
            }
        }

        void count(int n) {
            ensure(4);
            buf.putInt(n);
        }

        void bytes(byte[] b) {
            ensure(4 + b.length);
            buf.putInt(b.length).put(b);
        }

        void string(String s) {
            bytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }
}
