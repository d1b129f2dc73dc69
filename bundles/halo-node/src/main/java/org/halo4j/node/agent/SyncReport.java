package org.halo4j.node.agent;

import java.util.List;

/**
 * What one replication session did.
 *
 * @param turns    turns taken (each side asks in every other one)
 * @param received entries received, verified and stored
 * @param sent     entries sent
 * @param complete false if the session stopped before both sides were quiet
 * @param notes    what a person should know: spaces the peer does not share, forks found, the HALO arriving
 * @param peerRefused this side served the peer nothing (a stranger, a removed member, a revoked device) and
 *                    ended the session, telling it so ({@code peer.not_member})
 */
public record SyncReport(int turns, long received, long sent, boolean complete, List<String> notes,
                         boolean peerRefused) {
}
