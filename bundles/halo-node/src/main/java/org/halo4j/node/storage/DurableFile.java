package org.halo4j.node.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The storage seam: one file that halo4j reads, appends to, truncates and forces. A test implementation keeps the
 * bytes written but not yet forced apart and drops them at a simulated power loss.
 */
interface DurableFile extends Closeable {

    long size() throws IOException;

    /** Fills {@code dst} from {@code position}, or throws {@link java.io.EOFException} at the end of the file. */
    void read(long position, ByteBuffer dst) throws IOException;

    /** Writes all of {@code src} at {@code position}. Not durable until {@link #force()}. */
    void write(long position, ByteBuffer src) throws IOException;

    /** Makes every write and truncation so far durable, including the file's size. */
    void force() throws IOException;

    /** Cuts the file to {@code size} bytes. Not durable until {@link #force()}. */
    void truncate(long size) throws IOException;
}
