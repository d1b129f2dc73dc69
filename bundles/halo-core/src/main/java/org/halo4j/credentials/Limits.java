package org.halo4j.credentials;

import java.time.Duration;

/**
 * Limits checked before any cryptography (DESIGN §3, MUST: the same on every peer). Each is tested at the
 * limit and at the limit + 1.
 */
public final class Limits {

    /** Largest encoded message (credential, presentation, feed entry): 64 KiB. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;
    /** Most AuthorizedDevice credentials between a signer and its identity. */
    public static final int MAX_CHAIN_DEPTH = 4;
    /** Most credentials in one presentation. */
    public static final int MAX_PRESENTED_CREDENTIALS = 16;
    /** Most parents of one credential. */
    public static final int MAX_PARENTS = 32;
    /** Largest encoded profile assertion (IdentityProfile, DeviceProfile, MemberProfile, Contact): 8 KiB. */
    public static final int MAX_PROFILE_BYTES = 8 * 1024;
    /** Most feed positions in one DeviceRevoked. */
    public static final int MAX_REVOKED_FEED_POSITIONS = 64;
    /** Length of a credential's nonce. */
    public static final int CREDENTIAL_NONCE_LENGTH = 16;
    /** Allowed difference between the signer's and the verifier's clocks when a credential is used. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(2);
    /** Protobuf nesting limit for every parse: enough for the deepest legal chain in a presentation. */
    public static final int MAX_NESTING = 32;
    /**
     * Most Ed25519 verifications one presentation may need (its proof, every chain link and consent, every
     * presented credential with its chain and assertion proofs), counted before any is done. A login that
     * needs more is refused with {@code limit.signature_checks}; a request therefore costs at most this many
     * verifications, whatever it carries.
     */
    public static final int MAX_SIGNATURE_CHECKS = 40;

    private Limits() {
    }
}
