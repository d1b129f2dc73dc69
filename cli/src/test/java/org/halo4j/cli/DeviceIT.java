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
}
