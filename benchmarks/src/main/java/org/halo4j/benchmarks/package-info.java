/**
 * JMH benchmarks of halo4j's verification paths, measured in one run next to two baselines: a bare
 * Bouncy Castle Ed25519 verify (the floor halo4j cannot beat) and a webauthn4j ES256 assertion (what a Java
 * relying party uses for passkeys today). Results and ratios are in {@code docs/performance.md}.
 */
package org.halo4j.benchmarks;
