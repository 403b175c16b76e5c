package org.fedrec.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.fedrec.data.internal.Hex;
import org.fedrec.data.internal.SafeUnzip;

/**
 * Downloads dataset archives, verifies their SHA-256 and unpacks them into a cache directory.
 *
 * <p>{@link #fetch} for name {@code N}: if {@code cacheDir/N} exists and holds the marker file
 * {@value #MARKER} with the expected checksum, it is returned without any request. Otherwise
 * {@code baseUrl + N + ".zip"} is downloaded to a temporary file in {@code cacheDir} while being
 * hashed; on a checksum mismatch or an HTTP status other than 200 the temporary file is deleted and
 * an {@link IOException} says what was expected and found. The archive must contain a top-level
 * directory {@code N/}; it is extracted into a temporary directory (entries that would escape it are
 * refused), the marker is written, and the directory is moved into place atomically. A
 * {@code cacheDir/N} without a valid marker is never overwritten: it is an error.
 *
 * <p>{@link #grouplens()} fetches MovieLens {@code ml-100k} and {@code ml-1m} from GroupLens, with
 * the checksums pinned in {@link #MOVIELENS_SHA256} (as published in TensorFlow Datasets'
 * {@code url_checksums/movielens.txt}). GroupLens' licence applies to the downloaded data.
 */
public final class DatasetFetcher {
  /** The GroupLens MovieLens download directory. */
  public static final URI GROUPLENS = URI.create("https://files.grouplens.org/datasets/movielens/");

  /**
   * SHA-256 of the GroupLens archives: ml-100k.zip (4,924,029 bytes) and ml-1m.zip (5,917,549
   * bytes), from TensorFlow Datasets' {@code tensorflow_datasets/url_checksums/movielens.txt}.
   */
  public static final Map<String, String> MOVIELENS_SHA256 = Map.of(
      "ml-100k", "50d2a982c66986937beb9ffb3aa76efe955bf3d5c6b761f4e3a7cd717c6a3229",
      "ml-1m", "a6898adb50b9ca05aa231689da44c217cb524e7ebd39d264c56e2832f2c54e20");

  /** The marker file written into a verified dataset directory; holds the archive's SHA-256. */
  public static final String MARKER = ".fedrec-sha256";

  private static final long MAX_EXTRACTED_BYTES = 4L << 30;

  private final URI baseUrl;
  private final Map<String, String> sha256ByName;
  private final HttpClient client;

  /**
   * @param baseUrl the directory URL the archives live under (a trailing slash is added if missing)
   * @param sha256ByName the known dataset names and their archives' hex SHA-256
   * @param client the HTTP client to use
   */
  public DatasetFetcher(URI baseUrl, Map<String, String> sha256ByName, HttpClient client) {
    String base = baseUrl.toString();
    this.baseUrl = URI.create(base.endsWith("/") ? base : base + "/");
    this.sha256ByName = new TreeMap<>();
    sha256ByName.forEach((name, sha) -> {
      if (!sha.matches("[0-9a-fA-F]{64}")) {
        throw new IllegalArgumentException("checksum of " + name + ": expected 64 hex digits, found '" + sha + "'");
      }
      if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
        throw new IllegalArgumentException("dataset name must be a plain file name, found '" + name + "'");
      }
      this.sha256ByName.put(name, sha.toLowerCase(Locale.ROOT));
    });
    this.client = client;
  }

  /** Fetches {@code ml-100k} and {@code ml-1m} from GroupLens with the pinned checksums. */
  public static DatasetFetcher grouplens() {
    return new DatasetFetcher(GROUPLENS, MOVIELENS_SHA256,
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).followRedirects(HttpClient.Redirect.NORMAL).build());
  }

  /**
   * Returns the directory of dataset {@code name} in {@code cacheDir}, downloading and unpacking it
   * first unless a verified copy is there.
   *
   * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
   * @throws IOException on a network error, an HTTP status other than 200, a checksum mismatch, a
   *     bad archive, or an existing unverified {@code cacheDir/name}
   */
  public Path fetch(String name, Path cacheDir) throws IOException {
    String expected = sha256ByName.get(name);
    if (expected == null) {
      throw new IllegalArgumentException("unknown dataset '" + name + "'; this fetcher knows: " + String.join(", ", sha256ByName.keySet()));
    }
    Files.createDirectories(cacheDir);
    Path target = cacheDir.resolve(name);
    if (isVerified(target, expected)) {
      return target;
    }
    if (Files.exists(target)) {
      throw new IOException(target + " exists but is not a verified download of " + name + " (no " + MARKER
          + " with the expected checksum): delete it or choose another cache directory");
    }
    URI url = baseUrl.resolve(name + ".zip");
    Path archive = Files.createTempFile(cacheDir, "." + name + "-", ".zip.part");
    Path staging = null;
    try {
      String actual = download(url, archive);
      if (!actual.equals(expected)) {
        throw new IOException("checksum mismatch for " + url + ": expected sha256 " + expected + ", found " + actual
            + "; the download was deleted");
      }
      staging = Files.createTempDirectory(cacheDir, "." + name + "-");
      SafeUnzip.extract(archive, staging, MAX_EXTRACTED_BYTES);
      Path unpacked = staging.resolve(name);
      if (!Files.isDirectory(unpacked)) {
        throw new IOException(url + ": expected the archive to hold a top-level directory " + name + "/, it does not");
      }
      Files.writeString(unpacked.resolve(MARKER), expected + "\n", StandardCharsets.US_ASCII);
      try {
        Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
        if (!isVerified(target, expected)) {
          throw e;
        }
        // another process finished the same fetch first
      }
      return target;
    } finally {
      Files.deleteIfExists(archive);
      if (staging != null) {
        SafeUnzip.deleteRecursively(staging);
      }
    }
  }

  private String download(URI url, Path file) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(url).GET().build();
    HttpResponse<InputStream> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while downloading " + url, e);
    }
    MessageDigest digest = Hex.sha256();
    try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(file)) {
      if (response.statusCode() != 200) {
        throw new IOException("GET " + url + ": expected HTTP 200, found HTTP " + response.statusCode());
      }
      byte[] buffer = new byte[1 << 16];
      int r;
      while ((r = in.read(buffer)) > 0) {
        digest.update(buffer, 0, r);
        out.write(buffer, 0, r);
      }
    }
    return Hex.hex(digest.digest());
  }

  /** Where fetched datasets are kept unless a caller says otherwise: {@code ~/.cache/fedrec}. */
  public static Path defaultCacheDir() {
    return Path.of(System.getProperty("user.home"), ".cache", "fedrec");
  }

  /** True if {@code cacheDir/name} holds a download of {@code name} that {@link #fetch} verified. */
  public boolean hasVerifiedCopy(String name, Path cacheDir) throws IOException {
    String expected = sha256ByName.get(name);
    return expected != null && isVerified(cacheDir.resolve(name), expected);
  }

  private static boolean isVerified(Path dir, String expected) throws IOException {
    Path marker = dir.resolve(MARKER);
    return Files.isRegularFile(marker) && Files.readString(marker, StandardCharsets.US_ASCII).trim().equals(expected);
  }
}
