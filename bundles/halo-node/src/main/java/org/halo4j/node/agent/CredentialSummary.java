package org.halo4j.node.agent;

import org.halo4j.credentials.CredentialId;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Credential;

/** A credential held in the identity's feeds. */
public record CredentialSummary(CredentialId id, String type, PublicKey issuer, PublicKey subject, Credential credential) {
}
