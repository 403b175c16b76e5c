package org.fedrec.data;

import java.util.Objects;

/**
 * Which header columns of a delimited interaction file hold the user id, the item id, the value
 * (rating or click label) and the timestamp (integer, e.g. epoch seconds).
 *
 * <p>The user and item columns are always required. {@code value} and {@code timestamp} may be null
 * (not read). When {@code extrasOptional} is true a named value or timestamp column that is missing
 * from the header is not an error: the column is not read and the dataset's notes say so. {@link
 * #DEFAULT} is {@code user, item, rating, timestamp} with optional extras; {@link #of} makes every
 * named column required.
 */
public record ColumnMapping(String user, String item, String value, String timestamp, boolean extrasOptional) {
  /** {@code user, item}, and {@code rating}, {@code timestamp} when present. */
  public static final ColumnMapping DEFAULT = new ColumnMapping("user", "item", "rating", "timestamp", true);

  public ColumnMapping {
    Objects.requireNonNull(user, "user column");
    Objects.requireNonNull(item, "item column");
  }

  /** Every named column is required; pass null for value or timestamp to not read it. */
  public static ColumnMapping of(String user, String item, String value, String timestamp) {
    return new ColumnMapping(user, item, value, timestamp, false);
  }
}
