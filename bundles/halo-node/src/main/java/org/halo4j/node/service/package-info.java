/**
 * The node's services (DESIGN §6): the identity a node runtime acts for, the membership of its spaces, and the
 * invitations it hosts, each a small interface over the {@link org.halo4j.node.agent.Agent} the runtime keeps
 * open. In an OSGi container they are Declarative Services components configured through ConfigAdmin (one PID
 * each, described by metatype; docs/admin-guide.md); outside one, {@link org.halo4j.node.service.NodeServices}
 * builds the same objects around a runtime.
 *
 * <p>Beside these, the runtime also offers the core's {@link org.halo4j.keys.Keyring} (the node's device key,
 * for the signature domains an admin allows) and {@link org.halo4j.credentials.CredentialVerifier} (with the
 * revocations the node knows) as services.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.halo4j.node.service;
