package org.halo4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The controlling terminal, {@code /dev/tty}, for asking a person: it works when stdin and stdout are pipes,
 * as in {@code halo identity recover < words.txt | tee log}. Secrets are read with echo off ({@code stty
 * -echo}, restored afterwards, also on Ctrl-C) into a {@code char[]} that the caller wipes; they never become a
 * {@link String}.
 */
public final class Terminal implements AutoCloseable {

    /** No line a person types here is longer. */
    static final int MAX_LINE = 4096;

    private static final String TTY = "/dev/tty";

    private final InputStream in;
    private final OutputStream out;

    private Terminal(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    /** The controlling terminal, or empty if this process has none (a service, a CI job, {@code setsid}). */
    public static Optional<Terminal> open() {
        File tty = new File(TTY);
        if (!tty.exists()) {
            return Optional.empty();
        }
        FileInputStream in = null;
        try {
            in = new FileInputStream(tty);
            return Optional.of(new Terminal(in, new FileOutputStream(tty)));
        } catch (IOException e) { // ENXIO: no controlling terminal
            if (in != null) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
            return Optional.empty();
        }
    }

    /** Writes {@code text} to the terminal. */
    public void print(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Asks for a line, shown as typed; the caller wipes the result. */
    public char[] readLine(String prompt) throws IOException {
        print(prompt);
        return readLineChars();
    }

    /** Asks for a secret with echo off; the caller wipes the result. */
    public char[] readSecret(String prompt) throws IOException {
        String saved = stty("-g").trim();
        Thread restore = new Thread(() -> {
            try {
                stty(saved);
            } catch (IOException ignored) {
                // the process is ending anyway
            }
        });
        Runtime.getRuntime().addShutdownHook(restore);
        try {
            stty("-echo");
            print(prompt);
            return readLineChars();
        } finally {
            stty(saved.isEmpty() ? "echo" : saved);
            Runtime.getRuntime().removeShutdownHook(restore);
            print("\n");
        }
    }

    /** Reads up to a line end; end of input ends the line too. */
    private char[] readLineChars() throws IOException {
        byte[] buf = new byte[128];
        int n = 0;
        try {
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (n == MAX_LINE) {
                    throw new IOException("a line typed on the terminal is at most " + MAX_LINE + " bytes");
                }
                if (n == buf.length) {
                    byte[] bigger = Arrays.copyOf(buf, buf.length * 2);
                    Arrays.fill(buf, (byte) 0);
                    buf = bigger;
                }
                buf[n++] = (byte) b;
            }
            if (n > 0 && buf[n - 1] == '\r') {
                n--;
            }
            return decode(buf, n);
        } finally {
            Arrays.fill(buf, (byte) 0);
        }
    }

    private static char[] decode(byte[] bytes, int length) throws IOException {
        CharBuffer chars = CharBuffer.allocate(length);
        try {
            var decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            var result = decoder.decode(ByteBuffer.wrap(bytes, 0, length), chars, true);
            if (result.isError()) {
                result.throwException();
            }
            return Arrays.copyOf(chars.array(), chars.position());
        } catch (CharacterCodingException e) {
            throw new IOException("what was typed is not valid UTF-8");
        } finally {
            Arrays.fill(chars.array(), '\0');
        }
    }

    /** Runs {@code stty} on the terminal and returns what it printed. */
    private static String stty(String arg) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("stty", arg)
                .redirectInput(new File(TTY))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        p.getInputStream().transferTo(output);
        try {
            int status = p.waitFor();
            if (status != 0) {
                throw new IOException("stty " + arg + " failed with status " + status);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while setting up the terminal");
        }
        return output.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing to do
        }
        try {
            out.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
