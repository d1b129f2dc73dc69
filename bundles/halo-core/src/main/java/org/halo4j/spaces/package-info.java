/**
 * Spaces (DESIGN §4): a space's state is what you get by replaying the credentials in its control feeds —
 * nothing else is authoritative. {@link org.halo4j.spaces.SpaceReplay} applies the rules of state
 * deterministically: the same set of credentials gives the same state on every peer, in any arrival order.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.halo4j.spaces;
