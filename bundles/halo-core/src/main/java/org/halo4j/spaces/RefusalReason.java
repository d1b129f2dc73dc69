package org.halo4j.spaces;

/** Why a credential in a control feed was not applied (DESIGN §4). Each has a stable code. */
public enum RefusalReason {
    /** The credential itself does not verify (signature, chain, structure); the detail names the code. */
    INVALID_CREDENTIAL("invalid", false),
    /** Rule 1: a genesis that is not the first entry of its feed. */
    GENESIS_NOT_FIRST("genesis.not_first", false),
    /** Rule 1: a second genesis. */
    SECOND_GENESIS("genesis.second", false),
    /** A space-scoped assertion of another space. */
    OTHER_SPACE("space.other", false),
    /** The issuer has no role that allows this. */
    NOT_AUTHORIZED("role.not_authorized", false),
    /** Rule 2: nobody raises their own role. */
    RAISES_OWN_ROLE("role.raise_own", false),
    /**
     * Rule 2 (decision 0003): the only OWNER cannot lower their own role or leave while no other OWNER exists,
     * which would leave the space without anyone able to grant OWNER again.
     */
    LAST_OWNER("role.last_owner", false),
    /** Rule 2: an ADMIN cannot demote or remove an OWNER. */
    ADMIN_VS_OWNER("role.admin_vs_owner", false),
    /** Rule 3: a feed admitted for someone who is not a member. */
    NOT_A_MEMBER("feed.not_a_member", false),
    /** Rule 3: a READER may admit only CONTROL feeds. */
    READER_DATA_FEED("feed.reader_data", false),
    /** Rule 3: the feed is already admitted for another writer. */
    FEED_TAKEN("feed.taken", false),
    /** A device with READ scope cannot write to a space. */
    DEVICE_SCOPE("device.scope", false),
    /** Rule 4: signed by a revoked device after its revocation. */
    SIGNER_REVOKED("device.revoked", false),
    /** Rule 4: the signer's chain passes through a device revoked before it authorized the next. */
    CHAIN_REVOKED("device.chain_revoked", false),
    /** Rule 4: issued by a member after its removal. */
    ISSUER_REMOVED("member.removed", false),
    /**
     * The change is already in effect: a removal of a removed member, a revocation that cuts nothing more than
     * the revocations of that device before it. Refused so that floods of them count toward the feed's cap.
     */
    UNCHANGED("unchanged", false),
    /** Rule 5: a concurrent change about the same member won. */
    LOST_CONCURRENT("concurrent.lost", false),
    /** The credential's parents form a cycle with it. */
    CAUSAL_CYCLE("causal.cycle", false),
    /** Rule 6: a parent has not arrived yet (pending, not refused). */
    MISSING_PARENT("pending.parent", true),
    /** Rule 6: it stands only in feeds that are not admitted (yet). */
    FEED_NOT_ADMITTED("pending.feed", true),
    /** Rule 6: the space's genesis has not arrived yet. */
    NO_GENESIS("pending.genesis", true),
    /** Rule 6: the feed had too many refused credentials and is frozen. */
    FEED_FROZEN("feed.frozen", false);

    private final String code;
    private final boolean pending;

    RefusalReason(String code, boolean pending) {
        this.code = code;
        this.pending = pending;
    }

    /** Stable text form. */
    public String code() {
        return code;
    }

    /** True if the credential may still be applied once what it waits for arrives. */
    public boolean isPending() {
        return pending;
    }
}
