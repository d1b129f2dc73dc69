package org.halo4j.credentials;

import com.google.protobuf.Message;
import java.util.Optional;
import org.halo4j.keys.PublicKey;

/**
 * What a credential claims: the assertion, and whom it is about.
 *
 * @param assertion one of {@link Assertions#types()}
 * @param subject   the subject; empty for "the identity the credential is about", which the caller supplies
 */
public record ClaimSpec(Message assertion, Optional<PublicKey> subject) {

    /** The subject, or {@code self} when the claim is about the given identity. */
    public PublicKey subjectOr(PublicKey self) {
        return subject.orElse(self);
    }

    @Override
    public String toString() {
        return assertion.getDescriptorForType().getName() + "{" + assertion.toString().replace('\n', ' ').trim()
                + "} about " + subject.map(PublicKey::shortId).orElse("the identity");
    }
}
