package org.halo4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Several wallets and a node, each its own process, on loopback: device and space invitations, locked codes,
 * and removals and revocations reaching every peer by sync.
 */
@DisplayName("halo on the network: a node, invitations and sync between processes")
class NetworkIT {

    private final Fixture f = Fixture.get();

    /** A fresh identity in a fresh home; its did. */
    private String identity(Path home, String name) {
        return Halo.in(home).run("identity", "create", "--name", name, "--json").ok().json().get("did").asText();
    }

    /** Starts a node on any free port; its ws:// address. */
    private String startNode(Halo.Background node) throws InterruptedException {
        String line = node.awaitLine("listening on ");
        return line.substring(line.indexOf("ws://"), line.indexOf(" as "));
    }

    private static JsonNode json(String line) throws Exception {
        return Halo.JSON.readTree(line);
    }

    /** Runs `invite` in the background and the guest's `join` with the code; returns the join's JSON. */
    private JsonNode inviteAndJoin(Path host, List<String> invite, Path guest, List<String> join) throws Exception {
        try (Halo.Background h = Halo.in(host).start(invite.toArray(String[]::new))) {
            JsonNode first = json(h.awaitLine("\"invitation\""));
            List<String> j = new ArrayList<>(join);
            j.add(first.get("invitation").asText());
            j.add("--code");
            j.add(first.get("code").asText());
            JsonNode joined = Halo.in(guest).run(j.toArray(String[]::new)).ok().json();
            assertThat(json(h.awaitLine("\"closed\"")).get("state").asText()).isEqualTo("used");
            assertThat(h.awaitExit()).isZero();
            return joined;
        }
    }

    @Test
    @DisplayName("a second device joins through a node's relay with the code, and receives the HALO and every space")
    void deviceJoinThroughANode() throws Exception {
        Path nodeHome = f.newHome("node");
        identity(nodeHome, "node");
        Path laptop = f.newHome("laptop");
        String did = identity(laptop, "Dana");
        String space = Halo.in(laptop).run("space", "create", "garden", "--json").ok().json().get("spaceId").asText();
        Path phone = f.newHome("phone");
        try (Halo.Background node = Halo.in(nodeHome).start("node", "--port", "0")) {
            String nodeAt = startNode(node);
            JsonNode joined = inviteAndJoin(laptop, List.of("--json", "device", "invite", "--node", nodeAt),
                    phone, List.of("--json", "device", "join", "--name", "phone"));
            assertThat(joined.get("did").asText()).isEqualTo(did);
            node.awaitLine("relay ");
            assertThat(node.stop()).as("a node stopped by SIGTERM exits 0").isZero();
            node.awaitLine("stopped");
        }
        JsonNode devices = Halo.in(phone).run("device", "list", "--json").ok().json();
        assertThat(devices).hasSize(2);
        assertThat(Halo.in(laptop).run("device", "list", "--json").ok().json()).hasSize(2);
        assertThat(Halo.in(phone).run("space", "list", "--json").ok().json().get(0).get("spaceId").asText())
                .isEqualTo(space);
        assertThat(Halo.in(phone).run("identity", "show").ok().out()).doesNotContain("not synced");
        // the new device writes, the old one learns it by syncing with it through... the new device's own
        // changes reach the laptop at its next sync with any peer that has them: here, directly
        assertThat(Halo.in(phone).run("space", "members", space, "--json").ok().json()).hasSize(1);
    }

    @Test
    @DisplayName("three wrong codes lock a space invitation for everyone; the right code then fails too; the host is told")
    void wrongCodesLock() throws Exception {
        Path host = f.newHome("host");
        identity(host, "Hana");
        Halo.in(host).run("space", "create", "club").ok();
        Path eve = f.newHome("eve");
        identity(eve, "Eve");
        Path bob = f.newHome("bob");
        identity(bob, "Bob");
        try (Halo.Background h = Halo.in(host).start("--json", "space", "invite", "club", "--multi-use")) {
            JsonNode first = json(h.awaitLine("\"invitation\""));
            String inv = first.get("invitation").asText();
            String wrong = first.get("code").asText().equals("111111") ? "222222" : "111111";
            Halo.in(eve).run("space", "join", inv, "--code", wrong).fails(ExitCode.FAILED, "invitation.wrong_code");
            Halo.in(eve).run("space", "join", inv, "--code", wrong).fails(ExitCode.FAILED, "invitation.wrong_code");
            Halo.in(eve).run("space", "join", inv, "--code", wrong).fails(ExitCode.FAILED, "invitation.locked");
            assertThat(json(h.awaitLine("\"locked\"")).get("message").asText()).contains("issue a new invitation");
            assertThat(json(h.awaitLine("\"closed\"")).get("state").asText()).isEqualTo("locked");
            assertThat(h.awaitExit()).isEqualTo(ExitCode.FAILED);
            // a locked invitation cannot be hosted again, so the right code finds nobody to accept it
            String id = first.get("id").asText();
            Halo.in(host).run("invitation", "host", id.substring(0, 8)).fails(ExitCode.FAILED, "invitation.locked");
            Halo.in(bob).run("space", "join", inv, "--code", first.get("code").asText()).fails(ExitCode.NETWORK,
                    "peer.unreachable");
        }
        assertThat(Halo.in(host).run("invitation", "list", "--json").ok().json().get(0).get("state").asText())
                .isEqualTo("locked");
        assertThat(Halo.in(bob).run("space", "list", "--json").ok().json()).isEmpty();
    }

    @Test
    @DisplayName("a removal and a device revocation reach every peer within one sync with the node; the removed get nothing new")
    void removalAndRevocationReachEveryPeer() throws Exception {
        Path alice = f.newHome("alice");
        identity(alice, "Alice");
        String space = Halo.in(alice).run("space", "create", "team", "--json").ok().json().get("spaceId").asText();
        Path nodeHome = f.newHome("node");
        identity(nodeHome, "node");
        Path bob = f.newHome("bob");
        String bobDid = identity(bob, "Bob");
        Path carol = f.newHome("carol");
        String carolDid = identity(carol, "Carol");
        List<String> join = List.of("--json", "space", "join");
        inviteAndJoin(alice, List.of("--json", "space", "invite", space), nodeHome, join);
        inviteAndJoin(alice, List.of("--json", "space", "invite", space, "--role", "EDITOR"), bob, join);
        inviteAndJoin(alice, List.of("--json", "space", "invite", space), carol, join);
        // Carol adds her phone (directly, no node): it receives the space from her laptop
        Path carolsPhone = f.newHome("carols-phone");
        inviteAndJoin(carol, List.of("--json", "device", "invite"), carolsPhone,
                List.of("--json", "device", "join", "--name", "phone"));
        String phoneKey = null;
        for (JsonNode d : Halo.in(carol).run("device", "list", "--json").ok().json()) {
            if (!d.get("current").asBoolean()) {
                phoneKey = d.get("key").asText();
            }
        }
        try (Halo.Background node = Halo.in(nodeHome).start("node", "--port", "0")) {
            String nodeAt = startNode(node);
            Halo.in(alice).run("config", "set", "node", nodeAt).ok();
            Halo.in(alice).run("sync").ok();
            Halo.in(bob).run("sync", "--node", nodeAt).ok();
            Halo.in(carol).run("sync", "--node", nodeAt).ok();
            assertThat(Halo.in(carol).run("space", "members", space, "--json").ok().json()).hasSize(4);
            assertThat(Halo.in(carolsPhone).run("--json", "sync", "--node", nodeAt).ok().json().get("notes").toString())
                    .doesNotContain("does not share");

            // Carol revokes her phone; one sync carries the revocation (copied into the space) to the node, and
            // from there to Alice; the phone gets nothing more from the node
            Halo.in(carol).run("device", "revoke", phoneKey).ok();
            Halo.in(carol).run("sync", "--node", nodeAt).ok();
            Halo.in(alice).run("sync").ok();
            assertThat(Halo.in(alice).run("credential", "list", "--space", space, "--json").ok().out())
                    .contains("DeviceRevoked");
            Halo.in(carolsPhone).run("sync", "--node", nodeAt).fails(ExitCode.NETWORK, "peer.not_member");

            Halo.in(alice).run("space", "remove", space, bobDid).ok();
            Halo.in(alice).run("space", "set-role", space, carolDid, "EDITOR", "--yes").ok();
            Halo.in(alice).run("sync").ok();
            // Carol learns both in one sync
            Halo.in(carol).run("sync", "--node", nodeAt).ok();
            JsonNode members = Halo.in(carol).run("space", "members", space, "--json").ok().json();
            assertThat(role(members, bobDid)).isEqualTo("REMOVED");
            assertThat(role(members, carolDid)).isEqualTo("EDITOR");
            // Bob gets nothing new, not even Carol's promotion: the node ends the session at once
            Halo.Result bobSync = Halo.in(bob).run("sync", "--node", nodeAt).fails(ExitCode.NETWORK, "peer.not_member");
            assertThat(bobSync.err()).contains("not a member of any space it keeps");
            assertThat(role(Halo.in(bob).run("space", "members", space, "--json").ok().json(), carolDid)).isEqualTo("READER");
            assertThat(node.stdout()).contains("sync did:key:").contains("refused did:key:").contains("peer.not_member");
            assertThat(node.stop()).isZero();
        }
        Halo.Result stopped = Halo.in(nodeHome).run("node", "status", "--json");
        assertThat(stopped.exit()).as("status of a node that is not running").isEqualTo(ExitCode.FAILED);
        JsonNode status = stopped.json();
        assertThat(status.get("running").asBoolean()).isFalse();
        assertThat(status.get("syncs").asLong()).isGreaterThanOrEqualTo(5);
    }

    @Test
    @DisplayName("two members meet on their space's topic at a node that does not keep the space, and sync")
    void meetOnASpaceTopic() throws Exception {
        Path alice = f.newHome("alice");
        identity(alice, "Alice");
        String space = Halo.in(alice).run("space", "create", "duo", "--json").ok().json().get("spaceId").asText();
        Path bob = f.newHome("bob");
        identity(bob, "Bob");
        inviteAndJoin(alice, List.of("--json", "space", "invite", space), bob, List.of("--json", "space", "join"));
        String carol = identity(f.newHome("carol"), "Carol");
        Halo.in(alice).run("space", "set-role", space, carol, "READER", "--yes").ok();
        Path nodeHome = f.newHome("node");
        identity(nodeHome, "node");
        try (Halo.Background node = Halo.in(nodeHome).start("node", "--port", "0")) {
            String nodeAt = startNode(node);
            try (Halo.Background first = Halo.in(alice).start("--json", "sync", "--meet", space, "--node", nodeAt)) {
                node.awaitLine("relay ");
                JsonNode bobs = Halo.in(bob).run("--json", "sync", "--meet", space, "--node", nodeAt).ok().json();
                assertThat(bobs.get("received").asLong()).isPositive();
                assertThat(first.awaitExit()).isZero();
            }
            assertThat(role(Halo.in(bob).run("space", "members", space, "--json").ok().json(), carol)).isEqualTo("READER");
            assertThat(node.stdout()).doesNotContain("sync did:key"); // the node relayed; it kept nothing
            // alone on the topic, a device gives up after --wait
            Halo.in(bob).run("sync", "--meet", space, "--node", nodeAt, "--wait", "10s").fails(ExitCode.NETWORK,
                    "peer.timeout");
        }
    }

    @Test
    @DisplayName("an admin hands an invitation over to another admin, who hosts it through the node; the guest joins with the code")
    void anInvitationHandedOverToAnotherAdmin() throws Exception {
        Path alice = f.newHome("alice");
        identity(alice, "Alice");
        String space = Halo.in(alice).run("space", "create", "club", "--json").ok().json().get("spaceId").asText();
        Path nodeHome = f.newHome("node");
        identity(nodeHome, "node");
        Path carol = f.newHome("carol");
        String carolDid = identity(carol, "Carol");
        Path bob = f.newHome("bob");
        String bobDid = identity(bob, "Bob");
        List<String> join = List.of("--json", "space", "join");
        inviteAndJoin(alice, List.of("--json", "space", "invite", space), nodeHome, join);
        inviteAndJoin(alice, List.of("--json", "space", "invite", space, "--role", "ADMIN"), carol, join);
        try (Halo.Background node = Halo.in(nodeHome).start("node", "--port", "0")) {
            String nodeAt = startNode(node);
            JsonNode inv;
            try (Halo.Background h = Halo.in(alice).start("--json", "space", "invite", space, "--role", "EDITOR",
                    "--node", nodeAt)) {
                inv = json(h.awaitLine("\"invitation\""));
                h.stop(); // Alice stops waiting: the invitation stays open
            }
            String id = inv.get("id").asText();
            Halo.in(alice).run("invitation", "delegate", id.substring(0, 8), "--to", bobDid)
                    .fails(ExitCode.FAILED, "invitation.delegate_role"); // Bob is no member
            JsonNode handed = Halo.in(alice).run("--json", "invitation", "delegate", id.substring(0, 8), "--to", carolDid)
                    .ok().json();
            assertThat(handed.get("state").asText()).isEqualTo("delegated");
            Halo.in(alice).run("sync", "--node", nodeAt).ok();
            Halo.in(carol).run("sync", "--node", nodeAt).ok();
            JsonNode offered = Halo.in(carol).run("--json", "invitation", "list").ok().json();
            assertThat(offered.get(0).get("state").asText()).isEqualTo("offered");
            assertThat(offered.toString()).doesNotContain(inv.get("code").asText());
            try (Halo.Background h = Halo.in(carol).start("--json", "invitation", "host", id.substring(0, 8))) {
                assertThat(json(h.awaitLine("\"invitation\"")).get("code").asText()).isEqualTo(inv.get("code").asText());
                JsonNode joined = Halo.in(bob).run("--json", "space", "join", inv.get("invitation").asText(), "--code",
                        inv.get("code").asText()).ok().json();
                assertThat(joined.get("role").asText()).isEqualTo("EDITOR");
                assertThat(json(h.awaitLine("\"closed\"")).get("state").asText()).isEqualTo("used");
                assertThat(h.awaitExit()).isZero();
            }
            // Alice's own copy stays handed over: she cannot host it again
            Halo.in(alice).run("invitation", "host", id.substring(0, 8)).fails(ExitCode.FAILED, "invitation.delegated");
        }
    }

    private static String role(JsonNode members, String did) {
        for (JsonNode m : members) {
            if (m.get("did").asText().equals(did)) {
                return m.get("role").asText();
            }
        }
        return "-";
    }
}
