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
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.Limits;
import org.halo4j.credentials.LimitExceededException;
import org.halo4j.credentials.MalformedCredentialException;
import org.halo4j.credentials.NotYetValidException;
import org.halo4j.errors.RejectionCode;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.credentials.DeviceStatus;
import org.halo4j.internal.access.VerifierAccess;
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
 * {@link #finishLogin(Challenge, byte[])} verifies the wallet's presentation in named steps — every check that
 * needs no cryptography first, the challenge looked up (not consumed) before any signature is verified — and
 * only then consumes the challenge atomically, so one challenge logs in at most once and a hostile request
 * costs no verification unless it answers an open challenge of this site. Immutable and thread-safe; the
 * builder takes the required settings in order, so none can be forgotten:
 * <pre>{@code
 * HaloVerifier verifier = HaloVerifier.builder()
 *     .audience("https://app.example.com")
 *     .challengeStore(new InMemoryChallengeStore())
 *     .deviceStatus(spaceState)        // where revocations come from
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
    private final VerifierAccess.Engine engine = VerifierAccess.engine();
    private final Clock clock;
    private final Duration challengeTtl;
    private final SecureRandom random;

    private HaloVerifier(Builder b) {
        this.audience = b.audience;
        this.audienceBytes = b.audience.getBytes(StandardCharsets.UTF_8);
        this.challengeStore = b.challengeStore;
        this.clock = b.clock;
        this.credentialVerifier = b.credentialVerifier != null ? b.credentialVerifier
                : b.revocation.clock(b.clock).build();
        this.challengeTtl = b.challengeTtl;
        this.random = b.random;
    }

    /** Starts a verifier: audience, then challenge store, then where revocations come from. */
    public static AudienceStep builder() {
        return new AudienceStep();
    }

    /** This relying party's origin. */
    public String audience() {
        return audience;
    }

    /**
     * Starts a login: a fresh challenge, stored until consumed or expired.
     *
     * @throws ChallengeStoreFullException if the store holds as many live challenges as it may; a web layer
     *                                     answers 503 with {@code Retry-After}
     */
    public Challenge startLogin() throws ChallengeStoreFullException {
        byte[] nonce = new byte[Challenge.NONCE_LENGTH];
        random.nextBytes(nonce);
        Instant now = clock.instant();
        Challenge c = new Challenge(nonce, audience, now, now.plus(challengeTtl));
        challengeStore.put(c);
        return c;
    }

    /**
     * Finishes the login of {@code challenge} (the one {@link #startLogin()} returned for this client): verifies
     * the encoded {@code halo.v1.Presentation}, then consumes the challenge. Returns who logged in.
     *
     * @throws HaloRejectedException with a precise {@link RejectionCode} if anything is wrong; the challenge
     *                               stays open unless the presentation was valid
     */
    public LoginResult finishLogin(Challenge challenge, byte[] presentation) throws HaloRejectedException {
        Objects.requireNonNull(challenge, "challenge");
        // Structure: bounded and strictly decoded, no cryptography.
        StrictDecoder.checkSize(presentation == null ? 0 : presentation.length, "presentation");
        Presentation p = StrictDecoder.parse(Presentation.parser(), presentation, "presentation");
        PresentationBody body = StrictDecoder.parse(PresentationBody.parser(), p.getBody(), "presentation body");
        return finish(challenge, p, body);
    }

    /** The checks of a login, on a presentation decoded once, in the order of the comments below. */
    private LoginResult finish(Challenge challenge, Presentation p, PresentationBody body) throws HaloRejectedException {
        Instant now = clock.instant();
        checkCredentialCount(p);
        PublicKey identity = checkStructure(p, body);
        // The challenge, its audience and times: still no cryptography.
        checkChallengeIsOurs(challenge);
        checkNonce(body, challenge);
        checkAudience(body);
        checkChallengeOpen(challenge, now);
        checkIssuedAt(body, now);
        // The chain and the credentials, structurally; then the cost cap.
        checkChainEndsAtIdentity(p, identity);
        VerifierAccess.PreparedProof proof = engine.prepareProof(credentialVerifier, p.getProof(), identity);
        List<VerifierAccess.PreparedCredential> prepared = prepareCredentials(p, body, identity);
        checkSignatureBudget(proof, prepared);
        // Cryptography, revocation and validity at use.
        AuthorizedSigner signer = engine.completeProof(credentialVerifier, proof, SignatureDomain.PRESENTATION,
                p.getBody(), now);
        List<VerifiedCredential> credentials = new ArrayList<>(prepared.size());
        for (VerifierAccess.PreparedCredential c : prepared) {
            credentials.add(engine.complete(credentialVerifier, c, now));
        }
        // Everything verified: now, and only now, the challenge is used up.
        consumeChallenge(challenge);
        return new LoginResult(identity, signer, credentials, challenge);
    }

    /**
     * Finishes the login whose challenge the presentation answers: for a relying party that does not keep the
     * challenge per client (an API client answering {@code WWW-Authenticate}, a wallet posting for a browser).
     * The nonce is read from the strictly decoded, bounded presentation and looked up in the challenge store
     * before any cryptography; then as {@link #finishLogin(Challenge, byte[])}.
     *
     * @throws ChallengeException {@code presentation.challenge_unknown} if no open challenge of this relying party
     *                            has that nonce (never issued here, expired and dropped, or already used)
     */
    public LoginResult finishLogin(byte[] presentation) throws HaloRejectedException {
        StrictDecoder.checkSize(presentation == null ? 0 : presentation.length, "presentation");
        Presentation p = StrictDecoder.parse(Presentation.parser(), presentation, "presentation");
        PresentationBody body = StrictDecoder.parse(PresentationBody.parser(), p.getBody(), "presentation body");
        if (body.getNonce().size() != Challenge.NONCE_LENGTH) {
            throw invalid("presentation nonce must be " + Challenge.NONCE_LENGTH + " bytes, found " + body.getNonce().size());
        }
        Challenge challenge = challengeStore.find(body.getNonce().toByteArray()).orElseThrow(() -> new ChallengeException(
                RejectionCode.CHALLENGE_UNKNOWN, "no open challenge of " + audience + " has this nonce: it expired, was "
                + "already used, or was issued elsewhere; ask for a new one"));
        return finish(challenge, p, body);
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

    /** A challenge another relying party issued is not finished here (and not consumed). */
    private void checkChallengeIsOurs(Challenge challenge) throws AudienceMismatchException {
        if (!challenge.audience().equals(audience)) {
            throw new AudienceMismatchException(RejectionCode.AUDIENCE_MISMATCH,
                    "the challenge was issued for '" + abbreviate(challenge.audience()) + "', not for '" + audience + "'");
        }
    }

    /** "The verifier MUST check nonce (issued by it …)": the presentation answers this challenge. */
    private static void checkNonce(PresentationBody body, Challenge challenge) throws NonceMismatchException {
        if (!MessageDigest.isEqual(body.getNonce().toByteArray(), challenge.nonce())) {
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
    private static void checkChainEndsAtIdentity(Presentation p, PublicKey identity) throws HaloRejectedException {
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
    private List<VerifierAccess.PreparedCredential> prepareCredentials(Presentation p, PresentationBody body, PublicKey identity)
            throws HaloRejectedException {
        List<VerifierAccess.PreparedCredential> out = new ArrayList<>(p.getCredentialsCount());
        for (int i = 0; i < p.getCredentialsCount(); i++) {
            Credential c = p.getCredentials(i);
            VerifierAccess.PreparedCredential prepared = engine.prepare(credentialVerifier, c);
            ByteString listed = body.getCredentialIds(i);
            if (!prepared.id().matches(listed)) {
                throw new IdentityMismatchException(RejectionCode.CREDENTIAL_ID_MISMATCH, "credential " + (i + 1)
                        + " has id " + prepared.id().shortId() + ", the presentation lists another id for it");
            }
            if (!prepared.subject().equals(identity)) {
                String[] ids = PublicKey.distinctIds(prepared.subject(), identity);
                throw new IdentityMismatchException(RejectionCode.SUBJECT_MISMATCH, "credential " + (i + 1)
                        + " is about " + ids[0] + ", not the identity " + ids[1]);
            }
            out.add(prepared);
        }
        return out;
    }

    private static void checkIssuedAt(PresentationBody body, Instant now) throws HaloRejectedException {
        Instant issued = Timestamps.toInstant(body.getIssuedAt(), "presentation issued_at");
        if (issued.isAfter(now.plus(Limits.CLOCK_SKEW))) {
            throw new NotYetValidException(RejectionCode.NOT_YET_VALID,
                    "the presentation is issued at " + issued + ", after now (" + now + ") plus the allowed skew");
        }
    }

    /**
     * "nonce (issued by it, short-lived …)": the challenge is still open in the store — looked up, not consumed —
     * is the one this client was given, and has not expired. Before any cryptography, so an unknown, expired
     * or foreign nonce costs no signature verification.
     */
    private void checkChallengeOpen(Challenge challenge, Instant now) throws ChallengeException {
        Optional<Challenge> stored = challengeStore.find(challenge.nonce());
        if (stored.isEmpty() || !stored.get().equals(challenge)) {
            throw new ChallengeException(RejectionCode.CHALLENGE_UNKNOWN,
                    "no open challenge has this nonce: never issued, already used, or expired");
        }
        if (now.isAfter(challenge.expiresAt())) {
            throw new ChallengeException(RejectionCode.CHALLENGE_EXPIRED, "the challenge expired at " + challenge.expiresAt());
        }
    }

    /** {@link Limits#MAX_SIGNATURE_CHECKS}: what one request may cost, counted before any verification. */
    private static void checkSignatureBudget(VerifierAccess.PreparedProof proof,
                                             List<VerifierAccess.PreparedCredential> credentials)
            throws LimitExceededException {
        int needed = proof.signatureChecks();
        for (VerifierAccess.PreparedCredential c : credentials) {
            needed += c.signatureChecks();
        }
        if (needed > Limits.MAX_SIGNATURE_CHECKS) {
            throw new LimitExceededException(RejectionCode.LIMIT_SIGNATURE_CHECKS, "the presentation needs " + needed
                    + " signature verifications; the limit is " + Limits.MAX_SIGNATURE_CHECKS
                    + " (present fewer credentials, or credentials with shorter device chains)");
        }
    }

    /** "consumed atomically — one consume(nonce) → Optional<Challenge> that never succeeds twice." */
    private void consumeChallenge(Challenge challenge) throws ChallengeException {
        if (challengeStore.consume(challenge.nonce()).isEmpty()) {
            throw new ChallengeException(RejectionCode.CHALLENGE_UNKNOWN,
                    "the challenge was used by another login while this one was being verified");
        }
    }

    private static MalformedCredentialException invalid(String message) {
        return new MalformedCredentialException(RejectionCode.INVALID_FIELD, message);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }

    /** Checks an origin in the RFC 6454 form this verifier compares byte for byte. */
    static String checkOrigin(String origin) {
        Objects.requireNonNull(origin, "audience");
        if (!ORIGIN.matcher(origin).matches() || !origin.equals(origin.toLowerCase(java.util.Locale.ROOT))
                || origin.getBytes(StandardCharsets.UTF_8).length > MAX_AUDIENCE_BYTES) {
            throw new IllegalArgumentException("audience must be an origin such as https://app.example.com "
                    + "(lowercase scheme and host, optional port, no path), found '" + origin + "'");
        }
        return origin;
    }

    /** First step: this relying party's origin. */
    public static final class AudienceStep {
        private AudienceStep() {
        }

        /**
         * This relying party's origin (RFC 6454 serialization: {@code scheme://host[:port]}, lowercase, no path).
         *
         * @throws IllegalArgumentException if {@code origin} is not in that form
         */
        public StoreStep audience(String origin) {
            return new StoreStep(checkOrigin(origin));
        }
    }

    /** Second step: where open challenges wait. */
    public static final class StoreStep {
        private final String audience;

        private StoreStep(String audience) {
            this.audience = audience;
        }

        /** Where open challenges wait; {@link InMemoryChallengeStore} for one JVM. */
        public RevocationStep challengeStore(ChallengeStore store) {
            return new RevocationStep(audience, Objects.requireNonNull(store, "challengeStore"));
        }
    }

    /** Third step: where revocations come from. */
    public static final class RevocationStep {
        private final String audience;
        private final ChallengeStore store;

        private RevocationStep(String audience, ChallengeStore store) {
            this.audience = audience;
            this.store = store;
        }

        /** Revocations come from {@code deviceStatus}: the replayed state of the spaces this site shares. */
        public Builder deviceStatus(DeviceStatus deviceStatus) {
            return new Builder(audience, store, CredentialVerifier.builder().deviceStatus(deviceStatus), null);
        }

        /** Credentials and chains are checked by {@code verifier}, with its revocation source, clock and cache. */
        public Builder credentialVerifier(CredentialVerifier verifier) {
            return new Builder(audience, store, null, Objects.requireNonNull(verifier, "credentialVerifier"));
        }

        /**
         * No revocation is checked: a revoked device still logs in. For demos and tests only; never for a site
         * whose users can lose a device.
         */
        public Builder ignoreRevocation() {
            return new Builder(audience, store, CredentialVerifier.builder().ignoreRevocation(), null);
        }
    }

    /** The optional settings, after the required ones. */
    public static final class Builder {
        private final String audience;
        private final ChallengeStore challengeStore;
        private final CredentialVerifier.Builder revocation;
        private final CredentialVerifier credentialVerifier;
        private Clock clock = Clock.systemUTC();
        private Duration challengeTtl = DEFAULT_CHALLENGE_TTL;
        private SecureRandom random = new SecureRandom();

        private Builder(String audience, ChallengeStore store, CredentialVerifier.Builder revocation,
                        CredentialVerifier credentialVerifier) {
            this.audience = audience;
            this.challengeStore = store;
            this.revocation = revocation;
            this.credentialVerifier = credentialVerifier;
        }

        /** The clock for challenges and validity at use (default: system UTC). */
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

        /** The source of challenge nonces (default: a new {@link SecureRandom}). */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random);
            return this;
        }

        public HaloVerifier build() {
            return new HaloVerifier(this);
        }
    }
}
