package org.fedrec.data.internal;

import java.nio.file.Path;

/** The name a dataset gets from its path. */
public final class DatasetNames {
  private DatasetNames() {}

  /** The last path element (without the extension for a file), e.g. {@code ml-100k} or {@code clicks}. */
  public static String of(Path path) {
    Path name = path.toAbsolutePath().normalize().getFileName();
    if (name == null) {
      return "dataset";
    }
    String s = name.toString();
    int dot = s.lastIndexOf('.');
    return dot > 0 && java.nio.file.Files.isRegularFile(path) ? s.substring(0, dot) : s;
  }
}
