package org.halo4j.invitations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.halo4j.keys.InMemoryKeyring;
import org.halo4j.keys.PublicKey;
import org.halo4j.invitations.HostedInvitation.Outcome;
import org.halo4j.invitations.HostedInvitation.State;
import org.halo4j.proto.v1.Invitation;
import org.halo4j.proto.v1.InvitationAuth;
import org.halo4j.proto.v1.InvitationKind;
import org.halo4j.proto.v1.SpaceRole;
import org.junit.jupiter.api.Test;

/** The host's invitation state machine, the code, and the text form. */
class HostedInvitationTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    static Invitation invitation(InvitationAuth auth, PublicKey guest) throws Exception {
        InMemoryKeyring k = new InMemoryKeyring();
        Invitation.Builder b = Invitation.newBuilder().setInvitationId(ByteString.copyFrom(new byte[16]))
                .setKind(InvitationKind.INVITATION_KIND_SPACE)
                .setHostDevice(ByteString.copyFrom(k.generate().toBytes()))
                .setHostIdentity(ByteString.copyFrom(k.generate().toBytes()))
                .setSpaceKey(ByteString.copyFrom(k.generate().toBytes())).setSpaceName("garden")
                .addAddresses("ws://127.0.0.1:4256").setAuth(auth).setExpiresAt(NOW.plusSeconds(600).getEpochSecond());
        if (guest != null) {
            b.setGuestKey(ByteString.copyFrom(guest.toBytes()));
        }
        return b.build();
    }

    private static PublicKey someKey() throws Exception {
        return new InMemoryKeyring().generate();
    }

    @Test
    void theRightCodeIsAcceptedOnceForASingleUseInvitation() throws Exception {
        HostedInvitation h = HostedInvitation.open(invitation(InvitationAuth.INVITATION_AUTH_SHARED_SECRET, null), "493817",
                SpaceRole.SPACE_ROLE_EDITOR, false, NOW);
        HostedInvitation.Decision d = h.attempt("493817", someKey(), NOW);
        assertThat(d.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(d.next().state()).isEqualTo(State.USED);
        assertThat(d.next().attempt("493817", someKey(), NOW).outcome()).isEqualTo(Outcome.USED);
    }

    @Test
    void threeWrongCodesLockTheInvitationAndTheRightCodeThenFailsToo() throws Exception {
        HostedInvitation h = HostedInvitation.open(invitation(InvitationAuth.INVITATION_AUTH_SHARED_SECRET, null), "493817",
                SpaceRole.SPACE_ROLE_READER, true, NOW);
        HostedInvitation.Decision d1 = h.attempt("000000", someKey(), NOW);
        assertThat(d1.outcome()).isEqualTo(Outcome.WRONG_CODE);
        assertThat(d1.attemptsLeft()).isEqualTo(2);
        HostedInvitation.Decision d2 = d1.next().attempt("12345", someKey(), NOW); // malformed counts too
        assertThat(d2.attemptsLeft()).isEqualTo(1);
        HostedInvitation.Decision d3 = d2.next().attempt("493818", someKey(), NOW);
        assertThat(d3.outcome()).isEqualTo(Outcome.WRONG_CODE);
        assertThat(d3.next().state()).isEqualTo(State.LOCKED);
        assertThat(d3.next().attempt("493817", someKey(), NOW).outcome()).isEqualTo(Outcome.LOCKED);
    }

    @Test
    void anInvitationExpiresAndACancelledOneStaysCancelled() throws Exception {
        HostedInvitation h = HostedInvitation.open(invitation(InvitationAuth.INVITATION_AUTH_NONE, null), "",
                SpaceRole.SPACE_ROLE_READER, true, NOW);
        assertThat(h.attempt("", someKey(), NOW.plusSeconds(600)).outcome()).isEqualTo(Outcome.EXPIRED);
        assertThat(h.attempt("", someKey(), NOW.plusSeconds(599)).outcome()).isEqualTo(Outcome.ACCEPTED);
        HostedInvitation c = h.cancel(NOW);
        assertThat(c.attempt("", someKey(), NOW).outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(h.cancel(NOW.plusSeconds(700)).state()).isEqualTo(State.EXPIRED);
    }

    @Test
    void aKnownKeyInvitationAcceptsOnlyThatGuest() throws Exception {
        PublicKey guest = someKey();
        HostedInvitation h = HostedInvitation.open(invitation(InvitationAuth.INVITATION_AUTH_KNOWN_KEY, guest), "",
                SpaceRole.SPACE_ROLE_READER, false, NOW);
        assertThat(h.attempt("", someKey(), NOW).outcome()).isEqualTo(Outcome.WRONG_GUEST);
        assertThat(h.attempt("", guest, NOW).outcome()).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void codesAreSixDigitsAndUseTheWholeRange() {
        SecureRandom r = new SecureRandom();
        Set<Character> firstDigits = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String c = InvitationCode.generate(r);
            assertThat(InvitationCode.isWellFormed(c)).isTrue();
            firstDigits.add(c.charAt(0));
        }
        assertThat(firstDigits).hasSize(10); // leading zeros are kept
        assertThat(InvitationCode.matches("012345", "012345")).isTrue();
        assertThat(InvitationCode.matches("012345", "12345")).isFalse();
        assertThat(InvitationCode.matches("012345", "０12345")).isFalse();
    }

    @Test
    void theTextRoundTripsAndBadTextIsRefusedWithoutEchoingIt() throws Exception {
        Invitation inv = invitation(InvitationAuth.INVITATION_AUTH_SHARED_SECRET, null);
        String text = InvitationText.encode(inv);
        assertThat(text).startsWith("halo1").matches("[A-Za-z0-9_-]+");
        assertThat(InvitationText.decode(" " + text + "\n")).isEqualTo(inv);
        for (String bad : new String[] {"", "halo1", "halo1!!!", text.substring(0, text.length() - 7), "x" + text,
                "halo1" + "A".repeat(3000)}) {
            assertThatThrownBy(() -> InvitationText.decode(bad)).isInstanceOf(InvitationException.class)
                    .hasMessageStartingWith("this is not a halo invitation")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(text.substring(5, 20)));
        }
        Invitation noAddress = inv.toBuilder().clearAddresses().build();
        assertThatThrownBy(() -> InvitationText.decode(InvitationText.encode(noAddress)))
                .hasMessageContaining("no address");
        Invitation http = inv.toBuilder().setAddresses(0, "http://evil").build();
        assertThatThrownBy(() -> InvitationText.decode(InvitationText.encode(http))).hasMessageContaining("ws://");
    }

    @Test
    void aHandOverStopsTheCreatorAndTheDelegateContinuesWithTheSameAttempts() throws Exception {
        PublicKey guest = someKey();
        HostedInvitation h = HostedInvitation.open(invitation(InvitationAuth.INVITATION_AUTH_SHARED_SECRET, null), "123456",
                SpaceRole.SPACE_ROLE_EDITOR, false, NOW);
        HostedInvitation once = h.attempt("000000", guest, NOW).next();
        HostedInvitation handed = once.delegate(NOW);
        assertThat(handed.state()).isEqualTo(State.DELEGATED);
        assertThat(handed.attempt("123456", guest, NOW).outcome()).isEqualTo(HostedInvitation.Outcome.DELEGATED);
        assertThat(handed.cancel(NOW).state()).isEqualTo(State.DELEGATED);
        assertThatThrownBy(() -> handed.delegate(NOW)).isInstanceOf(IllegalStateException.class);

        ByteString proof = ByteString.copyFromUtf8("hand-over");
        HostedInvitation copy = HostedInvitation.delegated(h.invitation(), "123456", SpaceRole.SPACE_ROLE_EDITOR, false,
                once.failed(), once.uses(), proof, NOW);
        assertThat(copy.state()).isEqualTo(State.OPEN);
        assertThat(copy.isDelegated()).isTrue();
        HostedInvitation twice = copy.attempt("000000", guest, NOW).next();
        assertThat(twice.attempt("000000", guest, NOW).next().state()).isEqualTo(State.LOCKED); // 3 in all, not 3 more
        assertThatThrownBy(() -> copy.delegate(NOW)).isInstanceOf(IllegalStateException.class);
        // spent before the hand-over: the delegate's copy starts locked or used
        assertThat(HostedInvitation.delegated(h.invitation(), "123456", SpaceRole.SPACE_ROLE_EDITOR, false, 3, 0, proof,
                NOW).state()).isEqualTo(State.LOCKED);
        assertThat(HostedInvitation.delegated(h.invitation(), "123456", SpaceRole.SPACE_ROLE_EDITOR, false, 0, 1, proof,
                NOW).state()).isEqualTo(State.USED);
    }
}
