package org.halo4j.cli;

import java.io.UncheckedIOException;
import java.util.Map;
import org.halo4j.internal.json.Json;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.keys.KeyFormatException;
import org.halo4j.keys.KeyringException;
import org.halo4j.node.agent.AgentException;

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
        HaloCommand halo = new HaloCommand(io);
        Cmd root = HaloCommand.tree(halo);
        Cmd.Line line;
        try {
            line = root.parse(args);
        } catch (Cmd.UsageException e) {
            String message = e.getMessage() + " (see '" + e.command().qualifiedName() + " --help')";
            return fail(io, json(args), "usage", message, ExitCode.USAGE);
        }
        halo.apply(line);
        try {
            if (line.flag("--help")) {
                io.stdout().print(line.command.help());
                return ExitCode.OK;
            }
            if (line.flag("--version")) {
                for (String l : Version.lines()) {
                    io.stdout().println(l);
                }
                return ExitCode.OK;
            }
            return line.command.handler.run(line);
        } catch (Exception e) {
            return report(io, halo.json, halo.verbose, e);
        } finally {
            io.stdout().flush();
        }
    }

    /** True if {@code --json} stands among the options of a line that did not parse. */
    private static boolean json(String[] args) {
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
    static int fail(Io io, boolean json, String code, String text, int status) {
        // A message may quote an argument: an escape sequence typed or pasted into it must not reach the terminal.
        String message = text.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
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
        } else if (e instanceof org.halo4j.invitations.InvitationException i) {
            code = i.code();
            message = i.getMessage();
            status = ExitCode.forCode(code);
        } else if (e instanceof org.halo4j.net.PeerException p) {
            code = p.code();
            message = p.getMessage();
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
