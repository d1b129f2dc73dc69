package org.halo4j.node.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Refuses a wallet home that other users could tamper with, as ssh refuses such a {@code ~/.ssh}: the home
 * itself must be writable by its owner only and owned by the user running halo, and no directory on the way
 * to it may be writable by other users unless it has the sticky bit (as {@code /tmp} has), since whoever can
 * write a directory can rename what is in it. Where the file system has no Unix modes, nothing is checked.
 */
final class HomePermissions {

    private static final int GROUP_OR_OTHER_WRITE = 0022;
    private static final int STICKY = 01000;

    private HomePermissions() {
    }

    /** Checks the directories on the way to {@code home} (before it is created, so nothing is made in a bad place). */
    static void checkAncestors(Path home) throws IOException, AgentException {
        Path existing = home.toAbsolutePath().normalize().getParent();
        while (existing != null && !Files.isDirectory(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !existing.getFileSystem().supportedFileAttributeViews().contains("unix")) {
            return;
        }
        for (Path dir = existing.toRealPath(); dir != null; dir = dir.getParent()) {
            int m = mode(dir);
            if ((m & GROUP_OR_OTHER_WRITE) != 0 && (m & STICKY) == 0) {
                throw new AgentException("storage.permissions", dir + ", on the way to the wallet " + home
                        + ", is writable by other users without the sticky bit (mode " + octal(m) + "): they could "
                        + "move the wallet aside and put their own in its place. Keep the wallet under a directory "
                        + "only you can write");
            }
        }
    }

    /** Checks the home itself, once it exists. */
    static void checkHome(Path home) throws IOException, AgentException {
        Path real = home.toRealPath();
        if (!real.getFileSystem().supportedFileAttributeViews().contains("unix")) {
            return;
        }
        int mode = mode(real);
        if ((mode & GROUP_OR_OTHER_WRITE) != 0) {
            throw new AgentException("storage.permissions", "the wallet " + home + " is writable by its group or other "
                    + "users (mode " + octal(mode) + "): they could replace its files. Run 'chmod 700 " + home + "'");
        }
        String owner = Files.getOwner(real, LinkOption.NOFOLLOW_LINKS).getName();
        String me = System.getProperty("user.name");
        if (me != null && !owner.equals(me)) {
            throw new AgentException("storage.permissions", "the wallet " + home + " belongs to " + owner
                    + ", not to " + me + " who runs halo; use a wallet of your own");
        }
    }

    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    private static String octal(int mode) {
        return String.format("%04o", mode);
    }
}
