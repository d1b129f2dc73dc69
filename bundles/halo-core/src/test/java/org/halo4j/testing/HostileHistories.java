package org.halo4j.testing;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.halo4j.credentials.CredentialId;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.DeviceAuthorizations;
import org.halo4j.credentials.Signer;
import org.halo4j.keys.InMemoryKeyring;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.DeviceRevoked;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.FeedDesignation;
import org.halo4j.proto.v1.SpaceMember;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.spaces.SpaceEntry;
import org.halo4j.spaces.Spaces;

/**
 * Space histories built to make replay slow, each about {@code n} entries, on top of a small honest space: an
 * OWNER and the members the attack needs. Public API only, so the unit tests that count replay's cost and the
 * JMH benchmarks that time it replay the same histories.
 */
public final class HostileHistories {

    /** The shapes of attack. */
    public enum Kind {
        /** A READER writes n removals of itself. */
        SELF_REMOVALS,
        /** n strangers each "revoke" the OWNER's device. */
        STRANGER_REVOCATIONS,
        /** A READER writes n/2 removals of the OWNER while the OWNER adds n/2 members: each grant waits for them. */
        REMOVAL_BLOCKERS,
        /** Two ADMINs write n role changes about one member, none naming a parent: all concurrent. */
        PARENTLESS_GRANTS,
        /** A chain of n credentials whose first parent never arrives: all pending. */
        PENDING_CHAIN,
        /** n/6 pairs of ADMINs remove each other concurrently, each pair naming the previous pair's removals. */
        STACKED_MUTUAL_REMOVALS
    }

    /** A member: identity, its ADMIN device, and that device's control feed. */
    public record Person(PublicKey identity, Signer device, PublicKey feed) {
    }

    public final InMemoryKeyring keyring = new InMemoryKeyring();
    public final Clock clock = Agents.at(Agents.NOW);
    public final List<SpaceEntry> entries = new ArrayList<>();
    public final PublicKey spaceKey;
    public final Person owner;
    private final Map<PublicKey, Long> nextSeq = new HashMap<>();
    private final SpaceMember.Builder member;
    private CredentialId ownerHead;

    private HostileHistories() throws KeyringException {
        owner = person();
        Spaces.Created created = Spaces.create(keyring, "hostile", owner.identity(), owner.device().key(), owner.feed(), clock);
        spaceKey = created.spaceKey();
        for (Credential c : created.credentials()) {
            write(owner.feed(), c);
            ownerHead = Credentials.id(c);
        }
        member = SpaceMember.newBuilder().setSpaceKey(ByteString.copyFrom(spaceKey.toBytes()));
    }

    /** The history of {@code kind} with about {@code n} hostile entries. */
    public static HostileHistories of(Kind kind, int n) throws KeyringException {
        HostileHistories h = new HostileHistories();
        switch (kind) {
            case SELF_REMOVALS -> {
                Person eve = h.join(SpaceRole.SPACE_ROLE_READER);
                for (int i = 0; i < n; i++) {
                    h.write(eve.feed(), h.role(eve.device(), eve.identity(), SpaceRole.SPACE_ROLE_REMOVED, List.of(h.ownerHead)));
                }
            }
            case STRANGER_REVOCATIONS -> {
                Person eve = h.join(SpaceRole.SPACE_ROLE_READER);
                for (int i = 0; i < n; i++) {
                    Signer stranger = Signer.of(h.keyring, h.keyring.generate(), h.clock);
                    h.write(eve.feed(), Credentials.issue(stranger).subject(h.owner.device().key())
                            .assertion(DeviceRevoked.getDefaultInstance()).parents(List.of(h.ownerHead)).sign());
                }
            }
            case REMOVAL_BLOCKERS -> {
                Person eve = h.join(SpaceRole.SPACE_ROLE_READER);
                for (int i = 0; i < n / 2; i++) {
                    h.write(eve.feed(), h.role(eve.device(), h.owner.identity(), SpaceRole.SPACE_ROLE_REMOVED, List.of(h.ownerHead)));
                }
                for (int i = 0; i < n / 2; i++) {
                    Credential grant = h.role(h.owner.device(), h.keyring.generate(), SpaceRole.SPACE_ROLE_READER, List.of(h.ownerHead));
                    h.write(h.owner.feed(), grant);
                    h.ownerHead = Credentials.id(grant);
                }
            }
            case PARENTLESS_GRANTS -> {
                Person bob = h.join(SpaceRole.SPACE_ROLE_ADMIN);
                Person carol = h.join(SpaceRole.SPACE_ROLE_ADMIN);
                Person dave = h.join(SpaceRole.SPACE_ROLE_READER);
                for (int i = 0; i < n; i++) {
                    Person by = i % 2 == 0 ? bob : carol;
                    SpaceRole role = i % 4 < 2 ? SpaceRole.SPACE_ROLE_EDITOR : SpaceRole.SPACE_ROLE_READER;
                    h.write(by.feed(), h.role(by.device(), dave.identity(), role, List.of()));
                }
            }
            case PENDING_CHAIN -> {
                Person eve = h.join(SpaceRole.SPACE_ROLE_READER);
                CredentialId previous = CredentialId.of(new byte[32]); // never arrives
                for (int i = 0; i < n; i++) {
                    Credential c = h.role(eve.device(), eve.identity(), SpaceRole.SPACE_ROLE_READER, List.of(previous));
                    h.write(eve.feed(), c);
                    previous = Credentials.id(c);
                }
            }
            case STACKED_MUTUAL_REMOVALS -> {
                List<CredentialId> previous = List.of();
                for (int i = 0; i < n / 6; i++) {
                    Person x = h.join(SpaceRole.SPACE_ROLE_ADMIN);
                    Person y = h.join(SpaceRole.SPACE_ROLE_ADMIN);
                    List<CredentialId> parents = new ArrayList<>(previous);
                    parents.add(h.ownerHead);
                    Credential xy = h.role(x.device(), y.identity(), SpaceRole.SPACE_ROLE_REMOVED, parents);
                    Credential yx = h.role(y.device(), x.identity(), SpaceRole.SPACE_ROLE_REMOVED, parents);
                    h.write(x.feed(), xy);
                    h.write(y.feed(), yx);
                    previous = List.of(Credentials.id(xy), Credentials.id(yx));
                }
            }
            default -> throw new IllegalArgumentException(kind.name());
        }
        return h;
    }

    /** A new identity with one ADMIN device and a feed key. */
    public Person person() throws KeyringException {
        PublicKey identity = keyring.generate();
        PublicKey device = keyring.generate();
        Credential auth = DeviceAuthorizations.authorize(Signer.of(keyring, identity, clock), device, DeviceScope.DEVICE_SCOPE_ADMIN,
                DeviceAuthorizations.consent(keyring, device, identity), Optional.empty());
        return new Person(identity, Signer.device(keyring, device, auth, clock), keyring.generate());
    }

    /** The OWNER adds a new person with {@code role} and admits its control feed. */
    public Person join(SpaceRole role) throws KeyringException {
        Person p = person();
        Credential grant = role(owner.device(), p.identity(), role, List.of(ownerHead));
        write(owner.feed(), grant);
        Credential admit = Credentials.issue(owner.device()).subject(p.feed())
                .assertion(Spaces.admittedFeed(keyring, p.feed(), spaceKey, p.identity(), p.device().key(), FeedDesignation.FEED_DESIGNATION_CONTROL))
                .parents(List.of(Credentials.id(grant))).sign();
        write(owner.feed(), admit);
        ownerHead = Credentials.id(admit);
        return p;
    }

    private Credential role(Signer by, PublicKey who, SpaceRole role, List<CredentialId> parents) throws KeyringException {
        return Credentials.issue(by).subject(who).assertion(member.clone().setRole(role).build()).parents(parents).sign();
    }

    private void write(PublicKey feed, Credential c) {
        long seq = nextSeq.merge(feed, 1L, Long::sum) - 1;
        entries.add(SpaceEntry.of(feed, seq, c));
    }
}
