package org.halo4j.benchmarks;

import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticationRequest;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.data.extension.authenticator.AuthenticationExtensionsAuthenticatorOutputs;
import com.webauthn4j.data.extension.client.AuthenticationExtensionsClientOutputs;
import com.webauthn4j.server.ServerProperty;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * One WebAuthn authentication ceremony, built the way a platform authenticator and a browser would build it:
 * a P-256 credential (ES256), authenticatorData = rpIdHash || flags (UP|UV) || signCount (0), a
 * {@code webauthn.get} clientDataJSON, and an ECDSA signature over authenticatorData || SHA-256(clientDataJSON).
 * The relying party's stored record is what webauthn4j keeps after registration (none attestation).
 */
final class WebAuthnFixture {

    static final String RP_ID = "app.example.com";
    static final String ORIGIN = "https://" + RP_ID;

    private static final byte FLAG_UP = 0x01;
    private static final byte FLAG_UV = 0x04;

    final AuthenticationRequest request;
    final AuthenticationParameters parameters;
    /** The credential's public key, for the bare ES256 control. */
    final ECPublicKey publicKey;
    /** authenticatorData || SHA-256(clientDataJSON): the bytes the signature covers. */
    final byte[] signedBytes;

    private WebAuthnFixture(AuthenticationRequest request, AuthenticationParameters parameters, ECPublicKey publicKey,
                            byte[] signedBytes) {
        this.request = request;
        this.parameters = parameters;
        this.publicKey = publicKey;
        this.signedBytes = signedBytes;
    }

    static WebAuthnFixture create(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        KeyPair keyPair = generator.generateKeyPair();

        byte[] credentialId = new byte[32];
        random.nextBytes(credentialId);
        byte[] challenge = new byte[32];
        random.nextBytes(challenge);

        byte[] clientDataJson = ("{\"type\":\"webauthn.get\",\"challenge\":\""
                + Base64.getUrlEncoder().withoutPadding().encodeToString(challenge)
                + "\",\"origin\":\"" + ORIGIN + "\",\"crossOrigin\":false}").getBytes(StandardCharsets.UTF_8);
        byte[] authenticatorData = ByteBuffer.allocate(32 + 1 + 4)
                .put(sha256(RP_ID.getBytes(StandardCharsets.US_ASCII)))
                .put((byte) (FLAG_UP | FLAG_UV))
                // signCount 0, as synced passkeys report it: webauthn4j then skips the counter rule and the
                // stored counter stays 0, so one assertion can be verified many times
                .putInt(0)
                .array();

        byte[] signedBytes = ByteBuffer.allocate(authenticatorData.length + 32)
                .put(authenticatorData)
                .put(sha256(clientDataJson))
                .array();
        Signature es256 = Signature.getInstance("SHA256withECDSA");
        es256.initSign(keyPair.getPrivate(), random);
        es256.update(signedBytes);
        byte[] signature = es256.sign();

        AttestedCredentialData attested = new AttestedCredentialData(AAGUID.ZERO, credentialId,
                EC2COSEKey.create((ECPublicKey) keyPair.getPublic(), COSEAlgorithmIdentifier.ES256));
        CredentialRecordImpl record = new CredentialRecordImpl(
                new NoneAttestationStatement(),
                true,   // uvInitialized
                false,  // backupEligible
                false,  // backupState
                0L,     // stored signCount
                attested,
                new AuthenticationExtensionsAuthenticatorOutputs<>(),
                null,   // client data of the registration: not kept
                new AuthenticationExtensionsClientOutputs<>(),
                Set.of());

        ServerProperty server = new ServerProperty(Origin.create(ORIGIN), RP_ID, new DefaultChallenge(challenge));
        AuthenticationParameters parameters = new AuthenticationParameters(server, record,
                List.of(credentialId), true /* user verification required */, true /* user presence required */);
        AuthenticationRequest request = new AuthenticationRequest(credentialId, null, authenticatorData,
                clientDataJson, null, signature);
        return new WebAuthnFixture(request, parameters, (ECPublicKey) keyPair.getPublic(), signedBytes);
    }

    private static byte[] sha256(byte[] data) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
