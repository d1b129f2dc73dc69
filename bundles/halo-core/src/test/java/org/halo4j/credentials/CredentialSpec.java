package org.halo4j.credentials;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Credential;

/**
 * A credential to issue in a test: who signs, what it claims, its parents and, optionally, how long after
 * issue it expires.
 */
public record CredentialSpec(SignerSpec signer, ClaimSpec claim, List<CredentialId> parents,
                             Optional<Duration> expiresIn) {

    public CredentialSpec {
        parents = List.copyOf(parents);
    }

    /** Issues this credential under {@code signer} (built from {@link #signer()}) at {@code clock}'s instant. */
    public Issued issue(ChainedSigner signer, Clock clock) throws KeyringException {
        return issue(signer, claim, parents, expiresIn, clock);
    }

    /** Issues {@code claim} under {@code signer} at {@code clock}'s instant, with what a verifier should report. */
    public static Issued issue(ChainedSigner signer, ClaimSpec claim, List<CredentialId> parents,
                               Optional<Duration> expiresIn, Clock clock) throws KeyringException {
        Instant now = clock.instant();
        PublicKey subject = claim.subjectOr(signer.identity());
        Credentials.Builder b = Credentials.issue(signer.signer())
                .subject(subject)
                .assertion(claim.assertion())
                .parents(parents)
                .clock(clock);
        Optional<Instant> expiresAt = expiresIn.map(now::plus);
        expiresAt.ifPresent(b::expiresAt);
        return new Issued(b.sign(), signer, subject, now, expiresAt);
    }

    /**
     * A signed credential and the inputs it was made from.
     *
     * @param credential the signed credential
     * @param signer     its signer
     * @param subject    its subject
     * @param issuedAt   the clock's instant when it was issued
     * @param expiresAt  its expiry, if any
     */
    public record Issued(Credential credential, ChainedSigner signer, PublicKey subject, Instant issuedAt,
                         Optional<Instant> expiresAt) {
    }
}
