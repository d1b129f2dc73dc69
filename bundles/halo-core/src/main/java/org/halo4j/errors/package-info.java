/**
 * The two families of failure in halo4j, as Nimbus JOSE+JWT separates them: {@link HaloRejectedException}
 * (the input was judged and refused: malformed, forged, out of date, not allowed; one stable
 * {@link RejectionCode} each) and {@link HaloProcessingException} (nothing was judged: storage, keyring I/O,
 * configuration, capacity; a stable string code each). A caller that only wants to know "was the input bad?"
 * catches the first; "did something break?" the second.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.halo4j.errors;
