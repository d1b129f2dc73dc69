package org.halo4j.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.internal.json.Json;
import org.halo4j.invitations.HostedInvitation;
import org.halo4j.invitations.InvitationException;
import org.halo4j.invitations.InvitationText;
import org.halo4j.keys.PublicKey;
import org.halo4j.net.ChannelLimits;
import org.halo4j.net.PeerConnector;
import org.halo4j.net.PeerServer;
import org.halo4j.node.invitations.InvitationGuest;
import org.halo4j.node.invitations.InvitationHost;
import org.halo4j.node.invitations.InvitationStore;
import org.halo4j.proto.v1.Invitation;
import org.halo4j.proto.v1.InvitationAuth;
import org.halo4j.proto.v1.InvitationDelegated;
import org.halo4j.proto.v1.InvitationKind;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.spaces.Roles;

/**
 * Invitations from the command line: {@code halo space invite|join}, {@code halo device invite|join} and
 * {@code halo invitation list|cancel|host}. A host prints the invitation and its code first (one JSON object
 * with {@code --json}), then one line (JSON object) per guest, until the invitation is used, locked, expired or
 * cancelled, or the host is stopped (Ctrl-C, SIGTERM).
 */
final class InvitationCommand {

    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(30);
    static final ChannelLimits LIMITS = ChannelLimits.DEFAULT;

    final HaloCommand halo;

    InvitationCommand(HaloCommand halo) {
        this.halo = halo;
    }

    // ---- specs, added to the space and device groups and as the invitation group ----

    static Cmd spaceInvite(HaloCommand halo) {
        InvitationCommand c = new InvitationCommand(halo);
        return hostOptions(Cmd.command("invite", l -> c.invite(InvitationKind.INVITATION_KIND_SPACE,
                                Optional.of(l.param(0)), Args.role(l.value("--role").orElse("READER")), l),
                        "Invite someone into SPACE: prints an invitation and a 6-digit code, then waits for the guest, "
                                + "who runs 'halo space join INVITATION' and types the code.",
                        "Give the invitation and the code by two different ways (the code by voice, say): anyone with "
                                + "both can join. Three wrong codes lock the invitation.")
                .param("SPACE", "The space: its id (hex) or its name.")
                .option(Cmd.Opt.value("--role", "ROLE", "READER (default), EDITOR, ADMIN or OWNER."))
                .option(Cmd.Opt.flag("--multi-use", "Let several guests join with it until it expires."))
                .option(Cmd.Opt.value("--guest", "DID", "Only this identity may join (it proves its key in the channel): "
                        + "no code."))
                .option(Cmd.Opt.flag("--no-code", "Anyone holding the invitation may join, with no code (public "
                        + "demos and tests only).")));
    }

    static Cmd spaceJoin(HaloCommand halo) {
        InvitationCommand c = new InvitationCommand(halo);
        return Cmd.command("join", l -> c.joinSpace(l.param(0), l.value("--code")),
                        "Join the space of INVITATION, with the code its host gave you (asked on the terminal if "
                                + "--code is not given), and replicate it.")
                .param("INVITATION", "The invitation text (halo1…).")
                .option(Cmd.Opt.value("--code", "CODE", "The 6-digit code from the host."));
    }

    static Cmd deviceInvite(HaloCommand halo) {
        InvitationCommand c = new InvitationCommand(halo);
        return hostOptions(Cmd.command("invite", l -> c.invite(InvitationKind.INVITATION_KIND_DEVICE, Optional.empty(),
                                SpaceRole.SPACE_ROLE_READER, l),
                        "Add another device to this identity: prints an invitation and a 6-digit code, then waits for "
                                + "the new device, which runs 'halo device join INVITATION' and types the code."));
    }

    static Cmd deviceJoin(HaloCommand halo) {
        InvitationCommand c = new InvitationCommand(halo);
        return Cmd.command("join", l -> c.joinDevice(l.param(0), l.value("--code"), l.value("--name").orElse(hostName()),
                                l.flag("--allow-weak-passphrase")),
                        "Make this machine a device of the identity that invited it, with the code its other device "
                                + "shows (asked on the terminal if --code is not given); its HALO and spaces replicate "
                                + "at once. Asks a new keyring passphrase for this device.")
                .param("INVITATION", "The invitation text (halo1…).")
                .option(Cmd.Opt.value("--code", "CODE", "The 6-digit code from the other device."))
                .option(Cmd.Opt.value("--name", "NAME", "A name for this device (default: the host name)."))
                .option(Cmd.Opt.flag("--allow-weak-passphrase", "Accept a new passphrase the strength check refuses."));
    }

    static Cmd group(HaloCommand halo) {
        InvitationCommand c = new InvitationCommand(halo);
        return Cmd.group("invitation", "Invitations this identity hosts: list, cancel, host again after a restart, "
                        + "hand over to another admin.")
                .sub(Cmd.command("list", l -> c.list(), "List the invitations and their states, and those other admins "
                        + "handed over to this identity (state 'offered': host them with 'halo invitation host ID')."))
                .sub(Cmd.command("cancel", l -> c.cancel(l.param(0)), "Cancel an open invitation.")
                        .param("ID", "The invitation id (or its first 6+ hex digits)."))
                .sub(Cmd.command("delegate", l -> c.delegate(l.param(0), l.value("--to")),
                        "Hand an open space invitation over to another OWNER or ADMIN of the space, who hosts it in "
                                + "your place after its next 'halo sync' ('halo invitation host ID'). You stop "
                                + "answering its guests at once; the code and the wrong codes so far go with it, "
                                + "sealed to the other admin's devices.",
                        "Only an invitation met through a node (--node) can be handed over.")
                        .param("ID", "The invitation id (or its first 6+ hex digits).")
                        .option(Cmd.Opt.value("--to", "DID", "The admin who hosts it from now on (required).")))
                .sub(hostOptions(Cmd.command("host", l -> c.host(l.param(0), l),
                        "Wait for guests of an open invitation again (after the host stopped).")
                        .param("ID", "The invitation id (or its first 6+ hex digits).")));
    }

    private static Cmd hostOptions(Cmd cmd) {
        return cmd
                .option(Cmd.Opt.value("--expires", "DURATION", "How long it stays valid: 30s, 10m, 2h, 1d (default 30m)."))
                .option(Cmd.Opt.value("--node", "URL", "Meet the guest through this node (default: 'halo config get "
                        + "node'; without one, the guest connects to this machine directly)."))
                .option(Cmd.Opt.value("--listen", "HOST:PORT", "Without a node: where to listen for the guest "
                        + "(default 127.0.0.1:0, any free port)."))
                .option(Cmd.Opt.flag("--qr", "Also draw the invitation as a QR code (on a terminal it is drawn anyway)."));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "device";
        }
    }

    // ---- hosting ----

    int invite(InvitationKind kind, Optional<String> space, SpaceRole role, Cmd.Line l) throws Exception {
        Duration lifetime = l.value("--expires").isPresent() ? Args.duration(l.value("--expires").get()) : DEFAULT_LIFETIME;
        Optional<URI> node = node(l);
        Optional<PublicKey> guest = l.value("--guest").isPresent()
                ? Optional.of(Args.identity(l.value("--guest").get())) : Optional.empty();
        if (guest.isPresent() && l.flag("--no-code")) {
            throw new CliException("argument.auth", "--guest and --no-code exclude each other", ExitCode.USAGE);
        }
        InvitationAuth auth = guest.isPresent() ? InvitationAuth.INVITATION_AUTH_KNOWN_KEY
                : l.flag("--no-code") ? InvitationAuth.INVITATION_AUTH_NONE : InvitationAuth.INVITATION_AUTH_SHARED_SECRET;
        return halo.withAgent(agent -> {
            InvitationHost host = new InvitationHost(agent, Clock.systemUTC(), LIMITS);
            PeerServer server = null;
            Optional<URI> direct = Optional.empty();
            if (node.isEmpty()) {
                String[] hp = listen(l);
                server = host.listen(hp[0], Integer.parseInt(hp[1]), events());
                direct = Optional.of(URI.create("ws://" + advertised(hp[0]) + ":" + server.address().getPort()));
            }
            try {
                HostedInvitation h = host.create(new InvitationHost.Request(kind, space, role, l.flag("--multi-use"),
                        lifetime, auth, guest, node, direct));
                if (auth == InvitationAuth.INVITATION_AUTH_NONE) {
                    halo.warn("--no-code: anyone who sees this invitation can join " + space.orElse("")
                            + " until it expires");
                }
                announce(h, l.flag("--qr"));
                return wait(host, h.id(), server, node);
            } finally {
                if (server != null) {
                    server.close();
                }
            }
        });
    }

    int host(String id, Cmd.Line l) throws Exception {
        return halo.withAgent(agent -> {
            InvitationHost host = new InvitationHost(agent, Clock.systemUTC(), LIMITS);
            List<String> skipped = new ArrayList<>();
            host.importDelegations(skipped); // invitations other admins handed over to this identity
            skipped.forEach(s -> halo.warn("a handed-over invitation was not taken: " + s));
            HostedInvitation h = host.store().find(id, Instant.now());
            if (h.state() != HostedInvitation.State.OPEN) {
                throw new CliException("invitation." + h.state().name().toLowerCase(java.util.Locale.ROOT),
                        "invitation " + h.id() + " is " + h.state().name().toLowerCase(java.util.Locale.ROOT)
                                + ": issue a new one", ExitCode.FAILED);
            }
            Invitation inv = h.invitation();
            PeerServer server = null;
            Optional<URI> node = Optional.empty();
            if (inv.getTopic().isEmpty()) {
                URI at = URI.create(inv.getAddresses(0));
                server = host.listen(at.getHost(), at.getPort(), events()); // the address the guest holds
            } else {
                node = Optional.of(URI.create(inv.getAddresses(0)));
            }
            try {
                announce(h, l.flag("--qr"));
                return wait(host, h.id(), server, node);
            } finally {
                if (server != null) {
                    server.close();
                }
            }
        });
    }

    private Optional<URI> node(Cmd.Line l) throws CliException {
        if (l.value("--node").isPresent()) {
            return Optional.of(NodeAddress.parse(l.value("--node").get()));
        }
        if (l.value("--listen").isPresent()) {
            return Optional.empty(); // listening directly was asked for
        }
        return CliConfig.read(halo.home()).get(CliConfig.NODE).map(NodeAddress::parseUnchecked);
    }

    private static String[] listen(Cmd.Line l) throws CliException {
        String v = l.value("--listen").orElse("127.0.0.1:0");
        int colon = v.lastIndexOf(':');
        if (colon <= 0) {
            throw new CliException("argument.listen", "--listen is HOST:PORT", ExitCode.USAGE);
        }
        return new String[] {v.substring(0, colon), Integer.toString(Args.port(v.substring(colon + 1)))};
    }

    private static String advertised(String host) {
        if (!host.equals("0.0.0.0") && !host.equals("::")) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (IOException e) {
            return "127.0.0.1";
        }
    }

    private void announce(HostedInvitation h, boolean qr) {
        String text = InvitationText.encode(h.invitation());
        Map<String, Object> o = Json.object();
        o.put("invitation", text);
        o.put("code", h.code());
        o.put("id", h.id());
        o.put("expiresAt", h.expiresAt().toString());
        halo.print(o, () -> {
            halo.out("Invitation (give it to the guest):");
            halo.out(text);
            if (qr || halo.io.stdoutTerminal()) {
                halo.io.stdout().print(Qr.draw(text));
            }
            if (!h.code().isEmpty()) {
                halo.out("Code (tell it to the guest another way): " + h.code());
            } else if (h.invitation().getAuth() == InvitationAuth.INVITATION_AUTH_KNOWN_KEY) {
                halo.out("No code: only " + PublicKey.of(h.invitation().getGuestKey().toByteArray()).toDidKey()
                        + " can join with it.");
            }
            halo.out("Id " + h.id() + ", valid until " + h.expiresAt() + ". Waiting for the guest (Ctrl-C stops "
                    + "waiting; 'halo invitation host " + h.id().substring(0, 8) + "' waits again).");
        });
    }

    private InvitationHost.Events events() {
        return (kind, inv, guest, code, message) -> {
            Map<String, Object> o = Json.object();
            o.put("event", kind);
            o.put("id", inv.id());
            o.put("guest", guest.identity().map(PublicKey::toDidKey).orElse(guest.device().toHex()));
            o.put("device", guest.device().toHex());
            if (!code.isEmpty()) {
                o.put("code", code);
            }
            o.put("message", message);
            synchronized (halo.io.stdout()) {
                halo.print(o, () -> halo.out(kind + ": " + o.get("guest") + " — " + message));
            }
        };
    }

    /** Waits until the invitation is closed and its last guest is done, or the host is stopped. */
    private int wait(InvitationHost host, String id, PeerServer server, Optional<URI> node) throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                finished.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "halo-invitation-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (PeerConnector connector = new PeerConnector(LIMITS)) {
            Thread relay = null;
            if (node.isPresent()) {
                relay = new Thread(() -> {
                    try {
                        host.host(id, connector, stop, events());
                    } catch (Exception e) {
                        stop.countDown();
                    }
                }, "halo-invitation-host");
                relay.setDaemon(true);
                relay.start();
            }
            while (stop.getCount() > 0) {
                boolean busy = server != null ? server.activeConnections() > 0 : relay.isAlive();
                if (!host.open(id) && (server == null ? !relay.isAlive() : !busy)) {
                    break;
                }
                stop.await(200, TimeUnit.MILLISECONDS);
            }
            HostedInvitation h = host.store().find(id, Instant.now());
            Map<String, Object> o = Json.object();
            o.put("event", "closed");
            o.put("id", h.id());
            o.put("state", h.state().name().toLowerCase(java.util.Locale.ROOT));
            o.put("uses", h.uses());
            halo.print(o, () -> halo.out("Invitation " + h.id().substring(0, 8) + " is "
                    + h.state().name().toLowerCase(java.util.Locale.ROOT) + " (" + h.uses() + " guests joined)."));
            return h.uses() > 0 ? ExitCode.OK : ExitCode.FAILED;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
    }

    // ---- joining ----

    int joinSpace(String text, Optional<String> code) throws Exception {
        Invitation inv = parse(text);
        String c = code(inv, code);
        InvitationGuest.JoinedSpace j = halo.withAgent(agent -> {
            try (PeerConnector connector = new PeerConnector(LIMITS)) {
                return InvitationGuest.joinSpace(agent, inv, c, connector, LIMITS, Clock.systemUTC());
            }
        });
        Map<String, Object> o = Json.object();
        o.put("space", j.space().spaceId());
        o.put("name", j.space().name());
        o.put("role", j.space().myRole().map(Roles::name).orElse("-"));
        o.put("members", j.space().members());
        o.put("received", j.sync().received());
        halo.print(o, () -> halo.out("Joined " + j.space().name() + " (" + j.space().spaceId() + ") as "
                + o.get("role") + "; received " + j.sync().received() + " entries"));
        return ExitCode.OK;
    }

    int joinDevice(String text, Optional<String> code, String name, boolean allowWeak) throws Exception {
        Invitation inv = parse(text);
        String c = code(inv, code);
        char[] passphrase = halo.passphrases().fresh("this device of the joined identity", allowWeak, List.of(name));
        InvitationGuest.JoinedDevice j;
        try (PeerConnector connector = new PeerConnector(LIMITS)) {
            j = InvitationGuest.joinDevice(halo.wallet(), inv, c, name, passphrase, connector, LIMITS, Clock.systemUTC());
        } finally {
            java.util.Arrays.fill(passphrase, '\0');
        }
        halo.warnIfWeakKeyring();
        Map<String, Object> o = Json.object();
        o.put("did", j.did());
        o.put("received", j.sync().received());
        o.put("notes", j.sync().notes());
        halo.print(o, () -> {
            halo.out("This device now acts for " + j.did() + " (now the current identity); received "
                    + j.sync().received() + " entries");
            j.sync().notes().forEach(n -> halo.out("  " + n));
        });
        return ExitCode.OK;
    }

    private static Invitation parse(String text) throws CliException {
        try {
            return InvitationText.decode(text);
        } catch (InvitationException e) {
            throw new CliException(e.code(), e.getMessage(), ExitCode.USAGE);
        }
    }

    private String code(Invitation inv, Optional<String> given) throws CliException {
        if (inv.getAuth() != InvitationAuth.INVITATION_AUTH_SHARED_SECRET) {
            return "";
        }
        if (given.isPresent()) {
            return given.get().replace(" ", "");
        }
        Terminal tty = halo.io.terminal().get().orElseThrow(() -> new CliException("invitation.code_missing",
                "this invitation needs the 6-digit code from its host: give --code CODE, or run on a terminal",
                ExitCode.USAGE));
        try (tty) {
            return new String(tty.readLine("Code from the host: ")).replace(" ", "").trim();
        } catch (IOException e) {
            throw new CliException("invitation.code_missing", "could not read the code: " + e.getMessage(),
                    ExitCode.USAGE, e);
        }
    }

    // ---- list, cancel ----

    int list() throws Exception {
        record Listing(List<HostedInvitation> held, List<Map<String, Object>> offered) {
        }
        Listing all = halo.withReader(agent -> {
            InvitationStore store = InvitationStore.of(agent);
            List<Map<String, Object>> offered = new ArrayList<>();
            for (VerifiedCredential v : agent.delegationsToMe()) {
                InvitationDelegated d = (InvitationDelegated) v.assertion();
                String id = java.util.HexFormat.of().formatHex(d.getInvitationId().toByteArray());
                if (!store.exists(id)) {
                    Map<String, Object> o = Json.object();
                    o.put("id", id);
                    o.put("kind", "space");
                    o.put("space", java.util.HexFormat.of().formatHex(d.getSpaceKey().toByteArray()));
                    o.put("name", agent.space(java.util.HexFormat.of().formatHex(d.getSpaceKey().toByteArray())).name());
                    o.put("role", Roles.name(d.getRole()));
                    o.put("state", "offered");
                    o.put("from", v.issuer().toDidKey());
                    o.put("expiresAt", Instant.ofEpochSecond(d.getExpiresAt()).toString());
                    offered.add(o);
                }
            }
            return new Listing(store.list(Instant.now()), offered);
        });
        List<Object> json = new ArrayList<>();
        for (HostedInvitation h : all.held()) {
            json.add(toJson(h));
        }
        json.addAll(all.offered());
        halo.print(json, () -> {
            Table t = new Table("ID", "KIND", "SPACE", "ROLE", "STATE", "USES", "EXPIRES");
            for (Map<String, Object> o : all.offered()) {
                t.row(o.get("id").toString().substring(0, 12), "space", o.get("name"), o.get("role"), "offered", "-",
                        o.get("expiresAt"));
            }
            for (HostedInvitation h : all.held()) {
                boolean space = h.invitation().getKind() == InvitationKind.INVITATION_KIND_SPACE;
                t.row(h.id().substring(0, 12), space ? "space" : "device", space ? h.invitation().getSpaceName() : "-",
                        space ? Roles.name(h.role()) : "-", h.state().name().toLowerCase(java.util.Locale.ROOT),
                        h.uses(), h.expiresAt().toString());
            }
            t.print(halo.io.stdout());
        });
        return ExitCode.OK;
    }

    int delegate(String id, Optional<String> to) throws Exception {
        PublicKey delegate = Args.identity(to.orElseThrow(() -> new CliException("argument.missing",
                "--to DID is required: the admin who hosts the invitation from now on", ExitCode.USAGE)));
        HostedInvitation h = halo.withAgent(agent -> new InvitationHost(agent, Clock.systemUTC(), LIMITS)
                .delegate(id, delegate));
        Map<String, Object> o = toJson(h);
        o.put("delegate", delegate.toDidKey());
        halo.print(o, () -> {
            halo.out("Handed invitation " + h.id().substring(0, 8) + " over to " + delegate.toDidKey() + ".");
            halo.out("It reaches them with the space at their next 'halo sync'; they then run 'halo invitation host "
                    + h.id().substring(0, 8) + "'.");
        });
        return ExitCode.OK;
    }

    int cancel(String id) throws Exception {
        HostedInvitation h = halo.withReader(agent -> InvitationStore.of(agent).cancel(id, Instant.now()));
        halo.print(toJson(h), () -> halo.out("Cancelled invitation " + h.id()));
        return ExitCode.OK;
    }

    private static Map<String, Object> toJson(HostedInvitation h) {
        Map<String, Object> o = Json.object();
        boolean space = h.invitation().getKind() == InvitationKind.INVITATION_KIND_SPACE;
        o.put("id", h.id());
        o.put("kind", space ? "space" : "device");
        if (space) {
            o.put("space", java.util.HexFormat.of().formatHex(h.invitation().getSpaceKey().toByteArray()));
            o.put("name", h.invitation().getSpaceName());
            o.put("role", Roles.name(h.role()));
        }
        o.put("state", h.state().name().toLowerCase(java.util.Locale.ROOT));
        o.put("multiUse", h.multiUse());
        o.put("uses", h.uses());
        o.put("failedAttempts", h.failed());
        o.put("createdAt", h.createdAt().toString());
        if (h.isDelegated()) {
            o.put("handedOverBy", PublicKey.of(h.invitation().getHostIdentity().toByteArray()).toDidKey());
        }
        o.put("expiresAt", h.expiresAt().toString());
        return o;
    }
}
