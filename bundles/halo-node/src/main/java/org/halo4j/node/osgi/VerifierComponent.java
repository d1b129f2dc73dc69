package org.halo4j.node.osgi;

import java.util.Hashtable;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.node.service.NodeRuntime;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Offers the core's {@link CredentialVerifier} as a service (PID {@code org.halo4j.verifier}), with the device
 * revocations the node knows at each verification ({@link LiveDeviceStatus}: fail closed when it cannot say).
 * The verifier is a final class of halo-core, so this component registers it itself while it is active.
 */
@Component(service = {}, configurationPid = VerifierComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true)
@Designate(ocd = VerifierComponent.Config.class)
public final class VerifierComponent {

    public static final String PID = "org.halo4j.verifier";

    @ObjectClassDefinition(name = "halo4j credential verifier", description = "Verifies credentials and "
            + "presentations with the revocations the node knows.")
    public @interface Config {
        @AttributeDefinition(name = "Chain cache size", description = "How many verified chain links to remember "
                + "(0 to 1000000; 0 turns the cache off).", min = "0", max = "1000000")
        int chain_cache_size() default 4096;
    }

    private final ServiceRegistration<CredentialVerifier> registration;

    @Activate
    public VerifierComponent(BundleContext context, @Reference NodeRuntime runtime, Config config) {
        int size = config.chain_cache_size();
        if (size < 0 || size > 1_000_000) {
            throw new IllegalArgumentException(PID + ": chain.cache.size must be 0 to 1000000, not " + size);
        }
        CredentialVerifier verifier = CredentialVerifier.builder().deviceStatus(new LiveDeviceStatus(runtime))
                .chainCacheSize(size).build();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_PID, PID);
        props.put("halo.identity", runtime.did());
        registration = context.registerService(CredentialVerifier.class, verifier, props);
    }

    @Deactivate
    void stop() {
        registration.unregister();
    }
}
