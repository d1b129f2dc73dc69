package org.halo4j.spaces;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.halo4j.credentials.CredentialId;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.Limits;
import org.halo4j.credentials.Signer;
import org.halo4j.keys.Keyring;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.proto.v1.AdmittedFeed;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.FeedDesignation;
import org.halo4j.proto.v1.FeedPosition;
import org.halo4j.proto.v1.SpaceGenesis;
import org.halo4j.proto.v1.SpaceMember;
import org.halo4j.proto.v1.SpaceRole;

/**
 * Creating spaces and writing their membership credentials with the right parents, so that what halo4j
 * writes is what {@link SpaceReplay} applies.
 */
public final class Spaces {

    private Spaces() {
    }

    /**
     * A new space: its key and the three credentials of its genesis feed, in order (entries 0, 1, 2).
     *
     * @param spaceKey    the space key (its private key was destroyed after signing)
     * @param credentials SpaceGenesis, SpaceMember(owner, OWNER) and AdmittedFeed(genesis feed), all signed by the
     *                    space key
     */
    public record Created(PublicKey spaceKey, List<Credential> credentials) {
        public Created {
            credentials = List.copyOf(credentials);
        }

        /** The space id: lowercase hex of the space key. */
        public String spaceId() {
            return spaceKey.toHex();
        }
    }

    /**
     * Creates a space (spec §5.4, DESIGN §4 rule 1): a fresh space key signs the genesis, makes
     * {@code owner} its first OWNER and admits the owner device's control feed {@code feedKey}; then the space
     * key is destroyed. {@code keyring} must hold the private key of {@code feedKey} (for its proof of
     * possession).
     */
    public static Created create(Keyring keyring, String name, PublicKey owner, PublicKey ownerDevice, PublicKey feedKey)
            throws KeyringException {
        return create(keyring, name, owner, ownerDevice, feedKey, Clock.systemUTC());
    }

    /** As {@link #create(Keyring, String, PublicKey, PublicKey, PublicKey)}, stamping with {@code clock}. */
    public static Created create(Keyring keyring, String name, PublicKey owner, PublicKey ownerDevice, PublicKey feedKey,
                                 Clock clock) throws KeyringException {
        PublicKey spaceKey = keyring.generate();
        try {
            Signer space = Signer.of(keyring, spaceKey, clock);
            Credential genesis = Credentials.issue(space).subject(spaceKey)
                    .assertion(SpaceGenesis.newBuilder().setSpaceKey(bytes(spaceKey)).setName(Objects.requireNonNull(name)).build())
                    .sign();
            Credential ownerMember = Credentials.issue(space).subject(owner)
                    .assertion(SpaceMember.newBuilder().setSpaceKey(bytes(spaceKey)).setRole(SpaceRole.SPACE_ROLE_OWNER).build())
                    .parents(List.of(Credentials.id(genesis)))
                    .sign();
            Credential admitted = Credentials.issue(space).subject(feedKey)
                    .assertion(admittedFeed(keyring, feedKey, spaceKey, owner, ownerDevice, FeedDesignation.FEED_DESIGNATION_CONTROL))
                    .parents(List.of(Credentials.id(ownerMember)))
                    .sign();
            return new Created(spaceKey, List.of(genesis, ownerMember, admitted));
        } finally {
            keyring.destroy(spaceKey);
        }
    }

    /**
     * The AdmittedFeed assertion for {@code feedKey}, with the feed key's proof of possession over
     * {@code halo/feed-admit/v1 || 0x00 || space || identity || device}.
     */
    public static AdmittedFeed admittedFeed(Keyring feedKeyring, PublicKey feedKey, PublicKey spaceKey, PublicKey identity,
                                            PublicKey device, FeedDesignation designation) throws KeyringException {
        byte[] payload = new byte[3 * PublicKey.LENGTH];
        spaceKey.copyTo(payload, 0);
        identity.copyTo(payload, PublicKey.LENGTH);
        device.copyTo(payload, 2 * PublicKey.LENGTH);
        byte[] proof = feedKeyring.sign(feedKey, SignatureDomain.FEED_ADMIT, payload);
        return AdmittedFeed.newBuilder().setSpaceKey(bytes(spaceKey)).setIdentityKey(bytes(identity))
                .setDeviceKey(bytes(device)).setDesignation(designation).setFeedSignature(ByteString.copyFrom(proof)).build();
    }

    /**
     * A SpaceMember credential that sets {@code member}'s role in the space of {@code state}. Its parents are
     * the member's current role setter (so it supersedes it rather than being concurrent with it) and the
     * state's heads. It records, from {@code lastPositions}, the last position of each of the member's feeds
     * that the change has seen: what the member wrote up to there is judged with its role before the change
     * (a removal or demotion does not reach back), what it wrote after, with the new one (DESIGN §4 rule 4).
     */
    public static Credential setRole(SpaceState state, Signer signer, PublicKey member, SpaceRole role,
                                     Map<PublicKey, Long> lastPositions) throws KeyringException {
        SpaceMember.Builder m = SpaceMember.newBuilder().setSpaceKey(bytes(state.spaceKey())).setRole(role);
        for (SpaceFeed f : state.feeds().values()) {
            Long last = lastPositions.get(f.feed());
            if (f.identity().equals(member) && last != null) {
                m.addAcceptedUntil(FeedPosition.newBuilder().setFeedKey(bytes(f.feed())).setSeq(last));
            }
        }
        return Credentials.issue(signer).subject(member).assertion(m.build())
                .parents(parents(state, state.roleSetter(member).stream().toList()))
                .sign();
    }

    /** Parents for a new credential: {@code first} (always kept), then the state's heads, at most the limit. */
    public static List<CredentialId> parents(SpaceState state, List<CredentialId> first) {
        Set<CredentialId> p = new LinkedHashSet<>(first);
        for (CredentialId h : state.heads()) {
            if (p.size() >= Limits.MAX_PARENTS) {
                break;
            }
            p.add(h);
        }
        return new ArrayList<>(p);
    }

    static ByteString bytes(PublicKey k) {
        return ByteString.copyFrom(k.toBytes());
    }
}
