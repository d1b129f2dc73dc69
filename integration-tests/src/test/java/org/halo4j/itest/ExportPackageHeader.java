package org.halo4j.itest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small parser of the OSGi {@code Export-Package} header (OSGi Core, 3.2.4 "Common Header Syntax"):
 * {@code clause ( ',' clause )*}, where a clause is {@code path ( ';' path )* ( ';' parameter )*} and a parameter
 * is {@code name '=' value} (attribute) or {@code name ':=' value} (directive). Values may be quoted, and quoted
 * values may hold ',' and ';'.
 */
final class ExportPackageHeader {

    private ExportPackageHeader() {
    }

    /**
     * Each exported package with its attributes (directives are left out; a quoted value loses its quotes).
     *
     * @throws IllegalArgumentException if the header is malformed or exports a package twice
     */
    static Map<String, Map<String, String>> parse(String header) {
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        for (String clause : split(header, ',')) {
            List<String> packages = new ArrayList<>();
            Map<String, String> attributes = new LinkedHashMap<>();
            for (String part : split(clause, ';')) {
                int eq = indexOfUnquoted(part, '=');
                if (eq < 0) {
                    if (!attributes.isEmpty()) {
                        throw new IllegalArgumentException("package name after parameters in `" + clause + "`");
                    }
                    packages.add(part);
                } else if (eq > 0 && part.charAt(eq - 1) == ':') {
                    // directive (uses:=, mandatory:=, ...): not needed here
                } else {
                    String name = part.substring(0, eq).trim();
                    attributes.put(name, unquote(part.substring(eq + 1).trim()));
                }
            }
            if (packages.isEmpty()) {
                throw new IllegalArgumentException("clause without a package: `" + clause + "`");
            }
            for (String pkg : packages) {
                if (result.put(pkg, Collections.unmodifiableMap(attributes)) != null) {
                    throw new IllegalArgumentException("package " + pkg + " is exported twice");
                }
            }
        }
        return result;
    }

    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                i++;
            } else if (c == separator && !quoted) {
                parts.add(text.substring(start, i).trim());
                start = i + 1;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quote in `" + text + "`");
        }
        parts.add(text.substring(start).trim());
        for (String p : parts) {
            if (p.isEmpty()) {
                throw new IllegalArgumentException("empty element in `" + text + "`");
            }
        }
        return parts;
    }

    private static int indexOfUnquoted(String text, char wanted) {
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == wanted && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return value;
    }
}
