package org.halo4j.benchmarks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A deliberately small HTTP/1.1 client for load on loopback: one kept-alive connection, requests written as
 * prepared bytes, responses read with {@code Content-Length} or chunked bodies. It does far less per request than
 * the JDK's {@code HttpClient} (no selector thread, no futures, no header maps), so that when the load generator
 * shares the server's cores it takes as little of them as a client can, and the benchmark measures the server.
 * Not a general client: no redirects, no TLS, no pipelining, no bodyless statuses (1xx, 204, 304) and no
 * close-delimited bodies (both refused with an {@link IOException}), bodies up to 1 MiB, 30 s per read.
 */
final class LoopbackHttp implements Closeable {

    private static final int MAX_HEAD = 16 * 1024;
    private static final int MAX_BODY = 1 << 20;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** One response: status and body (as text). */
    record Response(int status, String body) {
    }

    LoopbackHttp(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000); // a stalled server fails the benchmark instead of hanging it
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = socket.getOutputStream();
    }

    /** A GET with the given extra header lines (each {@code Name: value}), prepared once and sent many times. */
    static byte[] prepareGet(int port, String path, String... headerLines) {
        StringBuilder b = new StringBuilder(256).append("GET ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1:")
                .append(port).append("\r\n");
        for (String h : headerLines) {
            b.append(h).append("\r\n");
        }
        return b.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A POST of a form body, prepared once. */
    static byte[] preparePostForm(int port, String path, String form) {
        byte[] body = form.getBytes(StandardCharsets.US_ASCII);
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** Sends one prepared request and reads its whole response. */
    Response send(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        int status = -1;
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        int headBytes = 0;
        for (String line = line(); ; line = line()) {
            headBytes += line.length() + 2;
            if (headBytes > MAX_HEAD) {
                throw new IOException("response head longer than " + MAX_HEAD + " bytes");
            }
            if (status < 0) {
                if (!line.startsWith("HTTP/1.1 ") || line.length() < 12) {
                    throw new IOException("not an HTTP/1.1 status line: " + line);
                }
                status = Integer.parseInt(line.substring(9, 12));
                continue;
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon);
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = number(value, 10, "Content-Length");
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.toLowerCase(Locale.ROOT).endsWith("chunked")) {
                chunked = true;
            } else if (name.equalsIgnoreCase("Connection")) {
                for (String token : value.split(",")) {
                    close |= token.trim().equalsIgnoreCase("close");
                }
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (status / 100 == 1 || status == 204 || status == 304) {
            throw new IOException("status " + status + " (no body by definition) is not expected here");
        }
        if (chunked) {
            for (long size = number(line().split(";", 2)[0].trim(), 16, "chunk size"); size > 0;
                 size = number(line().split(";", 2)[0].trim(), 16, "chunk size")) {
                copy(size, body);
                line(); // the CRLF after the chunk
            }
            for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                // trailers are read and dropped
            }
        } else if (length >= 0) {
            copy(length, body);
        } else {
            throw new IOException("a response with neither Content-Length nor chunked body (close-delimited bodies are "
                    + "not read here)");
        }
        if (close) {
            throw new IOException("the server closed the connection (status " + status + ")");
        }
        return new Response(status, body.toString(StandardCharsets.UTF_8));
    }

    private static long number(String text, int radix, String what) throws IOException {
        try {
            long n = Long.parseLong(text, radix);
            if (n < 0) {
                throw new IOException("negative " + what + ": " + text);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException("not a " + what + ": " + text, e);
        }
    }

    private void copy(long length, ByteArrayOutputStream to) throws IOException {
        if (length > MAX_BODY - to.size()) {
            throw new IOException("response body over " + MAX_BODY + " bytes");
        }
        int n = (int) length;
        byte[] buf = new byte[Math.max(1, Math.min(n, 8192))];
        while (n > 0) {
            int r = in.read(buf, 0, Math.min(n, buf.length));
            if (r < 0) {
                throw new EOFException("connection closed inside a response body");
            }
            to.write(buf, 0, r);
            n -= r;
        }
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed inside a response head");
            }
            if (b.length() > MAX_HEAD) {
                throw new IOException("response line longer than " + MAX_HEAD + " bytes");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
