/**
 * Invitations (DESIGN §7, spec §4.2.3): their text form, the 6-digit code, and the host's state machine
 * ({@link org.halo4j.invitations.HostedInvitation}). Pure logic: no sockets, no files, no clock of its own.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.halo4j.invitations;
