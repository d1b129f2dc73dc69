package org.halo4j.invitations;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The 6-digit code of a shared-secret invitation: drawn from a CSPRNG (uniform over 000000–999999), compared in
 * constant time. It travels only inside a channel whose other end proved to be the invitation's host device, so
 * neither a relay nor a man in the middle can see it or test a guess offline; the host allows
 * {@link HostedInvitation#MAX_ATTEMPTS} wrong codes per invitation, then locks it.
 */
public final class InvitationCode {

    public static final int DIGITS = 6;

    private InvitationCode() {
    }

    public static String generate(SecureRandom random) {
        return String.format("%06d", random.nextInt(1_000_000));
    }

    /** True if {@code given} is a well-formed code equal to {@code expected}; time independent of where they differ. */
    public static boolean matches(String expected, String given) {
        if (given == null || !isWellFormed(given)) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
    }

    public static boolean isWellFormed(String code) {
        if (code.length() != DIGITS) {
            return false;
        }
        for (int i = 0; i < DIGITS; i++) {
            char c = code.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
