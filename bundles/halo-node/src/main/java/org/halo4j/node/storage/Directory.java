package org.halo4j.node.storage;

import java.io.Closeable;
import java.io.IOException;
import java.util.Set;

/** The storage seam: the store's directory. A test implementation simulates power loss. */
interface Directory extends Closeable {

    /** Names of the regular files, without hidden (temporary) ones. */
    Set<String> names() throws IOException;

    boolean exists(String name) throws IOException;

    /** Opens an existing file for reading and writing. */
    DurableFile open(String name) throws IOException;

    /**
     * Writes a whole file atomically and durably, replacing any file of that name: after a crash the name holds
     * the old content or the new, never a mixture, and once this returns the new content survives.
     */
    void publish(String name, byte[] content) throws IOException;

    /** For messages: where the directory is. */
    String describe(String name);
}
