package org.halo4j.credentials;

import org.halo4j.errors.HaloRejectedException;
import org.halo4j.errors.RejectionCode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.halo4j.internal.access.VerifierAccess;
import org.halo4j.internal.wire.StrictDecoder;
import org.halo4j.internal.wire.Timestamps;
import org.halo4j.keys.Ed25519;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.proto.v1.AdmittedFeed;
import org.halo4j.proto.v1.AllDevicesRevoked;
import org.halo4j.proto.v1.AuthorizedDevice;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.CredentialBody;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.Proof;

/**
 * Verifies HALO credentials (DESIGN §3) in ordered, named steps:
 * <ol>
 *   <li>limits — size, before anything else ("Limits, checked before any crypto: message 64 KiB", in the
 *       strict parse);</li>
 *   <li>{@linkplain #decode strict decode} — envelope, body and assertion, with every limit and structural
 *       rule, including the whole chain, before any cryptography;</li>
 *   <li>{@linkplain #checkSignature signature} — Ed25519 over the exact body bytes;</li>
 *   <li>{@linkplain #checkChain chain} — each AuthorizedDevice link signed, consented, not widened; the
 *       signing device not revoked, and every authorization on the chain still standing;</li>
 *   <li>{@linkplain #checkAssertionProofs assertion proofs} — device consent, feed proof of possession;</li>
 *   <li>{@linkplain #checkValidityAtUse validity at use} — issue and expiry times against this verifier's clock,
 *       with {@link Limits#CLOCK_SKEW};</li>
 *   <li>{@linkplain #checkExpectedType expected type}.</li>
 * </ol>
 * Every entry point takes the bytes as received and decodes them strictly: same bytes, one meaning.
 * Immutable and thread-safe; build one and share it. The builder asks first where revocations come from:
 * <pre>{@code
 * CredentialVerifier verifier = CredentialVerifier.builder()
 *     .deviceStatus(spaceState)          // or .ignoreRevocation(), said out loud
 *     .build();
 * }</pre>
 */
public final class CredentialVerifier {

    static {
        VerifierAccess.install(new Engine());
    }

    private final Clock clock;
    private final DeviceStatus deviceStatus;
    private final ChainCache chainCache;

    private CredentialVerifier(Builder b) {
        this.clock = b.clock;
        this.deviceStatus = b.deviceStatus;
        this.chainCache = new ChainCache(b.chainCacheSize);
    }

    /**
     * Starts a verifier. The first choice is required: where revocations are learned
     * ({@link RevocationChoice#deviceStatus}), or an explicit {@link RevocationChoice#ignoreRevocation()}.
     */
    public static RevocationChoice builder() {
        return new RevocationChoice();
    }

    /** The clock this verifier checks validity against. */
    public Clock clock() {
        return clock;
    }

    /** Verifies an encoded {@code halo.v1.Credential} for use now. */
    public VerifiedCredential verify(byte[] encoded) throws HaloRejectedException {
        Credential c = StrictDecoder.parse(Credential.parser(), encoded, "credential");
        return complete(prepare(c), Optional.of(clock.instant()), true);
    }

    /** Verifies an encoded credential for use now, and that its assertion is of {@code expected} type. */
    public VerifiedCredential verify(byte[] encoded, Class<? extends Message> expected) throws HaloRejectedException {
        VerifiedCredential v = verify(encoded);
        checkExpectedType(v, expected);
        return v;
    }

    /**
     * Verifies an encoded credential for replay of state: every step but validity at use (replay of state never
     * reads a wall clock) and revocation (replay decides revocations from the feeds themselves, by DESIGN §4
     * rule 4; it never consults outside state).
     */
    public VerifiedCredential verifyForReplay(ByteString encoded) throws HaloRejectedException {
        Credential c = StrictDecoder.parse(Credential.parser(), Objects.requireNonNull(encoded, "encoded"), "credential");
        return complete(prepare(c), Optional.empty(), false);
    }

    /** Number of chain links whose cryptography is cached. */
    public int cachedChainLinks() {
        return chainCache.size();
    }

    /**
     * Structural checks of a credential that came out of a strict parse (its own, or that of the presentation
     * carrying it): size, unknown fields and canonical form were checked there, so they are not walked again.
     */
    private DecodedCredential prepare(Credential credential) throws HaloRejectedException {
        return decode(credential, 0, new HashSet<>());
    }

    private VerifiedCredential complete(DecodedCredential d, Optional<Instant> atUse, boolean revocation)
            throws HaloRejectedException {
        if (atUse.isPresent()) {
            checkValidityAtUse(d, atUse.get());
        }
        AuthorizedSigner signer = completeProof(d.proof(), SignatureDomain.CREDENTIAL, d.raw().getBody(), atUse, revocation);
        checkAssertionProofs(d);
        return new VerifiedCredential(d.id(), d.issuer(), d.subject(), signer, d.issuedAt(), d.expiresAt(),
                d.assertion(), d.parents(), d.raw());
    }

    // ---- step 2: strict decode and structure ------------------------------------------------------------

    /**
     * "Strict decoding: unknown fields are rejected; a signed body and its assertion must re-encode to exactly
     * the received bytes." Also every structural rule of the body, the assertion and the chain.
     */
    private DecodedCredential decode(Credential credential, int depth, Set<PublicKey> path)
            throws HaloRejectedException {
        CredentialBody body = StrictDecoder.parse(CredentialBody.parser(), credential.getBody(), "credential body");
        PublicKey issuer = key(body.getIssuer(), "issuer");
        PublicKey subject = key(body.getSubject(), "subject");
        if (body.getParentsCount() > Limits.MAX_PARENTS) {
            throw new LimitExceededException(RejectionCode.LIMIT_PARENTS,
                    "credential has " + body.getParentsCount() + " parents; the limit is " + Limits.MAX_PARENTS);
        }
        List<CredentialId> parents = new ArrayList<>(body.getParentsCount());
        for (ByteString p : body.getParentsList()) {
            if (p.size() != CredentialId.LENGTH) {
                throw invalid("a parent id must be " + CredentialId.LENGTH + " bytes, found " + p.size());
            }
            parents.add(CredentialId.of(p.toByteArray()));
        }
        if (body.getNonce().size() != Limits.CREDENTIAL_NONCE_LENGTH) {
            throw invalid("nonce must be " + Limits.CREDENTIAL_NONCE_LENGTH + " bytes, found " + body.getNonce().size());
        }
        if (!body.hasIssuedAt()) {
            throw invalid("issued_at is missing");
        }
        Instant issuedAt = instant(body.getIssuedAt(), "issued_at");
        Optional<Instant> expiresAt = body.hasExpiresAt()
                ? Optional.of(instant(body.getExpiresAt(), "expires_at")) : Optional.empty();
        if (expiresAt.isPresent() && expiresAt.get().isBefore(issuedAt)) {
            throw invalid("expires_at is before issued_at");
        }
        if (!body.hasAssertion()) {
            throw invalid("assertion is missing");
        }
        Message assertion = Assertions.unpack(body.getAssertion());
        AssertionRules.check(assertion, body);
        checkSubjectIsAPoint(subject, assertion);
        if (!credential.hasProof()) {
            throw invalid("proof is missing");
        }
        DecodedProof proof = decodeProof(credential.getProof(), issuer, depth, path);
        return new DecodedCredential(credential, body, CredentialId.ofBody(credential.getBody()), issuer, subject,
                issuedAt, expiresAt, assertion, parents, proof);
    }

    /**
     * "Proof.chain: present iff signer != issuer" — AuthorizedDevice(issuer → signer), which may itself carry
     * a chain; at most {@link Limits#MAX_CHAIN_DEPTH} links; no device twice; no device grants a wider scope
     * than its own, and only ADMIN devices authorize devices.
     */
    private DecodedProof decodeProof(Proof proof, PublicKey issuer, int depth, Set<PublicKey> path)
            throws HaloRejectedException {
        PublicKey signer = key(proof.getSigner(), "proof signer");
        if (proof.getSignature().size() != Ed25519.SIGNATURE_LENGTH) {
            throw invalid("signature must be " + Ed25519.SIGNATURE_LENGTH + " bytes, found " + proof.getSignature().size());
        }
        if (signer.equals(issuer)) {
            if (proof.hasChain()) {
                throw new ChainBrokenException(RejectionCode.CHAIN_UNEXPECTED,
                        "the issuer " + issuer.shortId() + " signed itself, yet a chain is attached");
            }
            return new DecodedProof(issuer, signer, proof.getSignature(), Optional.empty(), Optional.empty(), List.of(),
                    List.of());
        }
        if (!proof.hasChain() || !proof.getChain().hasCredential()) {
            throw new ChainBrokenException(RejectionCode.CHAIN_MISSING, "signed by " + signer.shortId()
                    + ", which is not the issuer " + issuer.shortId() + ", and no chain shows it acts for the issuer");
        }
        if (depth + 1 > Limits.MAX_CHAIN_DEPTH) {
            throw new LimitExceededException(RejectionCode.LIMIT_CHAIN_DEPTH,
                    "chain is deeper than " + Limits.MAX_CHAIN_DEPTH + " links");
        }
        if (!path.add(signer)) {
            throw new ChainBrokenException(RejectionCode.CHAIN_LOOP,
                    "device " + signer.shortId() + " appears twice on one chain");
        }
        DecodedCredential link = decode(proof.getChain().getCredential(), depth + 1, path);
        if (!(link.assertion() instanceof AuthorizedDevice granted)) {
            throw new ChainBrokenException(RejectionCode.CHAIN_WRONG_TYPE,
                    "a chain link must be AuthorizedDevice, found " + link.assertion().getDescriptorForType().getName());
        }
        if (!link.subject().equals(signer)) {
            String[] ids = PublicKey.distinctIds(link.subject(), signer);
            throw new ChainBrokenException(RejectionCode.CHAIN_BROKEN, "the chain authorizes device "
                    + ids[0] + ", but the signer is " + ids[1]);
        }
        if (!link.issuer().equals(issuer)) {
            String[] ids = PublicKey.distinctIds(link.issuer(), issuer);
            throw new ChainBrokenException(RejectionCode.CHAIN_BROKEN, "the chain ends at identity "
                    + ids[0] + ", but the issuer is " + ids[1]);
        }
        Optional<DeviceScope> granting = link.proof().scope();
        if (granting.isPresent()) {
            if (granted.getScope().getNumber() < granting.get().getNumber()) {
                throw new ChainBrokenException(RejectionCode.CHAIN_SCOPE_ESCALATION, "device "
                        + link.proof().signer().shortId() + " with scope " + name(granting.get()) + " granted the wider scope "
                        + name(granted.getScope()) + " to " + signer.shortId());
            }
            if (granting.get() != DeviceScope.DEVICE_SCOPE_ADMIN) {
                throw new ChainBrokenException(RejectionCode.CHAIN_NOT_ADMIN, "device " + link.proof().signer().shortId()
                        + " has scope " + name(granting.get()) + "; only ADMIN devices authorize devices");
            }
        }
        List<PublicKey> devices = new ArrayList<>(1 + link.proof().devicePath().size());
        devices.add(signer);
        devices.addAll(link.proof().devicePath());
        List<CredentialId> links = new ArrayList<>(1 + link.proof().links().size());
        links.add(link.id());
        links.addAll(link.proof().links());
        return new DecodedProof(issuer, signer, proof.getSignature(), Optional.of(link),
                Optional.of(granted.getScope()), devices, links);
    }

    /**
     * A subject must be a key somebody can hold. AuthorizedDevice and AdmittedFeed subjects prove it with their
     * own signature (consent, proof of possession), verified later anyway; every other subject is decoded here,
     * before any cryptography.
     */
    private static void checkSubjectIsAPoint(PublicKey subject, Message assertion) throws MalformedCredentialException {
        if (assertion instanceof AuthorizedDevice || assertion instanceof AdmittedFeed) {
            return;
        }
        if (!Ed25519.isValidPoint(subject)) {
            throw new MalformedCredentialException(RejectionCode.KEY_NOT_A_POINT, "the subject " + subject.toHex()
                    + " is not a valid Ed25519 public key: nobody can hold its private key");
        }
    }

    // ---- steps 3-4: signature and chain -----------------------------------------------------------------

    private AuthorizedSigner completeProof(DecodedProof proof, SignatureDomain domain, ByteString signed,
                                           Optional<Instant> atUse, boolean revocation) throws HaloRejectedException {
        if (proof.link().isPresent()) {
            checkChainStructureAtUse(proof, atUse);
            if (revocation) {
                checkRevocation(proof);
            }
        }
        checkSignature(proof.signer(), domain, signed, proof.signature());
        if (proof.link().isPresent()) {
            checkChain(proof);
        }
        return new AuthorizedSigner(proof.identity(), proof.signer(), proof.scope(), proof.devicePath(), proof.links(),
                rootAuthorizedAt(proof));
    }

    /** "Proof.signature: Ed25519 over DOMAIN || 0x00 || body" — the exact bytes that travel. */
    private static void checkSignature(PublicKey signer, SignatureDomain domain, ByteString signed, ByteString signature)
            throws InvalidSignatureException {
        if (!Ed25519.verify(signer, domain, signed.toByteArray(), signature.toByteArray())) {
            throw new InvalidSignatureException(RejectionCode.SIGNATURE_INVALID,
                    "the " + domain.label() + " signature by " + signer.shortId() + " does not verify");
        }
    }

    /**
     * "A Device acts for its identity through an AuthorizedDevice credential that it presents as the chain of
     * its proofs." Each link's signature and consent are verified once and cached by their exact bytes.
     */
    private void checkChain(DecodedProof proof) throws HaloRejectedException {
        DecodedCredential link = proof.link().orElseThrow();
        ByteString linkBytes = link.raw().toByteString();
        if (!chainCache.contains(linkBytes)) {
            checkSignature(link.proof().signer(), SignatureDomain.CREDENTIAL, link.raw().getBody(), link.proof().signature());
            if (link.proof().link().isPresent()) {
                checkChain(link.proof());
            }
            checkAssertionProofs(link);
            chainCache.add(linkBytes);
        }
    }

    /**
     * "A credential signed by a revoked device […] is applied only if it is in the causal past of the
     * revocation", and "revoking a device does not revoke devices it authorized earlier": the signing device
     * must not be revoked, and each authorization on the chain that a device issued must still stand. Checked
     * before any cryptography: a revoked device costs no verification.
     */
    private void checkRevocation(DecodedProof proof) throws DeviceRevokedException {
        // A recovery that revoked every other device (AllDevicesRevoked) also ends each chain whose first link the
        // identity key issued before it, unless that link's device was kept.
        Optional<PublicKey> revoked = AuthorizedSigner.firstRevoked(proof.identity(), proof.devicePath(), proof.links(),
                rootAuthorizedAt(proof), deviceStatus);
        if (revoked.isPresent()) {
            throw new DeviceRevokedException(revoked.get(), proof.identity());
        }
    }

    /** The issue time of the chain's root link: the one the identity key itself issued. */
    private static Optional<Instant> rootAuthorizedAt(DecodedProof proof) {
        Optional<DecodedCredential> root = proof.link();
        while (root.isPresent() && root.get().proof().link().isPresent()) {
            root = root.get().proof().link();
        }
        return root.map(DecodedCredential::issuedAt);
    }

    /** Validity at use of every link of the chain (issue and expiry times), before any cryptography. */
    private static void checkChainStructureAtUse(DecodedProof proof, Optional<Instant> atUse) throws HaloRejectedException {
        if (atUse.isPresent()) {
            for (Optional<DecodedCredential> l = proof.link(); l.isPresent(); l = l.get().proof().link()) {
                checkValidityAtUse(l.get(), atUse.get());
            }
        }
    }

    // ---- step 5: signatures inside assertions -----------------------------------------------------------

    /**
     * "The new device countersigns its own authorization" (AuthorizedDevice) and "AdmittedFeed carries the
     * feed key's own signature as proof of possession".
     */
    private static void checkAssertionProofs(DecodedCredential d) throws HaloRejectedException {
        if (d.assertion() instanceof AuthorizedDevice a) {
            if (!DeviceAuthorizations.isValidConsent(a.getDeviceConsent().toByteArray(), d.subject(), d.issuer())) {
                throw new ChainBrokenException(RejectionCode.CHAIN_CONSENT, "device " + d.subject().shortId()
                        + " did not consent to act for identity " + d.issuer().shortId());
            }
        } else if (d.assertion() instanceof AllDevicesRevoked && d.proof().link().isPresent()) {
            throw new ChainBrokenException(RejectionCode.CHAIN_UNEXPECTED, "AllDevicesRevoked is signed by the identity "
                    + "key itself (a recovery from the phrase), never through a device");
        } else if (d.assertion() instanceof AdmittedFeed f) {
            byte[] payload = f.getSpaceKey().concat(f.getIdentityKey()).concat(f.getDeviceKey()).toByteArray();
            if (!Ed25519.verify(d.subject(), SignatureDomain.FEED_ADMIT, payload, f.getFeedSignature().toByteArray())) {
                throw new InvalidSignatureException(RejectionCode.FEED_POSSESSION,
                        "feed " + d.subject().shortId() + " has no valid proof of possession by its key");
            }
        }
    }

    // ---- step 6: validity at use ------------------------------------------------------------------------

    /**
     * "expires_at is checked against the verifier's clock when a credential is used, with a named clock-skew
     * constant (2 min)."
     */
    private static void checkValidityAtUse(DecodedCredential d, Instant now) throws HaloRejectedException {
        if (d.issuedAt().isAfter(now.plus(Limits.CLOCK_SKEW))) {
            throw new NotYetValidException(RejectionCode.NOT_YET_VALID, "credential " + d.id().shortId()
                    + " is issued at " + d.issuedAt() + ", after now (" + now + ") plus the allowed skew");
        }
        if (d.expiresAt().isPresent() && now.isAfter(d.expiresAt().get().plus(Limits.CLOCK_SKEW))) {
            throw new ExpiredException(RejectionCode.EXPIRED, "credential " + d.id().shortId() + " expired at "
                    + d.expiresAt().get() + "; now is " + now);
        }
    }

    // ---- step 7: expected type --------------------------------------------------------------------------

    /** "Wrong-type inputs are rejected with a precise error." */
    private static void checkExpectedType(VerifiedCredential v, Class<? extends Message> expected)
            throws UnexpectedTypeException {
        if (!expected.isInstance(v.assertion())) {
            throw new UnexpectedTypeException(RejectionCode.UNEXPECTED_TYPE,
                    "expected a " + expected.getSimpleName() + " credential, found " + v.type());
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    static PublicKey key(ByteString bytes, String what) throws MalformedCredentialException {
        if (bytes.size() != PublicKey.LENGTH) {
            throw invalid(what + " must be a " + PublicKey.LENGTH + "-byte key, found " + bytes.size() + " bytes");
        }
        return PublicKey.of(bytes.toByteArray());
    }

    static Instant instant(Timestamp t, String what) throws MalformedCredentialException {
        return Timestamps.toInstant(t, what);
    }

    static MalformedCredentialException invalid(String message) {
        return new MalformedCredentialException(RejectionCode.INVALID_FIELD, message);
    }

    private static String name(DeviceScope s) {
        return s.name().substring("DEVICE_SCOPE_".length());
    }

    /** Ed25519 verifications that completing {@code p} needs at most: its signature, then per link a signature and a consent. */
    private static int signatureChecks(DecodedProof p) {
        int n = 1;
        for (Optional<DecodedCredential> l = p.link(); l.isPresent(); l = l.get().proof().link()) {
            n += 2;
        }
        return n;
    }

    private static int signatureChecks(DecodedCredential d) {
        boolean assertionProof = d.assertion() instanceof AuthorizedDevice || d.assertion() instanceof AdmittedFeed;
        return signatureChecks(d.proof()) + (assertionProof ? 1 : 0);
    }

    /** The two-phase verification for {@code HaloVerifier}, reached through {@link VerifierAccess} only. */
    private static final class Engine implements VerifierAccess.Engine {

        private record Prepared(DecodedCredential d) implements VerifierAccess.PreparedCredential {
            @Override
            public CredentialId id() {
                return d.id();
            }

            @Override
            public PublicKey subject() {
                return d.subject();
            }

            @Override
            public int signatureChecks() {
                return CredentialVerifier.signatureChecks(d);
            }
        }

        private record PreparedProofImpl(DecodedProof p) implements VerifierAccess.PreparedProof {
            @Override
            public PublicKey signer() {
                return p.signer();
            }

            @Override
            public int signatureChecks() {
                return CredentialVerifier.signatureChecks(p);
            }
        }

        @Override
        public VerifierAccess.PreparedCredential prepare(CredentialVerifier verifier, Credential credential)
                throws HaloRejectedException {
            return new Prepared(verifier.prepare(credential));
        }

        @Override
        public VerifierAccess.PreparedProof prepareProof(CredentialVerifier verifier, Proof proof, PublicKey issuer)
                throws HaloRejectedException {
            return new PreparedProofImpl(verifier.decodeProof(proof, issuer, 0, new HashSet<>()));
        }

        @Override
        public VerifiedCredential complete(CredentialVerifier verifier, VerifierAccess.PreparedCredential credential,
                                           Instant atUse) throws HaloRejectedException {
            return verifier.complete(((Prepared) credential).d(), Optional.of(atUse), true);
        }

        @Override
        public AuthorizedSigner completeProof(CredentialVerifier verifier, VerifierAccess.PreparedProof proof,
                                              SignatureDomain domain, ByteString signed, Instant atUse)
                throws HaloRejectedException {
            return verifier.completeProof(((PreparedProofImpl) proof).p(), domain, signed, Optional.of(atUse), true);
        }
    }

    /** The required first choice of a {@link CredentialVerifier} builder: where revocations come from. */
    public static final class RevocationChoice {
        private RevocationChoice() {
        }

        /**
         * Revocations come from {@code deviceStatus}, typically the replayed state of the spaces this party
         * shares with the people it verifies (DESIGN §4 rule 8).
         */
        public Builder deviceStatus(DeviceStatus deviceStatus) {
            return new Builder(Objects.requireNonNull(deviceStatus, "deviceStatus"));
        }

        /**
         * No revocation is checked: a revoked device's credentials pass. Only for tools that look at a credential
         * on its own (and say so to their user), never for a login or an access decision.
         */
        public Builder ignoreRevocation() {
            return new Builder((identity, device) -> false);
        }
    }

    /** Builder of a {@link CredentialVerifier}, after the revocation choice. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private final DeviceStatus deviceStatus;
        private int chainCacheSize = 4096;

        private Builder(DeviceStatus deviceStatus) {
            this.deviceStatus = deviceStatus;
        }

        /** The clock for validity at use (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** How many verified chain links to remember (default 4096; 0 turns the cache off). */
        public Builder chainCacheSize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("cache size must be >= 0");
            }
            this.chainCacheSize = size;
            return this;
        }

        public CredentialVerifier build() {
            return new CredentialVerifier(this);
        }
    }
}
