package org.halo4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("halo profile and halo contacts")
class ProfileContactsIT {

    private final Fixture f = Fixture.get();

    @Test
    @DisplayName("profile set --name --prop, then profile show")
    void profile() {
        Path home = f.alice;
        Halo.in(home).run("profile", "set", "--name", "Pat Q.", "--prop", "city=Paris", "--prop", "lang=fr").ok();
        JsonNode after = Halo.in(home).run("profile", "show", "--json").ok().json();
        assertThat(after.get("name").asText()).isEqualTo("Pat Q.");
        assertThat(after.get("properties").get("city").asText()).isEqualTo("Paris");
        assertThat(after.get("properties").get("lang").asText()).isEqualTo("fr");
        assertThat(Halo.in(home).run("profile", "show").ok().out()).contains("name: Pat Q.").contains("city = Paris")
                .doesNotContain("Optional");
    }

    @Test
    @DisplayName("contacts add DID --name, contacts list; a contact's name shows in space members")
    void contacts() {
        Halo.in(f.alice).run("contacts", "add", f.bobDid, "--name", "Bobby").ok();
        JsonNode list = Halo.in(f.alice).run("contacts", "list", "--json").ok().json();
        boolean found = false;
        for (JsonNode c : list) {
            if (c.get("did").asText().equals(f.bobDid)) {
                found = true;
                assertThat(c.get("name").asText()).isEqualTo("Bobby");
            }
        }
        assertThat(found).as("Bob in %s", list).isTrue();

        String space = Halo.in(f.alice).run("space", "create", "Friends", "--json").ok().json().get("spaceId").asText();
        Halo.in(f.alice).run("space", "set-role", space, f.bobDid, "READER").ok();
        assertThat(Halo.in(f.alice).run("space", "members", space).ok().out()).contains("Bobby");
    }
}
