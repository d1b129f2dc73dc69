package org.halo4j.cli;

import java.io.UncheckedIOException;
import java.util.Map;
import org.halo4j.internal.json.Json;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.keys.KeyFormatException;
import org.halo4j.keys.KeyringException;
import org.halo4j.node.agent.AgentException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Entry point of {@code halo}. Every failure is one line on stderr, {@code halo: <message> [<code>]}, and an
 * exit code from {@link ExitCode}; with {@code --json} also one {@code {"error": …}} document on stdout; the
 * stack trace only with {@code --verbose}. Usage errors name options, never the values given.
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
        CommandLine cli = new CommandLine(root);
        String group = groupNamed(args);
        HaloCommand.GROUPS.forEach((name, command) -> {
            if (group == null || group.equals(name)) {
                cli.addSubcommand(name, command.get());
            }
        });
        cli
                .setOut(new java.io.PrintWriter(io.stdout(), true))
                .setErr(new java.io.PrintWriter(io.stderr(), true))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setUsageHelpAutoWidth(true);
        cli.setParameterExceptionHandler((ParameterException e, String[] a) -> {
            String help = e.getCommandLine().getCommandSpec().qualifiedName();
            String message = Usage.describe(e, a) + " (see '" + help + " --help')";
            if (root.verbose) {
                e.printStackTrace(io.stderr()); // the stack trace names the values: only on request
            }
            return fail(io, json(root, a), "usage", message, ExitCode.USAGE);
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(io, json(root, args), root.verbose, e));
        int status = cli.execute(args);
        io.stdout().flush();
        return status;
    }

    /**
     * The command group the command line names (its first argument that is not an option or an option's
     * value), or null if it names none that exists: then every group is built, for help and for the error.
     */
    static String groupNamed(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                return null;
            }
            if (a.startsWith("-")) {
                if (!a.contains("=") && (a.equals("--home") || a.equals("--identity") || a.equals("--passphrase-file"))) {
                    i++; // the option's value
                }
                continue;
            }
            return HaloCommand.GROUPS.containsKey(a) ? a : null;
        }
        return null;
    }

    /** True if the output is JSON: {@code --json} was parsed, or stands among the options when parsing failed. */
    private static boolean json(HaloCommand root, String[] args) {
        if (root.json) {
            return true;
        }
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("--json")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reports a failure: the line {@code halo: <message> [<code>]} on stderr and, with {@code --json}, the one
     * document {@code {"error": {"code", "message", "exitCode"}}} on stdout, so a script reading stdout always
     * gets a document.
     */
    static int fail(Io io, boolean json, String code, String message, int status) {
        io.stderr().println("halo: " + message + " [" + code + "]");
        io.stderr().flush();
        if (json) {
            Map<String, Object> error = Json.object();
            error.put("code", code);
            error.put("message", message);
            error.put("exitCode", status);
            Map<String, Object> doc = Json.object();
            doc.put("error", error);
            Json.write(io.stdout(), doc);
            io.stdout().println();
            io.stdout().flush();
        }
        return status;
    }

    /** The one error line (and JSON document) for {@code e}, and its exit code. */
    static int report(Io io, boolean json, boolean verbose, Exception e) {
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
        fail(io, json, code, message, status);
        if (verbose) {
            e.printStackTrace(io.stderr());
            io.stderr().flush();
        }
        return status;
    }
}
