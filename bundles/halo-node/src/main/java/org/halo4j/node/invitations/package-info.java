/**
 * Invitations at run time: the host's durable store of its invitations, the host's handling of a guest over a
 * peer channel, and the guest's side (DESIGN §7, docs/invitations.md).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.halo4j.node.invitations;
