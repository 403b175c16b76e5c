package org.fedrec.data.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedrec.data.Dataset;
import org.fedrec.data.DuplicatePolicy;
import org.fedrec.data.ItemCatalog;

/** Readers of the MovieLens layouts (100K; 1M and 10M; 20M and 25M). */
public final class MovieLensReaders {
  /** The genres of ml-100k's u.genre, used when that file is absent. */
  public static final List<String> ML100K_GENRES = List.of("unknown", "Action", "Adventure", "Animation", "Children's", "Comedy",
      "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller",
      "War", "Western");

  private static final String NO_GENRES = "(no genres listed)";

  private MovieLensReaders() {}

  /** ml-100k: u.data, then u.genre (if present), then u.item. */
  public static Dataset ml100k(Path dir, DuplicatePolicy policy) {
    Sources src = new Sources("ml-100k");
    Path data = src.require(dir, "u.data");
    Path items = src.require(dir, "u.item");
    InteractionCollector c = new InteractionCollector(policy, true, true, true);
    readRatings(src, data, RecordReader.Mode.PLAIN, "\t", new String[] {"user", "item", "rating", "timestamp"}, false, c);
    List<String> notes = new ArrayList<>();
    Path genreFile = dir.resolve("u.genre");
    List<String> genres;
    if (Files.isRegularFile(genreFile)) {
      genres = readGenres(src, genreFile);
    } else {
      genres = ML100K_GENRES;
      notes.add("u.genre not found: using the 19 standard ml-100k genre names");
    }
    CatalogBuilder catalog = new CatalogBuilder(genres);
    catalog.beginFile(items);
    int g = genres.size();
    String what = "'|'-separated fields (movie id, title, release date, video release date, IMDb URL, then " + g + " genre flags)";
    try (RecordReader r = src.open(items, RecordReader.Mode.PLAIN, "|")) {
      while (r.next()) {
        r.expectFields(5 + g, what);
        long id = r.parseLong(0, "movie id");
        String title = r.string(1, StandardCharsets.ISO_8859_1).trim();
        List<String> cats = new ArrayList<>(2);
        for (int k = 0; k < g; k++) {
          if (r.parseFlag(5 + k, "genre " + genres.get(k))) {
            cats.add(genres.get(k));
          }
        }
        catalog.put(Long.toString(id), title, cats, r.line());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return finish(dir, "ml-100k", src, c, catalog, notes);
  }

  private static List<String> readGenres(Sources src, Path file) {
    List<String> names = new ArrayList<>();
    List<Integer> indices = new ArrayList<>();
    List<Long> lines = new ArrayList<>();
    try (RecordReader r = src.open(file, RecordReader.Mode.PLAIN, "|")) {
      while (r.next()) {
        r.expectFields(2, "'|'-separated fields (genre name, genre index)");
        names.add(r.string(0, StandardCharsets.ISO_8859_1));
        indices.add(r.parseIndex(1, "genre index"));
        lines.add(r.line());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String[] ordered = new String[names.size()];
    for (int k = 0; k < names.size(); k++) {
      int idx = indices.get(k);
      if (idx >= ordered.length || ordered[idx] != null) {
        throw new org.fedrec.data.DataFormatException(file, lines.get(k), "field 2 (genre index): expected each index 0.."
            + (ordered.length - 1) + " exactly once, found " + idx + (idx < ordered.length ? " again" : ""));
      }
      ordered[idx] = names.get(k);
    }
    return Arrays.asList(ordered);
  }

  /** ml-1m and ml-10m: ratings.dat, then movies.dat. */
  public static Dataset dat(Path dir, String format, DuplicatePolicy policy) {
    Sources src = new Sources(format);
    Path ratings = src.require(dir, "ratings.dat");
    Path movies = src.require(dir, "movies.dat");
    InteractionCollector c = new InteractionCollector(policy, true, true, true);
    readRatings(src, ratings, RecordReader.Mode.PLAIN, "::", new String[] {"UserID", "MovieID", "Rating", "Timestamp"}, false, c);
    List<String> notes = new ArrayList<>();
    byte[] bytes = src.readAll(movies);
    Charset charset = StandardCharsets.UTF_8;
    if (!Sources.isUtf8(bytes)) {
      charset = StandardCharsets.ISO_8859_1;
      notes.add("movies.dat is not valid UTF-8: decoded as ISO-8859-1");
    }
    CatalogBuilder catalog;
    try (RecordReader r = new RecordReader(new ByteArrayInputStream(bytes), movies, RecordReader.Mode.PLAIN, "::")) {
      catalog = readMovies(r, charset, "'::'-separated fields (MovieID, Title, Genres)", notes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return finish(dir, format, src, c, catalog, notes);
  }

  /** ml-20m and ml-25m: ratings.csv, then movies.csv (both with a header, RFC 4180 quoting). */
  public static Dataset csv(Path dir, String format, DuplicatePolicy policy) {
    Sources src = new Sources(format);
    Path ratings = src.require(dir, "ratings.csv");
    Path movies = src.require(dir, "movies.csv");
    InteractionCollector c = new InteractionCollector(policy, true, true, true);
    readRatings(src, ratings, RecordReader.Mode.QUOTED, ",", new String[] {"userId", "movieId", "rating", "timestamp"}, true, c);
    List<String> notes = new ArrayList<>();
    CatalogBuilder catalog;
    try (RecordReader r = src.open(movies, RecordReader.Mode.QUOTED, ",")) {
      expectHeader(r, "movieId", "title", "genres");
      catalog = readMovies(r, StandardCharsets.UTF_8, "comma-separated fields (movieId, title, genres)", notes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return finish(dir, format, src, c, catalog, notes);
  }

  /** Reads {@code MovieID, Title, Genres} records; genres are {@code |}-separated. */
  private static CatalogBuilder readMovies(RecordReader r, Charset charset, String what, List<String> notes) throws IOException {
    CatalogBuilder catalog = new CatalogBuilder(null);
    catalog.beginFile(r.file());
    int noGenres = 0;
    while (r.next()) {
      r.expectFields(3, what);
      long id = r.parseLong(0, "movie id");
      String title = r.string(1, charset).trim();
      String genres = r.string(2, charset).trim();
      List<String> cats = List.of();
      if (genres.equals(NO_GENRES)) {
        noGenres++;
      } else {
        cats = Text.splitNonEmpty(genres, "|");
      }
      catalog.put(Long.toString(id), title, cats, r.line());
    }
    if (noGenres > 0) {
      notes.add(r.file().getFileName() + ": " + noGenres + " movie(s) marked \"" + NO_GENRES + "\" have no category");
    }
    return catalog;
  }

  /** Reads the header line and requires exactly the given column names. */
  static void expectHeader(RecordReader r, String... names) throws IOException {
    if (!r.next()) {
      throw r.error("expected the header " + String.join(",", names) + ", found nothing");
    }
    boolean ok = r.fieldCount() == names.length;
    for (int k = 0; ok && k < names.length; k++) {
      ok = r.is(k, names[k]);
    }
    if (!ok) {
      List<String> found = new ArrayList<>();
      for (int k = 0; k < r.fieldCount(); k++) {
        found.add(r.string(k));
      }
      throw r.error("expected the header " + String.join(",", names) + ", found " + String.join(",", found));
    }
  }

  private static void readRatings(Sources src, Path file, RecordReader.Mode mode, String delimiter, String[] labels, boolean header,
      InteractionCollector c) {
    String what = RecordReader.describe(delimiter) + " fields (" + String.join(", ", labels) + ")";
    c.beginSource(file, 0);
    try (RecordReader r = src.open(file, mode, delimiter)) {
      if (header) {
        expectHeader(r, labels);
      }
      boolean any = false;
      while (r.next()) {
        any = true;
        r.expectFields(4, what);
        int user = c.users.intern(r.parseLong(0, labels[0]));
        int item = c.items.intern(r.parseLong(1, labels[1]));
        c.add(user, item, r.parseFloat(2, labels[2]), r.parseLong(3, labels[3]), r.line());
      }
      if (!any) {
        throw new org.fedrec.data.DataFormatException(file, 0, "no ratings: expected " + what);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Dataset finish(Path dir, String format, Sources src, InteractionCollector c, CatalogBuilder catalogBuilder,
      List<String> notes) {
    InteractionCollector.Result res = c.finish(false, false);
    ItemCatalog catalog = catalogBuilder.build(res.items(), notes);
    return new Dataset(DatasetNames.of(dir), format, res.interactions(), res.users(), res.items(), catalog, src.sha256(),
        res.duplicates(), null, notes);
  }
}
