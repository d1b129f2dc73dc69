package org.halo4j.cli;

import java.net.URI;
import java.net.URISyntaxException;

/** A node's address as a person writes it: {@code ws://HOST:PORT} ({@code wss:}, or {@code http(s):} for ws(s)). */
final class NodeAddress {

    private NodeAddress() {
    }

    /** The base URI {@code ws://host:port} (no path), or a usage error that names the expected form. */
    static URI parse(String text) throws CliException {
        URI u;
        try {
            u = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw bad();
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme();
        String ws = switch (scheme) {
            case "ws", "http" -> "ws";
            case "wss", "https" -> "wss";
            default -> throw bad();
        };
        if (u.getHost() == null || u.getUserInfo() != null || u.getQuery() != null || u.getFragment() != null
                || !(u.getPath() == null || u.getPath().isEmpty() || u.getPath().equals("/"))) {
            throw bad();
        }
        int port = u.getPort() == -1 ? org.halo4j.node.server.HaloNode.DEFAULT_PORT : u.getPort();
        return URI.create(ws + "://" + (u.getHost().contains(":") && !u.getHost().startsWith("[") ? "[" + u.getHost() + "]" : u.getHost()) + ":" + port);
    }

    /**
     * The node named by {@code option}, else the configured one ({@code halo config set node}); if neither, a usage
     * error with {@code code} saying what needs it and both ways to name one.
     */
    static URI given(HaloCommand halo, java.util.Optional<String> option, String code, String neededFor)
            throws CliException {
        if (option.isPresent()) {
            return parse(option.get());
        }
        java.util.Optional<String> configured = CliConfig.read(halo.home()).get(CliConfig.NODE);
        if (configured.isEmpty()) {
            throw new CliException(code, neededFor + ": give --node ws://HOST:PORT, or set one with "
                    + "'halo config set node ws://HOST:PORT'", ExitCode.USAGE);
        }
        return parse(configured.get());
    }

    /** As {@link #parse}, for a value that was checked when it was stored ({@code halo config set}). */
    static URI parseUnchecked(String text) {
        try {
            return parse(text);
        } catch (CliException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static CliException bad() {
        return new CliException("argument.node", "a node address is ws://HOST:PORT (or wss://, http://, https://), "
                + "with no path", ExitCode.USAGE);
    }
}
