package org.halo4j.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Text output in aligned columns, for people; scripts use {@code --json}. */
final class Table {

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    Table(String... header) {
        this.columns = header.length;
        rows.add(header);
    }

    Table row(Object... cells) {
        String[] r = new String[columns];
        for (int i = 0; i < columns; i++) {
            r[i] = i < cells.length && cells[i] != null ? cells[i].toString() : "";
        }
        rows.add(r);
        return this;
    }

    /** The value, unwrapped if {@link java.util.Optional}, or "-" if there is none. */
    static String orDash(Object value) {
        if (value instanceof java.util.Optional<?> o) {
            value = o.orElse(null);
        }
        return value == null ? "-" : value.toString();
    }

    void print(PrintStream out) {
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                if (width[i] == 0) {
                    continue;
                }
                line.append(r[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
