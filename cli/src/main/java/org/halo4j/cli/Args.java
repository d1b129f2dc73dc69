package org.halo4j.cli;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.halo4j.keys.KeyFormatException;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.spaces.Roles;

/** Parsing of command-line arguments into halo4j values, with usage errors that say what was expected. */
final class Args {

    /** Shortest hex prefix accepted in place of a whole key or id. */
    static final int MIN_PREFIX = 8;

    private Args() {
    }

    /** An identity: its did:key, or its key in hex. */
    static PublicKey identity(String text) throws CliException {
        try {
            return PublicKey.parse(text);
        } catch (KeyFormatException e) {
            throw new CliException(e.code(), "'" + abbreviate(text) + "' is not an identity (did:key:z6Mk… or 64 hex digits): "
                    + e.getMessage(), ExitCode.USAGE, e);
        }
    }

    /** A role: OWNER, ADMIN, EDITOR, READER or REMOVED, any case. */
    static SpaceRole role(String text) throws CliException {
        try {
            return Roles.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException("argument.role", e.getMessage(), ExitCode.USAGE);
        }
    }

    /** Bytes in hex (either case). */
    static byte[] hex(String what, String text) throws CliException {
        try {
            return HexFormat.of().parseHex(text.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CliException("argument.hex", what + " is hex digits (0-9, a-f, an even number of them), found '"
                    + abbreviate(text) + "'", ExitCode.USAGE);
        }
    }

    /**
     * The one item among {@code items} whose hex form is {@code text} or starts with it (at least
     * {@value #MIN_PREFIX} digits).
     */
    static <T> T byHex(String what, String text, List<T> items, Function<T, String> hexOf) throws CliException {
        String wanted = text.toLowerCase(Locale.ROOT);
        if (!wanted.matches("[0-9a-f]+")) {
            throw new CliException("argument.hex", "a " + what + " is given in hex (0-9, a-f), found '"
                    + abbreviate(text) + "'", ExitCode.USAGE);
        }
        List<T> found = new ArrayList<>();
        for (T item : items) {
            String hex = hexOf.apply(item);
            if (hex.equals(wanted)) {
                return item;
            }
            if (wanted.length() >= MIN_PREFIX && hex.startsWith(wanted)) {
                found.add(item);
            }
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        if (found.isEmpty()) {
            String hint = wanted.length() < MIN_PREFIX && wanted.length() < 64
                    ? " (give at least " + MIN_PREFIX + " hex digits)" : "";
            throw new CliException(what + ".unknown", "no " + what + " " + abbreviate(text) + hint, ExitCode.NOT_FOUND);
        }
        throw new CliException(what + ".ambiguous", found.size() + " " + what + "s start with " + text
                + ": give more digits", ExitCode.USAGE);
    }

    /** Repeated {@code KEY=VALUE} values of {@code option}, in order; a later key replaces an earlier one. */
    static java.util.LinkedHashMap<String, String> properties(String option, List<String> values) throws CliException {
        java.util.LinkedHashMap<String, String> out = new java.util.LinkedHashMap<>();
        for (String v : values) {
            int eq = v.indexOf('=');
            if (eq <= 0) {
                throw CliException.usage(option + " takes KEY=VALUE, with a key before the '=' (the value given is "
                        + "not repeated here)");
            }
            out.put(v.substring(0, eq), v.substring(eq + 1));
        }
        return out;
    }

    /** A TCP port, 0 to 65535 (0: any free port). */
    static int port(String text) throws CliException {
        if (text.matches("[0-9]{1,5}") && Integer.parseInt(text) <= 65535) {
            return Integer.parseInt(text);
        }
        throw new CliException("argument.port", "a port is a number from 0 to 65535", ExitCode.USAGE);
    }

    /** A duration as a person writes it: 30s, 10m, 2h, 1d (or ISO-8601, PT10M); at least 10 s, at most 30 days. */
    static java.time.Duration duration(String text) throws CliException {
        java.time.Duration d = null;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,6})([smhd])").matcher(text.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "s" -> java.time.Duration.ofSeconds(n);
                case "m" -> java.time.Duration.ofMinutes(n);
                case "h" -> java.time.Duration.ofHours(n);
                default -> java.time.Duration.ofDays(n);
            };
        } else if (text.trim().startsWith("P") || text.trim().startsWith("p")) {
            try {
                d = java.time.Duration.parse(text.trim());
            } catch (java.time.format.DateTimeParseException e) {
                d = null;
            }
        }
        if (d == null || d.compareTo(java.time.Duration.ofSeconds(10)) < 0 || d.compareTo(java.time.Duration.ofDays(30)) > 0) {
            throw new CliException("argument.duration", "a duration is like 30s, 10m, 2h or 1d, from 10 seconds to 30 "
                    + "days", ExitCode.USAGE);
        }
        return d;
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
