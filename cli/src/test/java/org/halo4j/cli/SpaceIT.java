package org.halo4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("halo space")
class SpaceIT {

    private final Fixture f = Fixture.get();

    private JsonNode member(JsonNode members, String did) {
        for (JsonNode m : members) {
            if (m.get("did").asText().equals(did)) {
                return m;
            }
        }
        throw new AssertionError(did + " is not among " + members);
    }

    @Test
    @DisplayName("while another process holds the identity's feed store, a command says storage.locked, not storage.io")
    void lockedFeedStore() throws Exception {
        Path lock;
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(f.alice.resolve("identities"))) {
            lock = files.filter(p -> p.getFileName().toString().equals(".lock") && p.getParent().getFileName().toString().equals("feeds"))
                    .findFirst().orElseThrow();
        }
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lock, java.nio.file.StandardOpenOption.WRITE);
             java.nio.channels.FileLock held = channel.lock()) {
            assertThat(held.isValid()).isTrue();
            Halo.in(f.alice).run("space", "list").fails(ExitCode.forCode("storage.locked"), "storage.locked");
        }
        Halo.in(f.alice).run("space", "list").ok();
    }

    @Test
    @DisplayName("create, list, set-role of another identity, members --json, remove, audit")
    void lifecycle() {
        Path home = f.alice;

        JsonNode created = Halo.in(home).run("space", "create", "Team", "--json").ok().json();
        String spaceId = created.get("spaceId").asText();
        assertThat(spaceId).matches("[0-9a-f]{64}");
        assertThat(created.get("spaceKey").asText()).matches("[0-9a-f]{64}");

        JsonNode list = Halo.in(home).run("space", "list", "--json").ok().json();
        JsonNode team = null;
        for (JsonNode s : list) {
            if (s.get("spaceId").asText().equals(spaceId)) {
                team = s;
            }
        }
        assertThat(team).as("space list holds the new space").isNotNull();
        assertThat(team.get("name").asText()).isEqualTo("Team");
        assertThat(team.get("role").asText()).isEqualTo("OWNER");

        Halo.in(home).run("space", "set-role", "Team", f.bobDid, "editor").ok();
        JsonNode members = Halo.in(home).run("space", "members", spaceId, "--json").ok().json();
        assertThat(members).hasSize(2);
        assertThat(member(members, f.bobDid).get("role").asText()).isEqualTo("EDITOR");
        assertThat(member(members, f.aliceDid).get("role").asText()).isEqualTo("OWNER");
        assertThat(member(members, f.aliceDid).has("name")).isTrue();

        Halo.in(home).run("space", "remove", "Team", f.bobDid).ok();
        members = Halo.in(home).run("space", "members", "Team", "--json").ok().json();
        assertThat(member(members, f.bobDid).get("role").asText()).isEqualTo("REMOVED");
        assertThat(Halo.in(home).run("space", "audit", "Team", "--json").ok().json()).isEmpty();
    }

    @Test
    @DisplayName("a change the rules refuse fails with its reason and shows in the audit")
    void refusedChangeIsAudited() {
        Path home = f.alice;
        String spaceId = Halo.in(home).run("space", "create", "Lowered", "--json").ok().json().get("spaceId").asText();
        // The sole OWNER cannot step down: refused before anything is written, with the way out.
        Halo.Result last = Halo.in(home).run("space", "set-role", spaceId, f.aliceDid, "READER")
                .fails(ExitCode.FAILED, "space.role.last_owner");
        assertThat(last.err()).contains("Grant OWNER to another member first");
        Halo.in(home).run("space", "set-role", spaceId, f.bobDid, "OWNER").ok();
        Halo.in(home).run("space", "set-role", spaceId, f.aliceDid, "READER").ok(); // anyone may lower their own role
        Halo.Result refused = Halo.in(home).run("space", "set-role", spaceId, f.bobDid, "EDITOR")
                .fails(ExitCode.FAILED, "space.role.not_authorized");
        assertThat(refused.err()).contains("READER");

        JsonNode audit = Halo.in(home).run("space", "audit", spaceId, "--json").ok().json();
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0).get("reason").asText()).isEqualTo("role.not_authorized");
        assertThat(audit.get(0).get("credential").asText()).matches("[0-9a-f]{64}");
        assertThat(audit.get(0).get("pending").asBoolean()).isFalse();
    }

    @Test
    @DisplayName("SPACE by name only where unambiguous; an unknown space is named")
    void names() {
        Path home = f.alice;
        Halo.in(home).run("space", "create", "Twin").ok();
        Halo.in(home).run("space", "create", "Twin").ok();
        Halo.in(home).run("space", "members", "Twin").fails(ExitCode.USAGE, "space.ambiguous");
        Halo.in(home).run("space", "members", "Nowhere").fails(ExitCode.NOT_FOUND, "space.unknown");
    }

    @Test
    @DisplayName("set-role to a DID that is neither a contact nor a member: asked on a terminal, refused unless confirmed")
    void strangerOnTerminal() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Pty.available(), "util-linux script is not installed");
        Path home = f.newHome("stranger");
        Halo.in(home).run("identity", "create", "--name", "Sam").ok();
        Halo.in(home).run("space", "create", "Crew").ok();
        Halo halo = Halo.in(home);
        try (Pty tty = Pty.start(Pty.shellLine(halo.commandLine("space", "set-role", "Crew", f.bobDid, "EDITOR")),
                halo.environment())) {
            tty.expect("is neither a contact nor a member of Crew\\. Give them EDITOR anyway\\? \\[y/N\\] ");
            tty.type("n");
            assertThat(tty.waitFor()).as(tty.transcript()).isEqualTo(ExitCode.USAGE);
            assertThat(tty.transcript()).contains("member.unknown");
        }
        assertThat(Halo.in(home).run("space", "members", "Crew", "--json").ok().out()).doesNotContain(f.bobDid);
        try (Pty tty = Pty.start(Pty.shellLine(halo.commandLine("space", "set-role", "Crew", f.bobDid, "EDITOR")),
                halo.environment())) {
            tty.expect("Give them EDITOR anyway\\? \\[y/N\\] ");
            tty.type("y");
            assertThat(tty.waitFor()).as(tty.transcript()).isZero();
        }
        assertThat(Halo.in(home).run("space", "members", "Crew", "--json").ok().out()).contains(f.bobDid);
        // A member now, so no question; --yes never asks; scripts (no terminal) are not asked.
        try (Pty tty = Pty.start(Pty.shellLine(halo.commandLine("space", "set-role", "Crew", f.bobDid, "READER")),
                halo.environment())) {
            assertThat(tty.waitFor()).as(tty.transcript()).isZero();
            assertThat(tty.transcript()).doesNotContain("anyway?");
        }
    }
}
