package org.fedrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

class MainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void versionNamesTheProjectVersionAndCommit() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("fedrec ").contains("commit").contains("Java 17");
    }

    @Test
    void helpListsTheCommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: fedrec").contains("help").contains("--version");
    }

    @Test
    void aMissingCommandIsAUsageError() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required command").contains("Usage: fedrec");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void userErrorsPrintTheMessageOnlyWithStatus2() {
        CommandLine cl = Main.commandLine();
        cl.addSubcommand("fail", new Failing());
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute("fail")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("fedrec: error: run directory x is not empty" + System.lineSeparator());
    }

    @CommandLine.Command(name = "fail")
    static final class Failing implements Runnable {
        @Override
        public void run() {
            throw new CliException("run directory x is not empty");
        }
    }
}
