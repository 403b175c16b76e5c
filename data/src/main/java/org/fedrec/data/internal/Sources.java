package org.fedrec.data.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import org.fedrec.data.DataFormatException;

/**
 * Opens a dataset's files in their documented order and hashes every byte read, so the dataset's
 * sha256 is that of the files' concatenation.
 */
public final class Sources {
  private final MessageDigest digest = Hex.sha256();
  private final String format;

  public Sources(String format) {
    this.format = format;
  }

  /** The file {@code name} in {@code dir}, which must exist. */
  public Path require(Path dir, String name) {
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new DataFormatException(file, 0, "file not found: format " + format + " expects " + name + " in " + dir);
    }
    return file;
  }

  /** A reader over {@code file}; an empty file is an error naming it. */
  public RecordReader open(Path file, RecordReader.Mode mode, String delimiter) {
    try {
      if (Files.size(file) == 0) {
        throw new DataFormatException(file, 0, "empty file: expected " + format + " records");
      }
      InputStream in = new DigestInputStream(Files.newInputStream(file), digest);
      return new RecordReader(in, file, mode, delimiter);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The bytes of {@code file} (hashed); an empty file is an error naming it. */
  public byte[] readAll(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      if (bytes.length == 0) {
        throw new DataFormatException(file, 0, "empty file: expected " + format + " records");
      }
      digest.update(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** True if the bytes are valid UTF-8. */
  public static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** The hex SHA-256 of every byte read so far. */
  public String sha256() {
    return Hex.hex(digest.digest());
  }
}
