package org.fedrec.data.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedrec.data.Dataset;
import org.fedrec.data.DuplicatePolicy;
import org.fedrec.data.ItemCatalog;

/** BARS / LightGCN adjacency files: {@code train.txt} then {@code test.txt}, lines {@code user item item ...}. */
public final class AdjacencyReader {
  private AdjacencyReader() {}

  public static Dataset read(Path dir, DuplicatePolicy policy) {
    Sources src = new Sources("adjacency");
    Path train = src.require(dir, "train.txt");
    Path test = src.require(dir, "test.txt");
    InteractionCollector c = new InteractionCollector(policy, true, false, false);
    readFile(src, train, 0, c);
    readFile(src, test, 1, c);
    InteractionCollector.Result res = c.finish(true, true);
    List<String> notes = new ArrayList<>();
    noteGaps(notes, "user", res.users().size(), c.users.size());
    noteGaps(notes, "item", res.items().size(), c.items.size());
    return new Dataset(DatasetNames.of(dir), "adjacency", res.interactions(), res.users(), res.items(),
        ItemCatalog.empty(res.items().size()), src.sha256(), res.duplicates(), res.givenSplit(), notes);
  }

  private static void noteGaps(List<String> notes, String what, int range, int seen) {
    if (range > seen) {
      notes.add((range - seen) + " " + what + " index(es) below the largest never occur; they are kept as " + what
          + "s without interactions so that indices equal the files' ids");
    }
  }

  private static void readFile(Sources src, Path file, int part, InteractionCollector c) {
    c.beginSource(file, part);
    try (RecordReader r = src.open(file, RecordReader.Mode.WHITESPACE, " ")) {
      while (r.next()) {
        int user = c.users.intern(r.parseIndex(0, "user"));
        for (int k = 1; k < r.fieldCount(); k++) {
          c.add(user, c.items.intern(r.parseIndex(k, "item")), Float.NaN, 0L, r.line());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
