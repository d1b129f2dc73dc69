package org.halo4j.presentations;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.halo4j.credentials.AuthorizedSigner;
import org.halo4j.credentials.CredentialId;
import org.halo4j.credentials.CredentialRejectedException;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.Limits;
import org.halo4j.credentials.LimitExceededException;
import org.halo4j.credentials.MalformedCredentialException;
import org.halo4j.credentials.NotYetValidException;
import org.halo4j.credentials.RejectionCode;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.internal.wire.StrictDecoder;
import org.halo4j.internal.wire.Timestamps;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.CredentialBody;
import org.halo4j.proto.v1.Presentation;
import org.halo4j.proto.v1.PresentationBody;

/**
 * The relying party's side of a HALO login (DESIGN §3, §7). {@link #startLogin()} issues a challenge;
 * {@link #finishLogin(byte[], byte[])} verifies the wallet's presentation in named steps and consumes the
 * challenge atomically, so one challenge logs in at most once. Immutable and thread-safe:
 * <pre>{@code
 * HaloVerifier verifier = HaloVerifier.builder()
 *     .audience("https://app.example.com")
 *     .challengeStore(new InMemoryChallengeStore())
 *     .build();
 * }</pre>
 */
public final class HaloVerifier {

    /** Default lifetime of a challenge. */
    public static final Duration DEFAULT_CHALLENGE_TTL = Duration.ofMinutes(5);
    /** Longest audience (origin), in UTF-8 bytes. */
    public static final int MAX_AUDIENCE_BYTES = Challenge.MAX_AUDIENCE_BYTES;

    private static final Pattern ORIGIN = Pattern.compile("[a-z][a-z0-9+.-]*://[^/?#\\s@]+");

    private final String audience;
    private final byte[] audienceBytes;
    private final ChallengeStore challengeStore;
    private final CredentialVerifier credentialVerifier;
    private final Clock clock;
    private final Duration challengeTtl;
    private final SecureRandom random;

    private HaloVerifier(Builder b) {
        this.audience = b.audience;
        this.audienceBytes = b.audience.getBytes(StandardCharsets.UTF_8);
        this.challengeStore = b.challengeStore;
        this.credentialVerifier = b.credentialVerifier != null ? b.credentialVerifier
                : CredentialVerifier.builder().clock(b.clock).build();
        this.clock = b.clock;
        this.challengeTtl = b.challengeTtl;
        this.random = b.random;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** This relying party's origin. */
    public String audience() {
        return audience;
    }

    /** Starts a login: a fresh challenge, stored until consumed or expired. */
    public Challenge startLogin() {
        byte[] nonce = new byte[Challenge.NONCE_LENGTH];
        random.nextBytes(nonce);
        Instant now = clock.instant();
        Challenge c = new Challenge(nonce, audience, now, now.plus(challengeTtl));
        challengeStore.put(c);
        return c;
    }

    /** Finishes the login of {@code challenge}; see {@link #finishLogin(byte[], byte[])}. */
    public LoginResult finishLogin(Challenge challenge, byte[] presentation) throws CredentialRejectedException {
        return finishLogin(challenge.nonce(), presentation);
    }

    /**
     * Finishes a login: verifies the encoded {@code halo.v1.Presentation} answering the challenge with
     * {@code nonce}, then consumes that challenge. Returns who logged in.
     *
     * @throws CredentialRejectedException with a precise {@link RejectionCode} if anything is wrong; the
     *                                      challenge stays open unless the presentation was valid
     */
    public LoginResult finishLogin(byte[] nonce, byte[] presentation) throws CredentialRejectedException {
        Instant now = clock.instant();
        StrictDecoder.checkSize(presentation == null ? 0 : presentation.length, "presentation");
        Presentation p = StrictDecoder.parse(Presentation.parser(), presentation, "presentation");
        checkCredentialCount(p);
        PresentationBody body = StrictDecoder.parse(PresentationBody.parser(), p.getBody(), "presentation body");
        PublicKey identity = checkStructure(p, body);
        checkNonce(body, nonce);
        checkAudience(body);
        checkChainEndsAtIdentity(p, identity);
        CredentialVerifier.PreparedProof proof = credentialVerifier.prepareProof(p.getProof(), identity);
        List<CredentialVerifier.Prepared> prepared = prepareCredentials(p, body, identity);
        AuthorizedSigner signer = credentialVerifier.completeProof(proof, SignatureDomain.PRESENTATION, p.getBody(),
                Optional.of(now));
        List<VerifiedCredential> credentials = new ArrayList<>(prepared.size());
        for (CredentialVerifier.Prepared c : prepared) {
            credentials.add(credentialVerifier.complete(c, Optional.of(now)));
        }
        checkIssuedAt(body, now);
        Challenge challenge = consumeChallenge(nonce, now);
        return new LoginResult(identity, signer, credentials, challenge);
    }

    /** "Limits, checked before any crypto: credentials per presentation 16." */
    private static void checkCredentialCount(Presentation p) throws LimitExceededException {
        if (p.getCredentialsCount() > Limits.MAX_PRESENTED_CREDENTIALS) {
            throw new LimitExceededException(RejectionCode.LIMIT_CREDENTIALS, "presentation carries "
                    + p.getCredentialsCount() + " credentials; the limit is " + Limits.MAX_PRESENTED_CREDENTIALS);
        }
    }

    /** Field lengths and presence; returns the signed {@code identity}. */
    private static PublicKey checkStructure(Presentation p, PresentationBody body) throws MalformedCredentialException {
        if (body.getNonce().size() != Challenge.NONCE_LENGTH) {
            throw invalid("presentation nonce must be " + Challenge.NONCE_LENGTH + " bytes, found " + body.getNonce().size());
        }
        if (body.getIdentity().size() != PublicKey.LENGTH) {
            throw invalid("presentation identity must be a " + PublicKey.LENGTH + "-byte key, found "
                    + body.getIdentity().size() + " bytes");
        }
        if (body.getAudienceBytes().isEmpty() || body.getAudienceBytes().size() > MAX_AUDIENCE_BYTES) {
            throw invalid("presentation audience must be 1 to " + MAX_AUDIENCE_BYTES + " bytes");
        }
        if (!body.hasIssuedAt()) {
            throw invalid("presentation issued_at is missing");
        }
        Timestamps.toInstant(body.getIssuedAt(), "presentation issued_at");
        if (!p.hasProof()) {
            throw invalid("presentation proof is missing");
        }
        if (body.getCredentialIdsCount() != p.getCredentialsCount()) {
            throw invalid("presentation lists " + body.getCredentialIdsCount() + " credential ids for "
                    + p.getCredentialsCount() + " credentials");
        }
        return PublicKey.of(body.getIdentity().toByteArray());
    }

    /** "The verifier MUST check nonce (issued by it …)": the presentation answers this challenge. */
    private static void checkNonce(PresentationBody body, byte[] nonce) throws NonceMismatchException {
        if (nonce == null || !MessageDigest.isEqual(body.getNonce().toByteArray(), nonce)) {
            throw new NonceMismatchException(RejectionCode.NONCE_MISMATCH,
                    "the presentation answers another challenge than the one being finished");
        }
    }

    /** "audience (its own origin)", compared byte for byte. */
    private void checkAudience(PresentationBody body) throws AudienceMismatchException {
        if (!MessageDigest.isEqual(body.getAudienceBytes().toByteArray(), audienceBytes)) {
            throw new AudienceMismatchException(RejectionCode.AUDIENCE_MISMATCH, "the presentation is for '"
                    + abbreviate(body.getAudience()) + "', this relying party is '" + audience + "'");
        }
    }

    /** "identity (the proof's chain ends at identity)": a chain swapped in cannot claim another identity. */
    private static void checkChainEndsAtIdentity(Presentation p, PublicKey identity) throws CredentialRejectedException {
        var proof = p.getProof();
        if (identity.matches(proof.getSigner().toByteArray()) || !proof.hasChain()) {
            return; // the identity signed itself, or a missing chain: the proof's own checks reject it precisely
        }
        CredentialBody link;
        try {
            link = CredentialBody.parseFrom(proof.getChain().getCredential().getBody());
        } catch (InvalidProtocolBufferException e) {
            return; // strict decoding of the chain reports it
        }
        if (!identity.matches(link.getIssuer().toByteArray())) {
            throw new IdentityMismatchException(RejectionCode.IDENTITY_MISMATCH, "the presentation claims identity "
                    + identity.shortId() + ", but the signer's chain ends at another identity");
        }
    }

    /** "every presented credential's subject is that identity"; ids recomputed, never trusted. */
    private List<CredentialVerifier.Prepared> prepareCredentials(Presentation p, PresentationBody body, PublicKey identity)
            throws CredentialRejectedException {
        List<CredentialVerifier.Prepared> out = new ArrayList<>(p.getCredentialsCount());
        for (int i = 0; i < p.getCredentialsCount(); i++) {
            Credential c = p.getCredentials(i);
            CredentialVerifier.Prepared prepared = credentialVerifier.prepare(c);
            ByteString listed = body.getCredentialIds(i);
            if (!prepared.id().matches(listed)) {
                throw new IdentityMismatchException(RejectionCode.CREDENTIAL_ID_MISMATCH, "credential " + (i + 1)
                        + " has id " + prepared.id().shortId() + ", the presentation lists another id for it");
            }
            if (!prepared.subject().equals(identity)) {
                throw new IdentityMismatchException(RejectionCode.SUBJECT_MISMATCH, "credential " + (i + 1)
                        + " is about " + prepared.subject().shortId() + ", not the identity " + identity.shortId());
            }
            out.add(prepared);
        }
        return out;
    }

    private static void checkIssuedAt(PresentationBody body, Instant now) throws CredentialRejectedException {
        Instant issued = Timestamps.toInstant(body.getIssuedAt(), "presentation issued_at");
        if (issued.isAfter(now.plus(Limits.CLOCK_SKEW))) {
            throw new NotYetValidException(RejectionCode.NOT_YET_VALID,
                    "the presentation is issued at " + issued + ", after now (" + now + ") plus the allowed skew");
        }
    }

    /** "consumed atomically — one consume(nonce) → Optional<Challenge> that never succeeds twice." */
    private Challenge consumeChallenge(byte[] nonce, Instant now) throws CredentialRejectedException {
        Challenge c = challengeStore.consume(nonce).orElseThrow(() -> new ChallengeException(
                RejectionCode.CHALLENGE_UNKNOWN, "no open challenge has this nonce: never issued, already used, or expired"));
        if (now.isAfter(c.expiresAt())) {
            throw new ChallengeException(RejectionCode.CHALLENGE_EXPIRED, "the challenge expired at " + c.expiresAt());
        }
        if (!c.audience().equals(audience)) {
            throw new AudienceMismatchException(RejectionCode.AUDIENCE_MISMATCH,
                    "the challenge was issued for '" + c.audience() + "', not for '" + audience + "'");
        }
        return c;
    }

    private static MalformedCredentialException invalid(String message) {
        return new MalformedCredentialException(RejectionCode.INVALID_FIELD, message);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }

    /** Builder of a {@link HaloVerifier}; {@link #audience} and {@link #challengeStore} are required. */
    public static final class Builder {
        private String audience;
        private ChallengeStore challengeStore;
        private CredentialVerifier credentialVerifier;
        private Clock clock = Clock.systemUTC();
        private Duration challengeTtl = DEFAULT_CHALLENGE_TTL;
        private SecureRandom random = new SecureRandom();

        private Builder() {
        }

        /**
         * This relying party's origin (RFC 6454 serialization: {@code scheme://host[:port]}, lowercase, no path).
         *
         * @throws IllegalArgumentException if {@code origin} is not in that form
         */
        public Builder audience(String origin) {
            Objects.requireNonNull(origin, "audience");
            if (!ORIGIN.matcher(origin).matches() || !origin.equals(origin.toLowerCase(java.util.Locale.ROOT))
                    || origin.getBytes(StandardCharsets.UTF_8).length > MAX_AUDIENCE_BYTES) {
                throw new IllegalArgumentException("audience must be an origin such as https://app.example.com "
                        + "(lowercase scheme and host, optional port, no path), found '" + origin + "'");
            }
            this.audience = origin;
            return this;
        }

        /** Where open challenges wait; {@link InMemoryChallengeStore} for one JVM. */
        public Builder challengeStore(ChallengeStore store) {
            this.challengeStore = Objects.requireNonNull(store);
            return this;
        }

        /** The credential verifier (for its clock, revocation source and chain cache). */
        public Builder credentialVerifier(CredentialVerifier verifier) {
            this.credentialVerifier = Objects.requireNonNull(verifier);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** How long a challenge stays open (default 5 minutes; 1 second to 1 hour). */
        public Builder challengeTtl(Duration ttl) {
            if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("challenge lifetime must be between 1 second and 1 hour");
            }
            this.challengeTtl = ttl;
            return this;
        }

        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random);
            return this;
        }

        public HaloVerifier build() {
            if (audience == null) {
                throw new IllegalStateException("HaloVerifier needs an audience (this relying party's origin)");
            }
            if (challengeStore == null) {
                throw new IllegalStateException("HaloVerifier needs a challenge store");
            }
            return new HaloVerifier(this);
        }
    }
}
