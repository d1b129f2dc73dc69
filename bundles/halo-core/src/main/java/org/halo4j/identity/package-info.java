/**
 * The identity and its HALO (spec §4.1, DESIGN §2): the HALO is a space with its own random key whose
 * credentials hold the identity's devices, revocations, profile and contacts. {@link org.halo4j.identity.Halo}
 * writes them; {@link org.halo4j.identity.IdentityState} reads them back from the replayed HALO.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.halo4j.identity;
