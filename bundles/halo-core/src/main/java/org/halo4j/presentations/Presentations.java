package org.halo4j.presentations;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.Limits;
import org.halo4j.credentials.Signer;
import org.halo4j.internal.wire.Timestamps;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.Presentation;
import org.halo4j.proto.v1.PresentationBody;

/** The wallet side of a login: signs a presentation for a relying party's challenge. */
public final class Presentations {

    private Presentations() {
    }

    /**
     * Signs a presentation answering {@code nonce} for the relying party at {@code audience}, with
     * {@code signer}'s device chain to its identity, presenting {@code credentials} (about that identity).
     */
    public static Presentation sign(Signer signer, byte[] nonce, String audience, List<Credential> credentials,
                                    Clock clock) throws KeyringException {
        if (credentials.size() > Limits.MAX_PRESENTED_CREDENTIALS) {
            throw new IllegalArgumentException("at most " + Limits.MAX_PRESENTED_CREDENTIALS + " credentials per presentation");
        }
        Instant now = clock.instant();
        PresentationBody.Builder body = PresentationBody.newBuilder()
                .setNonce(ByteString.copyFrom(nonce))
                .setAudience(audience)
                .setIssuedAt(Timestamps.of(now))
                .setIdentity(ByteString.copyFrom(signer.issuer().toBytes()));
        for (Credential c : credentials) {
            body.addCredentialIds(Credentials.id(c).toByteString());
        }
        ByteString bytes = body.build().toByteString();
        return Presentation.newBuilder()
                .setBody(bytes)
                .setProof(signer.prove(SignatureDomain.PRESENTATION, bytes))
                .addAllCredentials(credentials)
                .build();
    }

    /** As {@link #sign(Signer, byte[], String, List, Clock)}, stamped with the signer's clock. */
    public static Presentation sign(Signer signer, byte[] nonce, String audience, List<Credential> credentials)
            throws KeyringException {
        return sign(signer, nonce, audience, credentials, signer.clock());
    }

    /** Signs a plain login presentation (no credentials) for {@code challenge}, stamped with the signer's clock. */
    public static Presentation sign(Signer signer, Challenge challenge) throws KeyringException {
        return sign(signer, challenge.nonce(), challenge.audience(), List.of(), signer.clock());
    }
}
