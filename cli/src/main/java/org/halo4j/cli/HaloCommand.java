package org.halo4j.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.halo4j.internal.json.Json;
import org.halo4j.keys.Argon2Settings;
import org.halo4j.node.agent.Agent;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.agent.Wallet;

/** {@code halo}: the root command, its global options, and what every command shares. */
public final class HaloCommand {

    /** Environment variable naming the home directory. */
    static final String HOME_ENV = "HALO_HOME";
    /** Environment variable that lowers the cost of new keyrings; only {@code test} is accepted. */
    static final String ARGON2_ENV = "HALO_KEYRING_ARGON2";

    /** From {@code --home}. */
    Path home;
    /** From {@code --identity}. */
    String identity;
    /** From {@code --passphrase-file}. */
    Path passphraseFile;
    /** From {@code --json}. */
    boolean json;
    /** From {@code --progress} / {@code --no-progress}; null if neither. */
    Boolean progress;
    /** From {@code -v} / {@code --verbose}. */
    boolean verbose;

    /** The whole command tree, acting through {@code halo}: global options, then the groups in help order. */
    static Cmd tree(HaloCommand halo) {
        return Cmd.group("halo", "The halo4j wallet: your HALO identity, its devices, profile, contacts, spaces and "
                        + "credentials.")
                .option(Cmd.Opt.value("--home", "DIR", "Wallet directory (default: $HALO_HOME, else ~/.halo)."))
                .option(Cmd.Opt.value("--identity", "DID", "Act for this identity instead of the current one."))
                .option(Cmd.Opt.value("--passphrase-file", "FILE", "Read the keyring passphrase from FILE (mode 0600 "
                        + "or 0400, owned by you)."))
                .option(Cmd.Opt.flag("--json", "Print one JSON document instead of text."))
                .option(Cmd.Opt.negatable("--progress", "Show progress of long work (a large space) on stderr even "
                        + "when it is not a terminal; --no-progress never shows it. Default: on a terminal only."))
                .option(Cmd.Opt.shortFlag("-v", "--verbose", "Print the stack trace of an error."))
                .option(Cmd.Opt.shortFlag("-h", "--help", "Show this help and exit."))
                .option(Cmd.Opt.shortFlag("-V", "--version", "Print version information and exit."))
                .sub(IdentityCommand.spec(halo))
                .sub(ProfileCommand.spec(halo))
                .sub(DeviceCommand.spec(halo))
                .sub(SpaceCommand.spec(halo))
                .sub(ContactsCommand.spec(halo))
                .sub(CredentialCommand.spec(halo))
                .sub(PresentationCommand.spec(halo))
                .sub(InvitationCommand.group(halo))
                .sub(LoginCommand.spec(halo))
                .sub(SyncCommand.spec(halo))
                .sub(NodeCommand.spec(halo))
                .sub(ConfigCommand.spec(halo))
                .footer("Data lives in --home, else $HALO_HOME, else ~/.halo. Commands that sign need the keyring "
                        + "passphrase: from --passphrase-file, else $HALO_KEYRING_PASSPHRASE, else the terminal; "
                        + "commands that only read need none. See docs/cli.md.");
    }

    /** Takes the global options from a parsed command line. */
    void apply(Cmd.Line line) {
        home = line.value("--home").map(Path::of).orElse(null);
        identity = line.value("--identity").orElse(null);
        passphraseFile = line.value("--passphrase-file").map(Path::of).orElse(null);
        json = line.flag("--json");
        progress = line.negatable("--progress").orElse(null);
        verbose = line.flag("--verbose");
    }

    final Io io;

    HaloCommand(Io io) {
        this.io = io;
    }

    /** The wallet directory. */
    Path home() {
        if (home != null) {
            return home;
        }
        return io.getenv(HOME_ENV).map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".halo"));
    }

    Optional<String> identityOption() {
        return Optional.ofNullable(identity);
    }

    Passphrases passphrases() {
        return new Passphrases(io, Optional.ofNullable(passphraseFile));
    }

    /** Opens the wallet (creating its directory if needed). */
    Wallet wallet() throws CliException, AgentException {
        Optional<String> cost = io.getenv(ARGON2_ENV);
        if (cost.isEmpty() || cost.get().equals("default")) {
            return Wallet.open(home());
        }
        if (cost.get().equals("test")) {
            return Wallet.open(home(), Argon2Settings.forTests());
        }
        throw new CliException("argument.argon2", ARGON2_ENV + " is 'test' or 'default', found '" + cost.get() + "'",
                ExitCode.USAGE);
    }

    /** True if new keyrings get the test-only Argon2 cost ({@value #ARGON2_ENV}=test). */
    boolean weakKeyrings() {
        return io.getenv(ARGON2_ENV).filter("test"::equals).isPresent();
    }

    /** Says so when a keyring was just made with the test-only cost. */
    void warnIfWeakKeyring() {
        if (weakKeyrings()) {
            warn(ARGON2_ENV + "=test: this keyring uses Argon2 settings made for tests, far too weak for real keys");
        }
    }

    /** Work done with an unlocked agent. */
    @FunctionalInterface
    interface AgentWork<T> {
        T apply(Agent agent) throws Exception;
    }

    /**
     * Unlocks the identity (the current one, or {@code --identity}) and runs {@code work}. A wrong passphrase
     * typed on the terminal may be typed again; from a file or the environment it fails at once.
     */
    <T> T withAgent(AgentWork<T> work) throws Exception {
        Wallet wallet = wallet();
        Passphrases passphrases = passphrases();
        String who = identityOption().or(() -> currentOrEmpty(wallet)).orElse("this identity");
        int attempts = passphrases.interactive() ? Passphrases.TERMINAL_ATTEMPTS : 1;
        for (int attempt = 1; ; attempt++) {
            char[] passphrase = passphrases.existing(who);
            Agent agent;
            try {
                agent = wallet.open(identityOption(), passphrase);
            } catch (AgentException e) {
                if (!e.code().equals("keyring.wrong_passphrase") || attempt >= attempts) {
                    throw e;
                }
                io.stderr().println("halo: wrong passphrase, try again");
                continue;
            } finally {
                Arrays.fill(passphrase, '\0');
            }
            try (agent; Progress shown = progress()) {
                agent.onProgress(shown);
                return work.apply(agent);
            }
        }
    }

    /**
     * Runs {@code work} with the identity (the current one, or {@code --identity}) opened for reading only: no
     * passphrase is asked and no Argon2 work is done. For commands that only read public state.
     */
    <T> T withReader(AgentWork<T> work) throws Exception {
        try (Agent agent = wallet().read(identityOption()); Progress shown = progress()) {
            agent.onProgress(shown);
            return work.apply(agent);
        }
    }

    /** Progress on stderr as {@code --progress}/{@code --no-progress} and the terminal say. */
    Progress progress() {
        if (Boolean.FALSE.equals(progress)) {
            return new Progress(io.stderr(), false, false, System::nanoTime);
        }
        return new Progress(io.stderr(), io.stderrTerminal(), Boolean.TRUE.equals(progress), System::nanoTime);
    }

    private static Optional<String> currentOrEmpty(Wallet wallet) {
        try {
            return wallet.current();
        } catch (AgentException e) {
            return Optional.empty(); // opening reports it precisely
        }
    }

    /**
     * Reports input that a verifier refused: an error line (exit FAILED) in text mode; with --json, the
     * document {@code o} with {@code valid=false}, the code and the reason, plus the error line on stderr.
     */
    int refused(java.util.Map<String, Object> o, org.halo4j.errors.HaloRejectedException e) throws CliException {
        if (!json) {
            throw new CliException(e.code().code(), "not valid: " + e.getMessage(), ExitCode.FAILED, e);
        }
        o.put("valid", false);
        o.put("code", e.code().code());
        o.put("reason", e.getMessage());
        print(o, () -> { });
        io.stderr().println("halo: not valid: " + e.getMessage() + " [" + e.code().code() + "]");
        return ExitCode.FAILED;
    }

    /** Prints {@code value} as JSON if {@code --json}, else runs {@code text}. */
    void print(Object value, Runnable text) {
        if (json) {
            Json.write(io.stdout(), value);
            io.stdout().println();
        } else {
            text.run();
        }
        io.stdout().flush();
    }

    /** A line on stdout. */
    void out(String line) {
        io.stdout().println(line);
    }

    /** A warning on stderr, in text mode only: JSON readers get the facts in the document. */
    void warn(String line) {
        io.stderr().println("halo: " + line);
    }
}
