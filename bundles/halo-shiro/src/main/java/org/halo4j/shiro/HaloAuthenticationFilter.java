package org.halo4j.shiro;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.shiro.authc.AuthenticationException;
import org.apache.shiro.authc.AuthenticationToken;
import org.apache.shiro.subject.Subject;
import org.apache.shiro.web.filter.authc.AuthenticatingFilter;
import org.halo4j.presentations.Challenge;
import org.halo4j.presentations.ChallengeStoreFullException;
import org.halo4j.servlet.RequestRateLimiter;

/**
 * Shiro's authenticating filter for HALO (name it {@code halo} in a filter chain): a request that carries
 * {@code Authorization: HALO <base64url presentation>} logs the subject in through {@link HaloRealm}; any other
 * unauthenticated request is answered 401 with {@code WWW-Authenticate: HALO challenge="…", audience="…"}, a
 * fresh challenge of the realm. A subject whose login device has been revoked since is logged out and answered
 * the same way. Refusals carry {@code {"error": "<reason code>", "message": "…"}}.
 *
 * <pre>
 * [main]
 * halo = org.halo4j.shiro.HaloAuthenticationFilter
 * halo.realm = $haloRealm
 * [urls]
 * /api/** = halo, roles[space:72e352e3…:EDITOR]
 * </pre>
 */
public class HaloAuthenticationFilter extends AuthenticatingFilter {

    private static final int MAX_HEADER = 96 * 1024;

    private HaloRealm realm;
    private RequestRateLimiter limiter = new RequestRateLimiter(120);

    public HaloAuthenticationFilter() {
    }

    /**
     * Logins and challenges one client (address) may ask for per minute (default 120); past it, 429: nobody can
     * fill the realm's challenge store for everyone.
     */
    public void setRequestsPerMinute(int perMinute) {
        this.limiter = new RequestRateLimiter(perMinute);
    }

    public HaloAuthenticationFilter(HaloRealm realm) {
        this.realm = realm;
    }

    /** The realm whose challenges and verifier this filter uses. */
    public void setRealm(HaloRealm realm) {
        this.realm = realm;
    }

    @Override
    protected boolean isAccessAllowed(ServletRequest request, ServletResponse response, Object mappedValue) {
        Subject subject = getSubject(request, response);
        if (!subject.isAuthenticated()) {
            return false;
        }
        if (realm.revoked(subject.getPrincipals())) {
            subject.logout(); // the device that logged in was revoked: this session ends now
            request.setAttribute(REFUSAL, new String[] {"device.revoked",
                    "the device that logged in was revoked: log in again from a device that is not"});
            return false;
        }
        return true;
    }

    private static final String REFUSAL = HaloAuthenticationFilter.class.getName() + ".refusal";

    @Override
    protected boolean onAccessDenied(ServletRequest request, ServletResponse response) throws Exception {
        long wait = limiter.acquire(RequestRateLimiter.clientKey(request.getRemoteAddr()), java.time.Instant.now());
        if (wait > 0) {
            HttpServletResponse r = (HttpServletResponse) response;
            r.setHeader("Retry-After", Long.toString(wait));
            write(r, 429, "request.rate", "too many login requests from this address; try again in " + wait + " s");
            return false;
        }
        if (presentation(request) != null && request.getAttribute(REFUSAL) == null) {
            return executeLogin(request, response);
        }
        String[] why = (String[]) request.getAttribute(REFUSAL);
        refuse(response, why != null ? why[0] : "session.none", why != null ? why[1]
                : "this page needs a HALO login: answer the challenge in WWW-Authenticate");
        return false;
    }

    @Override
    protected AuthenticationToken createToken(ServletRequest request, ServletResponse response) {
        String b64 = presentation(request);
        byte[] bytes;
        try {
            bytes = b64 == null || b64.length() > MAX_HEADER ? new byte[0] : Base64.getUrlDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            bytes = new byte[0]; // the realm refuses it as malformed
        }
        return new HaloPresentationToken(bytes, request.getRemoteHost());
    }

    /** A new container session id at login: a session id planted before the login is worth nothing after it. */
    @Override
    protected boolean onLoginSuccess(AuthenticationToken token, Subject subject, ServletRequest request,
                                     ServletResponse response) throws Exception {
        HttpServletRequest http = (HttpServletRequest) request;
        if (http.getSession(false) != null) {
            http.changeSessionId();
        }
        return super.onLoginSuccess(token, subject, request, response);
    }

    @Override
    protected boolean onLoginFailure(AuthenticationToken token, AuthenticationException e, ServletRequest request,
                                     ServletResponse response) {
        String code = e instanceof HaloAuthenticationException h ? h.code() : "login.refused";
        try {
            refuse(response, code, e.getMessage());
        } catch (IOException io) {
            // the client went away
        }
        return false;
    }

    private static String presentation(ServletRequest request) {
        String auth = ((HttpServletRequest) request).getHeader("Authorization");
        return auth != null && auth.regionMatches(true, 0, "HALO ", 0, 5) ? auth.substring(5).trim() : null;
    }

    private void refuse(ServletResponse response, String code, String message) throws IOException {
        HttpServletResponse r = (HttpServletResponse) response;
        int status = 401;
        try {
            Challenge c = realm.startLogin();
            r.setHeader("WWW-Authenticate", "HALO challenge=\"" + c.nonceHex() + "\", audience=\"" + c.audience() + "\"");
        } catch (ChallengeStoreFullException full) {
            status = 503;
            r.setHeader("Retry-After", "5");
            code = "challenge.busy";
            message = "too many logins are open; try again shortly";
        }
        write(r, status, code, message);
    }

    private static void write(HttpServletResponse r, int status, String code, String message) throws IOException {
        byte[] body = ("{\"error\":\"" + json(code) + "\",\"message\":\"" + json(message) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        r.setStatus(status);
        r.setHeader("Cache-Control", "no-store");
        r.setContentType("application/json");
        r.setContentLength(body.length);
        r.getOutputStream().write(body);
    }

    private static String json(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : String.valueOf(s).toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
