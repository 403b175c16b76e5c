package org.fedrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.fedrec.data.internal.Hex;
import org.fedrec.data.testing.LoopbackFileServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real HTTP server on 127.0.0.1 serving generated archives; no other address is touched. */
class DatasetFetcherTest {
  @TempDir
  Path cache;

  private LoopbackFileServer server;
  private URI base;
  private final HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private static final String U_DATA = "1\t10\t4\t100\n2\t10\t5\t150\n";
  private static final String U_ITEM = "10|Alpha (1995)|01-Jan-1995||http://x|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n";

  @BeforeEach
  void start() {
    server = new LoopbackFileServer();
    base = server.uri("datasets/");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void serve(String path, byte[] body) {
    server.serve(path, body);
  }

  private static byte[] zip(Map<String, String> entries) {
    return LoopbackFileServer.zip(entries);
  }

  private static byte[] fixtureArchive() throws IOException {
    return zip(new java.util.TreeMap<>(Map.of("ml-100k/u.data", U_DATA, "ml-100k/u.item", U_ITEM)));
  }

  private static String sha(byte[] bytes) {
    return Hex.hex(Hex.sha256().digest(bytes));
  }

  private List<String> cacheEntries() throws IOException {
    try (Stream<Path> s = Files.list(cache)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void downloadsVerifiesUnpacksAndReusesTheCache() throws IOException {
    byte[] archive = fixtureArchive();
    serve("/datasets/ml-100k.zip", archive);
    DatasetFetcher fetcher = new DatasetFetcher(base, Map.of("ml-100k", sha(archive)), client);

    Path dir = fetcher.fetch("ml-100k", cache);
    assertThat(dir).isEqualTo(cache.resolve("ml-100k"));
    assertThat(Files.readString(dir.resolve("u.data"))).isEqualTo(U_DATA);
    assertThat(Files.readString(dir.resolve(DatasetFetcher.MARKER)).trim()).isEqualTo(sha(archive));
    assertThat(cacheEntries()).containsExactly("ml-100k");
    assertThat(server.requests()).isEqualTo(1);
    assertThat(DatasetReaders.read(dir).interactions().size()).isEqualTo(2);

    assertThat(fetcher.fetch("ml-100k", cache)).isEqualTo(dir);
    assertThat(server.requests()).as("the second call makes no request").isEqualTo(1);
  }

  @Test
  void checksumMismatchNamesBothHashesAndLeavesNothing() throws IOException {
    byte[] archive = fixtureArchive();
    serve("/datasets/ml-100k.zip", archive);
    String expected = "0".repeat(64);
    DatasetFetcher fetcher = new DatasetFetcher(base, Map.of("ml-100k", expected), client);
    assertThatThrownBy(() -> fetcher.fetch("ml-100k", cache))
        .isInstanceOf(IOException.class)
        .hasMessage("checksum mismatch for " + base + "ml-100k.zip: expected sha256 " + expected + ", found " + sha(archive)
            + "; the download was deleted");
    assertThat(cacheEntries()).isEmpty();
  }

  @Test
  void httpErrorsAreReportedAndLeaveNothing() throws IOException {
    DatasetFetcher fetcher = new DatasetFetcher(base, Map.of("ml-1m", "a".repeat(64)), client);
    assertThatThrownBy(() -> fetcher.fetch("ml-1m", cache))
        .isInstanceOf(IOException.class)
        .hasMessage("GET " + base + "ml-1m.zip: expected HTTP 200, found HTTP 404");
    assertThat(cacheEntries()).isEmpty();
  }

  @Test
  void refusesEntriesOutsideTheTarget() throws IOException {
    byte[] evil = zip(new java.util.TreeMap<>(Map.of("ml-100k/u.data", U_DATA, "ml-100k/../../evil.txt", "x")));
    serve("/datasets/ml-100k.zip", evil);
    DatasetFetcher fetcher = new DatasetFetcher(base, Map.of("ml-100k", sha(evil)), client);
    assertThatThrownBy(() -> fetcher.fetch("ml-100k", cache))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("entry 'ml-100k/../../evil.txt' would be extracted outside");
    assertThat(cacheEntries()).isEmpty();
    assertThat(cache.getParent().resolve("evil.txt")).doesNotExist();
  }

  @Test
  void refusesArchivesWithoutTheDatasetDirectory() throws IOException {
    byte[] flat = zip(Map.of("u.data", U_DATA));
    serve("/datasets/ml-100k.zip", flat);
    DatasetFetcher fetcher = new DatasetFetcher(base, Map.of("ml-100k", sha(flat)), client);
    assertThatThrownBy(() -> fetcher.fetch("ml-100k", cache))
        .hasMessage(base + "ml-100k.zip: expected the archive to hold a top-level directory ml-100k/, it does not");
    assertThat(cacheEntries()).isEmpty();
  }

  @Test
  void neverOverwritesAnUnverifiedDirectory() throws IOException {
    Files.createDirectories(cache.resolve("ml-100k"));
    DatasetFetcher fetcher = new DatasetFetcher(base, Map.of("ml-100k", "b".repeat(64)), client);
    assertThatThrownBy(() -> fetcher.fetch("ml-100k", cache))
        .hasMessageContaining("exists but is not a verified download of ml-100k");
    assertThat(server.requests()).isZero();
  }

  @Test
  void unknownNamesListTheKnownOnes() {
    assertThatThrownBy(() -> DatasetFetcher.grouplens().fetch("ml-20m", cache))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown dataset 'ml-20m'; this fetcher knows: ml-100k, ml-1m");
  }

  @Test
  void pinnedChecksumsAreWellFormed() {
    assertThat(DatasetFetcher.MOVIELENS_SHA256).containsOnlyKeys("ml-100k", "ml-1m");
    assertThat(DatasetFetcher.MOVIELENS_SHA256.get("ml-100k"))
        .isEqualTo("50d2a982c66986937beb9ffb3aa76efe955bf3d5c6b761f4e3a7cd717c6a3229");
    assertThatThrownBy(() -> new DatasetFetcher(base, Map.of("x", "123"), client))
        .hasMessage("checksum of x: expected 64 hex digits, found '123'");
  }
}
