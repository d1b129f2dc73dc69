package org.halo4j.cli;

import java.util.Map;
import java.util.Optional;
import org.halo4j.internal.json.Json;

/** {@code halo config}: the wallet's settings (the node to sync with). */
final class ConfigCommand {

    final HaloCommand halo;

    ConfigCommand(HaloCommand halo) {
        this.halo = halo;
    }

    static Cmd spec(HaloCommand halo) {
        ConfigCommand c = new ConfigCommand(halo);
        return Cmd.group("config", "Settings of this wallet.", "KEY is one of: node (the node URL, ws://HOST:PORT, "
                        + "used by 'halo sync' and invitations when --node is not given).")
                .sub(Cmd.command("list", l -> c.list(), "List the settings."))
                .sub(Cmd.command("get", l -> c.get(l.param(0)), "Print the value of KEY.")
                        .param("KEY", "The setting."))
                .sub(Cmd.command("set", l -> c.set(l.param(0), l.param(1)), "Set KEY to VALUE.")
                        .param("KEY", "The setting.")
                        .param("VALUE", "Its new value."))
                .sub(Cmd.command("unset", l -> c.unset(l.param(0)), "Remove KEY.")
                        .param("KEY", "The setting."));
    }

    int list() throws Exception {
        Map<String, String> all = CliConfig.read(halo.home()).all();
        Map<String, Object> o = Json.object();
        o.putAll(all);
        halo.print(o, () -> all.forEach((k, v) -> halo.out(k + "=" + v)));
        return ExitCode.OK;
    }

    int get(String key) throws Exception {
        known(key);
        Optional<String> v = CliConfig.read(halo.home()).get(key);
        if (v.isEmpty()) {
            throw new CliException("config.not_found", "'" + key + "' is not set", ExitCode.NOT_FOUND);
        }
        Map<String, Object> o = Json.object();
        o.put(key, v.get());
        halo.print(o, () -> halo.out(v.get()));
        return ExitCode.OK;
    }

    int set(String key, String value) throws Exception {
        known(key);
        String checked = NodeAddress.parse(value).toString();
        CliConfig.read(halo.home()).set(key, Optional.of(checked));
        Map<String, Object> o = Json.object();
        o.put(key, checked);
        halo.print(o, () -> halo.out(key + "=" + checked));
        return ExitCode.OK;
    }

    int unset(String key) throws Exception {
        known(key);
        CliConfig.read(halo.home()).set(key, Optional.empty());
        halo.print(Json.object(), () -> halo.out(key + " unset"));
        return ExitCode.OK;
    }

    private static void known(String key) throws CliException {
        if (!CliConfig.KEYS.contains(key)) {
            throw new CliException("argument.config_key", "unknown setting: the settings are "
                    + String.join(", ", CliConfig.KEYS), ExitCode.USAGE);
        }
    }
}
