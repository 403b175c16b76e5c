package org.fedrec.data;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A dataset as read from its source: interactions over dense indices, the id mappings back to the
 * source, the item catalog, a checksum of the source and what the reader did that changes the data
 * relative to the raw files (duplicates merged, notes). Immutable.
 *
 * <p>{@link #sha256()} is the hex SHA-256 of the concatenated bytes of the source files in the order
 * documented per format in {@link DatasetReaders} (so it can be checked with {@code cat FILES |
 * sha256sum}), or, for generated data, of the generator's version and configuration.
 */
public final class Dataset {
  private final String name;
  private final String format;
  private final Interactions interactions;
  private final IdMapping users;
  private final IdMapping items;
  private final ItemCatalog catalog;
  private final String sha256;
  private final DuplicateReport duplicates;
  private final Split givenSplit;
  private final List<String> notes;

  /**
   * @param name e.g. the source directory's name
   * @param format the reader format, e.g. {@code ml-100k}, or {@code synthetic-shop}
   * @param givenSplit the split that came with the source (train/test files), or null
   * @param notes human-readable notes about what the reader changed or could not use, for the CLI
   * @throws IllegalArgumentException if the parts disagree on the number of users or items
   */
  public Dataset(String name, String format, Interactions interactions, IdMapping users, IdMapping items, ItemCatalog catalog,
      String sha256, DuplicateReport duplicates, Split givenSplit, List<String> notes) {
    this.name = Objects.requireNonNull(name, "name");
    this.format = Objects.requireNonNull(format, "format");
    this.interactions = Objects.requireNonNull(interactions, "interactions");
    this.users = Objects.requireNonNull(users, "users");
    this.items = Objects.requireNonNull(items, "items");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.sha256 = Objects.requireNonNull(sha256, "sha256");
    this.duplicates = Objects.requireNonNull(duplicates, "duplicates");
    this.givenSplit = givenSplit;
    this.notes = List.copyOf(notes);
    if (users.size() != interactions.numUsers()) {
      throw new IllegalArgumentException("user mapping has " + users.size() + " ids but interactions have " + interactions.numUsers() + " users");
    }
    if (items.size() != interactions.numItems() || catalog.size() != interactions.numItems()) {
      throw new IllegalArgumentException("expected " + interactions.numItems() + " items in the item mapping and the catalog, found "
          + items.size() + " and " + catalog.size());
    }
    if (givenSplit != null && (givenSplit.train().numUsers() != interactions.numUsers()
        || givenSplit.train().numItems() != interactions.numItems())) {
      throw new IllegalArgumentException("the given split must have the dataset's users and items");
    }
  }

  /** The dataset's name, e.g. the source directory's name. */
  public String name() {
    return name;
  }

  /** The format it was read as ({@link DatasetReaders#FORMATS}) or {@code synthetic-shop}. */
  public String format() {
    return format;
  }

  /** All interactions (for a source with a given split: train rows, then test rows). */
  public Interactions interactions() {
    return interactions;
  }

  /** Source user ids to dense user indices. */
  public IdMapping users() {
    return users;
  }

  /** Source item ids to dense item indices. */
  public IdMapping items() {
    return items;
  }

  /** Titles and categories per item index ({@link ItemCatalog#empty} when the source has none). */
  public ItemCatalog catalog() {
    return catalog;
  }

  /** The hex SHA-256 of the source, see the class comment. */
  public String sha256() {
    return sha256;
  }

  /** Repeated (user, item) pairs found while reading, and what was done with them. */
  public DuplicateReport duplicates() {
    return duplicates;
  }

  /** The split that came with the source (e.g. BARS train.txt/test.txt), if any. */
  public Optional<Split> givenSplit() {
    return Optional.ofNullable(givenSplit);
  }

  /** Notes for a person: catalogue entries without interactions, missing optional columns, ... */
  public List<String> notes() {
    return notes;
  }

  @Override
  public String toString() {
    return "Dataset[" + name + " (" + format + "), " + interactions.size() + " interactions, " + users.size() + " users, "
        + items.size() + " items, sha256 " + sha256.substring(0, Math.min(12, sha256.length())) + "...]";
  }
}
