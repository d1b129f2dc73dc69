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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.service.NodeRuntime;
import org.halo4j.node.service.SpaceMembershipService;
import org.halo4j.proto.v1.SpaceRole;
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

        @AttributeDefinition(name = "Protected paths", description = "path=space:ROLE, one per entry: /exact or "
                + "/prefix/*; space by id or by its name here; ROLE one of READER, EDITOR, ADMIN, OWNER.",
                required = false)
        String[] protect() default {};

        @AttributeDefinition(name = "Challenge lifetime", description = "Seconds a challenge (and a login code) "
                + "stays valid (10 to 600).", min = "10", max = "600")
        int challenge_ttl_seconds() default 120;

        @AttributeDefinition(name = "Session lifetime", description = "Minutes a session lasts (1 to 1440).",
                min = "1", max = "1440")
        int session_ttl_minutes() default 60;

        @AttributeDefinition(name = "Requests per minute", description = "Per client, on the challenge and login "
                + "endpoints.", min = "1")
        int requests_per_minute() default 60;

        @AttributeDefinition(name = "Sessions", description = "The most sessions kept at once.", min = "1")
        int max_sessions() default 10_000;

        @AttributeDefinition(name = "Claims: trusted issuers", description = "space=did, one per entry: use "
                + "membership claims (for that space, from that member) instead of the node's own replica. Empty: "
                + "peer mode.", required = false)
        String[] claims_trust() default {};
    }

    private final transient HaloFilter filter;

    @Activate
    public WebComponent(@Reference NodeRuntime runtime, @Reference SpaceMembershipService membership,
                        @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
                        IdentityMapper mapper, Config c) throws AgentException {
        if (c.audience() == null || c.audience().isBlank()) {
            throw new IllegalArgumentException(PID + ": audience is required (the site's origin, e.g. "
                    + "https://example.org)");
        }
        HaloWebConfig.Builder b = HaloWebConfig.builder(c.audience().strip())
                .challengeTtl(Duration.ofSeconds(c.challenge_ttl_seconds()))
                .sessionTtl(Duration.ofMinutes(c.session_ttl_minutes()))
                .requestsPerMinute(c.requests_per_minute())
                .maxSessions(c.max_sessions());
        for (String entry : c.protect() == null ? new String[0] : c.protect()) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            int colon = entry.lastIndexOf(':');
            if (eq <= 0 || colon < eq + 2 || colon == entry.length() - 1) {
                throw new IllegalArgumentException(PID + ": protect entry '" + entry + "' is not path=space:ROLE");
            }
            String space = entry.substring(eq + 1, colon).strip();
            b.protect(entry.substring(0, eq).strip(), membership.space(space).spaceId(), role(entry.substring(colon + 1)));
        }
        MembershipSource source;
        String[] trust = c.claims_trust() == null ? new String[0] : c.claims_trust();
        if (trust.length == 0) {
            source = new NodeMembership(membership);
        } else {
            ClaimsMembership.Builder cb = ClaimsMembership.builder();
            for (String entry : trust) {
                int eq = entry.indexOf('=');
                if (eq <= 0 || eq == entry.length() - 1) {
                    throw new IllegalArgumentException(PID + ": claims.trust entry '" + entry + "' is not space=did");
                }
                cb.trust(membership.space(entry.substring(0, eq).strip()).spaceId(), entry.substring(eq + 1).strip());
            }
            source = cb.build();
        }
        this.filter = new HaloFilter(b.build(), source, mapper == null ? IdentityMapper.DID : mapper);
    }

    private static SpaceRole role(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT);
        List<String> known = new ArrayList<>(List.of("READER", "EDITOR", "ADMIN", "OWNER"));
        if (!known.contains(n)) {
            throw new IllegalArgumentException(PID + ": no role " + name + "; the roles are " + known);
        }
        return SpaceRole.valueOf("SPACE_ROLE_" + n);
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
