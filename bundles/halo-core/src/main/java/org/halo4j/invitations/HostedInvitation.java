package org.halo4j.invitations;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.Objects;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.Invitation;
import org.halo4j.proto.v1.InvitationAuth;
import org.halo4j.proto.v1.SpaceRole;

/**
 * The host's side of one invitation, as an explicit state machine. Immutable: every transition returns the next
 * state, which the host makes durable <em>before</em> it answers the guest or acts, so that a crash or a restart
 * never gives a guest more attempts or a single-use invitation a second use.
 *
 * <pre>
 *            attempt: right code / known key / none         (multi-use: stays OPEN)
 *   OPEN ───────────────────────────────────────────────▶ USED
 *    │  attempt: wrong code (the 3rd)  ──▶ LOCKED
 *    │  now ≥ expiry                   ──▶ EXPIRED
 *    │  cancel                          ──▶ CANCELLED
 *    └  handed over to another admin    ──▶ DELEGATED     (the delegate's copy starts OPEN, same attempts)
 * </pre>
 * A locked invitation stays locked, even for the right code: anyone holding the text can lock it, which is the
 * price of making guessing impossible; its host issues a new one.
 *
 * @param code   the 6-digit code (shared-secret invitations), else empty
 * @param role   the role a space invitation grants (READER for device invitations, unused)
 * @param failed wrong codes so far
 * @param uses   guests accepted so far
 * @param delegation for a delegate's copy, the {@code InvitationDelegated} credential that hands it over (shown
 *                   to guests, who expect the creator's device); empty for the creator's own
 */
public record HostedInvitation(Invitation invitation, String code, SpaceRole role, boolean multiUse, State state,
                               int failed, int uses, Instant createdAt, ByteString delegation) {

    /** Wrong codes after which an invitation locks. */
    public static final int MAX_ATTEMPTS = 3;

    public enum State { OPEN, USED, LOCKED, EXPIRED, CANCELLED, DELEGATED }

    public enum Outcome { ACCEPTED, WRONG_CODE, WRONG_GUEST, LOCKED, USED, EXPIRED, CANCELLED, DELEGATED }

    /** What one attempt decided, and the state to make durable before answering. */
    public record Decision(Outcome outcome, HostedInvitation next) {
        /** Wrong codes the guest may still try. */
        public int attemptsLeft() {
            return Math.max(0, MAX_ATTEMPTS - next.failed);
        }
    }

    public HostedInvitation {
        Objects.requireNonNull(invitation);
        Objects.requireNonNull(code);
        Objects.requireNonNull(state);
        Objects.requireNonNull(delegation);
        if (failed < 0 || failed > MAX_ATTEMPTS || uses < 0) {
            throw new IllegalArgumentException("attempts and uses out of range: " + failed + ", " + uses);
        }
        boolean secret = invitation.getAuth() == InvitationAuth.INVITATION_AUTH_SHARED_SECRET;
        if (secret ? !InvitationCode.isWellFormed(code) : !code.isEmpty()) {
            throw new IllegalArgumentException("a shared-secret invitation has a 6-digit code, and only it");
        }
    }

    /** A new, open invitation. */
    public static HostedInvitation open(Invitation invitation, String code, SpaceRole role, boolean multiUse, Instant now) {
        return new HostedInvitation(invitation, code, role, multiUse, State.OPEN, 0, 0, now, ByteString.EMPTY);
    }

    /**
     * A delegate's copy of an invitation handed over to it: open (unless its attempts or its single use were
     * spent before the hand-over), continuing from the creator's count of wrong codes and uses.
     */
    public static HostedInvitation delegated(Invitation invitation, String code, SpaceRole role, boolean multiUse,
                                             int failed, int uses, ByteString delegation, Instant now) {
        if (delegation.isEmpty()) {
            throw new IllegalArgumentException("a delegated invitation carries its delegation");
        }
        State s = failed >= MAX_ATTEMPTS ? State.LOCKED : !multiUse && uses > 0 ? State.USED : State.OPEN;
        return new HostedInvitation(invitation, code, role, multiUse, s, failed, uses, now, delegation);
    }

    /** True for a copy handed over by another admin. */
    public boolean isDelegated() {
        return !delegation.isEmpty();
    }

    public Instant expiresAt() {
        return Instant.ofEpochSecond(invitation.getExpiresAt());
    }

    /** The state as of {@code now}: an open invitation past its expiry is EXPIRED. */
    public HostedInvitation at(Instant now) {
        return state == State.OPEN && !now.isBefore(expiresAt()) ? with(State.EXPIRED, failed, uses) : this;
    }

    /**
     * A guest's attempt: {@code code} as typed (shared secret), {@code guestKey} as the guest proved it in the
     * channel (its identity for a space invitation, its device for a device invitation).
     */
    public Decision attempt(String givenCode, PublicKey guestKey, Instant now) {
        HostedInvitation current = at(now);
        switch (current.state) {
            case LOCKED -> { return new Decision(Outcome.LOCKED, current); }
            case USED -> { return new Decision(Outcome.USED, current); }
            case EXPIRED -> { return new Decision(Outcome.EXPIRED, current); }
            case CANCELLED -> { return new Decision(Outcome.CANCELLED, current); }
            case DELEGATED -> { return new Decision(Outcome.DELEGATED, current); }
            default -> { }
        }
        switch (invitation.getAuth()) {
            case INVITATION_AUTH_SHARED_SECRET -> {
                if (!InvitationCode.matches(code, givenCode)) {
                    int f = failed + 1;
                    return new Decision(Outcome.WRONG_CODE, with(f >= MAX_ATTEMPTS ? State.LOCKED : State.OPEN, f, uses));
                }
            }
            case INVITATION_AUTH_KNOWN_KEY -> {
                if (!guestKey.matches(invitation.getGuestKey().toByteArray())) {
                    return new Decision(Outcome.WRONG_GUEST, this);
                }
            }
            case INVITATION_AUTH_NONE -> { }
            default -> { return new Decision(Outcome.WRONG_GUEST, this); }
        }
        return new Decision(Outcome.ACCEPTED, with(multiUse ? State.OPEN : State.USED, failed, uses + 1));
    }

    /** Cancels an open invitation; any other state stays as it is. */
    public HostedInvitation cancel(Instant now) {
        HostedInvitation current = at(now);
        return current.state == State.OPEN ? with(State.CANCELLED, failed, uses) : current;
    }

    /**
     * Hands an open invitation over to another admin: this host stops answering its guests for good (the
     * delegate continues with the same attempts and uses). Only the creator's own copy can be handed over.
     *
     * @throws IllegalStateException if it is not open, or is itself a delegate's copy
     */
    public HostedInvitation delegate(Instant now) {
        HostedInvitation current = at(now);
        if (current.state != State.OPEN) {
            throw new IllegalStateException("the invitation is " + current.state.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (isDelegated()) {
            throw new IllegalStateException("an invitation handed over to this identity cannot be handed over again");
        }
        return with(State.DELEGATED, failed, uses);
    }

    private HostedInvitation with(State s, int f, int u) {
        return new HostedInvitation(invitation, code, role, multiUse, s, f, u, createdAt, delegation);
    }

    /** Lowercase hex of the invitation id: how people name it ({@code halo invitation cancel ID}). */
    public String id() {
        StringBuilder sb = new StringBuilder();
        for (byte b : invitation.getInvitationId().toByteArray()) {
            sb.append(String.format("%02x", b & 0xff));
        }
        return sb.toString();
    }
}
