package org.halo4j.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.errors.RejectionCode;
import org.halo4j.keys.PublicKey;
import org.halo4j.presentations.Challenge;
import org.halo4j.presentations.ChallengeStoreFullException;
import org.halo4j.presentations.HaloVerifier;
import org.halo4j.presentations.LoginResult;
import org.halo4j.proto.v1.Presentation;
import org.halo4j.proto.v1.PresentationBody;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.servlet.internal.BrowserLogins;
import org.halo4j.servlet.internal.JsonOut;
import org.halo4j.servlet.internal.QrSvg;
import org.halo4j.servlet.internal.Sessions;
import org.halo4j.spaces.Roles;

/**
 * Passwordless HALO login for a Jakarta Servlet 6 web app (DESIGN §7). Map it on {@code /*}; it serves, under
 * {@link HaloWebConfig#prefix()} ({@code /.well-known/halo/} by default):
 * <ul>
 *   <li>{@code GET challenge} — a fresh challenge, {@code {"challenge": "<nonce hex>", "audience": "…",
 *       "expiresAt": "…"}} (503 with {@code Retry-After} when too many are open; 429 past the per-client rate);</li>
 *   <li>{@code POST login} — the wallet's encoded {@code halo.v1.Presentation} as the body, with content type
 *       {@value #PRESENTATION_TYPE}: a session, {@code {"did": …, "account": …, "token": …, "expiresAt": …}}
 *       and the session cookie;</li>
 *   <li>{@code POST logout} — ends the session; {@code GET session} — who the session is.</li>
 * </ul>
 * API clients may instead answer a 401's {@code WWW-Authenticate: HALO challenge="…", audience="…"} with
 * {@code Authorization: HALO <base64url presentation>} on the request itself, and then send {@code Authorization:
 * Bearer <token>} (the token comes back in {@code Authentication-Info}). On every request to a protected path
 * the session's device chain is checked against revocations and the identity's role in the path's space is
 * read from the {@link MembershipSource}: a revoked device gets 401, a removed member or a lower role 403 — from
 * the next request on. Every refusal carries a JSON body {@code {"error": "<reason code>", "message": "…"}}.
 *
 * <p>Downstream, {@link HttpServletRequest#getUserPrincipal()} is the {@link HaloPrincipal}, {@code
 * getRemoteUser()} the account, and {@code isUserInRole("space:<spaceId>:<ROLE>")} is true for that role or a
 * higher one.
 */
public final class HaloFilter implements Filter {

    /** Cookie that binds a pending browser login to the browser that asked for it. */
    private static final String PENDING_COOKIE = "halo_pending";
    /** Content type of a posted presentation: the bytes of an encoded {@code halo.v1.Presentation}. */
    public static final String PRESENTATION_TYPE = "application/halo-presentation";
    /** Longest presentation accepted, as DESIGN §3 bounds every message. */
    private static final int MAX_PRESENTATION = 64 * 1024;
    /** Browser logins one client address may have waiting at once. */
    private static final int PENDING_PER_CLIENT = 5;
    /** Nonces of finished logins remembered, to name a replay as such. */
    private static final int REMEMBERED_NONCES = 10_000;

    private final HaloWebConfig config;
    private final MembershipSource membership;
    private final IdentityMapper mapper;
    private final Sessions sessions;
    private final RequestRateLimiter limiter;
    private final BrowserLogins browserLogins;
    private final Map<String, Boolean> usedNonces = new LinkedHashMap<>(256, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_NONCES;
        }
    };
    /**
     * One verifier for every login, so that its chain cache serves them all; it asks the membership source about
     * revocations at each login (fails closed when the state cannot be read).
     */
    private final HaloVerifier verifier;

    public HaloFilter(HaloWebConfig config, MembershipSource membership, IdentityMapper mapper) {
        this.config = Objects.requireNonNull(config);
        this.membership = Objects.requireNonNull(membership);
        this.mapper = Objects.requireNonNull(mapper);
        this.sessions = new Sessions(config.maxSessions());
        this.limiter = new RequestRateLimiter(config.requestsPerMinute());
        this.browserLogins = new BrowserLogins(1_000, PENDING_PER_CLIENT, config.challengeTtl());
        this.verifier = HaloVerifier.builder().audience(config.audience()).challengeStore(config.challengeStore())
                .deviceStatus(membership.liveDeviceStatus()).clock(config.clock()).challengeTtl(config.challengeTtl())
                .build();
    }

    /** Live sessions (for status pages and tests). */
    public int sessionCount() {
        return sessions.size();
    }

    /** A refusal: HTTP status, reason code, message, and for 401 whether to offer a new challenge. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;
        final long retryAfter;

        Refusal(int status, String code, String message) {
            this(status, code, message, 0);
        }

        Refusal(int status, String code, String message, long retryAfter) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
            this.retryAfter = retryAfter;
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest r) || !(res instanceof HttpServletResponse s)) {
            chain.doFilter(req, res);
            return;
        }
        String path = path(r);
        try {
            if (path.startsWith(config.prefix())) {
                endpoint(path.substring(config.prefix().length()), r, s);
                return;
            }
            Optional<HaloPrincipal> session = stillStanding(authenticate(r, s), r, s);
            Optional<HaloWebConfig.Rule> rule = config.ruleFor(path);
            if (rule.isPresent()) {
                if (session.isEmpty()) {
                    throw new Refusal(401, "session.none", "this page needs a HALO login: run 'halo login "
                            + config.audience() + path + "', or answer the challenge in WWW-Authenticate");
                }
                authorize(session.get(), rule.get(), r);
            }
            chain.doFilter(session.isPresent() ? new Authenticated(r, session.get()) : r, s);
        } catch (Refusal e) {
            refuse(r, s, e);
        }
    }

    /**
     * The path the container maps to a servlet: decoded, normalized, without {@code ;parameters} — the same path
     * the rules must see, or {@code /admin;x/} and {@code /%61dmin/} would pass a rule on {@code /admin/*} and still
     * reach the admin servlet.
     */
    private static String path(HttpServletRequest r) {
        String servletPath = Optional.ofNullable(r.getServletPath()).orElse("");
        String info = r.getPathInfo();
        String p = info == null ? servletPath : servletPath + info;
        return p.isEmpty() ? "/" : p;
    }

    /**
     * A session whose device has been revoked since its login ends on the next request, on every path, open or
     * protected: 401 {@code device.revoked} (a browser is sent to the login page), so no principal or role of a
     * revoked device ever reaches the app.
     */
    private Optional<HaloPrincipal> stillStanding(Optional<HaloPrincipal> session, HttpServletRequest r,
                                                  HttpServletResponse s)
            throws Refusal {
        if (session.isEmpty()) {
            return session;
        }
        try {
            if (session.get().revokedIn(membership.deviceStatus())) {
                sessions.end(bearer(r).orElse(null));
                sessions.end(cookie(r).orElse(null));
                setCookie(s, "", 0);
                throw new Refusal(401, RejectionCode.DEVICE_REVOKED.code(), "the device "
                        + session.get().device().shortId()
                        + " that logged in was revoked: log in again from a device that is not");
            }
        } catch (MembershipUnavailableException e) {
            throw new Refusal(503, "membership.unavailable", "the membership state cannot be read now; try again", 5);
        }
        return session;
    }

    // ---- endpoints ----

    private void endpoint(String name, HttpServletRequest r, HttpServletResponse s) throws IOException, Refusal {
        s.setHeader("Cache-Control", "no-store");
        s.setHeader("X-Content-Type-Options", "nosniff");
        if (name.startsWith("code/")) {
            method(r, "GET");
            limit(r);
            walletReadsCode(name.substring(5), s);
            return;
        }
        switch (name) {
            case "page" -> resource(r, s, "login.html", "text/html; charset=utf-8");
            case "login.js" -> resource(r, s, "login.js", "text/javascript; charset=utf-8");
            case "login.css" -> resource(r, s, "login.css", "text/css; charset=utf-8");
            case "code" -> {
                method(r, "POST");
                if (!config.audience().equals(r.getHeader("Origin"))) {
                    throw new Refusal(403, "request.origin", "a browser login is started by this site's login page");
                }
                limit(r);
                browserStarts(r, s);
            }
            case "code-status" -> {
                method(r, "GET");
                browserPolls(r, s);
            }
            case "challenge" -> {
                method(r, "GET");
                limit(r);
                Challenge c = newChallenge();
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("challenge", c.nonceHex());
                o.put("audience", c.audience());
                o.put("expiresAt", c.expiresAt().toString());
                if (!membership.claimedSpaces().isEmpty()) {
                    o.put("spaces", String.join(",", membership.claimedSpaces()));
                }
                json(s, 200, o);
            }
            case "login" -> {
                method(r, "POST");
                sameOrigin(r);
                limit(r);
                String type = Optional.ofNullable(r.getContentType()).orElse("").toLowerCase(Locale.ROOT);
                if (!type.startsWith(PRESENTATION_TYPE)) {
                    throw new Refusal(415, "request.content_type", "post the encoded presentation as " + PRESENTATION_TYPE);
                }
                byte[] presentation = body(r);
                String code = r.getParameter("code");
                if (code != null) {
                    walletCompletes(code, presentation, r, s);
                    return;
                }
                Issued issued = login(presentation, r);
                setCookie(s, issued.token(), maxAge(issued.principal()));
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("did", issued.principal().did());
                o.put("account", issued.principal().account());
                o.put("token", issued.token());
                o.put("cookie", sessionCookie() + "=" + issued.token());
                o.put("expiresAt", issued.principal().expiresAt().toString());
                json(s, 200, o);
            }
            case "logout" -> {
                method(r, "POST");
                sameOrigin(r);
                boolean ended = sessions.end(bearer(r).orElse(null)) | sessions.end(cookie(r).orElse(null));
                setCookie(s, "", 0);
                if (Optional.ofNullable(r.getHeader("Accept")).orElse("").contains("text/html")) {
                    s.setStatus(303); // a form in a page: back to the site
                    s.setHeader("Location", r.getContextPath() + "/");
                    return;
                }
                json(s, 200, Map.of("loggedOut", ended));
            }
            case "session" -> {
                method(r, "GET");
                HaloPrincipal session = stillStanding(authenticate(r, s), r, s).orElseThrow(() -> new Refusal(401,
                        "session.none", "not logged in"));
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("did", session.did());
                o.put("account", session.account());
                o.put("expiresAt", session.expiresAt().toString());
                json(s, 200, o);
            }
            default -> throw new Refusal(404, "request.unknown_endpoint", "no HALO endpoint '" + name
                    + "': challenge, login, logout, session, page, code");
        }
    }

    // ---- the browser login: a code shown in the browser, completed by the person's wallet ----

    /** The login page asks for a code bound to this browser (a cookie only this site's pages send back). */
    private void browserStarts(HttpServletRequest r, HttpServletResponse s) throws IOException, Refusal {
        Challenge c = newChallenge();
        Instant now = config.clock().instant();
        BrowserLogins.Started started = browserLogins.start(c.nonce(), describe(r, now), safeNext(r.getParameter("next")),
                RequestRateLimiter.clientKey(r.getRemoteAddr()), now).orElseThrow(() -> new Refusal(503, "challenge.busy",
                "too many logins are waiting; try again shortly", 5));
        String code = BrowserLogins.display(started.pending().code);
        String url = config.audience() + r.getContextPath() + config.prefix() + "code/" + code;
        s.addHeader("Set-Cookie", pendingCookie() + "=" + started.browserToken() + "; Path=/; Max-Age="
                + config.challengeTtl().toSeconds() + "; HttpOnly; SameSite=Strict" + (config.secureCookie() ? "; Secure" : ""));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("code", code);
        o.put("expiresAt", started.pending().expiresAt.toString());
        o.put("command", "halo login " + config.audience() + " --code " + code);
        o.put("url", url);
        o.put("qr", QrSvg.svg(url));
        json(s, 200, o);
    }

    /** The login page asks whether a wallet has used its code; once one has, this browser gets the session. */
    private void browserPolls(HttpServletRequest r, HttpServletResponse s) throws IOException {
        Optional<BrowserLogins.Pending> p = cookie(r, pendingCookie()).flatMap(t -> browserLogins.byBrowser(t,
                config.clock().instant()));
        if (p.isEmpty()) {
            json(s, 200, Map.of("state", "expired"));
            return;
        }
        Optional<String> token = p.get().sessionToken();
        if (token.isEmpty()) {
            json(s, 200, Map.of("state", "waiting"));
            return;
        }
        browserLogins.finish(p.get());
        if (r.getSession(false) != null) {
            r.changeSessionId();
        }
        setCookie(s, token.get(), config.sessionTtl().toSeconds());
        s.addHeader("Set-Cookie", pendingCookie() + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
                + (config.secureCookie() ? "; Secure" : ""));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("state", "done");
        o.put("did", p.get().did().orElse(""));
        o.put("next", p.get().next);
        json(s, 200, o);
    }

    /** A wallet reads what it is about to do: which site, which browser, and the challenge to sign. */
    private void walletReadsCode(String typed, HttpServletResponse s) throws IOException, Refusal {
        BrowserLogins.Pending p = waiting(typed);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("challenge", HexFormat.of().formatHex(p.nonce));
        o.put("audience", config.audience());
        o.put("browser", p.browser);
        o.put("expiresAt", p.expiresAt.toString());
        if (!membership.claimedSpaces().isEmpty()) {
            o.put("spaces", String.join(",", membership.claimedSpaces()));
        }
        json(s, 200, o);
    }

    /** A wallet posts the presentation for a code's challenge: the session goes to the browser, not to it. */
    private void walletCompletes(String typed, byte[] presentation, HttpServletRequest r, HttpServletResponse s)
            throws IOException, Refusal {
        BrowserLogins.Pending p = waiting(typed);
        if (!nonceOf(presentation).map(n -> n.equals(HexFormat.of().formatHex(p.nonce))).orElse(false)) {
            throw new Refusal(401, "code.challenge", "the presentation does not answer this code's challenge");
        }
        Issued issued = login(presentation, r);
        if (!browserLogins.complete(p, issued.token(), issued.principal().did())) {
            sessions.end(issued.token());
            throw new Refusal(409, "code.used", "this code was used by another wallet, or expired, meanwhile");
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("did", issued.principal().did());
        o.put("browser", p.browser);
        json(s, 200, o);
    }

    private BrowserLogins.Pending waiting(String typed) throws Refusal {
        return browserLogins.byCode(typed, config.clock().instant()).orElseThrow(() -> new Refusal(404, "code.unknown",
                "no login is waiting with this code: it expired (codes last " + config.challengeTtl().toSeconds()
                        + " s), was used, or was mistyped; ask the page for a new one"));
    }

    /** How a wallet shows the browser to its person: browser and system from User-Agent, address, time. */
    private static String describe(HttpServletRequest r, Instant now) {
        String ua = Optional.ofNullable(r.getHeader("User-Agent")).orElse("");
        String browser = ua.contains("Firefox/") ? "Firefox" : ua.contains("Edg/") ? "Edge"
                : ua.contains("Chrome/") ? (ua.contains("HeadlessChrome") ? "Chrome (headless)" : "Chrome")
                : ua.contains("Safari/") ? "Safari" : "a browser";
        String system = ua.contains("Android") ? "Android" : ua.contains("iPhone") || ua.contains("iPad") ? "iOS"
                : ua.contains("Windows") ? "Windows" : ua.contains("Mac OS X") ? "macOS"
                : ua.contains("Linux") ? "Linux" : "an unknown system";
        String time = java.time.format.DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC)
                .format(now);
        return browser + " on " + system + ", from " + r.getRemoteAddr() + ", at " + time;
    }

    /** Where to go after login: a path of this site only (never another site: no open redirect). */
    private static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.length() > 1024 || next.chars().anyMatch(ch -> ch < 0x21 || ch > 0x7e)) {
            return "/";
        }
        return next;
    }

    private void resource(HttpServletRequest r, HttpServletResponse s, String name, String type)
            throws IOException, Refusal {
        method(r, "GET");
        byte[] bytes;
        try (InputStream in = HaloFilter.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            bytes = in.readAllBytes();
        }
        s.setHeader("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
                + "connect-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
        s.setHeader("Referrer-Policy", "no-referrer");
        s.setStatus(200);
        s.setContentType(type);
        s.setContentLength(bytes.length);
        s.getOutputStream().write(bytes);
    }

    private Challenge newChallenge() throws Refusal {
        try {
            return verifier.startLogin();
        } catch (ChallengeStoreFullException e) {
            throw new Refusal(503, "challenge.busy", "too many logins are open; try again shortly", 5);
        }
    }

    private record Issued(HaloPrincipal principal, String token) {
    }

    /** Verifies a presentation, maps the identity to an account, and starts a session. */
    private Issued login(byte[] presentation, HttpServletRequest r) throws Refusal {
        LoginResult result;
        try {
            result = verifier.finishLogin(presentation);
        } catch (HaloRejectedException e) {
            String code = e.code().code();
            if (e.code() == RejectionCode.DEVICE_REVOKED || e.code() == RejectionCode.CHAIN_BROKEN) {
                try {
                    membership.deviceStatus();
                } catch (MembershipUnavailableException unreadable) { // the live status failed closed: say why
                    throw new Refusal(503, "membership.unavailable", "the membership state cannot be read now; try again", 5);
                }
            }
            if (e.code() == RejectionCode.CHALLENGE_UNKNOWN && nonceOf(presentation).map(this::wasUsed).orElse(false)) {
                throw new Refusal(401, "presentation.replayed", "this presentation already logged in once: sign a new one "
                        + "for a new challenge");
            }
            throw new Refusal(401, code, e.getMessage());
        }
        remember(result.challenge().nonceHex());
        String account = mapper.accountOf(result.did()).orElseThrow(() -> new Refusal(403, "account.unknown",
                result.did() + " is linked to no account of this site"));
        Optional<Instant> fresh;
        try {
            fresh = membership.admit(result); // claims mode: the claims, checked; the session ends when they go stale
        } catch (HaloRejectedException e) {
            throw new Refusal(401, e.code().code(), e.getMessage());
        } catch (RuntimeException e) {
            throw new Refusal(503, "membership.unavailable", "the membership state cannot be read now; try again", 5);
        }
        Instant now = config.clock().instant();
        Instant expires = now.plus(config.sessionTtl());
        if (fresh.isPresent() && fresh.get().isBefore(expires)) {
            expires = fresh.get();
        }
        HaloPrincipal session = HaloPrincipal.of(result, account, expires);
        String token = sessions.create(session, now);
        if (r.getSession(false) != null) {
            r.changeSessionId(); // an app that also uses HttpSession gets a new id at login (session fixation)
        }
        return new Issued(session, token);
    }

    /** The session of this request: a HALO presentation in Authorization, a bearer token, or the cookie. */
    private Optional<HaloPrincipal> authenticate(HttpServletRequest r, HttpServletResponse s) throws Refusal {
        String auth = r.getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "HALO ", 0, 5)) {
            limit(r);
            String b64 = auth.substring(5).trim();
            if (b64.length() > MAX_PRESENTATION * 4 / 3 + 4) {
                throw new Refusal(401, RejectionCode.LIMIT_MESSAGE_SIZE.code(), "the presentation is too long");
            }
            byte[] presentation;
            try {
                presentation = Base64.getUrlDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                throw new Refusal(401, RejectionCode.MALFORMED.code(), "Authorization: HALO takes a base64url presentation");
            }
            Issued issued = login(presentation, r);
            s.setHeader("Authentication-Info", "HALO token=\"" + issued.token() + "\"");
            setCookie(s, issued.token(), maxAge(issued.principal()));
            return Optional.of(issued.principal());
        }
        Instant now = config.clock().instant();
        Optional<String> bearer = bearer(r);
        if (bearer.isPresent()) {
            return Optional.of(sessions.find(bearer.get(), now).orElseThrow(() -> new Refusal(401, "session.unknown",
                    "the bearer token is not a live session (expired or logged out): log in again")));
        }
        return cookie(r).flatMap(t -> sessions.find(t, now));
    }

    /** A protected path: the identity has the role (its device chain was re-checked by {@link #stillStanding}). */
    private void authorize(HaloPrincipal p, HaloWebConfig.Rule rule, HttpServletRequest r) throws Refusal {
        try {
            Optional<SpaceRole> role = membership.roleOf(rule.spaceId(), p.identity());
            if (role.isEmpty()) {
                throw new Refusal(403, "space.not_member", p.did() + " is not a member of the space this page belongs to");
            }
            if (Roles.rank(role.get()) < Roles.rank(rule.role())) {
                throw new Refusal(403, "space.role", "this page needs " + Roles.name(rule.role()) + "; "
                        + p.did() + " is " + Roles.name(role.get()));
            }
        } catch (MembershipUnavailableException e) {
            throw new Refusal(503, "membership.unavailable", "the membership state cannot be read now; try again", 5);
        }
    }

    // ---- helpers ----

    private void refuse(HttpServletRequest r, HttpServletResponse s, Refusal e) throws IOException {
        boolean browser = "GET".equals(r.getMethod()) && Optional.ofNullable(r.getHeader("Accept")).orElse("")
                .contains("text/html") && !path(r).startsWith(config.prefix());
        if (browser && e.status == 401) {
            String here = path(r) + (r.getQueryString() != null ? "?" + r.getQueryString() : "");
            s.setHeader("Cache-Control", "no-store");
            s.setStatus(303);
            s.setHeader("Location", r.getContextPath() + config.prefix() + "page?next="
                    + java.net.URLEncoder.encode(safeNext(here), StandardCharsets.UTF_8));
            return;
        }
        if (browser) {
            html(s, e);
            return;
        }
        if (e.status == 401) {
            try {
                limit(r); // every challenge handed out is counted, here as at the challenge endpoint
                Challenge c = newChallenge();
                s.setHeader("WWW-Authenticate", "HALO challenge=\"" + c.nonceHex() + "\", audience=\""
                        + c.audience() + "\", endpoint=\"" + r.getContextPath() + config.prefix() + "login\""
                        + (membership.claimedSpaces().isEmpty() ? ""
                        : ", spaces=\"" + String.join(",", membership.claimedSpaces()) + "\""));
            } catch (Refusal noChallenge) {
                e = noChallenge; // too many from this client (429), or too many open (503)
            }
        }
        if (e.retryAfter > 0) {
            s.setHeader("Retry-After", Long.toString(e.retryAfter));
        }
        s.setHeader("Cache-Control", "no-store");
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("error", e.code);
        o.put("message", e.getMessage());
        json(s, e.status, o);
    }

    /** A refusal a person reads in a browser: the reason and its code, escaped. */
    private static void html(HttpServletResponse s, Refusal e) throws IOException {
        String page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + e.status
                + "</title></head><body><h1>" + (e.status == 403 ? "Not allowed" : "Refused") + "</h1><p>"
                + escape(e.getMessage()) + "</p><p><code>" + escape(e.code) + "</code></p></body></html>";
        byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
        if (e.retryAfter > 0) {
            s.setHeader("Retry-After", Long.toString(e.retryAfter));
        }
        s.setHeader("Cache-Control", "no-store");
        s.setHeader("Content-Security-Policy", "default-src 'none'");
        s.setStatus(e.status);
        s.setContentType("text/html; charset=utf-8");
        s.setContentLength(bytes.length);
        s.getOutputStream().write(bytes);
    }

    private static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static void json(HttpServletResponse s, int status, Map<String, ?> body) throws IOException {
        byte[] bytes = JsonOut.object(body).getBytes(StandardCharsets.US_ASCII);
        s.setStatus(status);
        s.setContentType("application/json");
        s.setContentLength(bytes.length);
        s.getOutputStream().write(bytes);
    }

    private static void method(HttpServletRequest r, String expected) throws Refusal {
        if (!expected.equals(r.getMethod())) {
            throw new Refusal(405, "request.method", "use " + expected);
        }
    }

    /**
     * Login and logout change state: a browser sends {@code Origin} with them, which must be this site (a
     * page elsewhere cannot log someone in or out here). Clients that send no Origin (wallets, scripts) are
     * not browsers, and the login's content type is one no HTML form can send.
     */
    private void sameOrigin(HttpServletRequest r) throws Refusal {
        String origin = r.getHeader("Origin");
        if (origin != null && !origin.equals(config.audience())) {
            throw new Refusal(403, "request.origin", "requests from another origin are refused");
        }
    }

    private void limit(HttpServletRequest r) throws Refusal {
        long wait = limiter.acquire(RequestRateLimiter.clientKey(r.getRemoteAddr()), config.clock().instant());
        if (wait > 0) {
            throw new Refusal(429, "request.rate", "too many login requests from this address; try again in " + wait
                    + " s", wait);
        }
    }

    private static byte[] body(HttpServletRequest r) throws IOException, Refusal {
        if (r.getContentLengthLong() > MAX_PRESENTATION) {
            throw new Refusal(413, RejectionCode.LIMIT_MESSAGE_SIZE.code(), "a presentation is at most "
                    + MAX_PRESENTATION + " bytes");
        }
        try (InputStream in = r.getInputStream()) {
            byte[] b = in.readNBytes(MAX_PRESENTATION + 1);
            if (b.length > MAX_PRESENTATION) {
                throw new Refusal(413, RejectionCode.LIMIT_MESSAGE_SIZE.code(), "a presentation is at most "
                        + MAX_PRESENTATION + " bytes");
            }
            return b;
        }
    }

    private static Optional<String> bearer(HttpServletRequest r) {
        String auth = r.getHeader("Authorization");
        return auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                ? Optional.of(auth.substring(7).trim()) : Optional.empty();
    }

    private Optional<String> cookie(HttpServletRequest r) {
        return cookie(r, sessionCookie());
    }

    /**
     * The session cookie's name: on https with the {@code __Host-} prefix, which a browser accepts only from this
     * host, Secure, for the whole site — so a sibling subdomain cannot plant one.
     */
    private String sessionCookie() {
        return (config.secureCookie() ? "__Host-" : "") + config.cookieName();
    }

    private String pendingCookie() {
        return (config.secureCookie() ? "__Host-" : "") + PENDING_COOKIE;
    }

    private static Optional<String> cookie(HttpServletRequest r, String name) {
        Cookie[] cookies = r.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie c : cookies) {
            if (c.getName().equals(name)) {
                return Optional.of(c.getValue());
            }
        }
        return Optional.empty();
    }

    /** A session cookie lives as long as its session (shorter than the configured lifetime in claims mode). */
    private long maxAge(HaloPrincipal session) {
        return Math.max(1, Duration.between(config.clock().instant(), session.expiresAt()).toSeconds());
    }

    private void setCookie(HttpServletResponse s, String token, long maxAge) {
        s.addHeader("Set-Cookie", sessionCookie() + "=" + token + "; Path=/; Max-Age=" + maxAge
                + "; HttpOnly; SameSite=Lax" + (config.secureCookie() ? "; Secure" : ""));
    }

    private synchronized void remember(String nonceHex) {
        usedNonces.put(nonceHex, Boolean.TRUE);
    }

    private synchronized boolean wasUsed(String nonceHex) {
        return usedNonces.containsKey(nonceHex);
    }

    /** The nonce a presentation answers, read without trusting it (only to name a replay). */
    private static Optional<String> nonceOf(byte[] presentation) {
        try {
            Presentation p = Presentation.parseFrom(presentation);
            return Optional.of(HexFormat.of().formatHex(PresentationBody.parseFrom(p.getBody()).getNonce().toByteArray()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The request as the app sees it after login. */
    private final class Authenticated extends HttpServletRequestWrapper {
        private final HaloPrincipal principal;

        Authenticated(HttpServletRequest r, HaloPrincipal principal) {
            super(r);
            this.principal = principal;
        }

        @Override
        public Principal getUserPrincipal() {
            return principal;
        }

        @Override
        public String getRemoteUser() {
            return principal.account();
        }

        @Override
        public String getAuthType() {
            return "HALO";
        }

        /**
         * {@code space:<spaceId>:<ROLE>}: true for that role or a higher one, as the state has it now (the login's
         * device chain was re-checked when this request came in).
         */
        @Override
        public boolean isUserInRole(String role) {
            String[] parts = role.split(":", -1);
            if (parts.length != 3 || !parts[0].equals("space")) {
                return false;
            }
            try {
                SpaceRole wanted = Roles.parse(parts[2]);
                Optional<SpaceRole> has = membership.roleOf(parts[1].toLowerCase(Locale.ROOT), principal.identity());
                return has.isPresent() && Roles.rank(has.get()) >= Roles.rank(wanted) && Roles.rank(wanted) > 0;
            } catch (IllegalArgumentException | MembershipUnavailableException e) {
                return false;
            }
        }
    }
}
