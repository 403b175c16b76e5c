package org.fedrec.cli;

/**
 * An error the user can fix (a bad path, a run directory in the way): {@link Main} prints its message
 * without a stack trace and exits with status 2. The message says what was expected, what was found and
 * where.
 */
public class CliException extends RuntimeException {

    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
