package org.fedrec.data.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Extracts a zip file into a directory, refusing entries that would land outside it (zip slip). */
public final class SafeUnzip {
  private SafeUnzip() {}

  /**
   * @param maxBytes the most uncompressed bytes to write in total (guards against zip bombs)
   * @throws IOException if an entry escapes {@code target} or the archive is larger than {@code maxBytes}
   */
  public static void extract(Path zip, Path target, long maxBytes) throws IOException {
    Path root = target.toAbsolutePath().normalize();
    long total = 0;
    byte[] buffer = new byte[1 << 16];
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      ZipEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        String name = entry.getName();
        Path out = root.resolve(name).normalize();
        if (name.contains("\\") || name.startsWith("/") || !out.startsWith(root) || out.equals(root)) {
          throw new IOException(zip.getFileName() + ": entry '" + name + "' would be extracted outside " + root + "; refusing the archive");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
          continue;
        }
        Files.createDirectories(out.getParent());
        try (OutputStream os = Files.newOutputStream(out)) {
          int r;
          while ((r = in.read(buffer)) > 0) {
            total += r;
            if (total > maxBytes) {
              throw new IOException(zip.getFileName() + ": more than " + maxBytes + " uncompressed bytes; refusing the archive");
            }
            os.write(buffer, 0, r);
          }
        }
      }
    }
  }

  /** Deletes a file or a directory tree, if present. */
  public static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try (var children = Files.list(path)) {
        for (Path child : (Iterable<Path>) children::iterator) {
          deleteRecursively(child);
        }
      }
    }
    Files.delete(path);
  }

}
