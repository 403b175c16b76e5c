package org.fedrec.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.fedrec.data.internal.AdjacencyReader;
import org.fedrec.data.internal.DelimitedReader;
import org.fedrec.data.internal.MovieLensReaders;

/**
 * Reads datasets from disk. Formats, the files they read, in the order their bytes are hashed into
 * {@link Dataset#sha256()}:
 *
 * <table>
 * <caption>Formats</caption>
 * <tr><th>format</th><th>path</th><th>files (hash order)</th></tr>
 * <tr><td>{@code ml-100k}</td><td>directory</td><td>{@code u.data} (tab-separated user, item,
 * rating, timestamp), {@code u.genre} if present, {@code u.item} ({@code |}-separated, ISO-8859-1:
 * id, title, release date, video release date, IMDb URL, one 0/1 flag per genre)</td></tr>
 * <tr><td>{@code ml-1m}, {@code ml-10m}</td><td>directory</td><td>{@code ratings.dat}
 * ({@code UserID::MovieID::Rating::Timestamp}), {@code movies.dat} ({@code MovieID::Title::Genres},
 * genres {@code |}-separated; UTF-8, or ISO-8859-1 when not valid UTF-8)</td></tr>
 * <tr><td>{@code ml-20m}, {@code ml-25m}</td><td>directory</td><td>{@code ratings.csv} (header
 * {@code userId,movieId,rating,timestamp}), {@code movies.csv} (header {@code movieId,title,genres},
 * RFC 4180 quoting, UTF-8)</td></tr>
 * <tr><td>{@code adjacency}</td><td>directory</td><td>{@code train.txt}, {@code test.txt}
 * (BARS/LightGCN: {@code user item item ...}, whitespace-separated, ids are already 0-based
 * indices); comes with a {@linkplain Dataset#givenSplit() given split}; no values, no
 * timestamps</td></tr>
 * <tr><td>{@code csv}</td><td>file</td><td>the file, then {@link ReadOptions#testFile()} and
 * {@link ReadOptions#itemFile()} when given (header row, columns by {@link ColumnMapping}, RFC 4180
 * quoting, UTF-8, delimiter detected or given)</td></tr>
 * </table>
 *
 * <p>Ids become dense indices by {@link IdMapping}'s rule, except in {@code adjacency}, whose ids are
 * used as indices ({@code 0..max}). Items are those with at least one interaction; catalogue entries
 * without one are counted in {@link Dataset#notes()}. Repeated (user, item) pairs follow {@link
 * ReadOptions#duplicates()}. Blank lines are allowed only at the end of a file. A {@code "(no genres
 * listed)"} genre means no category.
 *
 * <p>Errors: a malformed file raises {@link DataFormatException} naming the file, line and field,
 * what was expected and what was found. I/O failures raise {@link UncheckedIOException}.
 */
public final class DatasetReaders {
  /** The format names {@link #read} accepts. */
  public static final List<String> FORMATS = List.of("ml-100k", "ml-1m", "ml-10m", "ml-20m", "ml-25m", "adjacency", "csv");

  private DatasetReaders() {}

  /**
   * Reads a dataset.
   *
   * @param format one of {@link #FORMATS}
   * @param path a directory, or a file for {@code csv}
   * @throws IllegalArgumentException for an unknown format, or a csv-only option with another format
   * @throws DataFormatException if the files do not have the format
   */
  public static Dataset read(String format, Path path, ReadOptions options) {
    if (!FORMATS.contains(format)) {
      throw new IllegalArgumentException("unknown dataset format '" + format + "'; known formats: " + String.join(", ", FORMATS));
    }
    if (!format.equals("csv") && options.hasCsvOptions()) {
      throw new IllegalArgumentException("options columns, delimiter, testFile, itemFile and itemColumns apply only to format csv, "
          + "not " + format);
    }
    if (!format.equals("csv") && !Files.isDirectory(path)) {
      throw new DataFormatException(path, 0, "not a directory: format " + format + " reads a directory");
    }
    switch (format) {
      case "ml-100k":
        return MovieLensReaders.ml100k(path, options.duplicates());
      case "ml-1m":
      case "ml-10m":
        return MovieLensReaders.dat(path, format, options.duplicates());
      case "ml-20m":
      case "ml-25m":
        return MovieLensReaders.csv(path, format, options.duplicates());
      case "adjacency":
        return AdjacencyReader.read(path, options.duplicates());
      default:
        return DelimitedReader.read(path, options);
    }
  }

  /** Reads a dataset in the {@linkplain #detect detected} format with default options. */
  public static Dataset read(Path path) {
    return read(detect(path), path, ReadOptions.defaults());
  }

  /**
   * The format of a path: a regular file is {@code csv}; a directory with {@code u.data} is
   * {@code ml-100k}, with {@code ratings.dat} {@code ml-1m} (also reads ml-10m), with
   * {@code ratings.csv} and {@code movies.csv} {@code ml-20m} (also reads ml-25m), with
   * {@code train.txt} and {@code test.txt} {@code adjacency}.
   *
   * @throws DataFormatException naming what was looked for when no layout matches
   */
  public static String detect(Path path) {
    if (Files.isRegularFile(path)) {
      return "csv";
    }
    if (!Files.isDirectory(path)) {
      throw new DataFormatException(path, 0, "not found: expected a dataset directory or a delimited file");
    }
    if (has(path, "u.data")) {
      return "ml-100k";
    }
    if (has(path, "ratings.dat")) {
      return "ml-1m";
    }
    if (has(path, "ratings.csv") && has(path, "movies.csv")) {
      return "ml-20m";
    }
    if (has(path, "train.txt") && has(path, "test.txt")) {
      return "adjacency";
    }
    String found;
    try (Stream<Path> list = Files.list(path)) {
      List<String> names = list.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
      found = names.isEmpty() ? "nothing" : String.join(", ", names.subList(0, Math.min(10, names.size())))
          + (names.size() > 10 ? ", ..." : "");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + path, e);
    }
    throw new DataFormatException(path, 0, "cannot detect the dataset layout: looked for u.data (ml-100k), ratings.dat (ml-1m, "
        + "ml-10m), ratings.csv and movies.csv (ml-20m, ml-25m), train.txt and test.txt (adjacency); found " + found);
  }

  private static boolean has(Path dir, String name) {
    return Files.isRegularFile(dir.resolve(name));
  }
}
