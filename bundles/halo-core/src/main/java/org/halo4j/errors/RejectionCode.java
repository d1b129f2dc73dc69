package org.halo4j.errors;

/**
 * Why an input was rejected: one stable code per defect, for UIs, logs and tests. The string form
 * ({@link #code()}) never changes once released.
 */
public enum RejectionCode {
    /** Not a parseable protobuf message of the expected type (garbage, truncated). */
    MALFORMED("malformed"),
    /** A field this version does not know. */
    UNKNOWN_FIELD("unknown_field"),
    /** The bytes do not re-encode to themselves: duplicated field, default value written, odd varint. */
    NON_CANONICAL("non_canonical"),
    /** A field is missing, has the wrong length, or holds a value outside its range. */
    INVALID_FIELD("invalid_field"),
    /** The assertion's type URL names no known HALO assertion. */
    UNKNOWN_ASSERTION_TYPE("unknown_assertion_type"),
    /** A key named by the assertion differs from the key the body names for the same role. */
    KEY_MISMATCH("assertion.key_mismatch"),
    /** Message larger than {@code Limits.MAX_MESSAGE_BYTES}. */
    LIMIT_MESSAGE_SIZE("limit.message_size"),
    /** Chain deeper than {@code Limits.MAX_CHAIN_DEPTH}. */
    LIMIT_CHAIN_DEPTH("limit.chain_depth"),
    /** More than {@code Limits.MAX_PRESENTED_CREDENTIALS} credentials in a presentation. */
    LIMIT_CREDENTIALS("limit.credentials"),
    /** More than {@code Limits.MAX_PARENTS} parents. */
    LIMIT_PARENTS("limit.parents"),
    /** A profile larger than {@code Limits.MAX_PROFILE_BYTES}. */
    LIMIT_PROFILE_SIZE("limit.profile_size"),
    /** A list in an assertion longer than its limit. */
    LIMIT_LIST("limit.list"),
    /** A presentation would need more than {@code Limits.MAX_SIGNATURE_CHECKS} Ed25519 verifications. */
    LIMIT_SIGNATURE_CHECKS("limit.signature_checks"),
    /** A key field holds 32 bytes that are not a valid Ed25519 point: no one can hold its private key. */
    KEY_NOT_A_POINT("key.not_a_point"),
    /** The Ed25519 signature does not verify. */
    SIGNATURE_INVALID("signature.invalid"),
    /** The signer is not the issuer and no chain shows that it acts for the issuer. */
    CHAIN_MISSING("chain.missing"),
    /** A chain is attached although the issuer signed itself. */
    CHAIN_UNEXPECTED("chain.unexpected"),
    /** The chain does not link the signer to the issuer. */
    CHAIN_BROKEN("chain.broken"),
    /** A chain link is not an AuthorizedDevice credential. */
    CHAIN_WRONG_TYPE("chain.wrong_type"),
    /** An AuthorizedDevice without a valid consent signature by the device. */
    CHAIN_CONSENT("chain.consent"),
    /** A device grants a wider scope than its own. */
    CHAIN_SCOPE_ESCALATION("chain.scope_escalation"),
    /** A device without ADMIN scope authorized another device. */
    CHAIN_NOT_ADMIN("chain.not_admin"),
    /** A device appears twice on one chain. */
    CHAIN_LOOP("chain.loop"),
    /** A feed was admitted without a valid proof of possession by its key. */
    FEED_POSSESSION("feed.possession"),
    /** A device on the chain was revoked. */
    DEVICE_REVOKED("device.revoked"),
    /** Used after its expiry (beyond the clock skew). */
    EXPIRED("expired"),
    /** Used before its issue time (beyond the clock skew). */
    NOT_YET_VALID("not_yet_valid"),
    /** Valid, but of another assertion type than the caller expects. */
    UNEXPECTED_TYPE("unexpected_type"),
    /** The presentation answers another challenge than the one given. */
    NONCE_MISMATCH("presentation.nonce_mismatch"),
    /** No open challenge has this nonce: never issued, already used, or forgotten. */
    CHALLENGE_UNKNOWN("presentation.challenge_unknown"),
    /** The challenge was issued but has expired. */
    CHALLENGE_EXPIRED("presentation.challenge_expired"),
    /** The presentation is for another relying party. */
    AUDIENCE_MISMATCH("presentation.audience_mismatch"),
    /** The proof's chain does not end at the identity the presentation names. */
    IDENTITY_MISMATCH("presentation.identity_mismatch"),
    /** A listed credential id is not the SHA-256 of the presented credential's body. */
    CREDENTIAL_ID_MISMATCH("presentation.credential_id_mismatch"),
    /** A presented credential is about another identity than the one logging in. */
    SUBJECT_MISMATCH("presentation.subject_mismatch"),
    /** A feed entry belongs to another feed (its {@code feed_key}) than the one it is checked against. */
    FEED_KEY("feed.key"),
    /** A feed entry is not at the next position of its feed: a gap, a position already passed, or a first entry whose seq is not 0. */
    FEED_SEQUENCE("feed.sequence"),
    /** A feed entry's {@code prev_hash} is not the SHA-256 of the previous entry's body. */
    FEED_LINK("feed.link"),
    /** Two different entries at one position of one feed, both signed by its key: the writer forked (DESIGN §4 rule 7). */
    FEED_FORK("feed.fork"),
    /** A fork proof that does not hold two different, validly signed entries at one position of one feed. */
    FEED_FORK_PROOF("feed.fork_proof"),
    /** The relying party needs a membership claim for one of its spaces and the login carries none (decision 0008). */
    CLAIM_MISSING("claim.missing"),
    /** A membership claim older than the relying party's freshness window. */
    CLAIM_STALE("claim.stale"),
    /** A membership claim for a space the relying party does not take claims for. */
    CLAIM_OTHER_SPACE("claim.other_space"),
    /** A membership claim from an issuer the relying party does not trust for that space. */
    CLAIM_UNTRUSTED_ISSUER("claim.untrusted_issuer"),
    /** A membership claim for a role its issuer could not grant, by the evidence it carries. */
    CLAIM_ROLE("claim.role"),
    /** A membership claim issued to another device than the one that signs the presentation. */
    CLAIM_DEVICE("claim.device"),
    /** A membership claim whose evidence does not lead from the space's genesis to its issuer. */
    CLAIM_EVIDENCE("claim.evidence");

    private final String code;

    RejectionCode(String code) {
        this.code = code;
    }

    /** The stable text form, e.g. {@code chain.scope_escalation}. */
    public String code() {
        return code;
    }
}
