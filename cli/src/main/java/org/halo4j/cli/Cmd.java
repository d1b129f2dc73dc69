package org.halo4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One command of {@code halo}, or a group of them: its name, description, options, parameters and handler,
 * declared in plain code. {@link #parse} reads a command line against the tree and {@link #help} writes its
 * help. No reflection and no annotations: building the whole tree and parsing a line cost well under a
 * millisecond, which matters for a command that is started for every use (docs/performance.md).
 */
final class Cmd {

    /** Runs a parsed command line; returns the exit code. */
    @FunctionalInterface
    interface Handler {
        int run(Line line) throws Exception;
    }

    /** An option: a flag, or one that takes a value ({@code label} names the value in help). */
    record Opt(List<String> names, String label, List<String> description, boolean required, boolean repeatable,
               boolean negatable) {

        static Opt flag(String name, String... description) {
            return new Opt(List.of(name), null, List.of(description), false, false, false);
        }

        static Opt shortFlag(String shortName, String name, String... description) {
            return new Opt(List.of(shortName, name), null, List.of(description), false, false, false);
        }

        /** A flag that also has a {@code --no-} form: true, false, or not given. */
        static Opt negatable(String name, String... description) {
            return new Opt(List.of(name), null, List.of(description), false, false, true);
        }

        static Opt value(String name, String label, String... description) {
            return new Opt(List.of(name), label, List.of(description), false, false, false);
        }

        /** The same option, which every use of its command must give. */
        Opt asRequired() {
            return new Opt(names, label, description, true, repeatable, negatable);
        }

        /** The same option, which may be given more than once (all values are kept). */
        Opt asRepeatable() {
            return new Opt(names, label, description, required, true, negatable);
        }

        /** The longest name, which also keys its value in a {@link Line}. */
        String name() {
            return names.get(names.size() - 1);
        }

        boolean takesValue() {
            return label != null;
        }

        /** As help shows it: {@code -v, --verbose}, {@code --home=DIR}, {@code --[no-]progress}. */
        String synopsis() {
            if (negatable) {
                return "--[no-]" + name().substring(2);
            }
            return String.join(", ", names) + (takesValue() ? "=" + label : "");
        }
    }

    /** A positional parameter. */
    record Param(String label, List<String> description, boolean optional) {
    }

    final String name;
    final List<String> description;
    final List<Opt> options = new ArrayList<>();
    final List<Param> params = new ArrayList<>();
    final Map<String, Cmd> subcommands = new LinkedHashMap<>();
    final List<String> footer = new ArrayList<>();
    final Handler handler;
    Cmd parent;

    private Cmd(String name, Handler handler, String... description) {
        this.name = name;
        this.handler = handler;
        this.description = List.of(description);
    }

    /** A command that groups subcommands. */
    static Cmd group(String name, String... description) {
        return new Cmd(name, null, description);
    }

    /** A command that runs {@code handler}. */
    static Cmd command(String name, Handler handler, String... description) {
        return new Cmd(name, handler, description);
    }

    Cmd option(Opt o) {
        options.add(o);
        return this;
    }

    Cmd param(String label, String... description) {
        params.add(new Param(label, List.of(description), false));
        return this;
    }

    Cmd optionalParam(String label, String... description) {
        params.add(new Param(label, List.of(description), true));
        return this;
    }

    Cmd sub(Cmd c) {
        c.parent = this;
        subcommands.put(c.name, c);
        return this;
    }

    Cmd footer(String... lines) {
        footer.addAll(List.of(lines));
        return this;
    }

    /** {@code halo space set-role}. */
    String qualifiedName() {
        return parent == null ? name : parent.qualifiedName() + " " + name;
    }

    /** The root, whose options every command inherits. */
    Cmd root() {
        return parent == null ? this : parent.root();
    }

    /** The options this command accepts: its own, then those of the root. */
    List<Opt> allOptions() {
        List<Opt> all = new ArrayList<>(options);
        if (parent != null) {
            all.addAll(root().options);
        }
        return all;
    }

    private Optional<Opt> find(String name) {
        for (Opt o : allOptions()) {
            if (o.names().contains(name) || (o.negatable() && name.equals("--no-" + o.name().substring(2)))) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /**
     * Parses {@code args} against this command (the root). Messages of the errors name options, commands and
     * counts, never a value given: a mistyped option followed by a passphrase must not land in a log.
     *
     * @throws UsageException for a command line the tree does not accept
     */
    Line parse(String... args) throws UsageException {
        Cmd cmd = this;
        Line line = new Line();
        boolean onlyParams = false;
        int extra = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!onlyParams && a.equals("--")) {
                onlyParams = true;
                continue;
            }
            if (!onlyParams && a.startsWith("-") && a.length() > 1 && !isNumber(a)) {
                int eq = a.indexOf('=');
                String name = eq > 0 ? a.substring(0, eq) : a;
                Cmd at = cmd;
                Opt o = cmd.find(name).orElseThrow(() -> unknownOption(at, name));
                if (line.given(o) && !o.repeatable()) {
                    throw new UsageException(cmd, "option '" + o.name() + "' is given more than once");
                }
                if (!o.takesValue()) {
                    if (eq > 0) {
                        throw new UsageException(cmd, "option '" + name + "' takes no value");
                    }
                    line.set(o, name.startsWith("--no-") ? "false" : "true");
                    continue;
                }
                String value;
                if (eq > 0) {
                    value = a.substring(eq + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new UsageException(cmd, "option '" + name + "' needs a value (" + o.label() + ")");
                }
                line.set(o, value);
                continue;
            }
            if (!onlyParams && !cmd.subcommands.isEmpty() && line.params.isEmpty()) {
                Cmd sub = cmd.subcommands.get(a);
                if (sub == null) {
                    throw new UsageException(cmd, "'" + cmd.qualifiedName() + "' has no such command: one of "
                            + String.join(", ", cmd.subcommands.keySet()) + suggestion(a, cmd.subcommands.keySet()));
                }
                cmd = sub;
                continue;
            }
            if (line.params.size() < cmd.params.size()) {
                line.params.add(a);
            } else {
                extra++;
            }
        }
        line.command = cmd;
        if (line.flag("--help") || line.flag("--version")) {
            return line; // help and version need nothing else
        }
        if (extra > 0) {
            throw new UsageException(cmd, extra + (extra == 1 ? " argument" : " arguments") + " more than '"
                    + cmd.qualifiedName() + "' takes (values are not repeated here: they may be secret)");
        }
        if (cmd.handler == null) {
            throw new UsageException(cmd, "missing command: one of " + String.join(", ", cmd.subcommands.keySet()));
        }
        for (Opt o : cmd.allOptions()) {
            if (o.required() && !line.given(o)) {
                throw new UsageException(cmd, "missing required option '" + o.synopsis() + "'");
            }
        }
        for (int p = line.params.size(); p < cmd.params.size(); p++) {
            if (!cmd.params.get(p).optional()) {
                throw new UsageException(cmd, "missing parameter " + cmd.params.get(p).label());
            }
        }
        return line;
    }

    private static UsageException unknownOption(Cmd cmd, String name) {
        List<String> names = new ArrayList<>();
        for (Opt o : cmd.allOptions()) {
            names.addAll(o.names());
        }
        return new UsageException(cmd, "unknown option '" + name + "'" + suggestion(name, names));
    }

    /** " (did you mean 'x'?)" for the closest known name, if it is close. */
    static String suggestion(String typed, Iterable<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = k.startsWith(typed) || typed.startsWith(k) ? 1 : distance(typed, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, typed.length() / 3) ? " (did you mean '" + best + "'?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static boolean isNumber(String a) {
        return a.matches("-\\d+(\\.\\d+)?");
    }

    // ---- help ---------------------------------------------------------------------------------------------

    /** Width of help text. */
    static final int WIDTH = 100;

    /** The help of this command, as {@code --help} prints it. */
    String help() {
        StringBuilder b = new StringBuilder();
        StringBuilder usage = new StringBuilder("Usage: " + qualifiedName() + " [OPTIONS]");
        if (!subcommands.isEmpty()) {
            usage.append(" COMMAND");
        }
        for (Param p : params) {
            usage.append(p.optional() ? " [" + p.label() + "]" : " " + p.label());
        }
        for (Opt o : allOptions()) {
            if (o.required()) {
                usage.append(" ").append(o.synopsis());
            }
        }
        b.append(usage).append('\n');
        for (String d : description) {
            wrap(b, d, "", "");
        }
        List<String[]> rows = new ArrayList<>();
        for (Param p : params) {
            rows.add(new String[] {p.label(), String.join("\n", p.description())});
        }
        section(b, "Parameters:", rows);
        rows = new ArrayList<>();
        for (Opt o : options) {
            rows.add(new String[] {o.synopsis(), String.join("\n", o.description())});
        }
        section(b, "Options:", rows);
        if (parent != null) {
            rows = new ArrayList<>();
            for (Opt o : root().options) {
                rows.add(new String[] {o.synopsis(), String.join("\n", o.description())});
            }
            section(b, "Global options:", rows);
        }
        rows = new ArrayList<>();
        for (Cmd c : subcommands.values()) {
            rows.add(new String[] {c.name, c.description.isEmpty() ? "" : c.description.get(0)});
        }
        section(b, "Commands:", rows);
        List<String> foot = root().footer;
        if (!foot.isEmpty()) {
            b.append('\n');
            for (String f : foot) {
                wrap(b, f, "", "");
            }
        }
        return b.toString();
    }

    private static void section(StringBuilder b, String title, List<String[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        b.append('\n').append(title).append('\n');
        int width = 0;
        for (String[] r : rows) {
            width = Math.max(width, r[0].length());
        }
        width = Math.min(width, 28);
        for (String[] r : rows) {
            String head = "  " + r[0];
            String pad = " ".repeat(width + 4);
            String[] lines = r[1].split("\n");
            if (r[0].length() > width) {
                b.append(head).append('\n');
                for (String l : lines) {
                    wrap(b, l, pad, pad);
                }
            } else {
                String first = head + " ".repeat(width + 4 - head.length());
                for (int i = 0; i < lines.length; i++) {
                    wrap(b, lines[i], i == 0 ? first : pad, pad);
                }
            }
        }
    }

    /** Appends {@code text} wrapped at {@link #WIDTH} on spaces only, so a URL or a command stays whole. */
    static void wrap(StringBuilder b, String text, String first, String rest) {
        StringBuilder line = new StringBuilder(first);
        int empty = first.length();
        for (String word : text.split(" ")) {
            if (line.length() > empty && line.length() + 1 + word.length() > WIDTH) {
                b.append(line.toString().stripTrailing()).append('\n');
                line = new StringBuilder(rest);
                empty = rest.length();
            }
            if (line.length() > empty) {
                line.append(' ');
            }
            line.append(word);
        }
        b.append(line.toString().stripTrailing()).append('\n');
    }

    /** A command line the tree does not accept: the message names what is wrong, never a value given. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Cmd command;

        UsageException(Cmd command, String message) {
            super(message);
            this.command = command;
        }

        /** The command whose help says more. */
        Cmd command() {
            return command;
        }
    }

    /** What a command line gave: option values by option name, and the parameters. */
    static final class Line {
        private final Map<String, List<String>> values = new LinkedHashMap<>();
        final List<String> params = new ArrayList<>();
        Cmd command;

        private boolean given(Opt o) {
            return values.containsKey(o.name());
        }

        private void set(Opt o, String value) {
            values.computeIfAbsent(o.name(), k -> new ArrayList<>()).add(value);
        }

        /** The value of the option, if given. */
        Optional<String> value(String name) {
            List<String> v = values.get(name);
            return v == null ? Optional.empty() : Optional.of(v.get(v.size() - 1));
        }

        /** Every value of a repeatable option, in order. */
        List<String> values(String name) {
            return values.getOrDefault(name, List.of());
        }

        /** True if the flag was given. */
        boolean flag(String name) {
            return value(name).filter("true"::equals).isPresent();
        }

        /** A negatable flag: true, false ({@code --no-}), or empty if not given. */
        Optional<Boolean> negatable(String name) {
            return value(name).map(Boolean::parseBoolean);
        }

        /** The {@code i}-th parameter. */
        String param(int i) {
            return params.get(i);
        }

        Optional<String> optionalParam(int i) {
            return i < params.size() ? Optional.of(params.get(i)) : Optional.empty();
        }
    }
}
