package org.halo4j.cli;

/** A failure the command line reports as one line, {@code halo: <message> [<code>]}, with an exit code. */
public class CliException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String code;
    private final int exitCode;

    public CliException(String code, String message) {
        this(code, message, ExitCode.forCode(code), null);
    }

    public CliException(String code, String message, int exitCode) {
        this(code, message, exitCode, null);
    }

    public CliException(String code, String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.exitCode = exitCode;
    }

    /** Stable code, e.g. {@code passphrase.unavailable}. */
    public String code() {
        return code;
    }

    public int exitCode() {
        return exitCode;
    }

    /** A malformed argument or option value. */
    public static CliException usage(String message) {
        return new CliException("usage", message, ExitCode.USAGE);
    }
}
