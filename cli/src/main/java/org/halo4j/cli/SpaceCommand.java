package org.halo4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.halo4j.internal.json.Json;
import org.halo4j.keys.PublicKey;
import org.halo4j.node.agent.MemberSummary;
import org.halo4j.node.agent.SpaceSummary;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.spaces.Refusal;

/** {@code halo space}: spaces the identity belongs to, their members and roles. SPACE is an id or a name. */
final class SpaceCommand {

    final HaloCommand halo;

    SpaceCommand(HaloCommand halo) {
        this.halo = halo;
    }

    /** The {@code halo space} commands, acting through {@code halo}. */
    static Cmd spec(HaloCommand halo) {
        SpaceCommand c = new SpaceCommand(halo);
        return Cmd.group("space", "Spaces: create, list, members and roles, invite and join, audit.",
                        "SPACE is a space id (hex) or its name where no other space has it.")
                .sub(Cmd.command("create", l -> c.create(l.param(0)),
                        "Create a space; this identity becomes its OWNER.")
                        .param("NAME", "Name of the space."))
                .sub(Cmd.command("list", l -> c.list(),
                        "List the spaces of this identity."))
                .sub(Cmd.command("members", l -> c.members(l.param(0)),
                        "List the members of SPACE with their roles.")
                        .param("SPACE", "The space: its id (hex) or its name."))
                .sub(Cmd.command("set-role", l -> c.setRole(l.param(0), l.param(1), l.param(2), l.flag("--yes")),
                        "Give the member DID the role ROLE in SPACE (adds them if new).",
                        "ROLE is OWNER, ADMIN, EDITOR or READER.",
                        "On a terminal, a DID that is neither a contact nor a member of SPACE is asked about first (a typo "
                                + "check); --yes skips the question.")
                        .param("SPACE", "The space: its id (hex) or its name.")
                        .param("DID", "did:key of the member.")
                        .param("ROLE", "OWNER, ADMIN, EDITOR or READER.")
                        .option(Cmd.Opt.flag("--yes", "Do not ask when DID is neither a contact nor a member.")))
                .sub(Cmd.command("remove", l -> c.remove(l.param(0), l.param(1)),
                        "Remove the member DID from SPACE.")
                        .param("SPACE", "The space: its id (hex) or its name.")
                        .param("DID", "did:key of the member."))
                .sub(InvitationCommand.spaceInvite(halo))
                .sub(InvitationCommand.spaceJoin(halo))
                .sub(Cmd.command("audit", l -> c.audit(l.param(0)),
                        "List the credentials of SPACE that were not applied, with the reasons.")
                        .param("SPACE", "The space: its id (hex) or its name."));
    }

    int create(String name) throws Exception {
        SpaceSummary s = halo.withAgent(agent -> agent.createSpace(name));
        halo.print(toJson(s), () -> halo.out("Created space " + s.name() + ": " + s.spaceId()));
        return ExitCode.OK;
    }

    int list() throws Exception {
        List<SpaceSummary> spaces = halo.withReader(agent -> agent.spaces());
        List<Object> json = new ArrayList<>();
        spaces.forEach(s -> json.add(toJson(s)));
        halo.print(json, () -> {
            Table t = new Table("SPACE ID", "NAME", "ROLE", "MEMBERS");
            for (SpaceSummary s : spaces) {
                t.row(s.spaceId(), s.name(), s.myRole().map(Format::role).orElse("-"), s.members());
            }
            t.print(halo.io.stdout());
        });
        return ExitCode.OK;
    }

    int members(String space) throws Exception {
        List<MemberSummary> members = halo.withReader(agent -> agent.members(space));
        List<Object> json = new ArrayList<>();
        for (MemberSummary m : members) {
            Map<String, Object> o = Json.object();
            o.put("did", m.did());
            o.put("key", m.identity().toHex());
            o.put("role", Format.role(m.role()));
            o.put("name", m.name());
            json.add(o);
        }
        halo.print(json, () -> {
            Table t = new Table("DID", "ROLE", "NAME");
            for (MemberSummary m : members) {
                t.row(m.did(), Format.role(m.role()), m.name().orElse("-"));
            }
            t.print(halo.io.stdout());
        });
        return ExitCode.OK;
    }

    int setRole(String space, String did, String roleName, boolean yes) throws Exception {
        PublicKey member = Args.identity(did);
        SpaceRole role = Args.role(roleName);
        SpaceSummary s = halo.withAgent(agent -> {
            if (!yes && halo.io.stdinTerminal() && !known(agent, space, member)) {
                confirmStranger(member, role, space);
            }
            agent.setRole(space, member, role);
            return agent.space(space);
        });
        halo.print(change(s, member, role), () -> halo.out(member.toDidKey() + " is now " + Format.role(role) + " in "
                + s.name()));
        return ExitCode.OK;
    }

    /** True if {@code member} is a contact (or someone in a shared space) or already a member of {@code space}. */
    private static boolean known(org.halo4j.node.agent.Agent agent, String space, PublicKey member) throws Exception {
        return agent.circle().stream().anyMatch(c -> c.identity().equals(member))
                || agent.members(space).stream().anyMatch(m -> m.identity().equals(member));
    }

    /** Asks on the terminal before a role goes to a DID nobody here knows: the last chance to catch a typo. */
    private void confirmStranger(PublicKey member, SpaceRole role, String space) throws CliException {
        Terminal tty = halo.io.terminal().get().orElse(null);
        String what = member.toDidKey() + " is neither a contact nor a member of " + space;
        if (tty != null) {
            try (tty) {
                char[] answer = tty.readLine(what + ". Give them " + Format.role(role) + " anyway? [y/N] ");
                String a = new String(answer).trim();
                if (a.equalsIgnoreCase("y") || a.equalsIgnoreCase("yes")) {
                    return;
                }
            } catch (java.io.IOException e) {
                // fall through to the refusal
            }
        }
        throw new CliException("member.unknown", what + ": check the DID for a typo, or add it with "
                + "'halo contacts add', or pass --yes", ExitCode.USAGE);
    }

    int remove(String space, String did) throws Exception {
        PublicKey member = Args.identity(did);
        SpaceSummary s = halo.withAgent(agent -> {
            agent.remove(space, member);
            return agent.space(space);
        });
        halo.print(change(s, member, SpaceRole.SPACE_ROLE_REMOVED), () -> halo.out("Removed " + member.toDidKey()
                + " from " + s.name()));
        return ExitCode.OK;
    }

    int audit(String space) throws Exception {
        List<Refusal> refusals = halo.withReader(agent -> agent.audit(space));
        List<Object> json = new ArrayList<>();
        for (Refusal r : refusals) {
            Map<String, Object> o = Json.object();
            o.put("credential", r.credential().map(c -> c.toHex()));
            o.put("feed", r.feed().toHex());
            o.put("seq", r.seq());
            o.put("reason", r.reason().code());
            o.put("pending", r.reason().isPending());
            o.put("detail", r.detail());
            json.add(o);
        }
        halo.print(json, () -> {
            if (refusals.isEmpty()) {
                halo.out("Every credential of this space was applied.");
                return;
            }
            Table t = new Table("CREDENTIAL", "FEED", "SEQ", "REASON", "DETAIL");
            for (Refusal r : refusals) {
                t.row(r.credential().map(c -> c.shortId()).orElse("-"), r.feed().shortId(), r.seq(),
                        r.reason().code() + (r.reason().isPending() ? " (pending)" : ""), r.detail());
            }
            t.print(halo.io.stdout());
        });
        return ExitCode.OK;
    }

    static Map<String, Object> toJson(SpaceSummary s) {
        Map<String, Object> o = Json.object();
        o.put("spaceId", s.spaceId());
        o.put("spaceKey", s.spaceKey().toHex());
        o.put("name", s.name());
        o.put("role", s.myRole().map(Format::role));
        o.put("members", s.members());
        return o;
    }

    private static Map<String, Object> change(SpaceSummary s, PublicKey member, SpaceRole role) {
        Map<String, Object> o = Json.object();
        o.put("spaceId", s.spaceId());
        o.put("did", member.toDidKey());
        o.put("role", Format.role(role));
        return o;
    }
}
