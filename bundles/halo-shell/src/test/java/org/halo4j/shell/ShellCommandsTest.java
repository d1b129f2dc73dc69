package org.halo4j.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.console.CommandLine;
import org.halo4j.keys.Argon2Settings;
import org.halo4j.node.service.LocalNode;
import org.halo4j.node.service.NodeServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code halo:*} commands and completers on a real node runtime (files, a loopback peer port), with the
 * fields Karaf's shell would inject set by hand: what they print, the refusals they give, what they complete.
 * {@code KarafIT} runs them in a real Karaf, over SSH.
 */
class ShellCommandsTest {

    @TempDir
    Path dir;

    private LocalNode node;

    @BeforeEach
    void start() throws Exception {
        node = LocalNode.start(new LocalNode.Settings(dir.resolve("node"), Optional.empty(), Optional.empty(), "site",
                "container", "127.0.0.1", 0, Argon2Settings.forTests()), line -> { });
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    private static String run(Action a) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            a.execute();
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static CommandLine typed(String word) {
        return new CommandLine() {
            public int getCursorArgumentIndex() {
                return 1;
            }

            public String getCursorArgument() {
                return word;
            }

            public int getArgumentPosition() {
                return word.length();
            }

            public String[] getArguments() {
                return new String[] {"halo:x", word};
            }

            public int getBufferPosition() {
                return getBuffer().length();
            }

            public String getBuffer() {
                return "halo:x " + word;
            }
        };
    }

    @Test
    void spacesMembersAndInvitationsFromTheShell() throws Exception {
        SpaceCreate create = new SpaceCreate();
        create.membership = NodeServices.membership(node);
        create.name = "team";
        assertThat(run(create)).startsWith("Created space team ");

        SpaceList list = new SpaceList();
        list.membership = create.membership;
        assertThat(run(list)).contains("  team  OWNER  1 member");

        SpaceInvite invite = new SpaceInvite();
        invite.invitations = NodeServices.invitations(node, java.time.Duration.ofMinutes(10));
        invite.space = "team";
        invite.role = "editor";
        String printed = run(invite);
        assertThat(printed).contains(" as EDITOR").contains("invitation: ").containsPattern("code:\\s+\\S+");
        invite.role = "boss";
        assertThatThrownBy(() -> run(invite)).hasMessageStartingWith("input.role: a role is READER, EDITOR");
        invite.role = "READER";
        invite.lifetime = -1;
        assertThatThrownBy(() -> run(invite)).hasMessageStartingWith("input.lifetime");

        SpaceSetRole set = new SpaceSetRole();
        set.membership = create.membership;
        set.space = "team";
        set.member = "not-a-key";
        set.role = "ADMIN";
        assertThatThrownBy(() -> run(set)).hasMessageStartingWith("input.key: the member must be a did:key");
        set.space = "nowhere";
        set.member = node.did();
        assertThatThrownBy(() -> run(set)).hasMessageStartingWith("space.unknown");

        InvitationList invitations = new InvitationList();
        invitations.invitations = invite.invitations;
        String id = run(invitations).split("\\s+")[0];
        InvitationCancel cancel = new InvitationCancel();
        cancel.invitations = invite.invitations;
        cancel.id = id.substring(0, 8);
        assertThat(run(cancel)).isEqualTo("Cancelled invitation " + id + System.lineSeparator());
        assertThatThrownBy(() -> run(cancel)).hasMessageStartingWith("invitation.cancelled");

        // completers: the spaces by name and id, the members, the roles; the open invitations (none left)
        SpaceCompleter spaces = new SpaceCompleter();
        spaces.membership = create.membership;
        List<String> candidates = new ArrayList<>();
        spaces.complete(null, typed("te"), candidates);
        assertThat(candidates).anyMatch(c -> c.strip().equals("team"));
        MemberCompleter members = new MemberCompleter();
        members.membership = create.membership;
        candidates.clear();
        members.complete(null, typed("did:key:"), candidates);
        assertThat(candidates).anyMatch(c -> c.strip().equals(node.did()));
        candidates.clear();
        new RoleCompleter().complete(null, typed("AD"), candidates);
        assertThat(candidates).extracting(String::strip).containsExactly("ADMIN");
        InvitationCompleter open = new InvitationCompleter();
        open.invitations = invite.invitations;
        candidates.clear();
        open.complete(null, typed(""), candidates);
        assertThat(candidates).isEmpty();
    }

    @Test
    void theRecoveryPhraseIsShownUntilConfirmedAndNeverTakenAsArguments() throws Exception {
        IdentityPhrase phrase = new IdentityPhrase();
        phrase.identity = NodeServices.identity(node);
        String shown = run(phrase);
        assertThat(shown).contains("Write these 24 words down");
        assertThat(shown.lines().filter(l -> l.split(" ").length == 24).count()).isEqualTo(1);

        IdentityConfirm confirm = new IdentityConfirm();
        confirm.identity = phrase.identity;
        confirm.words = List.of(shown.lines().filter(l -> l.split(" ").length == 24).findFirst().orElseThrow()
                .split(" "));
        assertThatThrownBy(() -> run(confirm)).hasMessageContaining("do not type the recovery phrase as arguments");

        IdentityShow show = new IdentityShow();
        show.identity = phrase.identity;
        show.runtime = node;
        assertThat(run(show)).contains("Identity: " + node.did()).contains("Backup:   NOT CONFIRMED")
                .contains("(this container)");
        NodeStatus status = new NodeStatus();
        status.runtime = node;
        status.membership = NodeServices.membership(node);
        assertThat(run(status)).contains("Peers:    ws://127.0.0.1:").contains("Spaces:   0");
    }
}
