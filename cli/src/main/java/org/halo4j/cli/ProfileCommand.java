package org.halo4j.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.halo4j.identity.IdentityState;
import org.halo4j.internal.json.Json;

/** {@code halo profile}: the identity's public profile, kept in its HALO. */
final class ProfileCommand {

    final HaloCommand halo;

    ProfileCommand(HaloCommand halo) {
        this.halo = halo;
    }

    /** The {@code halo profile} commands, acting through {@code halo}. */
    static Cmd spec(HaloCommand halo) {
        ProfileCommand c = new ProfileCommand(halo);
        return Cmd.group("profile", "The identity's profile: display name and properties, kept in its HALO.")
                .sub(Cmd.command("set", l -> c.set(
                                l.value("--name").orElse(null),
                                Args.properties("--prop", l.values("--prop"))),
                        "Set the display name and properties (replaces the properties).")
                        .option(Cmd.Opt.value("--name", "NAME", "Display name (default: keep the current one)."))
                        .option(Cmd.Opt.value("--prop", "KEY=VALUE", "A property; repeat for more.").asRepeatable()))
                .sub(Cmd.command("show", l -> c.show(),
                        "Show the display name and properties."));
    }

    int set(String name, LinkedHashMap<String, String> props)
            throws Exception {
        Map<String, String> properties = props == null ? Map.of() : props;
        Map<String, Object> o = halo.withAgent(agent -> {
            String displayName = name != null ? name : agent.state().displayName().orElse("");
            agent.setProfile(displayName, properties);
            return profileJson(agent.did(), agent.state());
        });
        halo.print(o, () -> halo.out("Profile of " + o.get("did") + " set."));
        return ExitCode.OK;
    }

    int show() throws Exception {
        Map<String, Object> o = halo.withReader(agent -> profileJson(agent.did(), agent.state()));
        halo.print(o, () -> {
            halo.out("did:  " + o.get("did"));
            halo.out("name: " + (o.get("name") == null ? "-" : o.get("name")));
            @SuppressWarnings("unchecked")
            Map<String, String> p = (Map<String, String>) o.get("properties");
            p.forEach((k, v) -> halo.out("  " + k + " = " + v));
        });
        return ExitCode.OK;
    }

    private static Map<String, Object> profileJson(String did, IdentityState state) {
        Map<String, Object> o = Json.object();
        o.put("did", did);
        o.put("name", state.displayName().orElse(null));
        o.put("properties", new LinkedHashMap<>(state.properties()));
        return o;
    }
}
