package org.fedrec.cli;

import org.fedrec.cli.bench.BenchCommand;
import org.fedrec.cli.data.DataCommand;
import org.fedrec.cli.encode.EncodeCommand;
import org.fedrec.cli.privacy.PrivacyCommand;
import org.fedrec.cli.simulate.SimulateCommand;

import org.fedrec.cli.run.CodeVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code fedrec} command. Subcommands are listed in {@code subcommands}; each is a
 * picocli {@code @Command} class (a {@code Callable<Integer>} returning the exit status).
 */
@Command(name = "fedrec",
        mixinStandardHelpOptions = true,
        versionProvider = FedrecCommand.Version.class,
        description = "Federated training of recommender models.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {SimulateCommand.class, BenchCommand.class, org.fedrec.cli.bench.ScaleCommand.class, DataCommand.class, EncodeCommand.class, PrivacyCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Run 'fedrec COMMAND --help' for the options of a command."})
public final class FedrecCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required command");
    }

    /** {@code --version}: the project version, the git commit and the Java runtime. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "fedrec " + CodeVersion.current().describe(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch")
            };
        }
    }
}
