package org.fedrec.cli.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.fedrec.core.Clock;
import org.fedrec.core.config.Config;

/**
 * Everything needed to reproduce a run: the full configuration, the seed, the dataset and its checksum,
 * the code version, the machine, when it started and the command line. Written as
 * {@code provenance.json} at the start of a run.
 *
 * @param config every configuration key and its value ({@link Config#asMap()})
 * @param datasetSha256 hex SHA-256 of the dataset's bytes (see {@link #sha256(Path)}), or null when the
 *                      data was generated in memory (the config and seed then reproduce it)
 */
public record Provenance(Map<String, Object> config, long seed, String dataset, String datasetSha256,
                         CodeVersion code, String javaVersion, String javaVendor, String os, int cores,
                         long maxHeapBytes, Instant startedAt, List<String> commandLine) {

    public Provenance {
        config = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(config, "config")));
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(startedAt, "startedAt");
        commandLine = List.copyOf(commandLine);
    }

    /**
     * The provenance of a run starting now on this JVM.
     *
     * @param commandLine the arguments as typed, e.g. picocli's {@code ParseResult.originalArgs()} with
     *                    "fedrec" in front
     */
    public static Provenance capture(Config config, long seed, String dataset, String datasetSha256,
                                     List<String> commandLine, Clock clock) {
        Runtime rt = Runtime.getRuntime();
        return new Provenance(config.asMap(), seed, dataset, datasetSha256, CodeVersion.current(),
                System.getProperty("java.version"), System.getProperty("java.vendor"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                        + System.getProperty("os.arch") + ")",
                rt.availableProcessors(), rt.maxMemory(), clock.now(), commandLine);
    }

    /**
     * Hex SHA-256 of a file, or of a directory: its regular files in path order, each as its relative
     * path (with '/'), a NUL byte, its length and its content, so renaming or moving a file changes it.
     */
    public static String sha256(Path path) {
        MessageDigest md = sha256Digest();
        try {
            if (Files.isDirectory(path)) {
                List<Path> files = new ArrayList<>();
                try (Stream<Path> s = Files.walk(path)) {
                    s.filter(Files::isRegularFile).forEach(files::add);
                }
                files.sort(null);
                for (Path f : files) {
                    String rel = path.relativize(f).toString().replace('\\', '/');
                    md.update(rel.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    md.update((byte) 0);
                    md.update(Long.toString(Files.size(f)).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    md.update((byte) 0);
                    digestContent(md, f);
                }
            } else {
                digestContent(md, path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot checksum dataset " + path + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void digestContent(MessageDigest md, Path file) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            while (in.read(buffer) >= 0) {
                // DigestInputStream updates md.
            }
        }
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The JSON form, with snake_case keys. */
    public Map<String, Object> toJson() {
        Map<String, Object> code = new LinkedHashMap<>();
        code.put("version", this.code.version());
        code.put("git_commit", this.code.commit());
        code.put("git_dirty", this.code.dirty());
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("java_version", javaVersion);
        machine.put("java_vendor", javaVendor);
        machine.put("os", os);
        machine.put("cores", cores);
        machine.put("max_heap_bytes", maxHeapBytes);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("started_at", startedAt.toString());
        m.put("command_line", commandLine);
        m.put("seed", seed);
        m.put("dataset", dataset);
        m.put("dataset_sha256", datasetSha256);
        m.put("code", code);
        m.put("machine", machine);
        m.put("config", config);
        return m;
    }
}
