package org.fedrec.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Per item index: a title and a list of categories (genres, topics). Categories are indices into
 * {@link #categoryNames()}; an item's first category is its <em>primary</em> category
 * ({@link #categoryOf(int)}), which partitioners use to group users. Immutable.
 */
public final class ItemCatalog {
  private final String[] titles;
  private final int[][] categories;
  private final List<String> categoryNames;

  private ItemCatalog(String[] titles, int[][] categories, List<String> categoryNames) {
    this.titles = titles;
    this.categories = categories;
    this.categoryNames = categoryNames;
  }

  /**
   * A catalog from per-item titles and category indices (both copied).
   *
   * @param titles one per item, non-null (empty when unknown)
   * @param categories one array per item of indices into {@code categoryNames}, primary first, no repeats
   * @param categoryNames distinct names
   */
  public static ItemCatalog of(String[] titles, int[][] categories, List<String> categoryNames) {
    if (titles.length != categories.length) {
      throw new IllegalArgumentException("expected one category list per title, found " + titles.length + " titles and "
          + categories.length + " category lists");
    }
    List<String> names = List.copyOf(categoryNames);
    if (new HashSet<>(names).size() != names.size()) {
      throw new IllegalArgumentException("category names must be distinct, found " + names);
    }
    int[][] cats = new int[categories.length][];
    for (int i = 0; i < categories.length; i++) {
      if (titles[i] == null) {
        throw new IllegalArgumentException("title of item " + i + " is null (use \"\" when unknown)");
      }
      cats[i] = categories[i].clone();
      Set<Integer> seen = new HashSet<>();
      for (int c : cats[i]) {
        if (c < 0 || c >= names.size()) {
          throw new IllegalArgumentException("item " + i + ": expected category indices in [0, " + names.size() + "), found " + c);
        }
        if (!seen.add(c)) {
          throw new IllegalArgumentException("item " + i + ": category " + names.get(c) + " listed twice");
        }
      }
    }
    return new ItemCatalog(titles.clone(), cats, names);
  }

  /** A catalog of {@code numItems} items with empty titles and no categories. */
  public static ItemCatalog empty(int numItems) {
    String[] titles = new String[numItems];
    Arrays.fill(titles, "");
    int[][] cats = new int[numItems][];
    Arrays.fill(cats, new int[0]);
    return new ItemCatalog(titles, cats, List.of());
  }

  /** The number of items. */
  public int size() {
    return titles.length;
  }

  /** The title, or "" when unknown. */
  public String title(int item) {
    return titles[item];
  }

  /** The item's category names, primary first. */
  public List<String> categories(int item) {
    List<String> out = new ArrayList<>(categories[item].length);
    for (int c : categories[item]) {
      out.add(categoryNames.get(c));
    }
    return out;
  }

  /** The item's category indices, primary first (a copy). */
  public int[] categoryIndices(int item) {
    return categories[item].clone();
  }

  /** The primary category index, or -1 if the item has no category. */
  public int categoryOf(int item) {
    return categories[item].length == 0 ? -1 : categories[item][0];
  }

  public int numCategories() {
    return categoryNames.size();
  }

  public List<String> categoryNames() {
    return categoryNames;
  }

  /**
   * The text a text encoder sees: the title, then ". " and the category names joined by ", "; just
   * the title when there is no category, just the categories when there is no title. For example
   * {@code Toy Story (1995). Animation, Children's, Comedy}.
   */
  public String text(int item) {
    String cats = String.join(", ", categories(item));
    if (cats.isEmpty()) {
      return titles[item];
    }
    return titles[item].isEmpty() ? cats : titles[item] + ". " + cats;
  }

  @Override
  public String toString() {
    return "ItemCatalog[" + titles.length + " items, " + categoryNames.size() + " categories]";
  }
}
