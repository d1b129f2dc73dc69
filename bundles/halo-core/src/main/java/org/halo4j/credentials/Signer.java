package org.halo4j.credentials;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.halo4j.keys.Keyring;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.proto.v1.AuthorizedDevice;
import org.halo4j.proto.v1.Chain;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.CredentialBody;
import org.halo4j.proto.v1.Proof;

/**
 * A key in a keyring that signs for an issuer: either the issuer's own key, or a device key with the
 * AuthorizedDevice credential (issuer → device) that becomes the proof's {@code chain}.
 *
 * <p>A signer also carries the clock that stamps what it signs ({@code issued_at} of credentials and
 * presentations): one injected clock for everything an agent issues. The forms without a clock use the system
 * clock.
 */
public final class Signer {

    private final Keyring keyring;
    private final PublicKey key;
    private final PublicKey issuer;
    private final Optional<Credential> authorization;
    private final Clock clock;

    private Signer(Keyring keyring, PublicKey key, PublicKey issuer, Optional<Credential> authorization, Clock clock) {
        this.keyring = Objects.requireNonNull(keyring);
        this.key = Objects.requireNonNull(key);
        this.issuer = Objects.requireNonNull(issuer);
        this.authorization = authorization;
        this.clock = Objects.requireNonNull(clock);
    }

    /** {@code key} signs for itself: issuer = signer, no chain; stamps with the system clock. */
    public static Signer of(Keyring keyring, PublicKey key) {
        return of(keyring, key, Clock.systemUTC());
    }

    /** {@code key} signs for itself: issuer = signer, no chain; stamps with {@code clock}. */
    public static Signer of(Keyring keyring, PublicKey key, Clock clock) {
        return new Signer(keyring, key, key, Optional.empty(), clock);
    }

    /**
     * {@code deviceKey} signs for the identity that authorized it; {@code authorization} is that
     * AuthorizedDevice credential (identity → device), carried as the chain of every proof.
     *
     * @throws IllegalArgumentException if {@code authorization} is not an AuthorizedDevice about {@code deviceKey}
     */
    public static Signer device(Keyring keyring, PublicKey deviceKey, Credential authorization) {
        return device(keyring, deviceKey, authorization, Clock.systemUTC());
    }

    /** As {@link #device(Keyring, PublicKey, Credential)}, stamping with {@code clock}. */
    public static Signer device(Keyring keyring, PublicKey deviceKey, Credential authorization, Clock clock) {
        CredentialBody body;
        try {
            body = CredentialBody.parseFrom(authorization.getBody());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("the authorization does not parse as a credential body", e);
        }
        if (!Assertions.typeUrl(AuthorizedDevice.class).equals(body.getAssertion().getTypeUrl())) {
            throw new IllegalArgumentException("the authorization is not an AuthorizedDevice credential");
        }
        if (!deviceKey.matches(body.getSubject().toByteArray())) {
            throw new IllegalArgumentException("the authorization is for another device than " + deviceKey.shortId());
        }
        return new Signer(keyring, deviceKey, PublicKey.of(body.getIssuer().toByteArray()), Optional.of(authorization), clock);
    }

    /** This signer with another clock. */
    public Signer withClock(Clock clock) {
        return new Signer(keyring, key, issuer, authorization, clock);
    }

    /** The clock that stamps what this signer signs. */
    public Clock clock() {
        return clock;
    }

    /** The key that makes the signatures. */
    public PublicKey key() {
        return key;
    }

    /** The key whose authority the signatures carry. */
    public PublicKey issuer() {
        return issuer;
    }

    /** The AuthorizedDevice credential of a device signer. */
    public Optional<Credential> authorization() {
        return authorization;
    }

    /** Signs {@code DOMAIN || 0x00 || bytes} and wraps the signature with this signer's chain. */
    public Proof prove(SignatureDomain domain, ByteString bytes) throws KeyringException {
        byte[] signature = keyring.sign(key, domain, bytes.toByteArray());
        Proof.Builder proof = Proof.newBuilder()
                .setSigner(ByteString.copyFrom(key.toBytes()))
                .setSignature(ByteString.copyFrom(signature));
        authorization.ifPresent(a -> proof.setChain(Chain.newBuilder().setCredential(a)));
        return proof.build();
    }

    /** Signs raw {@code DOMAIN || 0x00 || bytes} with this signer's key, without a chain. */
    byte[] sign(SignatureDomain domain, byte[] bytes) throws KeyringException {
        return keyring.sign(key, domain, bytes);
    }

    @Override
    public String toString() {
        return "Signer[" + key.shortId() + (authorization.isPresent() ? " for " + issuer.shortId() : "") + "]";
    }
}
