/**
 * Logging in with a HALO presentation (DESIGN §3, §7): the relying party starts a ceremony with a
 * {@link org.halo4j.presentations.Challenge}, the wallet signs a presentation bound to its nonce and the
 * relying party's origin, and {@link org.halo4j.presentations.HaloVerifier} finishes it, consuming the
 * challenge exactly once.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.halo4j.presentations;
