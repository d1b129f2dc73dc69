package org.halo4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PassphraseFile;

/**
 * Where the keyring passphrase comes from, in this order: {@code --passphrase-file FILE} (explicit on the
 * command line, so it wins over a stale export), the environment variable {@value #ENV}, then the terminal ({@code /dev/tty}, echo off) even
 * when stdin and stdout are pipes. With none of them, a clear error. Passphrases are {@code char[]}, wiped by
 * the caller.
 */
final class Passphrases {

    /** Environment variable holding the keyring passphrase. */
    static final String ENV = "HALO_KEYRING_PASSPHRASE";
    /** Attempts at the terminal before giving up on a wrong passphrase. */
    static final int TERMINAL_ATTEMPTS = 3;

    private final Io io;
    private final Optional<Path> file;

    Passphrases(Io io, Optional<Path> file) {
        this.io = io;
        this.file = file;
    }

    /** True if the passphrase is asked on the terminal, so a wrong one may be typed again. */
    boolean interactive() {
        return file.isEmpty() && io.getenv(ENV).isEmpty();
    }

    /** The passphrase of an existing keyring; {@code what} names it in the prompt. */
    char[] existing(String what) throws CliException {
        return obtain(false, what);
    }

    /**
     * The passphrase for a new keyring: asked twice on the terminal, then checked for strength unless
     * {@code allowWeak} ({@link PassphraseStrength}); {@code avoid} are words it should not lean on.
     */
    char[] fresh(String what, boolean allowWeak, List<String> avoid) throws CliException {
        char[] passphrase = obtain(true, what);
        if (!allowWeak) {
            try {
                PassphraseStrength.check(passphrase, avoid);
            } catch (CliException e) {
                Arrays.fill(passphrase, '\0');
                throw e;
            }
        }
        return passphrase;
    }

    private char[] obtain(boolean fresh, String what) throws CliException {
        if (file.isPresent()) {
            try {
                return PassphraseFile.read(file.get());
            } catch (KeyringException e) {
                throw new CliException(e.code(), e.getMessage(), e.code().endsWith("not_found")
                        ? ExitCode.NOT_FOUND : ExitCode.NO_PASSPHRASE, e);
            }
        }
        Optional<String> env = io.getenv(ENV);
        if (env.isPresent()) {
            return env.get().toCharArray();
        }
        Terminal tty = io.terminal().get().orElseThrow(() -> new CliException("passphrase.unavailable",
                "no keyring passphrase: set " + ENV + ", pass --passphrase-file FILE, or run on a terminal",
                ExitCode.NO_PASSPHRASE));
        try (tty) {
            if (!fresh) {
                return nonEmpty(tty.readSecret("Keyring passphrase for " + what + ": "));
            }
            char[] first = nonEmpty(tty.readSecret("New keyring passphrase for " + what + ": "));
            char[] second = tty.readSecret("Repeat the passphrase: ");
            try {
                if (!Arrays.equals(first, second)) {
                    Arrays.fill(first, '\0');
                    throw new CliException("passphrase.mismatch", "the two passphrases differ; nothing was created",
                            ExitCode.NO_PASSPHRASE);
                }
                return first;
            } finally {
                Arrays.fill(second, '\0');
            }
        } catch (IOException e) {
            throw new CliException("passphrase.terminal", "could not read the passphrase from the terminal: "
                    + e.getMessage(), ExitCode.NO_PASSPHRASE, e);
        }
    }

    private static char[] nonEmpty(char[] p) throws CliException {
        if (p.length == 0) {
            throw new CliException("passphrase.empty", "the passphrase is empty", ExitCode.NO_PASSPHRASE);
        }
        return p;
    }
}
