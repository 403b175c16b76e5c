package org.fedrec.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Options for {@link DatasetReaders#read}. Start from {@link #defaults()} and use the
 * {@code with...} methods. An option that does not apply to the chosen format is an error rather
 * than being ignored.
 *
 * @param duplicates what to do with repeated (user, item) pairs; all formats; default KEEP_LATEST
 * @param columns header columns of the interaction file; format {@code csv} only
 * @param delimiter field delimiter of the csv files, or null to detect it from the header (tab,
 *     comma, semicolon, then {@code |}); format {@code csv} only
 * @param testFile a second interaction file with the same columns that forms the given test set;
 *     format {@code csv} only
 * @param itemFile a delimited item-text file; format {@code csv} only
 * @param itemColumns header columns of {@code itemFile}
 */
public record ReadOptions(DuplicatePolicy duplicates, ColumnMapping columns, String delimiter, Path testFile, Path itemFile,
    ItemTextColumns itemColumns) {
  public ReadOptions {
    Objects.requireNonNull(duplicates, "duplicates");
    Objects.requireNonNull(columns, "columns");
    Objects.requireNonNull(itemColumns, "itemColumns");
    if (delimiter != null && (delimiter.length() != 1 || delimiter.charAt(0) > 127 || delimiter.charAt(0) == '"')) {
      throw new IllegalArgumentException("delimiter must be one ASCII character other than '\"', got '" + delimiter + "'");
    }
  }

  public static ReadOptions defaults() {
    return new ReadOptions(DuplicatePolicy.KEEP_LATEST, ColumnMapping.DEFAULT, null, null, null, ItemTextColumns.DEFAULT);
  }

  public ReadOptions withDuplicates(DuplicatePolicy policy) {
    return new ReadOptions(policy, columns, delimiter, testFile, itemFile, itemColumns);
  }

  public ReadOptions withColumns(ColumnMapping mapping) {
    return new ReadOptions(duplicates, mapping, delimiter, testFile, itemFile, itemColumns);
  }

  public ReadOptions withDelimiter(char c) {
    return new ReadOptions(duplicates, columns, String.valueOf(c), testFile, itemFile, itemColumns);
  }

  public ReadOptions withTestFile(Path file) {
    return new ReadOptions(duplicates, columns, delimiter, file, itemFile, itemColumns);
  }

  public ReadOptions withItemFile(Path file, ItemTextColumns columnsOfItemFile) {
    return new ReadOptions(duplicates, columns, delimiter, testFile, file, columnsOfItemFile);
  }

  /** True when an option other than {@code duplicates} differs from the defaults. */
  boolean hasCsvOptions() {
    return !columns.equals(ColumnMapping.DEFAULT) || delimiter != null || testFile != null || itemFile != null
        || !itemColumns.equals(ItemTextColumns.DEFAULT);
  }
}
