package org.halo4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.halo4j.internal.json.Json;
import org.halo4j.keys.KeyFormatException;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.RecoveryPhrase;
import org.halo4j.node.agent.Agent;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.agent.IdentitySummary;
import org.halo4j.node.agent.NewIdentity;
import org.halo4j.node.agent.Wallet;

/** {@code halo identity}: create, back up, recover, list and choose identities. */
final class IdentityCommand {

    /** Words asked back when a backup is confirmed on the terminal. */
    static final int QUIZ_WORDS = 3;

    final HaloCommand halo;

    IdentityCommand(HaloCommand halo) {
        this.halo = halo;
    }

    /** The {@code halo identity} commands, acting through {@code halo}. */
    static Cmd spec(HaloCommand halo) {
        IdentityCommand c = new IdentityCommand(halo);
        return Cmd.group("identity", "Create, back up, recover, list and choose identities.")
                .sub(Cmd.command("create", l -> c.create(
                                l.value("--name").orElse(null),
                                l.value("--device-name").orElse(null),
                                l.flag("--allow-weak-passphrase")),
                        "Create an identity: shows its DID and its 24-word recovery phrase.",
                        "On a terminal it then asks for 3 of the words and, if right, confirms the backup (the phrase and the "
                                + "identity key are destroyed on this device). Otherwise run 'halo identity confirm-backup' later.")
                        .option(Cmd.Opt.value("--name", "NAME", "Display name of the identity."))
                        .option(Cmd.Opt.value("--device-name", "NAME", "Name of this device (default: the host name)."))
                        .option(Cmd.Opt.flag("--allow-weak-passphrase", "Accept a keyring passphrase the strength "
                                + "check refuses. For tests only.")))
                .sub(Cmd.command("confirm-backup", l -> c.confirmBackup(),
                        "Confirm the backup of the recovery phrase: give the 24 words on stdin (or type them on the terminal).",
                        "If they derive this identity, the stored phrase and the identity key are destroyed on this device."))
                .sub(Cmd.command("recover", l -> c.recover(
                                l.value("--name").orElse(null),
                                l.value("--device-name").orElse(null),
                                l.flag("--allow-weak-passphrase"),
                                l.negatable("--revoke-other-devices").orElse(null)),
                        "Recover an identity on this device from its 24 words, on stdin (or typed on the terminal).",
                        "The identity key authorizes this device; the identity's HALO arrives by replication from its other devices.")
                        .option(Cmd.Opt.value("--name", "NAME", "Display name of the identity here."))
                        .option(Cmd.Opt.value("--device-name", "NAME", "Name of this device (default: the host name)."))
                        .option(Cmd.Opt.flag("--allow-weak-passphrase", "Accept a keyring passphrase the strength "
                                + "check refuses. For tests only."))
                        .option(Cmd.Opt.negatable("--revoke-other-devices", "Also revoke every other "
                                + "device of the identity (a lost or stolen one), known here or not: they can no longer log "
                                + "in once relying parties learn it.", "Asked on a terminal; default for scripts: no.")))
                .sub(Cmd.command("show", l -> c.show(),
                        "Show the current identity (or --identity): DID, key, name, backup state."))
                .sub(Cmd.command("list", l -> c.list(),
                        "List the identities in this wallet; * marks the current one."))
                .sub(Cmd.command("use", l -> c.use(l.param(0)),
                        "Make DID the identity that commands act on.")
                        .param("DID", "did:key of an identity in this wallet."));
    }

    int create(String name, String deviceName, boolean allowWeak)
            throws Exception {
        Wallet wallet = halo.wallet();
        String device = deviceName != null ? deviceName : Hosts.localName();
        char[] passphrase = halo.passphrases().fresh("the new identity", allowWeak, java.util.Arrays.asList(name, device));
        try {
            NewIdentity created = wallet.create(Optional.ofNullable(name), device, passphrase);
            try (RecoveryPhrase phrase = created.phrase()) {
                halo.warnIfWeakKeyring();
                showNewIdentity(created.did(), phrase);
                if (halo.json) {
                    return ExitCode.OK;
                }
                if (!(halo.io.stdinTerminal() && halo.io.stdoutTerminal())) {
                    halo.warn("the backup is not confirmed yet: write the words down, then run "
                            + "'halo identity confirm-backup' with them on stdin");
                    return ExitCode.OK;
                }
                if (!quiz(phrase)) {
                    halo.warn("a word did not match: the backup is not confirmed. Check what you wrote down, then run "
                            + "'halo identity confirm-backup'");
                    return ExitCode.OK;
                }
                try (Agent agent = wallet.open(Optional.of(created.did()), passphrase)) {
                    agent.confirmBackup(phrase);
                }
                halo.out("Backup confirmed: the recovery phrase and the identity key are destroyed on this device.");
                return ExitCode.OK;
            }
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    private void showNewIdentity(String did, RecoveryPhrase phrase) {
        char[] words = phrase.toChars();
        try {
            if (halo.json) {
                Map<String, Object> o = Json.object();
                o.put("did", did);
                o.put("recoveryPhrase", words);
                o.put("backupConfirmed", false);
                halo.print(o, () -> { });
                return;
            }
            PrintStream out = halo.io.stdout();
            out.println("Created " + did);
            out.println();
            out.println("Recovery phrase. Write these 24 words down, in order, and keep them offline.");
            out.println("Anyone who has them owns this identity; without them, losing your devices loses it.");
            out.println();
            printNumbered(out, words);
            out.println();
            out.flush();
        } finally {
            Arrays.fill(words, '\0');
        }
    }

    /** The words in four columns, numbered down each column, without making a String of them. */
    static void printNumbered(PrintStream out, char[] phrase) {
        List<int[]> spans = wordSpans(phrase);
        int rows = (spans.size() + 3) / 4;
        for (int r = 0; r < rows; r++) {
            StringBuilder pad = new StringBuilder();
            for (int c = 0; c < 4; c++) {
                int i = c * rows + r;
                if (i >= spans.size()) {
                    break;
                }
                int[] span = spans.get(i);
                out.print(String.format("%s%3d. ", pad, i + 1));
                out.print(Arrays.copyOfRange(phrase, span[0], span[1]));
                pad.setLength(0);
                pad.append(" ".repeat(Math.max(1, 10 - (span[1] - span[0]))));
            }
            out.println();
        }
    }

    /** Start and end of each space-separated word. */
    static List<int[]> wordSpans(char[] text) {
        List<int[]> spans = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= text.length; i++) {
            boolean space = i == text.length || Character.isWhitespace(text[i]);
            if (space && start >= 0) {
                spans.add(new int[] {start, i});
                start = -1;
            } else if (!space && start < 0) {
                start = i;
            }
        }
        return spans;
    }

    /** Clears the screen and asks for {@value #QUIZ_WORDS} words at random positions; true if all match. */
    private boolean quiz(RecoveryPhrase phrase) throws CliException {
        Terminal tty = halo.io.terminal().get().orElse(null);
        if (tty == null) {
            return false;
        }
        SecureRandom random = new SecureRandom();
        TreeSet<Integer> positions = new TreeSet<>();
        while (positions.size() < QUIZ_WORDS) {
            positions.add(1 + random.nextInt(RecoveryPhrase.WORDS));
        }
        try (tty) {
            char[] enter = tty.readLine("When the words are written down, press Enter (they will be cleared from the screen). ");
            Arrays.fill(enter, '\0');
            tty.print("\033[H\033[2J\033[3J");
            tty.print("Confirm your backup: type the words at these positions.\n");
            boolean all = true;
            for (int position : positions) {
                char[] typed = tty.readLine("Word #" + position + ": ");
                try {
                    all &= phrase.matchesWord(position, typed);
                } finally {
                    Arrays.fill(typed, '\0');
                }
            }
            return all;
        } catch (IOException e) {
            throw new CliException("terminal.io", "could not ask on the terminal: " + e.getMessage(), ExitCode.FAILED, e);
        }
    }

    int confirmBackup() throws Exception {
        Wallet wallet = halo.wallet();
        IdentitySummary summary = summary(wallet);
        if (summary.backupConfirmed()) {
            throw new CliException("backup.confirmed", "the backup of " + summary.did()
                    + " is already confirmed: its phrase is no longer kept here", ExitCode.FAILED);
        }
        try (RecoveryPhrase typed = readPhrase("Recovery phrase of " + summary.did())) {
            halo.withAgent(agent -> {
                agent.confirmBackup(typed);
                return null;
            });
        }
        Map<String, Object> o = Json.object();
        o.put("did", summary.did());
        o.put("backupConfirmed", true);
        halo.print(o, () -> halo.out("Backup confirmed for " + summary.did()
                + ": the recovery phrase and the identity key are destroyed on this device."));
        return ExitCode.OK;
    }

    int recover(String name, String deviceName, boolean allowWeak, Boolean revokeOthers)
            throws Exception {
        Wallet wallet = halo.wallet();
        String device = deviceName != null ? deviceName : Hosts.localName();
        try (RecoveryPhrase phrase = readPhrase("Recovery phrase")) {
            boolean revoke = revokeOthers != null ? revokeOthers : askRevokeOthers();
            char[] passphrase = halo.passphrases().fresh("the recovered identity", allowWeak,
                    java.util.Arrays.asList(name, device));
            String did;
            try {
                did = wallet.recover(phrase, Optional.ofNullable(name), device, passphrase, revoke);
                halo.warnIfWeakKeyring();
            } finally {
                Arrays.fill(passphrase, '\0');
            }
            Map<String, Object> o = Json.object();
            o.put("did", did);
            o.put("otherDevicesRevoked", revoke);
            halo.print(o, () -> {
                halo.out("Recovered " + did);
                halo.out("This device is authorized; the identity's HALO arrives by replication from its other devices.");
                if (revoke) {
                    halo.out("Every other device of the identity is revoked: relying parties refuse it once they learn it.");
                }
            });
            return ExitCode.OK;
        }
    }

    /** On a terminal: asks whether to revoke every other device. Without one (a script): no. */
    private boolean askRevokeOthers() throws CliException {
        if (!(halo.io.stdinTerminal() && halo.io.stdoutTerminal()) || halo.json) {
            return false;
        }
        Terminal tty = halo.io.terminal().get().orElse(null);
        if (tty == null) {
            return false;
        }
        try (tty) {
            char[] answer = tty.readLine("Revoke every other device of this identity (lost or stolen ones)? [y/N] ");
            String a = new String(answer).trim();
            return a.equalsIgnoreCase("y") || a.equalsIgnoreCase("yes");
        } catch (IOException e) {
            throw new CliException("terminal.io", "could not ask on the terminal: " + e.getMessage(), ExitCode.FAILED, e);
        }
    }

    /** Reads a phrase from stdin, or from the terminal (echo off) when stdin is one. */
    RecoveryPhrase readPhrase(String prompt) throws CliException, KeyFormatException {
        char[] text;
        if (halo.io.stdinTerminal()) {
            Terminal tty = halo.io.terminal().get().orElseThrow(() -> new CliException("phrase.none",
                    "no recovery phrase: give the 24 words on stdin", ExitCode.USAGE));
            try (tty) {
                text = tty.readSecret(prompt + " (24 words, not shown as you type): ");
            } catch (IOException e) {
                throw new CliException("terminal.io", "could not read the terminal: " + e.getMessage(), ExitCode.FAILED, e);
            }
        } else {
            text = halo.io.readStdin();
        }
        try {
            return RecoveryPhrase.parse(text);
        } catch (KeyFormatException e) {
            throw new CliException(e.code(), "not a valid recovery phrase: " + e.getMessage(), ExitCode.BAD_PHRASE, e);
        } finally {
            Arrays.fill(text, '\0');
        }
    }

    int show() throws Exception {
        IdentitySummary s = summary(halo.wallet());
        if (!s.backupConfirmed()) {
            halo.warn("the recovery phrase of " + s.did() + " is not backed up yet: write it down and run "
                    + "'halo identity confirm-backup'");
        }
        halo.print(toJson(s), () -> {
            halo.out("did:     " + s.did());
            halo.out("key:     " + keyOf(s.did()));
            halo.out("name:    " + s.name().orElse("-"));
            halo.out("current: " + (s.current() ? "yes" : "no"));
            halo.out("backup:  " + (s.backupConfirmed() ? "confirmed" : "NOT CONFIRMED"));
            halo.out("HALO:    " + (s.haloSynced() ? "synced" : "waiting for replication from another device"));
        });
        return ExitCode.OK;
    }

    int list() throws Exception {
        List<IdentitySummary> all = halo.wallet().identities();
        List<Object> json = new ArrayList<>();
        all.forEach(s -> json.add(toJson(s)));
        halo.print(json, () -> {
            if (all.isEmpty()) {
                halo.out("No identity yet: 'halo identity create' or 'halo identity recover'.");
                return;
            }
            Table t = new Table("", "DID", "NAME", "BACKUP", "HALO");
            for (IdentitySummary s : all) {
                t.row(s.current() ? "*" : "", s.did(), s.name().orElse("-"),
                        s.backupConfirmed() ? "confirmed" : "NOT CONFIRMED", s.haloSynced() ? "synced" : "waiting");
            }
            t.print(halo.io.stdout());
        });
        return ExitCode.OK;
    }

    int use(String did)
            throws Exception {
        halo.wallet().use(did);
        Map<String, Object> o = Json.object();
        o.put("did", did);
        halo.print(o, () -> halo.out("Now using " + did));
        return ExitCode.OK;
    }

    /** The identity chosen by --identity, else the current one, read without unlocking. */
    private IdentitySummary summary(Wallet wallet) throws CliException, AgentException {
        Optional<String> wanted = halo.identityOption().or(() -> currentOf(wallet));
        if (wanted.isEmpty()) {
            throw new CliException("identity.none", "no identity in " + halo.home()
                    + " yet: run 'halo identity create' or 'halo identity recover'", ExitCode.NOT_FOUND);
        }
        PublicKey key;
        try {
            key = PublicKey.fromDidKey(wanted.get());
        } catch (KeyFormatException e) {
            throw new CliException(e.code(), "not an identity did:key: " + e.getMessage(), ExitCode.USAGE, e);
        }
        for (IdentitySummary s : wallet.identities()) {
            if (s.did().equals(key.toDidKey())) {
                return s;
            }
        }
        throw new CliException("identity.unknown", "no identity " + wanted.get() + " in " + halo.home(), ExitCode.NOT_FOUND);
    }

    private static Optional<String> currentOf(Wallet wallet) {
        try {
            return wallet.current();
        } catch (AgentException e) {
            return Optional.empty();
        }
    }

    static Map<String, Object> toJson(IdentitySummary s) {
        Map<String, Object> o = Json.object();
        o.put("did", s.did());
        o.put("key", keyOf(s.did()));
        o.put("name", s.name());
        o.put("current", s.current());
        o.put("backupConfirmed", s.backupConfirmed());
        o.put("haloSynced", s.haloSynced());
        return o;
    }

    static String keyOf(String did) {
        try {
            return PublicKey.fromDidKey(did).toHex();
        } catch (KeyFormatException e) {
            return "?";
        }
    }
}
