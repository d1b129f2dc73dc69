package org.halo4j.credentials;

import com.google.protobuf.Message;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Credential;

/**
 * A credential that passed every verification step. Only {@link CredentialVerifier} makes one: there is no
 * public constructor, so holding a {@code VerifiedCredential} means the verifier accepted it.
 */
public final class VerifiedCredential {

    private final CredentialId id;
    private final PublicKey issuer;
    private final PublicKey subject;
    private final AuthorizedSigner signedBy;
    private final Instant issuedAt;
    private final Optional<Instant> expiresAt;
    private final Message assertion;
    private final List<CredentialId> parents;
    private final Credential credential;

    VerifiedCredential(CredentialId id, PublicKey issuer, PublicKey subject, AuthorizedSigner signedBy,
                       Instant issuedAt, Optional<Instant> expiresAt, Message assertion, List<CredentialId> parents,
                       Credential credential) {
        this.id = Objects.requireNonNull(id);
        this.issuer = Objects.requireNonNull(issuer);
        this.subject = Objects.requireNonNull(subject);
        this.signedBy = Objects.requireNonNull(signedBy);
        this.issuedAt = Objects.requireNonNull(issuedAt);
        this.expiresAt = Objects.requireNonNull(expiresAt);
        this.assertion = Objects.requireNonNull(assertion);
        this.parents = List.copyOf(parents);
        this.credential = Objects.requireNonNull(credential);
    }

    /** SHA-256 of the body, recomputed. */
    public CredentialId id() {
        return id;
    }

    /** Whose authority the claim carries. */
    public PublicKey issuer() {
        return issuer;
    }

    /** Whom the claim is about. */
    public PublicKey subject() {
        return subject;
    }

    /** The signer and its chain to the issuer. */
    public AuthorizedSigner signedBy() {
        return signedBy;
    }

    /** When the issuer says it signed. */
    public Instant issuedAt() {
        return issuedAt;
    }

    /** When it stops being usable, if ever. */
    public Optional<Instant> expiresAt() {
        return expiresAt;
    }

    /** The decoded assertion (one of {@link Assertions#types()}). */
    public Message assertion() {
        return assertion;
    }

    /** Ids of causally preceding credentials. */
    public List<CredentialId> parents() {
        return parents;
    }

    /** The credential as received. */
    public Credential credential() {
        return credential;
    }

    /** The assertion, if it is of {@code type}. */
    public <T extends Message> Optional<T> assertionAs(Class<T> type) {
        return type.isInstance(assertion) ? Optional.of(type.cast(assertion)) : Optional.empty();
    }

    /** The assertion's short type name, e.g. {@code SpaceMember}. */
    public String type() {
        return assertion.getDescriptorForType().getName();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifiedCredential v && id.equals(v.id) && signedBy.equals(v.signedBy)
                && credential.equals(v.credential);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "VerifiedCredential[" + type() + " " + id.shortId() + " by " + issuer.shortId() + " about "
                + subject.shortId() + "]";
    }
}
