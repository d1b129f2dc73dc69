package org.halo4j.cli;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.keys.KeyFormatException;
import org.halo4j.keys.KeyringException;
import org.halo4j.node.agent.AgentException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Entry point of {@code halo}. Every failure is one line on stderr, {@code halo: <message> [<code>]}, and an
 * exit code from {@link ExitCode}; the stack trace only with {@code --verbose}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(Io.system(), args);
        System.out.flush();
        System.exit(status);
    }

    /** Runs one command line with {@code io}; returns the exit code. */
    public static int run(Io io, String... args) {
        HaloCommand root = new HaloCommand(io);
        CommandLine cli = new CommandLine(root)
                .setOut(new java.io.PrintWriter(io.stdout(), true))
                .setErr(new java.io.PrintWriter(io.stderr(), true))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setUsageHelpAutoWidth(true);
        cli.setParameterExceptionHandler((ParameterException e, String[] a) -> {
            String help = e.getCommandLine().getCommandSpec().qualifiedName();
            io.stderr().println("halo: " + e.getMessage() + " (see '" + help + " --help') [usage]");
            if (root.verbose) {
                e.printStackTrace(io.stderr());
            }
            return ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(io.stderr(), root.verbose, e));
        int status = cli.execute(args);
        io.stdout().flush();
        return status;
    }

    /** The one error line for {@code e}, and its exit code. */
    static int report(PrintStream err, boolean verbose, Exception e) {
        String code;
        String message;
        int status;
        if (e instanceof CliException c) {
            code = c.code();
            message = c.getMessage();
            status = c.exitCode();
        } else if (e instanceof AgentException a) {
            code = a.code();
            message = a.getMessage();
            status = ExitCode.forCode(code);
        } else if (e instanceof KeyFormatException k) {
            code = k.code();
            message = k.getMessage();
            status = ExitCode.forCode(code);
        } else if (e instanceof KeyringException k) {
            code = k.code();
            message = k.getMessage();
            status = ExitCode.forCode(code);
        } else if (e instanceof HaloRejectedException r) {
            code = r.code().code();
            message = r.getMessage();
            status = ExitCode.FAILED;
        } else if (e instanceof UncheckedIOException u) {
            code = "io";
            message = "could not write the output: " + u.getCause().getMessage();
            status = ExitCode.STORAGE;
        } else {
            code = "internal";
            message = "internal error: " + e + (verbose ? "" : " (run with --verbose for details)");
            status = ExitCode.INTERNAL;
        }
        err.println("halo: " + message + " [" + code + "]");
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return status;
    }
}
