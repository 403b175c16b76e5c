package org.fedrec.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeVersionTest {

    @TempDir
    Path tmp;

    private static boolean git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString(), "-c", "user.name=t",
                "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Test
    void outsideAWorkTreeTheCommitIsUnknown() {
        CodeVersion v = CodeVersion.detect("1.2.3", tmp);
        assertThat(v).isEqualTo(new CodeVersion("1.2.3", "unknown", null));
        assertThat(v.describe()).isEqualTo("1.2.3 (commit unknown)");
    }

    @Test
    void readsTheCommitAndDirtyFlagFromGit() throws Exception {
        boolean gitWorks;
        try {
            gitWorks = git(tmp, "init", "-q");
        } catch (IOException noGit) {
            gitWorks = false;
        }
        assumeTrue(gitWorks, "git is not available");
        Files.writeString(tmp.resolve("a.txt"), "a");
        assertThat(CodeVersion.detect("v", tmp).commit()).isEqualTo("unknown"); // no commit yet
        assertThat(git(tmp, "add", "a.txt")).isTrue();
        assertThat(git(tmp, "commit", "-q", "-m", "first")).isTrue();

        CodeVersion clean = CodeVersion.detect("v", tmp);
        assertThat(clean.commit()).matches("[0-9a-f]{40}");
        assertThat(clean.dirty()).isFalse();
        assertThat(clean.describe()).isEqualTo("v (commit " + clean.commit().substring(0, 12) + ")");

        Files.writeString(tmp.resolve("a.txt"), "b");
        CodeVersion dirty = CodeVersion.detect("v", tmp);
        assertThat(dirty.dirty()).isTrue();
        assertThat(dirty.describe()).endsWith(", dirty)");
    }
}
