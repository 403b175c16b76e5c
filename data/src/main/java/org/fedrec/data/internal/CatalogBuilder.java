package org.fedrec.data.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.fedrec.data.DataFormatException;
import org.fedrec.data.IdMapping;
import org.fedrec.data.ItemCatalog;

/**
 * Collects item titles and categories by source id while a catalogue file is read, then builds the
 * {@link ItemCatalog} for the items that have interactions, with notes on the entries that could
 * not be matched either way.
 */
public final class CatalogBuilder {
  private record Entry(String title, List<String> categories, long line) {}

  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final List<String> fixedCategories;
  private Path file;

  /** Category indices in the order of {@code fixedCategories}, or (null) sorted names. */
  public CatalogBuilder(List<String> fixedCategories) {
    this.fixedCategories = fixedCategories;
  }

  public void beginFile(Path file) {
    this.file = file;
  }

  /** Adds an entry; a repeated id is an error naming both lines. */
  public void put(String id, String title, List<String> categories, long line) {
    Entry prev = entries.putIfAbsent(id, new Entry(title, List.copyOf(categories), line));
    if (prev != null) {
      throw new DataFormatException(file, line, "item id " + id + " is already defined at line " + prev.line);
    }
  }

  /**
   * The catalog for the items of {@code items}; adds notes on catalogue entries without interactions
   * and on items without a catalogue entry (they get an empty title and no category).
   */
  public ItemCatalog build(IdMapping items, List<String> notes) {
    List<String> names;
    if (fixedCategories != null) {
      names = fixedCategories;
    } else {
      TreeSet<String> all = new TreeSet<>();
      for (Entry e : entries.values()) {
        all.addAll(e.categories);
      }
      names = new ArrayList<>(all);
    }
    Map<String, Integer> categoryIndex = new HashMap<>();
    for (int c = 0; c < names.size(); c++) {
      categoryIndex.put(names.get(c), c);
    }
    int n = items.size();
    String[] titles = new String[n];
    int[][] cats = new int[n][];
    List<String> missing = new ArrayList<>();
    int missingCount = 0;
    for (int i = 0; i < n; i++) {
      Entry e = entries.get(items.originalId(i));
      if (e == null) {
        missingCount++;
        if (missing.size() < 5) {
          missing.add(items.originalId(i));
        }
        titles[i] = "";
        cats[i] = new int[0];
        continue;
      }
      titles[i] = e.title;
      cats[i] = e.categories.stream().distinct().mapToInt(categoryIndex::get).toArray();
    }
    String fileName = String.valueOf(file.getFileName());
    if (missingCount > 0) {
      notes.add(fileName + ": " + missingCount + " item(s) with interactions have no entry and get an empty title and no category, e.g. "
          + String.join(", ", missing));
    }
    int unused = 0;
    for (String id : entries.keySet()) {
      if (!items.contains(id)) {
        unused++;
      }
    }
    if (unused > 0) {
      notes.add(fileName + ": " + unused + " catalogue item(s) have no interaction and are not indexed");
    }
    return ItemCatalog.of(titles, cats, names);
  }
}
