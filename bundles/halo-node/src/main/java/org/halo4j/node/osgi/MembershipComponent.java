package org.halo4j.node.osgi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.halo4j.credentials.DeviceStatus;
import org.halo4j.keys.PublicKey;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.agent.MemberSummary;
import org.halo4j.node.agent.SpaceSummary;
import org.halo4j.node.service.MembershipListener;
import org.halo4j.node.service.NodeRuntime;
import org.halo4j.node.service.SpaceMembershipService;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.spaces.Refusal;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@link SpaceMembershipService} of the node runtime (PID {@code org.halo4j.membership}). One daemon thread,
 * {@code halo4j-membership}, looks at the feeds every {@code poll.interval} seconds and tells each
 * {@link MembershipListener} service the version when it differs from the last one it was told (a new listener
 * hears the current version first); the thread ends on deactivation. Immediate: listeners are told even while
 * nobody holds the service itself.
 */
@Component(service = SpaceMembershipService.class, configurationPid = MembershipComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = MembershipComponent.Config.class)
public final class MembershipComponent implements SpaceMembershipService {

    public static final String PID = "org.halo4j.membership";
    /** The name of the thread that watches for changes. */
    public static final String THREAD = "halo4j-membership";

    @ObjectClassDefinition(name = "halo4j space membership", description = "Membership of the spaces the node "
            + "keeps, and how soon listeners hear of a change.")
    public @interface Config {
        @AttributeDefinition(name = "Poll interval", description = "Seconds between looks for changes to tell "
                + "MembershipListener services of (1 to 3600); 0: tell nobody.", min = "0", max = "3600")
        int poll_interval() default 2;
    }

    private static final System.Logger LOG = System.getLogger(PID);

    private final NodeRuntime runtime;
    /** Each listener with the version it was last told (-1: not yet). */
    private final Map<MembershipListener, Long> listeners = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watcher;

    @Activate
    public MembershipComponent(@Reference NodeRuntime runtime, Config config) {
        this.runtime = Objects.requireNonNull(runtime);
        int every = config.poll_interval();
        if (every < 0 || every > 3600) {
            throw new IllegalArgumentException(PID + ": poll.interval must be 0 to 3600 seconds, not " + every);
        }
        if (every == 0) {
            watcher = null;
        } else {
            watcher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, THREAD);
                t.setDaemon(true);
                return t;
            });
            watcher.scheduleWithFixedDelay(this::look, 0, every, TimeUnit.SECONDS);
        }
    }

    /** Outside OSGi: the service on {@code runtime}, without change notices (ask {@link #version()}). */
    public MembershipComponent(NodeRuntime runtime) {
        this.runtime = Objects.requireNonNull(runtime);
        this.watcher = null;
    }

    /** Tells {@code listener} the current version on the next look, and each change after that. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addListener(MembershipListener listener) {
        listeners.put(listener, -1L);
    }

    public void removeListener(MembershipListener listener) {
        listeners.remove(listener);
    }

    private void look() {
        long now;
        try {
            now = version();
        } catch (AgentException e) {
            LOG.log(System.Logger.Level.WARNING, "could not read the feeds: " + e.getMessage());
            return;
        }
        for (Map.Entry<MembershipListener, Long> l : listeners.entrySet()) {
            if (l.getValue() == now) {
                continue;
            }
            try {
                l.getKey().membershipChanged(now);
                listeners.replace(l.getKey(), now); // unless it went away meanwhile
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a membership listener failed: " + e, e);
            }
        }
    }

    /** Ends the watching thread (waiting for a look under way to finish; never interrupting it). */
    @Deactivate
    public void stop() throws InterruptedException {
        if (watcher != null) {
            // never interrupt: an interrupt during a read closes the agent's file channels for every user
            watcher.shutdown();
            if (!watcher.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, THREAD + " did not end within 30 s");
            }
        }
    }

    @Override
    public List<SpaceSummary> spaces() throws AgentException {
        return runtime.call(a -> a.spaces());
    }

    @Override
    public SpaceSummary space(String idOrName) throws AgentException {
        return runtime.call(a -> a.space(idOrName));
    }

    @Override
    public Optional<SpaceRole> roleOf(String space, PublicKey identity) throws AgentException {
        return runtime.call(a -> {
            try {
                return a.roleOf(space, identity);
            } catch (AgentException e) {
                if ("space.unknown".equals(e.code())) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    @Override
    public List<MemberSummary> members(String space) throws AgentException {
        return runtime.call(a -> a.members(space));
    }

    @Override
    public SpaceSummary createSpace(String name) throws AgentException {
        return runtime.call(a -> a.createSpace(name));
    }

    @Override
    public void setRole(String space, PublicKey member, SpaceRole role) throws AgentException {
        runtime.call(a -> {
            a.setRole(space, member, role);
            return null;
        });
    }

    @Override
    public void remove(String space, PublicKey member) throws AgentException {
        runtime.call(a -> {
            a.remove(space, member);
            return null;
        });
    }

    @Override
    public List<Refusal> audit(String space) throws AgentException {
        return runtime.call(a -> a.audit(space));
    }

    @Override
    public long version() throws AgentException {
        return runtime.call(a -> a.stateVersion());
    }

    @Override
    public DeviceStatus deviceStatus() throws AgentException {
        return runtime.call(a -> a.deviceStatus());
    }
}
