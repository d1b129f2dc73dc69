package org.halo4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The name of this machine, as the default name of a new device. */
final class Hosts {

    private Hosts() {
    }

    /** {@code /etc/hostname}, else {@code $HOSTNAME}/{@code $COMPUTERNAME}, else "this device"; no DNS look-up. */
    static String localName() {
        try {
            Path etc = Path.of("/etc/hostname");
            if (Files.isReadable(etc)) {
                String name = Files.readString(etc, StandardCharsets.UTF_8).trim();
                if (!name.isEmpty() && name.length() <= 255) {
                    return name;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        for (String var : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
            String v = System.getenv(var);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return "this device";
    }
}
