package org.fedrec.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.fedrec.data.internal.Hex;

/** Writes small fixtures for the tests. */
final class TestFiles {
  private TestFiles() {}

  static Path write(Path dir, String name, String content) {
    return write(dir, name, content, StandardCharsets.UTF_8);
  }

  static Path write(Path dir, String name, String content, Charset charset) {
    return writeBytes(dir, name, content.getBytes(charset));
  }

  static Path writeBytes(Path dir, String name, byte[] bytes) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The hex SHA-256 of the concatenated bytes of the files. */
  static String sha256(Path... files) {
    var digest = Hex.sha256();
    try {
      for (Path f : files) {
        digest.update(Files.readAllBytes(f));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Hex.hex(digest.digest());
  }

  /** The directory holding {@code ml-100k/}, from the FEDREC_DATA environment variable. */
  static Optional<Path> realDataDir() {
    String env = System.getenv("FEDREC_DATA");
    return env == null || env.isBlank() ? Optional.empty() : Optional.of(Path.of(env));
  }
}
