package org.halo4j.presentations;

import com.google.protobuf.Message;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.halo4j.credentials.AuthorizedSigner;
import org.halo4j.credentials.CredentialId;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.DeviceScope;

/**
 * A finished login: who logged in, from which device, and what credentials came with it. Only
 * {@link HaloVerifier} makes one (no public constructor).
 *
 * <p>Anyone can sign a credential about themselves, so a presented credential means only what its issuer
 * means to you: ask for credentials of a type <em>from issuers you trust</em> ({@link #credentials(Class, Set)}),
 * or check each issuer's role in a space you replay. Self-asserted claims (a display name) come from
 * {@link #selfAsserted(Class)}, whose name says what they are worth.
 */
public final class LoginResult {

    private final PublicKey identity;
    private final AuthorizedSigner signedBy;
    private final List<VerifiedCredential> presented;
    private final Challenge challenge;

    LoginResult(PublicKey identity, AuthorizedSigner signedBy, List<VerifiedCredential> presented, Challenge challenge) {
        this.identity = Objects.requireNonNull(identity);
        this.signedBy = Objects.requireNonNull(signedBy);
        this.presented = List.copyOf(presented);
        this.challenge = Objects.requireNonNull(challenge);
    }

    /** The identity key that logged in. */
    public PublicKey identity() {
        return identity;
    }

    /** The principal: the identity's {@code did:key}. */
    public String did() {
        return identity.toDidKey();
    }

    /** The device (or the identity itself) that signed, with its chain. */
    public AuthorizedSigner signedBy() {
        return signedBy;
    }

    /** The key that signed the presentation. */
    public PublicKey device() {
        return signedBy.signer();
    }

    /** The device's scope; empty when the identity key itself signed. */
    public Optional<DeviceScope> scope() {
        return signedBy.scope();
    }

    /** The challenge that was consumed. */
    public Challenge challenge() {
        return challenge;
    }

    /**
     * The presented credentials of assertion type {@code type} whose issuer is one of {@code trustedIssuers}
     * (all verified, all about {@link #identity()}).
     */
    public <T extends Message> List<VerifiedCredential> credentials(Class<T> type, Set<PublicKey> trustedIssuers) {
        return presented.stream()
                .filter(c -> type.isInstance(c.assertion()) && trustedIssuers.contains(c.issuer()))
                .toList();
    }

    /** The presented credentials of type {@code type} that the identity issued about itself: claims, not facts. */
    public <T extends Message> List<VerifiedCredential> selfAsserted(Class<T> type) {
        return credentials(type, Set.of(identity));
    }

    /** Ids of every presented credential, in the order presented, whoever issued them. */
    public List<CredentialId> presentedIds() {
        return presented.stream().map(VerifiedCredential::id).toList();
    }

    /**
     * Every presented credential, whoever issued it. Prefer {@link #credentials(Class, Set)}: an issuer you do
     * not trust can say anything.
     */
    public List<VerifiedCredential> allPresented() {
        return presented;
    }

    @Override
    public String toString() {
        return "LoginResult[" + did() + " with device " + device().shortId() + ", " + presented.size()
                + " credential(s)]";
    }
}
