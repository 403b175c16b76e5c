package org.fedrec.data.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedrec.data.ColumnMapping;
import org.fedrec.data.DataFormatException;
import org.fedrec.data.Dataset;
import org.fedrec.data.ItemCatalog;
import org.fedrec.data.ItemTextColumns;
import org.fedrec.data.ReadOptions;

/** A generic CSV/TSV interaction file with a header, an optional test file and an optional item-text file. */
public final class DelimitedReader {
  private static final String CANDIDATES = "\t,;|";

  private DelimitedReader() {}

  public static Dataset read(Path file, ReadOptions options) {
    Sources src = new Sources("csv");
    if (!Files.isRegularFile(file)) {
      throw new DataFormatException(file, 0, "file not found: format csv expects a delimited file with a header row");
    }
    ColumnMapping m = options.columns();
    List<String> notes = new ArrayList<>();
    String delimiter = options.delimiter() != null ? options.delimiter() : detectDelimiter(file);
    Header h = readHeaderOnly(file, delimiter);
    boolean values = m.value() != null && resolveOptional(h, m.value(), m.extrasOptional(), "value", notes, file) >= 0;
    boolean times = m.timestamp() != null && resolveOptional(h, m.timestamp(), m.extrasOptional(), "timestamp", notes, file) >= 0;
    InteractionCollector c = new InteractionCollector(options.duplicates(), false, values, times);
    readInteractions(src, file, delimiter, m, values, times, 0, c);
    Path test = options.testFile();
    if (test != null) {
      if (!Files.isRegularFile(test)) {
        throw new DataFormatException(test, 0, "file not found: the test file must be a delimited file with the same columns");
      }
      readInteractions(src, test, options.delimiter() != null ? delimiter : detectDelimiter(test), m, values, times, 1, c);
    }
    InteractionCollector.Result res = c.finish(false, test != null);
    ItemCatalog catalog = ItemCatalog.empty(res.items().size());
    if (options.itemFile() != null) {
      catalog = readItems(src, options.itemFile(), options.delimiter(), options.itemColumns(), res.items(), notes);
    }
    return new Dataset(DatasetNames.of(file), "csv", res.interactions(), res.users(), res.items(), catalog, src.sha256(),
        res.duplicates(), res.givenSplit(), notes);
  }

  /** The header's column names, in order. */
  private record Header(Path file, List<String> names) {
    int indexOf(String name) {
      return names.indexOf(name);
    }

    DataFormatException missing(String role, String name) {
      return new DataFormatException(file, 1, "no " + role + " column '" + name + "' in the header; found columns: "
          + String.join(", ", names));
    }
  }

  private static Header readHeader(RecordReader r) throws IOException {
    if (!r.next()) {
      throw new DataFormatException(r.file(), 0, "empty file: expected a header row");
    }
    List<String> names = new ArrayList<>();
    for (int k = 0; k < r.fieldCount(); k++) {
      names.add(r.string(k).trim());
    }
    return new Header(r.file(), names);
  }

  private static Header readHeaderOnly(Path file, String delimiter) {
    try (RecordReader r = new RecordReader(Files.newInputStream(file), file, RecordReader.Mode.QUOTED, delimiter)) {
      return readHeader(r);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static int resolveOptional(Header h, String name, boolean optional, String role, List<String> notes, Path file) {
    int k = h.indexOf(name);
    if (k < 0) {
      if (!optional) {
        throw h.missing(role, name);
      }
      notes.add(file.getFileName() + ": no " + role + " column '" + name + "': " + role + "s absent");
    }
    return k;
  }

  private static void readInteractions(Sources src, Path file, String delimiter, ColumnMapping m, boolean values, boolean times,
      int part, InteractionCollector c) {
    c.beginSource(file, part);
    try (RecordReader r = src.open(file, RecordReader.Mode.QUOTED, delimiter)) {
      Header h = readHeader(r);
      int ku = h.indexOf(m.user());
      int ki = h.indexOf(m.item());
      if (ku < 0) {
        throw h.missing("user", m.user());
      }
      if (ki < 0) {
        throw h.missing("item", m.item());
      }
      int kv = values ? h.indexOf(m.value()) : -1;
      int kt = times ? h.indexOf(m.timestamp()) : -1;
      if (values && kv < 0) {
        throw h.missing("value", m.value());
      }
      if (times && kt < 0) {
        throw h.missing("timestamp", m.timestamp());
      }
      int n = h.names().size();
      String what = RecordReader.describe(delimiter) + " fields (as in the header: " + String.join(", ", h.names()) + ")";
      while (r.next()) {
        r.expectFields(n, what);
        int user = c.users.intern(id(r, ku, m.user()));
        int item = c.items.intern(id(r, ki, m.item()));
        float value = values ? r.parseFloat(kv, m.value()) : Float.NaN;
        long ts = times ? r.parseLong(kt, m.timestamp()) : 0L;
        c.add(user, item, value, ts, r.line());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String id(RecordReader r, int k, String label) {
    String s = r.string(k).trim();
    if (s.isEmpty()) {
      throw r.error("field " + (k + 1) + " (" + label + "): expected an id, found an empty field");
    }
    return s;
  }

  private static ItemCatalog readItems(Sources src, Path file, String givenDelimiter, ItemTextColumns cols,
      org.fedrec.data.IdMapping items, List<String> notes) {
    if (!Files.isRegularFile(file)) {
      throw new DataFormatException(file, 0, "file not found: the item file must be a delimited file with a header row");
    }
    String delimiter = givenDelimiter != null ? givenDelimiter : detectDelimiter(file);
    CatalogBuilder catalog = new CatalogBuilder(null);
    catalog.beginFile(file);
    try (RecordReader r = src.open(file, RecordReader.Mode.QUOTED, delimiter)) {
      Header h = readHeader(r);
      int kid = h.indexOf(cols.item());
      int kti = h.indexOf(cols.title());
      if (kid < 0) {
        throw h.missing("item", cols.item());
      }
      if (kti < 0) {
        throw h.missing("title", cols.title());
      }
      int kc = cols.categories() == null ? -1 : resolveOptional(h, cols.categories(), cols.categoriesOptional(), "categories", notes, file);
      int n = h.names().size();
      String what = RecordReader.describe(delimiter) + " fields (as in the header: " + String.join(", ", h.names()) + ")";
      while (r.next()) {
        r.expectFields(n, what);
        String id = id(r, kid, cols.item());
        List<String> cats = kc < 0 ? List.of() : Text.splitNonEmpty(r.string(kc), cols.categorySeparator());
        catalog.put(id, r.string(kti).trim(), cats, r.line());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return catalog.build(items, notes);
  }

  /**
   * The delimiter of a header line: the first of tab, comma, semicolon and {@code |} that occurs
   * outside quotes.
   */
  static String detectDelimiter(Path file) {
    byte[] head = new byte[1 << 16];
    int n = 0;
    try (InputStream in = Files.newInputStream(file)) {
      int r;
      while (n < head.length && (r = in.read(head, n, head.length - n)) > 0) {
        n += r;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (n == 0) {
      throw new DataFormatException(file, 0, "empty file: expected a header row");
    }
    int[] counts = new int[CANDIDATES.length()];
    boolean quoted = false;
    int end = 0;
    for (; end < n && (quoted || (head[end] != '\n' && head[end] != '\r')); end++) {
      if (head[end] == '"') {
        quoted = !quoted;
      } else if (!quoted) {
        int k = CANDIDATES.indexOf(head[end]);
        if (k >= 0) {
          counts[k]++;
        }
      }
    }
    for (int k = 0; k < counts.length; k++) {
      if (counts[k] > 0) {
        return String.valueOf(CANDIDATES.charAt(k));
      }
    }
    String header = new String(head, 0, Math.min(end, 60), StandardCharsets.UTF_8);
    throw new DataFormatException(file, 1, "cannot detect the delimiter: expected a tab, comma, semicolon or '|' between the "
        + "header's column names, found \"" + header + "\" (set ReadOptions.withDelimiter)");
  }
}
