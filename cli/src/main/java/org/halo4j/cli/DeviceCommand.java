package org.halo4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.halo4j.identity.DeviceInfo;
import org.halo4j.internal.json.Json;
import org.halo4j.keys.PublicKey;

/** {@code halo device}: the devices of the identity, as its HALO records them. */
final class DeviceCommand {

    final HaloCommand halo;

    DeviceCommand(HaloCommand halo) {
        this.halo = halo;
    }

    /** The {@code halo device} commands, acting through {@code halo}. */
    static Cmd spec(HaloCommand halo) {
        DeviceCommand c = new DeviceCommand(halo);
        return Cmd.group("device", "The devices of the identity: list, invite and join, revoke.")
                .sub(Cmd.command("list", l -> c.list(),
                        "List the identity's devices; * marks this one."))
                .sub(InvitationCommand.deviceInvite(halo))
                .sub(InvitationCommand.deviceJoin(halo))
                .sub(Cmd.command("revoke", l -> c.revoke(
                                l.optionalParam(0).orElse(null),
                                l.flag("--all-others"),
                                l.flag("--force")),
                        "Revoke a device of the identity: it can no longer act for it.",
                        "The revocation is copied into every space the identity belongs to.",
                        "With --all-others instead of KEY: revoke every device but this one, known here or not (after a "
                                + "recovery, for a lost device); needs the 24 words, on stdin or typed on the terminal.")
                        .optionalParam("KEY", "The device key in hex (or its first "
                                + "8+ digits).")
                        .option(Cmd.Opt.flag("--all-others", "Revoke every other device of the identity, with the "
                                + "recovery phrase."))
                        .option(Cmd.Opt.flag("--force", "Also revoke this device, the one in use: it can then no "
                                + "longer act for the identity.")));
    }

    int list() throws Exception {
        List<Map<String, Object>> devices = halo.withReader(agent -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (DeviceInfo d : agent.state().devices()) {
                Map<String, Object> o = Json.object();
                o.put("key", d.key().toHex());
                o.put("name", d.name());
                o.put("current", d.key().equals(agent.device()));
                o.put("revoked", d.revoked());
                o.put("scope", scope(d));
                o.put("authorizedBy", d.authorizedBy().toHex());
                out.add(o);
            }
            return out;
        });
        halo.print(devices, () -> {
            Table t = new Table("", "KEY", "NAME", "SCOPE", "STATE");
            for (Map<String, Object> d : devices) {
                t.row(Boolean.TRUE.equals(d.get("current")) ? "*" : "", d.get("key"),
                        Table.orDash(d.get("name")), d.get("scope"),
                        Boolean.TRUE.equals(d.get("revoked")) ? "revoked" : "active");
            }
            t.print(halo.io.stdout());
        });
        return ExitCode.OK;
    }

    int revoke(String key, boolean allOthers, boolean force)
            throws Exception {
        if (allOthers == (key != null)) {
            throw CliException.usage("give either a device KEY or --all-others");
        }
        if (allOthers) {
            return revokeAllOthers();
        }
        PublicKey revoked = halo.withAgent(agent -> {
            DeviceInfo device = Args.byHex("device", key, agent.state().devices(), d -> d.key().toHex());
            if (device.revoked()) {
                throw new CliException("device.revoked", "device " + device.key().toHex() + " is already revoked",
                        ExitCode.FAILED);
            }
            if (device.key().equals(agent.device()) && !force) {
                throw new CliException("device.current", "device " + device.key().toHex() + " is this device: revoked, "
                        + "it can no longer act for the identity. Add --force to revoke it anyway", ExitCode.USAGE);
            }
            agent.revokeDevice(device.key());
            return device.key();
        });
        Map<String, Object> o = Json.object();
        o.put("key", revoked.toHex());
        o.put("revoked", true);
        halo.print(o, () -> halo.out("Revoked device " + revoked.toHex()));
        return ExitCode.OK;
    }

    private int revokeAllOthers() throws Exception {
        IdentityCommand words = new IdentityCommand(halo);
        try (org.halo4j.keys.RecoveryPhrase phrase = words.readPhrase("Recovery phrase of this identity")) {
            org.halo4j.credentials.CredentialId id = halo.withAgent(agent -> agent.revokeAllOtherDevices(phrase));
            Map<String, Object> o = Json.object();
            o.put("revocation", id.toHex());
            o.put("allOthersRevoked", true);
            halo.print(o, () -> halo.out("Revoked every other device of this identity (" + id.toHex() + "); "
                    + "relying parties refuse them once they learn it."));
            return ExitCode.OK;
        }
    }

    static String scope(DeviceInfo d) {
        return Format.scope(d.scope());
    }
}
