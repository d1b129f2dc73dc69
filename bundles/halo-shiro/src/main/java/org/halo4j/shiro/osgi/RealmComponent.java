package org.halo4j.shiro.osgi;

import java.util.ArrayList;
import java.util.List;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.service.NodeServices;
import org.halo4j.node.service.SpaceMembershipService;
import org.halo4j.servlet.NodeMembership;
import org.halo4j.shiro.HaloRealm;
import org.apache.shiro.realm.Realm;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A {@link HaloRealm} offered as a Shiro {@link Realm} service (PID {@code org.halo4j.shiro}), with the node
 * runtime's membership: an app's Shiro security manager in the container picks it up, and authorizes by role in
 * the configured spaces ({@code space:<id>:<ROLE>}, {@code space:<action>:<id>}). Needs a configuration: without
 * {@code audience} it does not start.
 */
@Component(service = Realm.class, configurationPid = RealmComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = RealmComponent.Config.class)
public final class RealmComponent extends HaloRealm {

    public static final String PID = "org.halo4j.shiro";

    @ObjectClassDefinition(name = "halo4j Shiro realm", description = "HALO login and roles in spaces for Apache "
            + "Shiro 2 security managers in this container.")
    public @interface Config {
        @AttributeDefinition(name = "Audience", description = "The site's origin as browsers see it; presentations "
                + "for another audience are refused.")
        String audience();

        @AttributeDefinition(name = "Spaces", description = "The spaces whose roles the realm grants, by id or by "
                + "their name here.")
        String[] spaces();

        @AttributeDefinition(name = "Challenge lifetime", description = "Seconds a challenge stays valid (10 to 3600).",
                min = "10", max = "3600")
        int challenge_ttl_seconds() default 120;
    }

    @Activate
    public RealmComponent(@Reference SpaceMembershipService membership, Config c) throws AgentException {
        if (c.audience() == null || c.audience().isBlank()) {
            throw new IllegalArgumentException(PID + ": audience is required (the site's origin)");
        }
        List<String> ids = new ArrayList<>();
        for (String s : NodeServices.entries(c.spaces())) {
            ids.add(membership.space(s).spaceId()); // an unknown space keeps the realm down: no login, no role
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException(PID + ": spaces is required (the spaces whose roles the realm grants)");
        }
        setAudience(c.audience().strip());
        setMembershipSource(new NodeMembership(membership));
        setSpaces(String.join(",", ids));
        if (c.challenge_ttl_seconds() < 10 || c.challenge_ttl_seconds() > 3600) {
            throw new IllegalArgumentException(PID + ": challenge.ttl.seconds must be 10 to 3600, not "
                    + c.challenge_ttl_seconds());
        }
        setChallengeTtlSeconds(c.challenge_ttl_seconds());
        setName(PID);
    }
}
