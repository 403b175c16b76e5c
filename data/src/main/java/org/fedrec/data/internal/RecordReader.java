package org.fedrec.data.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.fedrec.data.DataFormatException;

/**
 * Reads delimited records from bytes without regular expressions or per-line String allocation:
 * fields are copied into one scratch buffer and parsed in place. Handles {@code \n}, {@code \r\n}
 * and {@code \r} line ends, a leading UTF-8 byte order mark, one- or two-byte delimiters
 * ({@code "::"}), RFC 4180 quoting (optional; quoted fields may contain delimiters, {@code ""} and
 * line breaks) and whitespace-separated records. Blank lines are allowed only at the end of a file.
 */
public final class RecordReader implements Closeable {
  /** How fields are separated. */
  public enum Mode {
    /** Fields separated by the delimiter; quotes are ordinary characters. */
    PLAIN,
    /** Fields separated by the delimiter; RFC 4180 double quotes. */
    QUOTED,
    /** Fields separated by runs of spaces or tabs; leading and trailing whitespace ignored. */
    WHITESPACE
  }

  private final InputStream in;
  private final Path file;
  private final Mode mode;
  private final int d0;
  private final int d1;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  private boolean eof;
  private boolean started;

  private byte[] data = new byte[256];
  private int dataLen;
  private int fieldStart;
  private int[] starts = new int[16];
  private int[] ends = new int[16];
  private int count;
  private long line;
  private long nextLine = 1;
  private long blankLine;

  /**
   * @param delimiter one or two ASCII characters; ignored in {@link Mode#WHITESPACE}
   */
  public RecordReader(InputStream in, Path file, Mode mode, String delimiter) {
    this.in = in;
    this.file = file;
    this.mode = mode;
    if (mode == Mode.WHITESPACE) {
      d0 = -1;
      d1 = -1;
    } else {
      if (delimiter.isEmpty() || delimiter.length() > 2 || delimiter.chars().anyMatch(c -> c > 127)) {
        throw new IllegalArgumentException("delimiter must be one or two ASCII characters, got '" + delimiter + "'");
      }
      d0 = delimiter.charAt(0);
      d1 = delimiter.length() == 2 ? delimiter.charAt(1) : -1;
    }
  }

  public Path file() {
    return file;
  }

  /** The 1-based line the current record starts on. */
  public long line() {
    return line;
  }

  public int fieldCount() {
    return count;
  }

  /**
   * Advances to the next non-blank record.
   *
   * @return false at the end of the file
   * @throws DataFormatException on a blank line followed by more data, or an unterminated quote
   */
  public boolean next() throws IOException {
    while (readRecord()) {
      if (isBlank()) {
        if (blankLine == 0) {
          blankLine = line;
        }
        continue;
      }
      if (blankLine != 0) {
        throw new DataFormatException(file, blankLine, "blank line inside the data (blank lines are only allowed at the end of the file)");
      }
      return true;
    }
    return false;
  }

  private boolean isBlank() {
    return count == 0 || (count == 1 && ends[0] == starts[0]);
  }

  private boolean readRecord() throws IOException {
    if (!started) {
      started = true;
      skipByteOrderMark();
    }
    count = 0;
    dataLen = 0;
    line = nextLine;
    int b = read();
    if (b < 0) {
      return false;
    }
    boolean open = mode != Mode.WHITESPACE;
    fieldStart = 0;
    for (; b >= 0; b = read()) {
      if (b == '\n') {
        nextLine++;
        break;
      }
      if (b == '\r') {
        if (peek() == '\n') {
          read();
        }
        nextLine++;
        break;
      }
      if (mode == Mode.WHITESPACE) {
        if (b == ' ' || b == '\t') {
          if (open) {
            endField();
            open = false;
          }
        } else {
          if (!open) {
            fieldStart = dataLen;
            open = true;
          }
          append(b);
        }
      } else if (b == d0 && (d1 < 0 || peek() == d1)) {
        if (d1 >= 0) {
          read();
        }
        endField();
        fieldStart = dataLen;
      } else if (b == '"' && mode == Mode.QUOTED && dataLen == fieldStart) {
        readQuoted();
      } else {
        append(b);
      }
    }
    if (open) {
      endField();
    }
    return true;
  }

  private void readQuoted() throws IOException {
    long start = line;
    while (true) {
      int b = read();
      if (b < 0) {
        throw new DataFormatException(file, start, "unterminated quoted field in field " + (count + 1) + ": expected a closing '\"', found the end of the file");
      }
      if (b == '"') {
        if (peek() == '"') {
          read();
          append('"');
          continue;
        }
        int next = peek();
        if (next >= 0 && next != '\n' && next != '\r' && next != d0) {
          throw new DataFormatException(file, nextLine, "field " + (count + 1) + ": expected a delimiter or the end of the line after the closing quote, found '" + (char) next + "'");
        }
        return;
      }
      if (b == '\n') {
        nextLine++;
      } else if (b == '\r' && peek() != '\n') {
        nextLine++;
      }
      append(b);
    }
  }

  private void skipByteOrderMark() throws IOException {
    ensure(3);
    if (limit - pos >= 3 && (buf[pos] & 0xff) == 0xEF && (buf[pos + 1] & 0xff) == 0xBB && (buf[pos + 2] & 0xff) == 0xBF) {
      pos += 3;
    }
  }

  private void ensure(int n) throws IOException {
    if (limit - pos >= n || eof) {
      return;
    }
    System.arraycopy(buf, pos, buf, 0, limit - pos);
    limit -= pos;
    pos = 0;
    while (limit < n && !eof) {
      int r = in.read(buf, limit, buf.length - limit);
      if (r < 0) {
        eof = true;
      } else {
        limit += r;
      }
    }
  }

  private int read() throws IOException {
    if (pos == limit) {
      ensure(1);
      if (pos == limit) {
        return -1;
      }
    }
    return buf[pos++] & 0xff;
  }

  private int peek() throws IOException {
    if (pos == limit) {
      ensure(1);
      if (pos == limit) {
        return -1;
      }
    }
    return buf[pos] & 0xff;
  }

  private void append(int b) {
    if (dataLen == data.length) {
      data = java.util.Arrays.copyOf(data, data.length * 2);
    }
    data[dataLen++] = (byte) b;
  }

  private void endField() {
    if (count == starts.length) {
      starts = java.util.Arrays.copyOf(starts, count * 2);
      ends = java.util.Arrays.copyOf(ends, count * 2);
    }
    starts[count] = fieldStart;
    ends[count] = dataLen;
    count++;
  }

  // ---- field access ----

  public boolean isEmpty(int k) {
    return starts[k] == ends[k];
  }

  public String string(int k, Charset charset) {
    return new String(data, starts[k], ends[k] - starts[k], charset);
  }

  public String string(int k) {
    return string(k, StandardCharsets.UTF_8);
  }

  /** True if field {@code k} is exactly the given ASCII text. */
  public boolean is(int k, String ascii) {
    int len = ends[k] - starts[k];
    if (len != ascii.length()) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if (data[starts[k] + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** An error about the current record. */
  public DataFormatException error(String detail) {
    return new DataFormatException(file, line, detail);
  }

  /** Requires exactly {@code n} fields; {@code what} reads e.g. "tab-separated fields (user, item)". */
  public void expectFields(int n, String what) {
    if (count != n) {
      throw error("expected " + n + " " + what + ", found " + count);
    }
  }

  private DataFormatException fieldError(int k, String label, String expected) {
    String text = string(k, StandardCharsets.ISO_8859_1);
    if (text.length() > 40) {
      text = text.substring(0, 40) + "...";
    }
    String found = text.isEmpty() ? "an empty field" : "\"" + text + "\"";
    return error("field " + (k + 1) + " (" + label + "): expected " + expected + ", found " + found);
  }

  /** Parses field {@code k} as a decimal integer (optional sign). */
  public long parseLong(int k, String label) {
    int i = starts[k];
    int end = ends[k];
    if (i == end) {
      throw fieldError(k, label, "an integer");
    }
    boolean negative = false;
    if (data[i] == '-' || data[i] == '+') {
      negative = data[i] == '-';
      i++;
      if (i == end) {
        throw fieldError(k, label, "an integer");
      }
    }
    long result = 0;
    for (; i < end; i++) {
      int d = data[i] - '0';
      if (d < 0 || d > 9) {
        throw fieldError(k, label, "an integer");
      }
      if (result > (Long.MAX_VALUE - d) / 10) {
        throw fieldError(k, label, "an integer that fits in 64 bits");
      }
      result = result * 10 + d;
    }
    return negative ? -result : result;
  }

  /** Parses field {@code k} as a non-negative int (a dense index). */
  public int parseIndex(int k, String label) {
    long v = parseLong(k, label);
    if (v < 0 || v >= Integer.MAX_VALUE) {
      throw fieldError(k, label, "a non-negative integer below 2^31-1");
    }
    return (int) v;
  }

  /** Parses field {@code k} as a finite decimal number. */
  public float parseFloat(int k, String label) {
    int i = starts[k];
    int end = ends[k];
    if (i == end) {
      throw fieldError(k, label, "a number");
    }
    // fast path: [-]digits[.digits] with few digits
    boolean negative = data[i] == '-';
    int j = negative || data[i] == '+' ? i + 1 : i;
    long mantissa = 0;
    int digits = 0;
    int scale = 0;
    boolean dot = false;
    boolean simple = j < end;
    for (; j < end && simple; j++) {
      int c = data[j];
      if (c == '.' && !dot) {
        dot = true;
      } else if (c >= '0' && c <= '9' && digits < 17) {
        mantissa = mantissa * 10 + (c - '0');
        digits++;
        if (dot) {
          scale++;
        }
      } else {
        simple = false;
      }
    }
    if (simple && digits > 0) {
      double v = mantissa / POW10[scale];
      return (float) (negative ? -v : v);
    }
    String text = string(k, StandardCharsets.ISO_8859_1);
    char last = text.isEmpty() ? ' ' : Character.toLowerCase(text.charAt(text.length() - 1));
    float v;
    try {
      v = last == 'f' || last == 'd' ? Float.NaN : Float.parseFloat(text);
    } catch (NumberFormatException e) {
      throw fieldError(k, label, "a number");
    }
    if (!Float.isFinite(v)) {
      throw fieldError(k, label, Float.isNaN(v) && last != 'n' ? "a number" : "a finite number");
    }
    return v;
  }

  private static final double[] POW10 = new double[18];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  /** Parses field {@code k} as 0 or 1. */
  public boolean parseFlag(int k, String label) {
    if (is(k, "1")) {
      return true;
    }
    if (is(k, "0")) {
      return false;
    }
    throw fieldError(k, label, "0 or 1");
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** "tab-separated", "comma-separated" or "'::'-separated". */
  public static String describe(String delimiter) {
    switch (delimiter) {
      case "\t":
        return "tab-separated";
      case ",":
        return "comma-separated";
      case ";":
        return "semicolon-separated";
      case " ":
        return "space-separated";
      default:
        return "'" + delimiter + "'-separated";
    }
  }
}
