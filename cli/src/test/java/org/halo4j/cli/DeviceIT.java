package org.halo4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("halo device")
class DeviceIT {

    private final Fixture f = Fixture.get();

    @Test
    @DisplayName("list --json: key, name, current, revoked")
    void list() {
        JsonNode devices = Halo.in(f.alice).run("device", "list", "--json").ok().json();
        assertThat(devices).hasSize(1);
        JsonNode d = devices.get(0);
        assertThat(d.get("key").asText()).matches("[0-9a-f]{64}");
        assertThat(d.get("name").asText()).isEqualTo("laptop");
        assertThat(d.get("current").asBoolean()).isTrue();
        assertThat(d.get("revoked").asBoolean()).isFalse();
        assertThat(Halo.in(f.alice).run("device", "list").ok().out()).contains(d.get("key").asText()).contains("laptop");
    }

    @Test
    @DisplayName("revoke by key prefix; this device only with --force; an unknown device is named")
    void revoke() {
        Path home = f.newHome("revoke");
        Halo.in(home).run("identity", "create", "--device-name", "old phone").ok();
        String key = Halo.in(home).run("device", "list", "--json").ok().json().get(0).get("key").asText();

        Halo.in(home).run("device", "revoke", "00000000").fails(ExitCode.NOT_FOUND, "device.unknown");
        Halo.in(home).run("device", "revoke", key).fails(ExitCode.USAGE, "device.current");

        JsonNode revoked = Halo.in(home).run("device", "revoke", key.substring(0, 12), "--force", "--json").ok().json();
        assertThat(revoked.get("key").asText()).isEqualTo(key);
        JsonNode d = Halo.in(home).run("device", "list", "--json").ok().json().get(0);
        assertThat(d.get("key").asText()).isEqualTo(key);
        assertThat(d.get("revoked").asBoolean()).isTrue();
    }

    @Test
    @DisplayName("a revoked device cannot log in: presentation verify and credential verify --with-wallet refuse it")
    void revokedDeviceCannotLogIn() throws Exception {
        Path home = f.newHome("revoked-login");
        Halo.in(home).run("identity", "create", "--device-name", "stolen laptop").ok();
        String key = Halo.in(home).run("device", "list", "--json").ok().json().get(0).get("key").asText();
        String origin = "https://app.example.com";
        String nonce = "ab".repeat(32);
        Path presentation = home.resolve("login.pres");
        Halo.in(home).run("presentation", "sign", "--audience", origin, "--nonce", nonce, "--out",
                presentation.toString()).ok();
        Path credential = home.resolve("profile.cred");
        JsonNode list = Halo.in(home).run("credential", "list", "--json").ok().json();
        String profileId = null;
        for (JsonNode c : list) {
            if (c.get("type").asText().equals("DeviceProfile")) {
                profileId = c.get("id").asText(); // signed by the identity key: stays valid after a revocation
            }
        }
        assertThat(profileId).isNotNull();
        Halo.in(home).run("presentation", "verify", presentation.toString(), "--audience", origin, "--nonce", nonce,
                "--with-wallet").ok();

        Halo.in(home).run("device", "revoke", key, "--force").ok();

        Halo.in(home).run("presentation", "verify", presentation.toString(), "--audience", origin, "--nonce", nonce,
                "--with-wallet").fails(ExitCode.FAILED, "device.revoked");
        Halo.Result without = Halo.in(home).run("presentation", "verify", presentation.toString(), "--audience", origin,
                "--nonce", nonce).ok();
        assertThat(without.out()).as("without the wallet, the output says revocation was not checked")
                .contains("revocation not checked");

        Halo.in(home).run("credential", "export", profileId, "--out", credential.toString()).ok();
        Halo.in(home).run("credential", "verify", "--with-wallet", credential.toString()).ok();
        // A credential that the revoked device signs after its revocation is refused, as the space refuses it.
        Path contact = home.resolve("contact.cred");
        Halo.in(home).run("contacts", "add", f.aliceDid, "--name", "Alice").ok();
        JsonNode after = Halo.in(home).run("credential", "list", "--json").ok().json();
        String contactId = null;
        for (JsonNode c : after) {
            if (c.get("type").asText().equals("Contact")) {
                contactId = c.get("id").asText();
            }
        }
        assertThat(contactId).isNotNull();
        Halo.in(home).run("credential", "export", contactId, "--out", contact.toString()).ok();
        Halo.in(home).run("credential", "verify", "--with-wallet", contact.toString()).fails(ExitCode.FAILED, "device.revoked");
        Halo.anywhere().run("credential", "verify", contact.toString()).ok();
    }
}
