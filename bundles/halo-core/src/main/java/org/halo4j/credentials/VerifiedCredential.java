package org.halo4j.credentials;

import com.google.protobuf.Message;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Credential;

/**
 * A credential that passed every verification step.
 *
 * @param id         SHA-256 of the body, recomputed
 * @param issuer     whose authority the claim carries
 * @param subject    whom the claim is about
 * @param signedBy   the signer and its chain to the issuer
 * @param issuedAt   when the issuer says it signed
 * @param expiresAt  when it stops being usable, if ever
 * @param assertion  the decoded assertion (one of {@link Assertions#types()})
 * @param parents    ids of causally preceding credentials
 * @param credential the credential as received
 */
public record VerifiedCredential(CredentialId id, PublicKey issuer, PublicKey subject, AuthorizedSigner signedBy,
                                 Instant issuedAt, Optional<Instant> expiresAt, Message assertion,
                                 List<CredentialId> parents, Credential credential) {

    public VerifiedCredential {
        parents = List.copyOf(parents);
    }

    /** The assertion, if it is of {@code type}. */
    public <T extends Message> Optional<T> assertionAs(Class<T> type) {
        return type.isInstance(assertion) ? Optional.of(type.cast(assertion)) : Optional.empty();
    }

    /** The assertion's short type name, e.g. {@code SpaceMember}. */
    public String type() {
        return assertion.getDescriptorForType().getName();
    }
}
