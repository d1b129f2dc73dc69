package org.halo4j.credentials;

import com.google.protobuf.Message;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.CredentialBody;

/** A credential after strict decoding and structural checks, before any cryptography. */
record DecodedCredential(Credential raw, CredentialBody body, CredentialId id, PublicKey issuer, PublicKey subject,
                         Instant issuedAt, Optional<Instant> expiresAt, Message assertion,
                         List<CredentialId> parents, DecodedProof proof) {
}
