/**
 * Keys of HALO: Ed25519 public keys and their text forms (lowercase hex, {@code did:key}), signatures with
 * domain separation, 24-word recovery phrases (BIP39) and the identity key derived from them (SLIP-0010 at
 * {@code m/4256'/0'}), DID documents, and the {@link org.halo4j.keys.Keyring} that holds private keys and never
 * hands them out: in memory ({@link org.halo4j.keys.InMemoryKeyring}) or encrypted in one file
 * ({@link org.halo4j.keys.FileKeyring}, format in {@code docs/keyring.md}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.halo4j.keys;
