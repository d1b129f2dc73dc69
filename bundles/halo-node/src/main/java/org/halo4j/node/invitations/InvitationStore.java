package org.halo4j.node.invitations;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.halo4j.invitations.HostedInvitation;
import org.halo4j.invitations.InvitationException;
import org.halo4j.invitations.InvitationText;
import org.halo4j.io.AtomicFileWriter;
import org.halo4j.io.KeyValueFile;
import org.halo4j.node.agent.Agent;
import org.halo4j.node.agent.AgentException;
import org.halo4j.proto.v1.SpaceRole;

/**
 * The invitations an identity hosts, one file each in {@code <identity>/invitations/<id>} (mode 0600: it holds
 * the code), so that they survive a restart of the host and can be listed and cancelled from another process.
 * Every change happens under an exclusive lock on {@code invitations/.lock} (across processes) and is durable
 * before it returns: an attempt is counted before the guest hears the answer.
 */
public final class InvitationStore {

    static final String MAGIC = "HALO-INVITATION 1";
    static final int MAX_BYTES = 16 * 1024;

    private final Path dir;

    private InvitationStore(Path dir) {
        this.dir = dir;
    }

    /** The store of {@code agent}'s identity. */
    public static InvitationStore of(Agent agent) throws AgentException {
        Path dir = agent.directory().resolve("invitations");
        try {
            AtomicFileWriter.createPrivateDirectories(dir);
        } catch (IOException e) {
            throw new AgentException("storage.io", "could not create " + dir + ": " + e.getMessage(), e);
        }
        return new InvitationStore(dir);
    }

    /** Stores a new invitation. */
    public void create(HostedInvitation h) throws AgentException {
        locked(() -> {
            write(h);
            return null;
        });
    }

    /**
     * Applies {@code change} to the invitation {@code id} under the lock and stores what it returns (its
     * {@code next} state) before returning it.
     */
    public <T> T update(String id, Function<HostedInvitation, Change<T>> change) throws AgentException {
        return locked(() -> {
            HostedInvitation h = read(file(id)).orElseThrow(() -> new AgentException("invitation.unknown",
                    "no invitation " + id + " is hosted by this identity"));
            Change<T> c = change.apply(h);
            if (!c.next().equals(h)) {
                write(c.next());
            }
            return c.result();
        });
    }

    /** What {@link #update} stores, and what it returns. */
    public record Change<T>(HostedInvitation next, T result) {
    }

    /** True if this identity holds the invitation {@code id} (32 hex digits). */
    public boolean exists(String id) throws AgentException {
        Path f = file(id);
        return locked(() -> Files.exists(f));
    }

    /** Every invitation, newest first, with its state as of {@code now}. */
    public List<HostedInvitation> list(Instant now) throws AgentException {
        return locked(() -> {
            List<HostedInvitation> out = new ArrayList<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "[0-9a-f]*")) {
                for (Path f : files) {
                    read(f).ifPresent(h -> out.add(h.at(now)));
                }
            } catch (IOException e) {
                throw new AgentException("storage.io", "could not list " + dir + ": " + e.getMessage(), e);
            }
            out.sort(Comparator.comparing(HostedInvitation::createdAt).reversed());
            return out;
        });
    }

    /** The invitation whose id is {@code idOrPrefix} (at least 6 hex digits, unambiguous). */
    public HostedInvitation find(String idOrPrefix, Instant now) throws AgentException {
        String p = idOrPrefix.toLowerCase(java.util.Locale.ROOT);
        if (!p.matches("[0-9a-f]{6,32}")) {
            throw new AgentException("argument.invitation_id", "an invitation id is 6 to 32 hex digits");
        }
        List<HostedInvitation> found = list(now).stream().filter(h -> h.id().startsWith(p)).toList();
        if (found.isEmpty()) {
            throw new AgentException("invitation.unknown", "no invitation " + p + " is hosted by this identity");
        }
        if (found.size() > 1) {
            throw new AgentException("invitation.ambiguous", found.size() + " invitations start with " + p
                    + "; give more digits");
        }
        return found.get(0);
    }

    /**
     * Cancels the open invitation {@code idOrPrefix} and returns it as it is now.
     *
     * @throws AgentException {@code invitation.<state>} if it is not open (used, locked, expired, cancelled,
     *                        delegated), and nothing changes
     */
    public HostedInvitation cancel(String idOrPrefix, Instant now) throws AgentException {
        HostedInvitation found = find(idOrPrefix, now);
        HostedInvitation[] before = new HostedInvitation[1];
        HostedInvitation after = update(found.id(), cur -> {
            before[0] = cur.at(now);
            HostedInvitation next = before[0].state() == HostedInvitation.State.OPEN ? cur.cancel(now) : cur;
            return new Change<>(next, next);
        });
        if (before[0].state() != HostedInvitation.State.OPEN) {
            String state = before[0].state().name().toLowerCase(java.util.Locale.ROOT);
            throw new AgentException("invitation." + state, "invitation " + found.id() + " is already " + state);
        }
        return after;
    }

    private Path file(String id) throws AgentException {
        if (!id.matches("[0-9a-f]{32}")) {
            throw new AgentException("argument.invitation_id", "an invitation id is 32 hex digits");
        }
        return dir.resolve(id);
    }

    private void write(HostedInvitation h) throws AgentException {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("text", InvitationText.encode(h.invitation()));
        m.put("code", h.code());
        m.put("role", h.role().name());
        m.put("multiUse", Boolean.toString(h.multiUse()));
        m.put("state", h.state().name());
        m.put("failed", Integer.toString(h.failed()));
        m.put("uses", Integer.toString(h.uses()));
        m.put("created", h.createdAt().toString());
        if (h.isDelegated()) {
            m.put("delegation", java.util.Base64.getEncoder().encodeToString(h.delegation().toByteArray()));
        }
        List<KeyValueFile.Line> lines = new ArrayList<>();
        m.forEach((k, v) -> lines.add(new KeyValueFile.Line(k, v)));
        Path f = file(h.id());
        try {
            KeyValueFile.write(f, MAGIC, lines);
        } catch (IOException e) {
            throw new AgentException("storage.io", "could not write " + f + ": " + e.getMessage(), e);
        }
    }

    private Optional<HostedInvitation> read(Path f) throws AgentException {
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            Map<String, String> m = new TreeMap<>();
            for (KeyValueFile.Line line : KeyValueFile.read(f, MAGIC, MAX_BYTES)) {
                m.put(line.key(), line.value());
            }
            return Optional.of(new HostedInvitation(InvitationText.decode(m.get("text")), m.getOrDefault("code", ""),
                    SpaceRole.valueOf(m.get("role")), Boolean.parseBoolean(m.get("multiUse")),
                    HostedInvitation.State.valueOf(m.get("state")), Integer.parseInt(m.get("failed")),
                    Integer.parseInt(m.get("uses")), Instant.parse(m.get("created")),
                    com.google.protobuf.ByteString.copyFrom(java.util.Base64.getDecoder().decode(m.getOrDefault("delegation", "")))));
        } catch (IOException e) {
            throw new AgentException("storage.io", "could not read " + f + ": " + e.getMessage(), e);
        } catch (InvitationException | KeyValueFile.MalformedException | RuntimeException e) {
            throw corrupt(f, e.getMessage());
        }
    }

    private static AgentException corrupt(Path f, String why) {
        return new AgentException("storage.corrupt", f + " is not an invitation file: " + why);
    }

    private interface Work<T> {
        T run() throws AgentException;
    }

    private <T> T locked(Work<T> work) throws AgentException {
        synchronized (InvitationStore.class) {
            try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock held = ch.lock()) {
                assert held.isValid();
                return work.run();
            } catch (IOException e) {
                throw new AgentException("storage.io", "could not lock " + dir + ": " + e.getMessage(), e);
            }
        }
    }
}
