package org.halo4j.spaces;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.Signer;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.FeedDesignation;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.testing.Agents;

/** A space on one machine for tests: people with devices and control feeds, and the entries they wrote. */
final class SpaceWorld {

    /** An identity with one ADMIN device and that device's control feed. */
    record Person(String name, PublicKey identity, Signer device, PublicKey feed) {
    }

    final Agents agents;
    final List<SpaceEntry> entries = new ArrayList<>();
    final Map<PublicKey, Long> nextSeq = new HashMap<>();
    final CredentialVerifier verifier = CredentialVerifier.builder().ignoreRevocation().clock(Agents.at(Agents.NOW)).build();
    PublicKey spaceKey;

    SpaceWorld() {
        this(new Agents());
    }

    /** A second space whose people share the keys of another world. */
    SpaceWorld(Agents agents) {
        this.agents = agents;
    }

    Person person(String name) throws Exception {
        return person(name, DeviceScope.DEVICE_SCOPE_ADMIN);
    }

    Person person(String name, DeviceScope scope) throws Exception {
        PublicKey identity = agents.newKey();
        Signer device = agents.newDevice(agents.self(identity), scope);
        return new Person(name, identity, device, agents.newKey());
    }

    /** Creates the space with {@code owner} as its first OWNER. */
    Spaces.Created create(Person owner) throws Exception {
        Spaces.Created c = Spaces.create(agents.keyring, "test space", owner.identity(), owner.device().key(), owner.feed(), agents.clock);
        spaceKey = c.spaceKey();
        for (Credential cred : c.credentials()) {
            write(owner.feed(), cred);
        }
        return c;
    }

    SpaceEntry write(PublicKey feed, Credential c) {
        long seq = nextSeq.merge(feed, 1L, Long::sum) - 1;
        SpaceEntry e = SpaceEntry.of(feed, seq, c);
        entries.add(e);
        return e;
    }

    SpaceState replay() {
        return SpaceReplay.replay(spaceKey, entries, verifier);
    }

    /** Last written position of every feed. */
    Map<PublicKey, Long> lastPositions() {
        Map<PublicKey, Long> m = new HashMap<>();
        nextSeq.forEach((f, n) -> m.put(f, n - 1));
        return m;
    }

    /** {@code by} sets {@code who}'s role, seeing {@code view}, and writes it to its own feed. */
    Credential setRole(SpaceState view, Person by, Person who, SpaceRole role) throws Exception {
        Credential c = Spaces.setRole(view, by.device(), who.identity(), role, lastPositions());
        write(by.feed(), c);
        return c;
    }

    Credential setRole(Person by, Person who, SpaceRole role) throws Exception {
        return setRole(replay(), by, who, role);
    }

    /** {@code by} admits {@code whose} device's control (or data) feed, and writes it to its own feed. */
    Credential admit(Person by, Person whose, FeedDesignation designation) throws Exception {
        SpaceState view = replay();
        Credential c = Credentials.issue(by.device()).subject(whose.feed())
                .assertion(Spaces.admittedFeed(agents.keyring, whose.feed(), spaceKey, whose.identity(), whose.device().key(), designation))
                .parents(Spaces.parents(view, List.of()))
                .sign();
        write(by.feed(), c);
        return c;
    }

    /** Adds {@code who} with {@code role} and admits its control feed, both by {@code by}. */
    void join(Person by, Person who, SpaceRole role) throws Exception {
        setRole(by, who, role);
        admit(by, who, FeedDesignation.FEED_DESIGNATION_CONTROL);
    }
}
