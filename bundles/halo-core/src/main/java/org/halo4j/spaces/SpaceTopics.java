package org.halo4j.spaces;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import org.halo4j.keys.PublicKey;

/**
 * Where the devices of a space's members meet on a relay (spec §6: a time-salted hash of the space key): the
 * SHA-256 of {@code halo/space-topic/v1 ‖ 0x00 ‖ space key ‖ the UTC day as "YYYY-MM-DD"}. It changes every day,
 * so a relay or an observer who does not know the space key cannot link one day's meetings to another's, nor to
 * the space. (Anyone who knows the key can compute it: it hides nothing from them, and a relay still sees only
 * ciphertext.)
 */
public final class SpaceTopics {

    private static final byte[] DOMAIN = "halo/space-topic/v1".getBytes(StandardCharsets.US_ASCII);

    private SpaceTopics() {
    }

    /** The 32-byte topic of {@code spaceKey} on the UTC day of {@code when}. */
    public static byte[] topic(PublicKey spaceKey, Instant when) {
        String day = when.atOffset(ZoneOffset.UTC).toLocalDate().toString();
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(DOMAIN);
            sha.update((byte) 0);
            sha.update(spaceKey.toBytes());
            sha.update(day.getBytes(StandardCharsets.US_ASCII));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
