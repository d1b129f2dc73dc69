package org.halo4j.node.osgi;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.halo4j.identity.IdentityState;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.RecoveryPhrase;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.service.IdentityService;
import org.halo4j.node.service.NodeRuntime;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@link IdentityService} of the node runtime (PID {@code org.halo4j.identity}). A configured
 * {@code profile.name} is the source of truth: written when the component starts on a node whose profile says
 * otherwise (immediate, so that happens once per start, not whenever a user comes and goes).
 */
@Component(service = IdentityService.class, configurationPid = IdentityComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = IdentityComponent.Config.class)
public final class IdentityComponent implements IdentityService {

    public static final String PID = "org.halo4j.identity";

    @ObjectClassDefinition(name = "halo4j identity", description = "The profile of the identity the node acts for.")
    public @interface Config {
        @AttributeDefinition(name = "Profile name", description = "The display name others see in spaces; written "
                + "into the HALO when it differs. Empty: leave the profile as it is.", required = false)
        String profile_name() default "";
    }

    private final NodeRuntime runtime;

    @Activate
    public IdentityComponent(@Reference NodeRuntime runtime, Config config) throws AgentException {
        this(runtime, NodeComponent.optional(config.profile_name()));
    }

    /** Outside OSGi: the service on {@code runtime}, setting the profile's name to {@code profileName} if given. */
    public IdentityComponent(NodeRuntime runtime, Optional<String> profileName) throws AgentException {
        this.runtime = Objects.requireNonNull(runtime);
        if (profileName.isPresent()) {
            runtime.call(a -> {
                IdentityState st = a.state();
                if (!st.displayName().equals(profileName)) {
                    a.setProfile(profileName.get(), st.properties());
                }
                return null;
            });
        }
    }

    @Override
    public String did() {
        return runtime.did();
    }

    @Override
    public IdentityState state() throws AgentException {
        return runtime.call(a -> a.state());
    }

    @Override
    public void setProfile(String name, Map<String, String> properties) throws AgentException {
        runtime.call(a -> {
            a.setProfile(name, properties);
            return null;
        });
    }

    @Override
    public void revokeDevice(PublicKey device) throws AgentException {
        runtime.call(a -> {
            a.revokeDevice(device);
            return null;
        });
    }

    @Override
    public Optional<RecoveryPhrase> recoveryPhrase() throws AgentException {
        return runtime.call(a -> a.recoveryPhrase());
    }

    @Override
    public boolean backupConfirmed() throws AgentException {
        return runtime.call(a -> a.backupConfirmed());
    }

    @Override
    public void confirmBackup(RecoveryPhrase typed) throws AgentException {
        runtime.call(a -> {
            a.confirmBackup(typed);
            return null;
        });
    }
}
