package org.halo4j.node.osgi;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.halo4j.keys.Keyring;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.service.NodeRuntime;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The node's device key as a {@link Keyring} (PID {@code org.halo4j.keyring}): other code in the container may
 * have it sign, in the signature domains an admin allows (none by default), and never gets the key. It holds
 * exactly one key: it neither makes, imports nor destroys keys ({@code keyring.read_only}). The domains keep
 * well-meaning code from signing more than it should; they are not a wall between bundles: without a security
 * manager every bundle in a container can also reach the {@code NodeRuntime} service, and everything else
 * (decision 0009).
 */
@Component(service = Keyring.class, configurationPid = KeyringComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = KeyringComponent.Config.class)
public final class KeyringComponent implements Keyring {

    public static final String PID = "org.halo4j.keyring";

    @ObjectClassDefinition(name = "halo4j keyring", description = "What other code in the container may sign with "
            + "the node's device key.")
    public @interface Config {
        @AttributeDefinition(name = "Signature domains", description = "The domains other bundles may sign in: "
                + "PRESENTATION, CREDENTIAL, FEED_ENTRY, DEVICE_CONSENT, FEED_ADMIT, PEER_SESSION. Empty (the "
                + "default): none.", required = false)
        String[] domains() default {};
    }

    private final NodeRuntime runtime;
    private final Set<SignatureDomain> domains;
    private final PublicKey device;

    @Activate
    public KeyringComponent(@Reference NodeRuntime runtime, Config config) throws AgentException {
        this(runtime, domains(config.domains()));
    }

    /** Outside OSGi: the node's device key, for signatures in {@code domains} only. */
    public KeyringComponent(NodeRuntime runtime, Set<SignatureDomain> domains) throws AgentException {
        this.runtime = Objects.requireNonNull(runtime);
        this.domains = domains.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(domains));
        this.device = runtime.call(a -> a.device());
    }

    static Set<SignatureDomain> domains(String[] names) {
        EnumSet<SignatureDomain> out = EnumSet.noneOf(SignatureDomain.class);
        for (String n : org.halo4j.node.service.NodeServices.entries(names)) {
            try {
                out.add(SignatureDomain.valueOf(n.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(PID + ": no signature domain " + n + "; the domains are "
                        + EnumSet.allOf(SignatureDomain.class));
            }
        }
        return out;
    }

    @Override
    public PublicKey generate() throws KeyringException {
        throw readOnly();
    }

    @Override
    public PublicKey importSeed(byte[] seed) throws KeyringException {
        throw readOnly();
    }

    @Override
    public boolean contains(PublicKey key) {
        return device.equals(key);
    }

    @Override
    public Set<PublicKey> keys() {
        return Set.of(device);
    }

    @Override
    public byte[] sign(PublicKey key, SignatureDomain domain, byte[] payload) throws KeyringException {
        if (!device.equals(key)) {
            throw new org.halo4j.keys.UnknownKeyException(key);
        }
        if (!domains.contains(domain)) {
            throw new KeyringException("keyring.domain", "signing in " + domain + " is not allowed here; an admin "
                    + "allows it in " + PID + " domains (allowed now: " + domains + ")");
        }
        try {
            return runtime.call(a -> a.signAsDevice(domain, payload));
        } catch (AgentException e) {
            throw new KeyringException(e.code(), e.getMessage(), e);
        }
    }

    @Override
    public byte[] agree(PublicKey key, byte[] peerX25519PublicKey) throws KeyringException {
        throw new KeyringException("keyring.domain", "key agreement with the node's device key is reserved for its "
                + "peer channels");
    }

    @Override
    public void destroy(PublicKey key) throws KeyringException {
        throw readOnly();
    }

    private static KeyringException readOnly() {
        return new KeyringException("keyring.read_only", "the node's keyring service holds the node's device key "
                + "only; it does not make, import or destroy keys");
    }
}
