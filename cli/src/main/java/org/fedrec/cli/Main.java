package org.fedrec.cli;

import org.fedrec.data.DataFormatException;
import org.fedrec.encoder.EncoderException;

import org.fedrec.core.config.ConfigException;
import picocli.CommandLine;

/**
 * The {@code fedrec} program. Exit status: 0 success, 1 unexpected failure (with a stack trace),
 * 2 usage or input error (bad option, bad config, run directory in the way: the message alone; set
 * {@code FEDREC_DEBUG=1} for the stack trace).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit status (for tests). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured picocli command line: options, subcommands and error handling. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new FedrecCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        cl.setExecutionExceptionHandler(Main::handle);
        cl.getSubcommands().get("simulate").getCommandSpec().usageMessage()
                .footer(org.fedrec.cli.simulate.SimulateCommand.keyReference());
        return cl;
    }

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        if (e instanceof CliException || e instanceof ConfigException || e instanceof DataFormatException
                || e instanceof EncoderException) {
            cl.getErr().println("fedrec: error: " + e.getMessage());
            if (System.getenv("FEDREC_DEBUG") != null) {
                e.printStackTrace(cl.getErr());
            }
            cl.getErr().flush();
            return 2;
        }
        cl.getErr().println("fedrec: unexpected failure: " + e);
        e.printStackTrace(cl.getErr());
        cl.getErr().flush();
        return 1;
    }
}
