/**
 * HALO credentials (DESIGN §3): issuing and signing them, device delegation chains, and verifying them in
 * small named steps with typed rejections. Signatures cover the exact bytes that travel; a credential's id
 * is always recomputed as SHA-256 of its body.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.halo4j.credentials;
