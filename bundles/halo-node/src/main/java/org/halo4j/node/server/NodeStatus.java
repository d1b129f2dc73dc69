package org.halo4j.node.server;

import java.time.Instant;

/**
 * A node's state at one moment ({@code halo node status}).
 *
 * @param pid         the node's process
 * @param address     where it listens
 * @param identity    the identity it serves, as did:key
 * @param startedAt   when it started
 * @param at          when this status was taken
 * @param connections connections open now
 * @param syncs       replication sessions completed
 * @param refusals    connections refused or cut off
 * @param relayPairs  pairs of peers relayed
 * @param received    entries received and stored
 * @param sent        entries sent
 */
public record NodeStatus(long pid, String address, String identity, Instant startedAt, Instant at, int connections,
                         long syncs, long refusals, long relayPairs, long received, long sent) {
}
