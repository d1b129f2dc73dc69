package org.halo4j.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.halo4j.internal.json.Json;
import org.halo4j.keys.PublicKey;
import org.halo4j.net.ChannelLimits;
import org.halo4j.node.server.Claims;
import org.halo4j.proto.v1.ClaimRefusal;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.Presentation;

/**
 * {@code halo login URL [--code CODE]}: logs this identity in to a site that uses halo4j's web login. Without a
 * code it logs the wallet itself in (for scripts and API use) and prints the session; with the code a browser
 * shows, it shows which site and which browser it is about to log in, asks, and completes that browser's login.
 * It signs only for the origin of the URL it was given, and only if the site names that same origin.
 */
final class LoginCommand {

    /** Where halo4j's endpoints are, unless the site moved them. */
    static final String PREFIX = "/.well-known/halo/";
    private static final String PRESENTATION_TYPE = "application/halo-presentation";
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    final HaloCommand halo;

    LoginCommand(HaloCommand halo) {
        this.halo = halo;
    }

    static Cmd spec(HaloCommand halo) {
        LoginCommand c = new LoginCommand(halo);
        return Cmd.command("login", l -> c.login(l.param(0), l.value("--code"), l.flag("--yes"), l.value("--node")),
                        "Log in to the site at URL with this identity: with --code, the browser that shows the code; "
                                + "without, this wallet itself (prints the session for API use).",
                        "The wallet signs only for the origin of URL (scheme, host and port), and refuses if the site "
                                + "names another. With --code it first shows which browser it is about to log in, as the "
                                + "site describes it, and asks: if that is not your browser, someone may be showing you "
                                + "their code — answer no.",
                        "A site that authorizes by membership claims names its spaces in the challenge: the wallet then "
                                + "asks a node of those spaces (--node, else 'halo config get node') for fresh claims and "
                                + "presents them.")
                .param("URL", "The site (any page of it), or the code link a login page shows.")
                .option(Cmd.Opt.value("--code", "CODE", "The code the site's login page shows (e.g. ABCD-EFGH)."))
                .option(Cmd.Opt.flag("--yes", "Do not ask before completing a browser's login (scripts, tests)."))
                .option(Cmd.Opt.value("--node", "URL", "The node to ask for membership claims, ws://HOST:PORT, when "
                        + "the site wants them (default: 'halo config get node')."));
    }

    int login(String url, Optional<String> code, boolean yes, Optional<String> node) throws Exception {
        URI uri = parse(url);
        String origin = origin(uri);
        Optional<String> linked = codeIn(uri);
        Optional<String> theCode = code.isPresent() ? code : linked;
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        if (theCode.isPresent()) {
            return loginBrowser(http, origin, theCode.get().trim(), yes, code.isEmpty(), node);
        }
        Map<String, String> challenge = get(http, origin + PREFIX + "challenge");
        byte[] nonce = checked(origin, challenge);
        byte[] presentation = sign(origin, nonce, spaces(challenge), node);
        Map<String, String> session = post(http, origin + PREFIX + "login", presentation);
        String cookie = session.getOrDefault("cookie", "halo_session=" + session.get("token"));
        Map<String, Object> o = Json.object();
        o.put("did", session.get("did"));
        o.put("account", session.get("account"));
        o.put("cookie", cookie);
        o.put("token", session.get("token"));
        o.put("expiresAt", session.get("expiresAt"));
        halo.print(o, () -> {
            halo.out("Logged in to " + origin + " as " + session.get("did") + " until " + session.get("expiresAt") + ".");
            halo.out("Session: send 'Cookie: " + cookie + "' or 'Authorization: Bearer " + session.get("token") + "'.");
        });
        return ExitCode.OK;
    }

    private int loginBrowser(HttpClient http, String origin, String code, boolean yes, boolean fromLink,
                             Optional<String> node) throws Exception {
        if (!code.matches("[A-Za-z0-9 \\-]{4,16}")) {
            throw new CliException("argument.code", "a login code looks like ABCD-EFGH", ExitCode.USAGE);
        }
        Map<String, String> waiting = get(http, origin + PREFIX + "code/" + code.replace(" ", ""));
        byte[] nonce = checked(origin, waiting);
        String browser = waiting.getOrDefault("browser", "an unknown browser");
        if (!yes) {
            if (fromLink) {
                halo.warn("this code came in a link: confirm only if you opened " + origin + "'s login page yourself, "
                        + "in the browser described below — someone who sends you their code would be logged in as you");
            }
            confirm(origin, browser);
        }
        byte[] presentation = sign(origin, nonce, spaces(waiting), node);
        Map<String, String> done = post(http, origin + PREFIX + "login?code="
                + java.net.URLEncoder.encode(code.replace(" ", ""), java.nio.charset.StandardCharsets.UTF_8), presentation);
        Map<String, Object> o = Json.object();
        o.put("did", done.get("did"));
        o.put("browser", browser);
        o.put("site", origin);
        halo.print(o, () -> halo.out("Logged in " + browser + " to " + origin + " as " + done.get("did") + "."));
        return ExitCode.OK;
    }

    private void confirm(String origin, String browser) throws CliException {
        Terminal tty = halo.io.terminal().get().orElseThrow(() -> new CliException("login.confirm",
                "completing a browser's login is confirmed on a terminal; pass --yes to skip the question",
                ExitCode.USAGE));
        try (tty) {
            String a = new String(tty.readLine("Log in " + browser + " to " + origin + "? [y/N] ")).trim();
            if (a.equalsIgnoreCase("y") || a.equalsIgnoreCase("yes")) {
                return;
            }
        } catch (IOException e) {
            // refused below
        }
        throw new CliException("login.declined", "not logged in: you declined", ExitCode.FAILED);
    }

    /**
     * Signs the presentation; when the site wants membership claims for {@code spaces}, first asks the node for
     * them, as this device, and presents those it gave.
     */
    private byte[] sign(String origin, byte[] nonce, List<PublicKey> spaces, Optional<String> nodeOption)
            throws Exception {
        URI node = spaces.isEmpty() ? null : NodeAddress.given(halo, nodeOption, "claim.no_node", "the site "
                + "authorizes by membership claims for space " + spaces.get(0).shortId() + "…: a node of that space "
                + "gives them");
        return halo.withAgent(agent -> {
            List<Credential> claims = List.of();
            if (node != null) {
                Claims.Answer answer = Claims.fetch(agent, node, spaces, ChannelLimits.DEFAULT);
                for (ClaimRefusal r : answer.refused()) {
                    halo.warn("no membership claim for space " + HexFormat.of().formatHex(r.getSpaceKey().toByteArray())
                            .substring(0, 8) + "…: " + r.getCode() + ": " + r.getMessage());
                }
                if (answer.claims().isEmpty()) {
                    throw new CliException("claim.none", "the site authorizes by membership claims and the node " + node
                            + " gave none for its spaces (see above)", ExitCode.FAILED);
                }
                claims = answer.claims();
                halo.warn("telling " + origin + " your role in " + claims.size() + " space(s) it asked about, with a "
                        + "membership claim from " + node);
            }
            Presentation p = agent.present(origin, nonce, claims);
            return p.toByteArray();
        });
    }

    /** The spaces a site wants membership claims for (its challenge's {@code spaces}, comma-separated hex keys). */
    private static List<PublicKey> spaces(Map<String, String> answer) throws CliException {
        String listed = answer.getOrDefault("spaces", "").trim();
        if (listed.isEmpty()) {
            return List.of();
        }
        List<PublicKey> out = new java.util.ArrayList<>();
        for (String hex : listed.split(",")) {
            try {
                if (out.size() >= Claims.MAX_SPACES) {
                    throw new CliException("login.protocol", "the site names more than " + Claims.MAX_SPACES
                            + " spaces", ExitCode.FAILED);
                }
                out.add(PublicKey.fromHex(hex));
            } catch (org.halo4j.keys.KeyFormatException e) {
                throw new CliException("login.protocol", "the site names spaces that are not space keys: "
                        + e.getMessage(), ExitCode.FAILED);
            }
        }
        return out;
    }

    /** The challenge of a site's answer, once the site named the origin the wallet was given. */
    private static byte[] checked(String origin, Map<String, String> answer) throws CliException {
        String audience = answer.getOrDefault("audience", "");
        if (!audience.equals(origin)) {
            throw new CliException("login.audience_mismatch", "the site at " + origin + " asks for a login to '"
                    + (audience.length() > 100 ? audience.substring(0, 100) + "…" : audience)
                    + "': refusing to sign for another site than the one you named", ExitCode.FAILED);
        }
        String hex = answer.getOrDefault("challenge", "");
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new CliException("login.protocol", "the site sent no usable challenge", ExitCode.FAILED);
        }
        return HexFormat.of().parseHex(hex);
    }

    private static URI parse(String url) throws CliException {
        try {
            URI uri = new URI(url);
            String scheme = Optional.ofNullable(uri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new CliException("argument.url", "give the site's address, e.g. https://app.example.com",
                        ExitCode.USAGE);
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new CliException("argument.url", "not a URL: " + e.getMessage(), ExitCode.USAGE);
        }
    }

    /** {@code scheme://host[:port]} in lowercase: what a site's audience is (RFC 6454). */
    static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean standard = port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
        return scheme + "://" + host + (standard ? "" : ":" + port);
    }

    /** A code link as a login page shows it: {@code …/.well-known/halo/code/ABCD-EFGH}. */
    private static Optional<String> codeIn(URI uri) {
        String path = Optional.ofNullable(uri.getPath()).orElse("");
        return path.startsWith(PREFIX + "code/") ? Optional.of(path.substring(PREFIX.length() + 5)) : Optional.empty();
    }

    private Map<String, String> get(HttpClient http, String url) throws CliException {
        return answer(http, HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build());
    }

    private Map<String, String> post(HttpClient http, String url, byte[] body) throws CliException {
        return answer(http, HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Content-Type", PRESENTATION_TYPE).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private static Map<String, String> answer(HttpClient http, HttpRequest request) throws CliException {
        HttpResponse<String> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            String why = e instanceof java.net.ConnectException ? "connection refused (is the site running, at this port?)"
                    : e instanceof java.net.http.HttpTimeoutException ? "no answer in " + TIMEOUT.toSeconds() + " s"
                    : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new CliException("login.unreachable", "could not reach " + request.uri().getAuthority() + ": " + why,
                    ExitCode.NETWORK, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("login.interrupted", "interrupted", ExitCode.NETWORK, e);
        }
        Map<String, String> body;
        try {
            body = Json.readFlat(r.body());
        } catch (IllegalArgumentException e) {
            throw new CliException("login.protocol", request.uri() + " answered HTTP " + r.statusCode()
                    + " without a halo4j answer: is it a site with HALO login?", ExitCode.FAILED);
        }
        if (r.statusCode() != 200) {
            String code = body.getOrDefault("error", "login.refused");
            String message = body.getOrDefault("message", "refused");
            throw new CliException(code.matches("[a-z_.]{1,60}") ? code : "login.refused", "the site refused (HTTP "
                    + r.statusCode() + "): " + (message.length() > 300 ? message.substring(0, 300) : message),
                    r.statusCode() == 429 || r.statusCode() == 503 ? ExitCode.NETWORK : ExitCode.FAILED);
        }
        return body;
    }
}
