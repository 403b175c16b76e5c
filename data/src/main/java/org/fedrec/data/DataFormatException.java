package org.fedrec.data;

import java.nio.file.Path;

/**
 * A data file does not have the expected format. The message names the file, the line (1-based) and
 * what was expected and found, e.g. {@code u.data:17: expected 4 tab-separated fields (user, item,
 * rating, timestamp), found 3}. A {@link #line()} of 0 means the problem concerns the file as a whole
 * (missing, empty, wrong layout).
 */
public final class DataFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long line;
  private final String detail;

  /**
   * @param file the file (or directory) concerned
   * @param line the 1-based line, or 0 when the problem concerns the whole file
   * @param detail what was expected and what was found
   */
  public DataFormatException(Path file, long line, String detail) {
    this(file, line, detail, null);
  }

  /** The same, with the underlying cause. */
  public DataFormatException(Path file, long line, String detail, Throwable cause) {
    super(format(file, line, detail), cause);
    this.file = file;
    this.line = line;
    this.detail = detail;
  }

  private static String format(Path file, long line, String detail) {
    Path name = file == null ? null : file.getFileName();
    String where = name == null ? String.valueOf(file) : name.toString();
    return line > 0 ? where + ":" + line + ": " + detail : where + ": " + detail;
  }

  /** The file (or directory) the problem was found in. */
  public Path file() {
    return file;
  }

  /** The 1-based line of the record, or 0 when the problem concerns the whole file. */
  public long line() {
    return line;
  }

  /** The message without the {@code file:line: } prefix. */
  public String detail() {
    return detail;
  }
}
