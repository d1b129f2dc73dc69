package org.halo4j.servlet;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.halo4j.presentations.ChallengeStore;
import org.halo4j.presentations.InMemoryChallengeStore;
import org.halo4j.proto.v1.SpaceRole;

/**
 * How {@link HaloFilter} is set up: the site's origin (the audience every presentation must name), which paths
 * need which role in which space, lifetimes and limits. Immutable; made with {@link #builder(String)}:
 * <pre>{@code
 * HaloWebConfig config = HaloWebConfig.builder("https://app.example.com")
 *     .protect("/members/*", spaceId, SpaceRole.SPACE_ROLE_READER)
 *     .protect("/admin/*", spaceId, SpaceRole.SPACE_ROLE_ADMIN)
 *     .build();
 * }</pre>
 */
public final class HaloWebConfig {

    /** Where the endpoints are, by default: {@code /.well-known/halo/challenge}, {@code login}, {@code logout}. */
    public static final String DEFAULT_PREFIX = "/.well-known/halo/";
    /** Default lifetime of a login challenge. */
    public static final Duration DEFAULT_CHALLENGE_TTL = Duration.ofMinutes(2);
    /** Default lifetime of a session. */
    public static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(1);
    /** Default name of the session cookie. */
    public static final String DEFAULT_COOKIE = "halo_session";

    /**
     * A protected path: {@code /exact}, or {@code /prefix/*} for the prefix itself and everything under it; a
     * request needs at least {@code role} in {@code spaceId} (lowercase hex of the space key).
     */
    public record Rule(String pattern, String spaceId, SpaceRole role) {
        public Rule {
            Objects.requireNonNull(pattern);
            Objects.requireNonNull(spaceId);
            Objects.requireNonNull(role);
            if (!pattern.startsWith("/") || pattern.indexOf('*') >= 0 && !pattern.endsWith("/*")
                    || pattern.indexOf('*') != pattern.lastIndexOf('*')) {
                throw new IllegalArgumentException("a protected path is /exact or /prefix/*, not '" + pattern + "'");
            }
            if (role == SpaceRole.SPACE_ROLE_REMOVED || role == SpaceRole.SPACE_ROLE_UNSPECIFIED
                    || role == SpaceRole.UNRECOGNIZED) {
                throw new IllegalArgumentException("a protected path needs READER, EDITOR, ADMIN or OWNER");
            }
            spaceId = spaceId.toLowerCase(Locale.ROOT);
        }

        boolean matches(String path) {
            if (pattern.endsWith("/*")) {
                String base = pattern.substring(0, pattern.length() - 2);
                return path.equals(base) || path.startsWith(base + "/");
            }
            return path.equals(pattern);
        }
    }

    private final String audience;
    private final String prefix;
    private final Duration challengeTtl;
    private final Duration sessionTtl;
    private final String cookieName;
    private final boolean secureCookie;
    private final List<Rule> rules;
    private final int requestsPerMinute;
    private final int maxSessions;
    private final ChallengeStore challengeStore;
    private final Clock clock;

    private HaloWebConfig(Builder b) {
        this.audience = b.audience;
        this.prefix = b.prefix;
        this.challengeTtl = b.challengeTtl;
        this.sessionTtl = b.sessionTtl;
        this.cookieName = b.cookieName;
        this.secureCookie = b.audience.startsWith("https://");
        List<Rule> sorted = new ArrayList<>(b.rules);
        // the most specific first: exact paths before prefixes, then the longest prefix
        sorted.sort(Comparator.comparing((Rule r) -> r.pattern().endsWith("/*"))
                .thenComparing(Comparator.comparingInt((Rule r) -> r.pattern().length()).reversed()));
        this.rules = List.copyOf(sorted);
        this.requestsPerMinute = b.requestsPerMinute;
        this.maxSessions = b.maxSessions;
        this.challengeStore = b.challengeStore != null ? b.challengeStore : new InMemoryChallengeStore(10_000);
        this.clock = b.clock;
    }

    /** Starts a configuration for the site at {@code audience}, an origin such as {@code https://app.example.com}. */
    public static Builder builder(String audience) {
        return new Builder(audience);
    }

    public String audience() {
        return audience;
    }

    public String prefix() {
        return prefix;
    }

    public Duration challengeTtl() {
        return challengeTtl;
    }

    public Duration sessionTtl() {
        return sessionTtl;
    }

    public String cookieName() {
        return cookieName;
    }

    /** The session cookie is {@code Secure} when the site is served over https. */
    public boolean secureCookie() {
        return secureCookie;
    }

    public List<Rule> rules() {
        return rules;
    }

    /**
     * The rule for {@code path} (decoded, as the container maps it): the most specific that matches — an exact
     * path before any prefix, a longer prefix before a shorter one.
     */
    public Optional<Rule> ruleFor(String path) {
        return rules.stream().filter(r -> r.matches(path)).findFirst();
    }

    /** Challenge and login requests one client (address) may make per minute. */
    public int requestsPerMinute() {
        return requestsPerMinute;
    }

    public int maxSessions() {
        return maxSessions;
    }

    public ChallengeStore challengeStore() {
        return challengeStore;
    }

    /** The one clock of the filter: challenges, presentations and sessions. */
    public Clock clock() {
        return clock;
    }

    public static final class Builder {
        private final String audience;
        private String prefix = DEFAULT_PREFIX;
        private Duration challengeTtl = DEFAULT_CHALLENGE_TTL;
        private Duration sessionTtl = DEFAULT_SESSION_TTL;
        private String cookieName = DEFAULT_COOKIE;
        private final List<Rule> rules = new ArrayList<>();
        private int requestsPerMinute = 120;
        private int maxSessions = 100_000;
        private ChallengeStore challengeStore;
        private Clock clock = Clock.systemUTC();

        private Builder(String audience) {
            Objects.requireNonNull(audience, "audience");
            if (!audience.matches("https?://[a-z0-9.\\-\\[\\]:]{1,253}(:[0-9]{1,5})?")) {
                throw new IllegalArgumentException("the audience is the site's origin, e.g. https://app.example.com "
                        + "(scheme and host in lowercase, no path, no trailing slash): '" + audience + "'");
            }
            this.audience = audience;
        }

        /** Where the endpoints live (default {@value #DEFAULT_PREFIX}); starts and ends with '/'. */
        public Builder prefix(String p) {
            if (!p.startsWith("/") || !p.endsWith("/")) {
                throw new IllegalArgumentException("the endpoint prefix starts and ends with '/': '" + p + "'");
            }
            this.prefix = p;
            return this;
        }

        /** How long a login challenge stays open (default 2 minutes; 10 s to 1 h). */
        public Builder challengeTtl(Duration ttl) {
            this.challengeTtl = bounded(ttl, Duration.ofSeconds(10), Duration.ofHours(1), "challenge lifetime");
            return this;
        }

        /** How long a session lasts (default 1 hour; 1 minute to 30 days). */
        public Builder sessionTtl(Duration ttl) {
            this.sessionTtl = bounded(ttl, Duration.ofMinutes(1), Duration.ofDays(30), "session lifetime");
            return this;
        }

        public Builder cookieName(String name) {
            if (!name.matches("[A-Za-z0-9_\\-]{1,64}")) {
                throw new IllegalArgumentException("a cookie name is 1 to 64 letters, digits, '_' or '-'");
            }
            this.cookieName = name;
            return this;
        }

        /** Requests to {@code path} need at least {@code role} in the space {@code spaceId}. */
        public Builder protect(String path, String spaceId, SpaceRole role) {
            rules.add(new Rule(path, spaceId, role));
            return this;
        }

        /** Challenge and login requests one client address may make per minute (default 120). */
        public Builder requestsPerMinute(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("requests per minute must be at least 1");
            }
            this.requestsPerMinute = n;
            return this;
        }

        /** Most live sessions (default 100 000); past it the oldest is ended first. */
        public Builder maxSessions(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("max sessions must be at least 1");
            }
            this.maxSessions = n;
            return this;
        }

        /** Where open challenges wait (default: in memory, 10 000 at most); a cluster shares one. */
        public Builder challengeStore(ChallengeStore store) {
            this.challengeStore = Objects.requireNonNull(store);
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        public HaloWebConfig build() {
            return new HaloWebConfig(this);
        }

        private static Duration bounded(Duration d, Duration min, Duration max, String what) {
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException("the " + what + " must be " + min + " to " + max + ", not " + d);
            }
            return d;
        }
    }
}
