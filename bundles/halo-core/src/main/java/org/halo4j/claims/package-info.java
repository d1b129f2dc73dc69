/**
 * Membership claims (decision 0008): for a relying party that cannot replicate a space, a member it trusts for
 * that space (typically the space's always-on node) states, signed and short-lived, which role an identity holds
 * there as of now. {@link org.halo4j.claims.MembershipClaims} issues them; {@link org.halo4j.claims.ClaimVerifier}
 * checks those a login carries: trusted issuer, configured space, freshness window, the presenting device, and a
 * role the issuer could grant by the evidence the claim carries, from the space's genesis to the issuer.
 * The window is the revocation delay of this mode.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.halo4j.claims;
