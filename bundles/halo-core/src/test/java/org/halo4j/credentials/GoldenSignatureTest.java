package org.halo4j.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.halo4j.keys.PublicKey;
import org.halo4j.presentations.Challenge;
import org.halo4j.presentations.Presentations;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.IdentityProfile;
import org.halo4j.proto.v1.Presentation;
import org.halo4j.testing.Agents;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §3: "Domain strings, signed as DOMAIN || 0x00 || bytes". The signed message is built here by hand from
 * the literal domain string and checked with Bouncy Castle's high-level signer, not with halo4j's own
 * verification path, so a mistake shared by halo4j's signer and verifier cannot hide.
 */
@DisplayName("golden: signatures cover exactly DOMAIN || 0x00 || body")
class GoldenSignatureTest {

    static boolean bcVerifies(PublicKey key, String domain, byte[] body, byte[] signature) {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.writeBytes(domain.getBytes(StandardCharsets.US_ASCII));
        message.write(0x00);
        message.writeBytes(body);
        byte[] m = message.toByteArray();
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(false, new Ed25519PublicKeyParameters(key.toBytes(), 0));
        signer.update(m, 0, m.length);
        return signer.verifySignature(signature);
    }

    @Test
    @DisplayName("a credential: halo/credential/v1, and no other domain")
    void credential() throws Exception {
        Agents agents = new Agents();
        PublicKey identity = agents.newKey();
        Credential c = Credentials.issue(agents.self(identity)).subject(identity)
                .assertion(IdentityProfile.newBuilder().setDisplayName("Ada").build()).sign();
        byte[] body = c.getBody().toByteArray();
        byte[] sig = c.getProof().getSignature().toByteArray();
        assertThat(bcVerifies(identity, "halo/credential/v1", body, sig)).isTrue();
        assertThat(bcVerifies(identity, "halo/presentation/v1", body, sig)).isFalse();
        assertThat(bcVerifies(identity, "halo/credential/v2", body, sig)).isFalse();
    }

    @Test
    @DisplayName("a presentation: halo/presentation/v1, by the device")
    void presentation() throws Exception {
        Agents agents = new Agents();
        PublicKey identity = agents.newKey();
        Signer device = agents.newDevice(agents.self(identity), org.halo4j.proto.v1.DeviceScope.DEVICE_SCOPE_WRITE);
        Challenge ch = new Challenge(new byte[Challenge.NONCE_LENGTH], "https://app.example.com", Agents.NOW,
                Agents.NOW.plusSeconds(60));
        Presentation p = Presentations.sign(device, ch);
        byte[] sig = p.getProof().getSignature().toByteArray();
        assertThat(bcVerifies(device.key(), "halo/presentation/v1", p.getBody().toByteArray(), sig)).isTrue();
        assertThat(bcVerifies(device.key(), "halo/credential/v1", p.getBody().toByteArray(), sig)).isFalse();
    }

    @Test
    @DisplayName("a device consent: halo/device-consent/v1 over identity || device")
    void consent() throws Exception {
        Agents agents = new Agents();
        PublicKey identity = agents.newKey();
        PublicKey device = agents.newKey();
        byte[] consent = DeviceAuthorizations.consent(agents.keyring, device, identity);
        byte[] payload = new byte[64];
        System.arraycopy(identity.toBytes(), 0, payload, 0, 32);
        System.arraycopy(device.toBytes(), 0, payload, 32, 32);
        assertThat(bcVerifies(device, "halo/device-consent/v1", payload, consent)).isTrue();
    }
}
