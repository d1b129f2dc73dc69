package org.halo4j.servlet.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.halo4j.credentials.CredentialId;
import org.halo4j.servlet.HaloPrincipal;

/**
 * One live session: who, and what is needed to re-check the login's device chain against revocations on every
 * request without verifying a signature again — the chain's links, and when the identity authorized its root
 * device (for a recovery that revoked every device authorized before it).
 */
public record Session(HaloPrincipal principal, List<CredentialId> links, Optional<Instant> rootAuthorizedAt) {

    public Session {
        links = List.copyOf(links);
    }
}
