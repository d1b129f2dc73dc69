package org.halo4j.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.halo4j.credentials.Assertions;
import org.halo4j.credentials.DeviceAuthorizations;
import org.halo4j.credentials.Signer;
import org.halo4j.internal.wire.Timestamps;
import org.halo4j.keys.InMemoryKeyring;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.proto.v1.AuthorizedDevice;
import org.halo4j.proto.v1.Chain;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.CredentialBody;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.Proof;

/**
 * Test agents: identities and devices in real in-memory keyrings, and a low-level way to sign bodies that
 * halo4j's own issuer would refuse to build (for adversarial tests).
 */
public final class Agents {

    /** The instant every test agent issues at unless a test names another: a fixed day, never the system clock. */
    public static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    public final InMemoryKeyring keyring = new InMemoryKeyring();
    /** The one clock this agent issues with; tests verify with the same clock. */
    public final Clock clock;

    /** Agents that issue at {@link #NOW}. */
    public Agents() {
        this(at(NOW));
    }

    /** Agents that issue with {@code clock}. */
    public Agents(Clock clock) {
        this.clock = clock;
    }

    /** A new key in this agent's keyring. */
    public PublicKey newKey() {
        return keyring.generate();
    }

    /** Signs as {@code key} itself. */
    public Signer self(PublicKey key) {
        return Signer.of(keyring, key, clock);
    }

    /** Authorizes a new device of {@code by.issuer()} with {@code scope}, consented by the device. */
    public Signer newDevice(Signer by, DeviceScope scope) throws KeyringException {
        PublicKey device = newKey();
        byte[] consent = DeviceAuthorizations.consent(keyring, device, by.issuer());
        Credential auth = DeviceAuthorizations.authorize(by, device, scope, consent, Optional.empty());
        return Signer.device(keyring, device, auth, by.clock());
    }

    /** A device chain of {@code depth} links below identity {@code id}, each link authorized by the one above. */
    public Signer deviceChain(PublicKey id, int depth) throws KeyringException {
        Signer s = self(id);
        for (int i = 0; i < depth; i++) {
            s = newDevice(s, DeviceScope.DEVICE_SCOPE_ADMIN);
        }
        return s;
    }

    /** A body with fresh nonce and {@code issued_at = now}. */
    public static CredentialBody.Builder body(PublicKey issuer, PublicKey subject, Message assertion, Instant now) {
        return CredentialBody.newBuilder()
                .setIssuer(bytes(issuer))
                .setSubject(bytes(subject))
                .setIssuedAt(Timestamps.of(now))
                .setAssertion(Assertions.pack(assertion))
                .setNonce(ByteString.copyFrom(new byte[16]).concat(ByteString.EMPTY));
    }

    /** Signs exactly {@code bodyBytes} as {@code signerKey}, attaching {@code chain} if given. */
    public Credential signRaw(ByteString bodyBytes, PublicKey signerKey, Optional<Credential> chain) throws KeyringException {
        byte[] sig = keyring.sign(signerKey, SignatureDomain.CREDENTIAL, bodyBytes.toByteArray());
        Proof.Builder proof = Proof.newBuilder().setSigner(bytes(signerKey)).setSignature(ByteString.copyFrom(sig));
        chain.ifPresent(c -> proof.setChain(Chain.newBuilder().setCredential(c)));
        return Credential.newBuilder().setBody(bodyBytes).setProof(proof).build();
    }

    /** An AuthorizedDevice assertion with a real consent by {@code device} for {@code identity}. */
    public AuthorizedDevice authorizedDevice(PublicKey device, PublicKey identity, DeviceScope scope) throws KeyringException {
        return AuthorizedDevice.newBuilder().setScope(scope)
                .setDeviceConsent(ByteString.copyFrom(DeviceAuthorizations.consent(keyring, device, identity))).build();
    }

    public static ByteString bytes(PublicKey k) {
        return ByteString.copyFrom(k.toBytes());
    }

    /** A clock fixed at {@code t}. */
    public static Clock at(Instant t) {
        return Clock.fixed(t, java.time.ZoneOffset.UTC);
    }
}
