package org.halo4j.node.agent;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.halo4j.io.AtomicFileWriter;
import org.halo4j.io.KeyValueFile;
import org.halo4j.keys.KeyFormatException;
import org.halo4j.keys.PublicKey;

/**
 * The metadata file of one identity ({@code identity.meta}): which keys are its identity, device and HALO,
 * and which spaces it keeps feeds in. Text, starting with the magic line {@code HALO-IDENTITY 1}, then
 * {@code key=value} lines; names are URL-encoded. {@code feed=SPACE,FEED} lines (SPACE is {@code halo} for the
 * HALO) name the feeds of other devices that arrived by replication. No secret is ever in it.
 */
record IdentityMeta(PublicKey identity, PublicKey device, Optional<PublicKey> haloKey, PublicKey haloFeed,
                    Optional<String> name, List<SpaceRef> spaces, List<PeerFeed> peerFeeds) {

    static final String MAGIC = "HALO-IDENTITY 1";
    static final int MAX_BYTES = 1 << 20;

    /** A space the identity keeps a control feed in. */
    record SpaceRef(PublicKey spaceKey, PublicKey feed, String name) {
    }

    /**
     * A feed of another device (of this identity or of another member) that arrived by replication, in the HALO
     * (space empty) or in a space.
     */
    record PeerFeed(Optional<PublicKey> space, PublicKey feed) {
    }

    IdentityMeta {
        spaces = List.copyOf(spaces);
        peerFeeds = List.copyOf(peerFeeds);
    }

    IdentityMeta(PublicKey identity, PublicKey device, Optional<PublicKey> haloKey, PublicKey haloFeed,
                 Optional<String> name, List<SpaceRef> spaces) {
        this(identity, device, haloKey, haloFeed, name, spaces, List.of());
    }

    IdentityMeta withSpace(SpaceRef s) {
        List<SpaceRef> all = new ArrayList<>(spaces);
        all.add(s);
        return new IdentityMeta(identity, device, haloKey, haloFeed, name, all, peerFeeds);
    }

    IdentityMeta withName(Optional<String> newName) {
        return new IdentityMeta(identity, device, haloKey, haloFeed, newName, spaces, peerFeeds);
    }

    IdentityMeta withHaloKey(PublicKey key) {
        return new IdentityMeta(identity, device, Optional.of(key), haloFeed, name, spaces, peerFeeds);
    }

    IdentityMeta withPeerFeed(PeerFeed f) {
        if (peerFeeds.contains(f)) {
            return this;
        }
        List<PeerFeed> all = new ArrayList<>(peerFeeds);
        all.add(f);
        return new IdentityMeta(identity, device, haloKey, haloFeed, name, spaces, all);
    }

    /** The peer feeds of the HALO (space empty) or of one space. */
    List<PublicKey> peerFeedsOf(Optional<PublicKey> space) {
        List<PublicKey> out = new ArrayList<>();
        for (PeerFeed f : peerFeeds) {
            if (f.space().equals(space)) {
                out.add(f.feed());
            }
        }
        return out;
    }

    byte[] encode() {
        List<KeyValueFile.Line> l = new ArrayList<>();
        l.add(new KeyValueFile.Line("identity", identity.toHex()));
        l.add(new KeyValueFile.Line("device", device.toHex()));
        haloKey.ifPresent(k -> l.add(new KeyValueFile.Line("halo", k.toHex())));
        l.add(new KeyValueFile.Line("haloFeed", haloFeed.toHex()));
        name.ifPresent(n -> l.add(new KeyValueFile.Line("name", enc(n))));
        for (SpaceRef s : spaces) {
            l.add(new KeyValueFile.Line("space", s.spaceKey().toHex() + "," + s.feed().toHex() + "," + enc(s.name())));
        }
        for (PeerFeed f : peerFeeds) {
            l.add(new KeyValueFile.Line("feed", f.space().map(PublicKey::toHex).orElse("halo") + "," + f.feed().toHex()));
        }
        return KeyValueFile.encode(MAGIC, l);
    }

    static IdentityMeta read(Path file) throws AgentException {
        try {
            List<KeyValueFile.Line> lines = KeyValueFile.read(file, MAGIC, MAX_BYTES);
            PublicKey identity = null;
            PublicKey device = null;
            PublicKey halo = null;
            PublicKey haloFeed = null;
            String name = null;
            List<SpaceRef> spaces = new ArrayList<>();
            List<PeerFeed> peerFeeds = new ArrayList<>();
            for (KeyValueFile.Line line : lines) {
                String key = line.key();
                String value = line.value();
                switch (key) {
                    case "identity" -> identity = PublicKey.fromHex(value);
                    case "device" -> device = PublicKey.fromHex(value);
                    case "halo" -> halo = PublicKey.fromHex(value);
                    case "haloFeed" -> haloFeed = PublicKey.fromHex(value);
                    case "name" -> name = dec(value);
                    case "space" -> {
                        String[] parts = value.split(",", 3);
                        if (parts.length != 3) {
                            throw corrupt(file, "a space line has not 3 fields");
                        }
                        spaces.add(new SpaceRef(PublicKey.fromHex(parts[0]), PublicKey.fromHex(parts[1]), dec(parts[2])));
                    }
                    case "feed" -> {
                        String[] parts = value.split(",", 2);
                        if (parts.length != 2) {
                            throw corrupt(file, "a feed line has not 2 fields");
                        }
                        peerFeeds.add(new PeerFeed(parts[0].equals("halo") ? Optional.empty()
                                : Optional.of(PublicKey.fromHex(parts[0])), PublicKey.fromHex(parts[1])));
                    }
                    default -> throw corrupt(file, "unknown field '" + key + "'");
                }
            }
            if (identity == null || device == null || haloFeed == null) {
                throw corrupt(file, "identity, device or haloFeed is missing");
            }
            return new IdentityMeta(identity, device, Optional.ofNullable(halo), haloFeed, Optional.ofNullable(name), spaces,
                    peerFeeds);
        } catch (KeyFormatException | IllegalArgumentException | KeyValueFile.MalformedException e) {
            throw corrupt(file, e.getMessage());
        } catch (IOException e) {
            throw new AgentException("storage.io", "could not read " + file + ": " + e.getMessage(), e);
        }
    }

    void write(Path file) throws AgentException {
        try {
            AtomicFileWriter.DEFAULT.write(file, encode());
        } catch (IOException e) {
            throw new AgentException("storage.io", "could not write " + file + ": " + e.getMessage(), e);
        }
    }

    private static AgentException corrupt(Path file, String why) {
        return new AgentException("storage.corrupt", file + " is not an identity metadata file: " + why);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
