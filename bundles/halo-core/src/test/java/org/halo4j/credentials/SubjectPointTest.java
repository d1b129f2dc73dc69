package org.halo4j.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.halo4j.errors.HaloRejectedException;
import org.halo4j.errors.RejectionCode;
import org.halo4j.keys.KeyFormatException;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.SpaceMember;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.testing.Agents;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("a key that is not an Ed25519 point is refused where it enters")
class SubjectPointTest {

    /** y = 2 has no x on the curve: 32 bytes of the right form that no private key belongs to. */
    static byte[] notAPoint() {
        byte[] b = new byte[PublicKey.LENGTH];
        b[0] = 2;
        return b;
    }

    @Test
    @DisplayName("a credential about a non-point subject is refused before any cryptography (key.not_a_point)")
    void credentialSubject() throws Exception {
        Agents agents = new Agents();
        PublicKey owner = agents.newKey();
        PublicKey space = agents.newKey();
        byte[] body = Agents.body(owner, PublicKey.of(notAPoint()),
                SpaceMember.newBuilder().setSpaceKey(Agents.bytes(space)).setRole(SpaceRole.SPACE_ROLE_EDITOR).build(),
                Agents.NOW).build().toByteArray();
        Credential c = agents.signRaw(com.google.protobuf.ByteString.copyFrom(body), owner, java.util.Optional.empty());
        CredentialVerifier verifier = CredentialVerifier.builder().ignoreRevocation().clock(agents.clock).build();
        long before = org.halo4j.keys.CryptoCounters.verifications();
        assertThatThrownBy(() -> verifier.verify(c.toByteArray())).isInstanceOfSatisfying(HaloRejectedException.class,
                e -> assertThat(e.code()).isEqualTo(RejectionCode.KEY_NOT_A_POINT));
        assertThat(org.halo4j.keys.CryptoCounters.verifications()).isEqualTo(before);
    }

    @Test
    @DisplayName("a typed hex key or did:key that is not a point is refused (key.not_a_point), naming the typo check")
    void typedKeys() throws Exception {
        String hex = java.util.HexFormat.of().formatHex(notAPoint());
        assertThatThrownBy(() -> PublicKey.fromHex(hex)).isInstanceOfSatisfying(KeyFormatException.class,
                e -> {
                    assertThat(e.problem()).isEqualTo(KeyFormatException.Problem.NOT_A_POINT);
                    assertThat(e.getMessage()).contains("typo");
                });
        // A did:key of the same bytes: the multicodec and base58 are fine, the point is not.
        String did = PublicKey.of(notAPoint()).toDidKey();
        assertThatThrownBy(() -> PublicKey.fromDidKey(did)).isInstanceOfSatisfying(KeyFormatException.class,
                e -> assertThat(e.problem()).isEqualTo(KeyFormatException.Problem.NOT_A_POINT));
        PublicKey real = new Agents().newKey();
        assertThat(PublicKey.fromDidKey(real.toDidKey())).isEqualTo(real);
    }

    @Test
    @DisplayName("about half of all one-character changes of a real did:key are caught as not a point")
    void typosAreCaught() throws Exception {
        PublicKey real = new Agents().newKey();
        String did = real.toDidKey();
        String alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        int tried = 0;
        int caught = 0;
        for (int i = "did:key:z6Mk".length(); i < did.length(); i++) {
            for (char c : alphabet.toCharArray()) {
                if (c == did.charAt(i)) {
                    continue;
                }
                String typo = did.substring(0, i) + c + did.substring(i + 1);
                tried++;
                try {
                    PublicKey.fromDidKey(typo);
                } catch (KeyFormatException e) {
                    caught++;
                }
            }
        }
        assertThat((double) caught / tried).as("%d of %d typos caught", caught, tried).isBetween(0.35, 0.75);
    }
}
