package org.halo4j.cli;

/** {@code halo --version}: the version in the jar's manifest. */
final class Version {

    private Version() {
    }

    static String[] lines() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"halo " + (v == null ? "(development build)" : v) + " — halo4j command-line wallet",
                "Java " + System.getProperty("java.version") + " " + System.getProperty("java.vm.name")};
    }
}
