package org.fedrec.cli.data;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fedrec.data.testing.LoopbackFileServer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.fedrec.cli.CliRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fedrec data}: fetch against a real HTTP server on 127.0.0.1, info on generated files. */
class DataCommandTest {

    /** Three users, three items; user 1 rates item 10 twice (a duplicate). */
    private static final String U_DATA = "1\t10\t4\t100\n1\t20\t3\t110\n2\t10\t5\t150\n3\t30\t2\t160\n1\t10\t5\t170\n";
    private static final String U_ITEM = item(10, "Alpha (1995)") + item(20, "Beta (1996)") + item(30, "Gamma (1997)")
            + item(40, "Never Rated (1998)");

    @TempDir
    Path tmp;

    private LoopbackFileServer server;
    private String baseUrl;
    private final CliRun cli = new CliRun();

    private static String item(int id, String title) {
        return id + "|" + title + "|01-Jan-1995||http://x|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0|0|0|0\n";
    }

    @BeforeEach
    void start() {
        server = new LoopbackFileServer();
        baseUrl = server.uri("datasets/").toString();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void serve(String path, byte[] body) {
        server.serve(path, body);
    }

    /** A MovieLens-100K-shaped archive with everything under {@code top/}. */
    private static byte[] zip(String top) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(top + "/", "");
        entries.put(top + "/u.data", U_DATA);
        entries.put(top + "/u.item", U_ITEM);
        return LoopbackFileServer.zip(entries);
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void fetchDownloadsVerifiesAndUnpacksThenReusesTheVerifiedCopy() throws Exception {
        byte[] archive = zip("ml-100k");
        String sha = sha256(archive);
        serve("/datasets/ml-100k.zip", archive);
        Path cache = tmp.resolve("cache");

        assertThat(cli.execute("data", "fetch", "ml-100k", "--cache-dir", cache.toString(), "--base-url", baseUrl,
                "--sha256", sha)).as(cli.err()).isZero();
        Path dir = cache.resolve("ml-100k").toAbsolutePath();
        assertThat(cli.out()).contains(dir.toString()).contains("sha256 " + sha + " (verified)");
        assertThat(dir.resolve("u.data")).hasContent(U_DATA.strip());

        assertThat(cli.execute("data", "fetch", "ml-100k", "--cache-dir", cache.toString(), "--base-url", baseUrl,
                "--sha256", sha)).isZero();
        assertThat(server.requests()).isEqualTo(1);

        // The fetched copy is found by name.
        cli.clear();
        assertThat(cli.execute("data", "info", "ml-100k", "--cache-dir", cache.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("users          3");
    }

    @Test
    void aChecksumMismatchIsAUserErrorAndLeavesNothingBehind() throws Exception {
        serve("/datasets/ml-100k.zip", zip("ml-100k"));
        Path cache = tmp.resolve("cache");

        assertThat(cli.execute("data", "fetch", "ml-100k", "--cache-dir", cache.toString(), "--base-url", baseUrl,
                "--sha256", "0".repeat(64))).isEqualTo(2);
        assertThat(cli.err()).contains("checksum mismatch").contains("0".repeat(64));
        assertThat(cache.resolve("ml-100k")).doesNotExist();
    }

    @Test
    void anUnreachableServerSaysSoAndHowToPassDataDir() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        assertThat(cli.execute("data", "fetch", "ml-100k", "--cache-dir", tmp.toString(), "--base-url",
                "http://127.0.0.1:" + closedPort + "/")).isEqualTo(2);
        assertThat(cli.err()).contains("unreachable").contains("data_dir=DIR");
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThat(cli.execute("data", "fetch", "ml-7b", "--cache-dir", tmp.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("unknown dataset 'ml-7b'").contains("ml-100k, ml-1m");
    }

    @Test
    void infoDescribesAGeneratedMovieLensDirectory() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("tiny-ml"));
        Files.writeString(dir.resolve("u.data"), U_DATA, StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("u.item"), U_ITEM, StandardCharsets.ISO_8859_1);

        assertThat(cli.execute("data", "info", dir.toString())).as(cli.err()).isZero();
        assertThat(cli.out())
                .contains("format ml-100k")
                .contains("users          3")
                .contains("items          3")
                .contains("interactions   4")
                .containsPattern("duplicates +1 duplicate \\(user, item\\) row")
                .contains("u.genre not found");
    }

    @Test
    void infoOnAMissingPathIsAUserError() {
        assertThat(cli.execute("data", "info", tmp.resolve("nope").toString())).isEqualTo(2);
        assertThat(cli.err()).contains("no dataset at");
    }

    @Test
    void infoOnAnUnrecognisedDirectoryNamesWhatItLookedFor() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("junk"));
        Files.writeString(dir.resolve("x.txt"), "x");

        assertThat(cli.execute("data", "info", dir.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("u.data").contains("x.txt");
    }
}
