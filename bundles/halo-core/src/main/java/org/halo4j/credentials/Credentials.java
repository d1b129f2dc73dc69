package org.halo4j.credentials;

import org.halo4j.errors.HaloRejectedException;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.internal.wire.StrictDecoder;
import org.halo4j.internal.wire.Timestamps;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.CredentialBody;

/**
 * Issues credentials: builds a {@code CredentialBody}, serializes it once, signs exactly those bytes and
 * sends them. What it builds passes the same structural rules the verifier applies, so halo4j never issues
 * what it would refuse.
 */
public final class Credentials {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Credentials() {
    }

    /** Starts a credential signed by {@code signer} (issuer = {@code signer.issuer()}). */
    public static Builder issue(Signer signer) {
        return new Builder(signer);
    }

    /** The id of a credential: SHA-256 of its body bytes, recomputed. */
    public static CredentialId id(Credential credential) {
        return CredentialId.ofBody(credential.getBody());
    }

    /**
     * Decodes an encoded {@code halo.v1.Credential} strictly, with no cryptography: bounded size, no unknown
     * fields, and the envelope and its body canonical (they re-encode to exactly the bytes given), so every
     * reader gives these bytes the same meaning. For listing and showing; use {@link CredentialVerifier} to
     * trust one.
     *
     * @throws HaloRejectedException if the bytes are not such a credential
     */
    public static Credential decode(ByteString encoded) throws HaloRejectedException {
        Credential c = StrictDecoder.parse(Credential.parser(), encoded, "credential");
        StrictDecoder.parse(CredentialBody.parser(), c.getBody(), "credential body");
        return c;
    }

    static Timestamp timestamp(Instant t) {
        return Timestamps.of(t);
    }

    /** Builder of one credential. Not thread-safe. */
    public static final class Builder {
        private final Signer signer;
        private PublicKey subject;
        private Message assertion;
        private final List<CredentialId> parents = new ArrayList<>();
        private Optional<Instant> expiresAt = Optional.empty();
        private Clock clock;

        private Builder(Signer signer) {
            this.signer = Objects.requireNonNull(signer);
            this.clock = signer.clock();
        }

        /** Whom the claim is about (required). */
        public Builder subject(PublicKey subject) {
            this.subject = Objects.requireNonNull(subject);
            return this;
        }

        /** The claim (required): one of {@link Assertions#types()}. */
        public Builder assertion(Message assertion) {
            Assertions.typeUrl(assertion.getClass());
            this.assertion = assertion;
            return this;
        }

        /** Ids of causally preceding credentials (at most {@link Limits#MAX_PARENTS}). */
        public Builder parents(List<CredentialId> parents) {
            this.parents.clear();
            this.parents.addAll(parents);
            return this;
        }

        /** When the credential stops being usable. */
        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = Optional.of(expiresAt);
            return this;
        }

        /** The clock for {@code issued_at} (default: the signer's clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /**
         * Signs and returns the credential.
         *
         * @throws IllegalArgumentException if the credential would break a rule the verifier enforces
         */
        public Credential sign() throws KeyringException {
            if (subject == null || assertion == null) {
                throw new IllegalStateException("a credential needs a subject and an assertion");
            }
            if (parents.size() > Limits.MAX_PARENTS) {
                throw new IllegalArgumentException("at most " + Limits.MAX_PARENTS + " parents, given " + parents.size());
            }
            byte[] nonce = new byte[Limits.CREDENTIAL_NONCE_LENGTH];
            RANDOM.nextBytes(nonce);
            CredentialBody.Builder body = CredentialBody.newBuilder()
                    .setIssuer(ByteString.copyFrom(signer.issuer().toBytes()))
                    .setSubject(ByteString.copyFrom(subject.toBytes()))
                    .setIssuedAt(timestamp(clock.instant()))
                    .setAssertion(Assertions.pack(assertion))
                    .setNonce(ByteString.copyFrom(nonce));
            expiresAt.ifPresent(e -> body.setExpiresAt(timestamp(e)));
            parents.forEach(p -> body.addParents(p.toByteString()));
            CredentialBody built = body.build();
            try {
                AssertionRules.check(assertion, built);
            } catch (HaloRejectedException e) {
                throw new IllegalArgumentException("refusing to issue: " + e.getMessage(), e);
            }
            ByteString bytes = built.toByteString();
            return Credential.newBuilder()
                    .setBody(bytes)
                    .setProof(signer.prove(SignatureDomain.CREDENTIAL, bytes))
                    .build();
        }
    }
}
