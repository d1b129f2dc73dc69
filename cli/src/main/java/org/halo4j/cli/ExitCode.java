package org.halo4j.cli;

/**
 * Exit codes of {@code halo}, one per kind of failure, so that scripts can tell them apart (docs/cli.md lists
 * them). The error's stable code (printed in brackets) says more.
 */
public final class ExitCode {

    /** Done. */
    public static final int OK = 0;
    /** Refused or failed: a credential or presentation that does not verify, a backup that does not match, a rule. */
    public static final int FAILED = 1;
    /** Wrong command line: unknown option, missing or malformed argument, ambiguous name. */
    public static final int USAGE = 2;
    /** The keyring passphrase is wrong. */
    public static final int WRONG_PASSPHRASE = 3;
    /** No such identity, space, device, credential or file. */
    public static final int NOT_FOUND = 4;
    /** A recovery phrase that is not valid: word count, unknown word, checksum. */
    public static final int BAD_PHRASE = 5;
    /** No passphrase could be had: no environment variable, no usable passphrase file, no terminal. */
    public static final int NO_PASSPHRASE = 6;
    /** The wallet's files could not be read or written, or are damaged. */
    public static final int STORAGE = 7;
    /** The identity is already in this wallet. */
    public static final int EXISTS = 8;
    /** A bug in halo: please report it with the output of --verbose. */
    /** A peer or node could not be reached, or the session with it failed. */
    public static final int NETWORK = 9;
    public static final int INTERNAL = 70;

    private ExitCode() {
    }

    /** The exit code for an error with this stable code. */
    public static int forCode(String code) {
        if (code == null) {
            return FAILED;
        }
        if (code.equals("keyring.wrong_passphrase")) {
            return WRONG_PASSPHRASE;
        }
        if (code.startsWith("keyring.passphrase") || code.equals("keyring.empty_passphrase")
                || code.startsWith("passphrase.")) {
            return NO_PASSPHRASE;
        }
        if (code.startsWith("phrase.")) {
            return BAD_PHRASE;
        }
        if (code.startsWith("peer.") || code.startsWith("relay.") || code.startsWith("sync.")
                && !code.equals("sync.no_node")) {
            return NETWORK;
        }
        if (code.endsWith(".unknown") || code.endsWith(".not_found") || code.equals("identity.none")
                || code.equals("file.missing")) {
            return NOT_FOUND;
        }
        if (code.endsWith(".exists")) {
            return EXISTS;
        }
        if (code.startsWith("storage.") || code.equals("keyring.io") || code.startsWith("keyring.format")
                || code.startsWith("keyring.corrupt") || code.startsWith("file.")) {
            return STORAGE;
        }
        if (code.equals("usage") || code.endsWith(".ambiguous") || code.startsWith("key.") || code.startsWith("did.")
                || code.startsWith("argument.") || code.equals("input.too_long") || code.equals("invitation.malformed")
                || code.equals("invitation.code_missing") || code.equals("invitation.kind")) {
            return USAGE;
        }
        return FAILED;
    }
}
