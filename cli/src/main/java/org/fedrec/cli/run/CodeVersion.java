package org.fedrec.cli.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Which code ran: the project version (from the build) and, when the code runs from a git work tree, the
 * commit and whether tracked or untracked files differ from it. {@code commit} is "unknown" and
 * {@code dirty} null when git cannot tell (no git, no commit yet, not a work tree).
 *
 * <p>The work tree is the directory in the system property {@code fedrec.home} (the launcher sets it to
 * the repository root), else the current directory.
 */
public record CodeVersion(String version, String commit, Boolean dirty) {

    public static final String UNKNOWN = "unknown";
    private static final Duration GIT_TIMEOUT = Duration.ofSeconds(3);

    private static volatile CodeVersion current;

    /** The version of the running code, detected once per JVM. */
    public static CodeVersion current() {
        CodeVersion v = current;
        if (v == null) {
            String home = System.getProperty("fedrec.home", System.getProperty("user.dir"));
            v = detect(buildVersion(), Path.of(home));
            current = v;
        }
        return v;
    }

    /** Asks git in {@code workTree} for the commit and dirty flag. */
    public static CodeVersion detect(String version, Path workTree) {
        Optional<String> head = git(workTree, "rev-parse", "--verify", "-q", "HEAD").map(String::trim)
                .filter(s -> s.matches("[0-9a-f]{7,64}"));
        if (head.isEmpty()) {
            return new CodeVersion(version, UNKNOWN, null);
        }
        Boolean dirty = git(workTree, "status", "--porcelain").map(s -> !s.isBlank()).orElse(null);
        return new CodeVersion(version, head.get(), dirty);
    }

    /** The project version the jar was built as, or "unknown" outside a built jar. */
    public static String buildVersion() {
        try (InputStream in = CodeVersion.class.getResourceAsStream("/org/fedrec/cli/version.properties")) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", UNKNOWN);
            return v.startsWith("${") ? UNKNOWN : v;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the build version", e);
        }
    }

    /** For humans: {@code 0.1.0-SNAPSHOT (commit 1a2b3c4d5e6f, dirty)}. */
    public String describe() {
        if (UNKNOWN.equals(commit)) {
            return version + " (commit unknown)";
        }
        String shortCommit = commit.length() > 12 ? commit.substring(0, 12) : commit;
        return version + " (commit " + shortCommit + (Boolean.TRUE.equals(dirty) ? ", dirty" : "") + ")";
    }

    /** Runs git with a timeout; stdout on exit status 0, empty on anything else. */
    private static Optional<String> git(Path workTree, String... args) {
        Path out = null;
        Process p = null;
        try {
            out = Files.createTempFile("fedrec-git", ".out");
            List<String> command = new java.util.ArrayList<>(List.of("git", "-C", workTree.toString()));
            command.addAll(List.of(args));
            p = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(GIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                return Optional.empty();
            }
            return Optional.of(Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // A temp file left behind is harmless.
                }
            }
        }
    }
}
