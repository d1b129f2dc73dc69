package org.halo4j.servlet.osgi;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.service.NodeServices;
import org.halo4j.node.service.SpaceMembershipService;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.spaces.Roles;
import org.halo4j.servlet.ClaimsMembership;
import org.halo4j.servlet.HaloFilter;
import org.halo4j.servlet.HaloWebConfig;
import org.halo4j.servlet.IdentityMapper;
import org.halo4j.servlet.MembershipSource;
import org.halo4j.servlet.NodeMembership;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * HALO login for the web apps of an OSGi container (PID {@code org.halo4j.web}): a {@link HaloFilter},
 * registered through the Jakarta Servlet Whiteboard on every path of the default context, that answers its
 * endpoints under {@code /.well-known/halo/} and lets only members in the configured roles reach the protected
 * paths. The same object is registered as the servlet of that prefix (a whiteboard runs filters only for
 * requests some servlet matches); it answers 404 for whatever the filter does not serve there. Its
 * membership is the node runtime's (peer mode); with {@code claims.trust} set, fresh membership claims from the
 * members trusted there (claims mode, decision 0008). An {@link IdentityMapper} service, if one is registered,
 * maps DIDs to the app's accounts. Needs a configuration: without {@code audience} it does not start.
 *
 * <p>Whatever halo4j does, a servlet registered next to this filter is served without it while the filter is
 * not there (not configured, restarting, its bundle stopped). An app that must never be served unprotected
 * references the filter — {@code @Reference(target = "(osgi.http.whiteboard.filter.name=halo4j)") Filter} —
 * so that its servlets go when the filter goes (docs/admin-guide.md, "Protecting your own servlets").
 */
@Component(service = {Filter.class, Servlet.class}, configurationPid = WebComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {"osgi.http.whiteboard.filter.pattern=/*", "osgi.http.whiteboard.filter.name=halo4j",
                "osgi.http.whiteboard.servlet.pattern=" + HaloWebConfig.DEFAULT_PREFIX + "*",
                "osgi.http.whiteboard.servlet.name=halo4j-endpoints"})
@Designate(ocd = WebComponent.Config.class)
public final class WebComponent extends HttpServlet implements Filter {

    private static final long serialVersionUID = 1L;

    public static final String PID = "org.halo4j.web";

    @ObjectClassDefinition(name = "halo4j web login", description = "Passwordless HALO login and authorization by "
            + "role in a space, for the web apps of this container.")
    public @interface Config {
        @AttributeDefinition(name = "Audience", description = "The site's origin as browsers see it "
                + "(https://example.org or http://127.0.0.1:8181); presentations for another audience are refused.")
        String audience();

        @AttributeDefinition(name = "Protected paths", description = "path=space:ROLE entries (several values, or "
                + "one separated by commas): /exact or /prefix/*; space by id or by its name here (a name the node "
                + "does not know lets nobody in); ROLE one of READER, EDITOR, ADMIN, OWNER.", required = false)
        String[] protect() default {};

        @AttributeDefinition(name = "Challenge lifetime", description = "Seconds a challenge (and a login code) "
                + "stays valid (10 to 3600).", min = "10", max = "3600")
        int challenge_ttl_seconds() default 120;

        @AttributeDefinition(name = "Session lifetime", description = "Minutes a session lasts (1 to 43200).",
                min = "1", max = "43200")
        int session_ttl_minutes() default 60;

        @AttributeDefinition(name = "Requests per minute", description = "Per client, on the challenge and login "
                + "endpoints.", min = "1")
        int requests_per_minute() default 120;

        @AttributeDefinition(name = "Sessions", description = "The most sessions kept at once.", min = "1")
        int max_sessions() default 100_000;

        @AttributeDefinition(name = "Claims: trusted issuers", description = "space=did entries (space by id, or "
                + "by a name the node knows): use membership claims (for that space, from that member) instead of "
                + "the node's own replica. Empty: peer mode.", required = false)
        String[] claims_trust() default {};
    }

    private static final System.Logger LOG = System.getLogger(PID);
    private static final java.util.regex.Pattern SPACE_ID = java.util.regex.Pattern.compile("[0-9a-fA-F]{64}");

    private final transient HaloFilter filter;
    private transient volatile IdentityMapper mapper = IdentityMapper.DID;

    @Activate
    public WebComponent(@Reference SpaceMembershipService membership, Config c) {
        if (c.audience() == null || c.audience().isBlank()) {
            throw new IllegalArgumentException(PID + ": audience is required (the site's origin, e.g. "
                    + "https://example.org)");
        }
        HaloWebConfig.Builder b = HaloWebConfig.builder(c.audience().strip())
                .challengeTtl(Duration.ofSeconds(c.challenge_ttl_seconds()))
                .sessionTtl(Duration.ofMinutes(c.session_ttl_minutes()))
                .requestsPerMinute(c.requests_per_minute())
                .maxSessions(c.max_sessions());
        for (String entry : NodeServices.entries(c.protect())) {
            int eq = entry.indexOf('=');
            int colon = entry.lastIndexOf(':');
            if (eq <= 0 || colon < eq + 2 || colon == entry.length() - 1) {
                throw new IllegalArgumentException(PID + ": protect entry '" + entry + "' is not path=space:ROLE");
            }
            String space = entry.substring(eq + 1, colon).strip();
            b.protect(entry.substring(0, eq).strip(), spaceId(membership, space, "protect"), role(entry.substring(colon + 1)));
        }
        MembershipSource source;
        List<String> trust = NodeServices.entries(c.claims_trust());
        if (trust.isEmpty()) {
            source = new NodeMembership(membership);
        } else {
            ClaimsMembership.Builder cb = ClaimsMembership.builder();
            for (String entry : trust) {
                int eq = entry.indexOf('=');
                if (eq <= 0 || eq == entry.length() - 1) {
                    throw new IllegalArgumentException(PID + ": claims.trust entry '" + entry + "' is not space=did");
                }
                String space = spaceId(membership, entry.substring(0, eq).strip(), "claims.trust");
                if (SPACE_ID.matcher(space).matches()) {
                    cb.trust(space, entry.substring(eq + 1).strip());
                } // else: no issuer is trusted for it, so no login there is admitted
            }
            source = cb.build();
        }
        this.filter = new HaloFilter(b.build(), source, did -> mapper.accountOf(did));
    }

    /**
     * A space named in the configuration: a space id as it is; a name, as the node knows it now. A name the node
     * does not know (or knows twice) is logged and stands for no space at all, so a path protected by it lets
     * nobody in (403) rather than everyone: the filter never goes down over it.
     */
    private static String spaceId(SpaceMembershipService membership, String space, String key) {
        if (SPACE_ID.matcher(space).matches()) {
            return space.toLowerCase(Locale.ROOT);
        }
        try {
            return membership.space(space).spaceId();
        } catch (AgentException e) {
            LOG.log(System.Logger.Level.ERROR, PID + ": " + key + " names space '" + space + "', which the node cannot "
                    + "resolve (" + e.code() + ": " + e.getMessage() + "); nobody passes it until the configuration "
                    + "is applied again with a space that exists (its id, or a unique name)");
            return "unresolved:" + space;
        }
    }

    /** An app's mapping from DIDs to its accounts; without one, the DID is the account. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setMapper(IdentityMapper m) {
        this.mapper = m;
    }

    void unsetMapper(IdentityMapper m) {
        if (this.mapper == m) {
            this.mapper = IdentityMapper.DID;
        }
    }

    /** READER, EDITOR, ADMIN or OWNER, in any case. */
    private static SpaceRole role(String name) {
        try {
            SpaceRole r = Roles.parse(name);
            if (r != SpaceRole.SPACE_ROLE_REMOVED) {
                return r;
            }
        } catch (IllegalArgumentException e) {
            // the message below
        }
        throw new IllegalArgumentException(PID + ": no role " + name + "; the roles are READER, EDITOR, ADMIN, OWNER");
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        filter.init(config);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        filter.doFilter(req, res, chain);
    }

    /** Reached only for paths under the prefix that are none of the filter's endpoints. */
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
        res.setStatus(HttpServletResponse.SC_NOT_FOUND);
        res.setContentType("application/json");
        res.getWriter().write("{\"error\":\"not_found\",\"message\":\"no such HALO endpoint\"}");
    }
}
