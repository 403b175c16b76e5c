package org.fedrec.data;

import java.util.Objects;

/**
 * Which header columns of an item-text file hold the item id, the title (or free text) and the
 * categories ({@code categorySeparator}-separated, e.g. {@code Animation|Comedy}). The id and title
 * columns are required; {@code categories} may be null, and when {@code categoriesOptional} is true
 * a missing categories column is noted instead of being an error. {@link #DEFAULT} is
 * {@code item, title, categories} with {@code |} and optional categories.
 */
public record ItemTextColumns(String item, String title, String categories, String categorySeparator, boolean categoriesOptional) {
  public static final ItemTextColumns DEFAULT = new ItemTextColumns("item", "title", "categories", "|", true);

  public ItemTextColumns {
    Objects.requireNonNull(item, "item column");
    Objects.requireNonNull(title, "title column");
    Objects.requireNonNull(categorySeparator, "categorySeparator");
    if (categorySeparator.isEmpty()) {
      throw new IllegalArgumentException("categorySeparator must not be empty");
    }
  }

  /** Every named column required. */
  public static ItemTextColumns of(String item, String title, String categories, String categorySeparator) {
    return new ItemTextColumns(item, title, categories, categorySeparator, false);
  }
}
