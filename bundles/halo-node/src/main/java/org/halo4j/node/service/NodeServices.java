package org.halo4j.node.service;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.keys.Keyring;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.osgi.IdentityComponent;
import org.halo4j.node.osgi.InvitationComponent;
import org.halo4j.node.osgi.KeyringComponent;
import org.halo4j.node.osgi.LiveDeviceStatus;
import org.halo4j.node.osgi.MembershipComponent;

/**
 * The node's services as plain Java objects, for an application without an OSGi container: the same classes the
 * container activates, built around a {@link NodeRuntime} (typically a {@link LocalNode}).
 */
public final class NodeServices {

    private NodeServices() {
    }

    /** The identity the runtime acts for. */
    public static IdentityService identity(NodeRuntime runtime) throws AgentException {
        return new IdentityComponent(runtime, Optional.empty());
    }

    /** Membership of the runtime's spaces (no change notices: compare {@link SpaceMembershipService#version()}). */
    public static SpaceMembershipService membership(NodeRuntime runtime) {
        return new MembershipComponent(runtime);
    }

    /** Invitations hosted at the runtime's address, open for {@code lifetime} unless asked otherwise. */
    public static InvitationService invitations(NodeRuntime runtime, Duration lifetime) {
        return new InvitationComponent(runtime, lifetime, Optional.<URI>empty());
    }

    /** The runtime's device key, for signatures in {@code domains} only. */
    public static Keyring keyring(NodeRuntime runtime, Set<SignatureDomain> domains) throws AgentException {
        return new KeyringComponent(runtime, domains);
    }

    /**
     * The entries of a multi-valued configuration setting: each value split at commas, trimmed, blanks dropped.
     * A setting written in a Karaf {@code .cfg} file as {@code a, b} arrives as one value; as {@code ["a","b"]},
     * as two. Both give {@code [a, b]}.
     */
    public static java.util.List<String> entries(String[] values) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String v : values == null ? new String[0] : values) {
            for (String part : v == null ? new String[0] : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }

    /** A verifier with the revocations the runtime knows at each verification (refusing all when it cannot say). */
    public static CredentialVerifier verifier(NodeRuntime runtime) {
        return CredentialVerifier.builder().deviceStatus(new LiveDeviceStatus(runtime)).build();
    }
}
