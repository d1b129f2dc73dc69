package org.halo4j.internal.access;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.Objects;
import org.halo4j.credentials.AuthorizedSigner;
import org.halo4j.credentials.CredentialId;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.Proof;

/**
 * The two-phase verification that {@code HaloVerifier} needs (every structural check of a whole presentation
 * first, then the cryptography), kept out of the exported API: only halo4j's own packages reach it, and only
 * {@link CredentialVerifier} can install it.
 */
public final class VerifierAccess {

    private static volatile Engine engine;

    private VerifierAccess() {
    }

    /** A credential after strict decoding and structural checks, before any cryptography. */
    public interface PreparedCredential {
        CredentialId id();

        PublicKey subject();

        /** Ed25519 verifications completing it would need at most (signature, chain links, consents). */
        int signatureChecks();
    }

    /** A proof after structural checks, before any cryptography. */
    public interface PreparedProof {
        PublicKey signer();

        /** Ed25519 verifications completing it would need at most. */
        int signatureChecks();
    }

    /** The verifier's phases. */
    public interface Engine {
        /**
         * Structural checks of {@code credential}, which must come from a message that was itself strictly
         * decoded from the bytes received (so it is canonical).
         */
        PreparedCredential prepare(CredentialVerifier verifier, Credential credential) throws HaloRejectedException;

        /** Structural checks of a proof over other bytes, with its chain to {@code issuer}. */
        PreparedProof prepareProof(CredentialVerifier verifier, Proof proof, PublicKey issuer) throws HaloRejectedException;

        /** Cryptography, revocation and validity at {@code atUse}. */
        VerifiedCredential complete(CredentialVerifier verifier, PreparedCredential credential, Instant atUse)
                throws HaloRejectedException;

        /** Signature over {@code DOMAIN || 0x00 || signed}, chain, revocation, validity at {@code atUse}. */
        AuthorizedSigner completeProof(CredentialVerifier verifier, PreparedProof proof, SignatureDomain domain,
                                       ByteString signed, Instant atUse) throws HaloRejectedException;
    }

    /** Called once, by {@link CredentialVerifier}'s class initialization. */
    public static synchronized void install(Engine e) {
        Objects.requireNonNull(e);
        if (engine != null || e.getClass().getNestHost() != CredentialVerifier.class) {
            throw new IllegalStateException("the verifier engine is installed by CredentialVerifier only");
        }
        engine = e;
    }

    /** The engine of {@link CredentialVerifier}. */
    public static Engine engine() {
        Engine e = engine;
        if (e == null) {
            try {
                Class.forName(CredentialVerifier.class.getName(), true, CredentialVerifier.class.getClassLoader());
            } catch (ClassNotFoundException impossible) {
                throw new IllegalStateException(impossible);
            }
            e = engine;
        }
        return e;
    }
}
