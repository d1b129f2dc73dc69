package org.halo4j.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Usage errors that name options and commands but never repeat the values given: a mistyped
 * {@code --passphrase s3cret} or 24 words passed as arguments to {@code identity recover} must not land in a
 * terminal's scroll-back or a CI log.
 */
final class Usage {

    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

    private Usage() {
    }

    /** The message for {@code e}, with every value from {@code args} left out. */
    static String describe(ParameterException e, String[] args) {
        if (e instanceof UnmatchedArgumentException u) {
            return unmatched(u);
        }
        return redact(e.getMessage(), args);
    }

    private static String unmatched(UnmatchedArgumentException u) {
        List<String> options = new ArrayList<>();
        int values = 0;
        for (String a : u.getUnmatched()) {
            if (a.startsWith("-") && a.length() > 1 && !isNumber(a)) {
                int eq = a.indexOf('=');
                options.add(eq > 0 ? a.substring(0, eq) : a);
            } else {
                values++;
            }
        }
        StringBuilder m = new StringBuilder();
        if (!options.isEmpty()) {
            m.append(options.size() == 1 ? "unknown option " : "unknown options ");
            m.append(String.join(", ", options.stream().map(o -> "'" + o + "'").toList()));
            List<String> suggestions = u.getSuggestions().stream().filter(s -> s.startsWith("-")).toList();
            if (!suggestions.isEmpty()) {
                m.append(" (did you mean ").append(String.join(" or ", suggestions.stream().limit(3)
                        .map(s -> "'" + s + "'").toList())).append("?)");
            }
        }
        if (values > 0) {
            if (m.length() > 0) {
                m.append("; ");
            }
            String command = u.getCommandLine().getCommandSpec().qualifiedName();
            if (!u.getCommandLine().getCommandSpec().subcommands().isEmpty() && options.isEmpty()) {
                m.append("'").append(command).append("' has no such subcommand: one of ")
                        .append(String.join(", ", u.getCommandLine().getCommandSpec().subcommands().keySet()));
            } else {
                m.append(values).append(values == 1 ? " argument" : " arguments").append(" more than '")
                        .append(command).append("' takes");
            }
            m.append(" (values are not repeated here: they may be secret)");
        }
        return m.toString();
    }

    /** Replaces every quoted value that came from the command line with {@code '…'}. */
    static String redact(String message, String[] args) {
        Set<String> values = new HashSet<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (a.startsWith("-") && eq > 0) {
                values.add(a.substring(eq + 1));
            } else if (!a.startsWith("-") || isNumber(a)) {
                values.add(a);
            }
        }
        Matcher m = QUOTED.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String inside = m.group(1);
            boolean secret = values.stream().anyMatch(v -> !v.isEmpty() && inside.contains(v));
            m.appendReplacement(out, Matcher.quoteReplacement(secret ? "'…'" : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static boolean isNumber(String a) {
        return a.matches("-?\\d+(\\.\\d+)?");
    }
}
