package org.halo4j.node.osgi;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.halo4j.invitations.HostedInvitation;
import org.halo4j.invitations.InvitationException;
import org.halo4j.invitations.InvitationText;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.agent.SpaceSummary;
import org.halo4j.node.invitations.InvitationGuest;
import org.halo4j.node.invitations.InvitationHost;
import org.halo4j.node.invitations.InvitationStore;
import org.halo4j.net.ChannelLimits;
import org.halo4j.net.PeerConnector;
import org.halo4j.net.PeerException;
import org.halo4j.node.service.InvitationService;
import org.halo4j.node.service.NodeRuntime;
import org.halo4j.proto.v1.InvitationAuth;
import org.halo4j.proto.v1.InvitationKind;
import org.halo4j.proto.v1.SpaceRole;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@link InvitationService} of the node runtime (PID {@code org.halo4j.invitations}). */
@Component(service = InvitationService.class, configurationPid = InvitationComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = InvitationComponent.Config.class)
public final class InvitationComponent implements InvitationService {

    public static final String PID = "org.halo4j.invitations";
    /** The longest an invitation may stay open. */
    public static final Duration MAX_LIFETIME = Duration.ofDays(30);

    @ObjectClassDefinition(name = "halo4j invitations", description = "Space invitations the node hosts.")
    public @interface Config {
        @AttributeDefinition(name = "Lifetime", description = "Minutes a new invitation stays open unless the admin "
                + "says otherwise (1 to 43200).", min = "1", max = "43200")
        int lifetime_minutes() default 1440;

        @AttributeDefinition(name = "Address", description = "The address written into invitations, where guests "
                + "reach the node (ws://host:port), for a node behind a proxy or NAT. Empty: the node's listen "
                + "address.", required = false)
        String address() default "";
    }

    private final NodeRuntime runtime;
    private final Duration lifetime;
    private final Optional<URI> address;

    @Activate
    public InvitationComponent(@Reference NodeRuntime runtime, Config config) {
        this(runtime, Duration.ofMinutes(config.lifetime_minutes()), NodeComponent.optional(config.address())
                .map(InvitationComponent::address));
    }

    /**
     * Outside OSGi: the service on {@code runtime}; invitations stay open {@code lifetime} unless asked otherwise
     * and name {@code address} (empty: the runtime's listen address).
     */
    public InvitationComponent(NodeRuntime runtime, Duration lifetime, Optional<URI> address) {
        this.runtime = Objects.requireNonNull(runtime);
        this.lifetime = lifetime(lifetime);
        this.address = Objects.requireNonNull(address);
    }

    private static Duration lifetime(Duration d) {
        if (d.isNegative() || d.isZero() || d.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException(PID + ": an invitation's lifetime is 1 minute to 30 days, not " + d);
        }
        return d;
    }

    private static URI address(String s) {
        URI u;
        try {
            u = URI.create(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PID + ": address is not a URI: " + s);
        }
        if (!("ws".equals(u.getScheme()) || "wss".equals(u.getScheme())) || u.getHost() == null) {
            throw new IllegalArgumentException(PID + ": address must be ws://host:port or wss://host:port, not " + s);
        }
        return u;
    }

    @Override
    public HostedInvitation create(String space, SpaceRole role, boolean multiUse, Duration lifetime)
            throws AgentException {
        Duration life = lifetime == null ? this.lifetime : lifetime(lifetime);
        URI where = address.or(runtime::address).orElseThrow(() -> new AgentException("invitation.no_address",
                "the node does not listen (listen.port = -1) and no invitation address is configured: guests could "
                        + "not reach it"));
        return runtime.call(a -> new InvitationHost(a, Clock.systemUTC(), ChannelLimits.DEFAULT).create(
                new InvitationHost.Request(InvitationKind.INVITATION_KIND_SPACE, Optional.of(space), role, multiUse, life,
                        InvitationAuth.INVITATION_AUTH_SHARED_SECRET, Optional.empty(), Optional.empty(),
                        Optional.of(where))));
    }

    @Override
    public List<HostedInvitation> list() throws AgentException {
        return runtime.call(a -> InvitationStore.of(a).list(Instant.now()));
    }

    @Override
    public HostedInvitation cancel(String idOrPrefix) throws AgentException {
        return runtime.call(a -> InvitationStore.of(a).cancel(idOrPrefix, Instant.now()));
    }

    @Override
    public SpaceSummary accept(String text, String code) throws AgentException {
        try (PeerConnector connector = new PeerConnector(ChannelLimits.DEFAULT)) {
            var inv = InvitationText.decode(text);
            return runtime.call(a -> {
                try {
                    return InvitationGuest.joinSpace(a, inv, code, connector, ChannelLimits.DEFAULT, Clock.systemUTC())
                            .space();
                } catch (InvitationException e) {
                    throw new AgentException(e.code(), e.getMessage(), e);
                } catch (PeerException e) {
                    throw new AgentException(e.code(), e.getMessage(), e);
                }
            });
        } catch (InvitationException e) {
            throw new AgentException(e.code(), e.getMessage(), e);
        } catch (PeerException e) {
            throw new AgentException(e.code(), e.getMessage(), e);
        }
    }
}
