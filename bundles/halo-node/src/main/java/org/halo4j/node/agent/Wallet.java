package org.halo4j.node.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.halo4j.io.AtomicFileWriter;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.DeviceAuthorizations;
import org.halo4j.credentials.Signer;
import org.halo4j.identity.Halo;
import org.halo4j.keys.Argon2Settings;
import org.halo4j.keys.FileKeyring;
import org.halo4j.keys.IdentityKeys;
import org.halo4j.keys.KeyFormatException;
import org.halo4j.keys.KeyringException;
import org.halo4j.node.storage.StorageException;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.RecoveryPhrase;
import org.halo4j.keys.WrongPassphraseException;
import org.halo4j.proto.v1.AuthorizedDevice;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.DeviceProfile;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.spaces.Spaces;

/**
 * A home directory holding several isolated identities (spec §3.1), each in its own directory with its own
 * keyring, feeds and metadata:
 * <pre>
 * HOME/current                          which identity commands act on
 * HOME/identities/&lt;identity hex&gt;/identity.meta, keyring.halo, feeds/
 * </pre>
 * A new identity is built in a staging directory and moved into place in one rename, so a crash leaves either
 * no identity or a whole one whose recovery phrase can still be shown and confirmed.
 */
public final class Wallet {

    static final String CURRENT_MAGIC = "HALO-CURRENT 1";

    private final Path home;
    private final Path identities;
    private final Argon2Settings argon2;
    private final FeedLogs feedLogs;

    /** Opens the feed log of an identity directory. */
    interface FeedLogs {
        FeedLog open(Path dir, org.halo4j.keys.Keyring keyring) throws IOException;
    }

    Wallet(Path home, Argon2Settings argon2, FeedLogs feedLogs) throws AgentException {
        this.home = home;
        this.identities = home.resolve("identities");
        this.argon2 = argon2;
        this.feedLogs = feedLogs;
        try {
            HomePermissions.checkAncestors(home);
            AtomicFileWriter.createPrivateDirectories(identities);
            HomePermissions.checkHome(home);
            removeAbandonedStaging();
        } catch (IOException e) {
            throw new AgentException("storage.io", "could not prepare " + home + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes what an identity creation left when it did not finish (a crash, a kill): it never existed. A
     * staging directory whose creator still runs, here or in another process, holds the lock on its
     * {@code .lock} file and is left alone, so that one command never breaks another.
     */
    private void removeAbandonedStaging() throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> staged = Files.newDirectoryStream(identities, ".staging-*")) {
            staged.forEach(found::add);
        }
        for (Path p : found) {
            String name = p.getFileName().toString();
            if (name.endsWith(LOCK_SUFFIX)) {
                Path dir = identities.resolve(name.substring(0, name.length() - LOCK_SUFFIX.length()));
                // Without its directory, a lock file is either a creation about to make it or a leftover; only
                // an old one is a leftover.
                if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && olderThan(p, STALE_LOCK)) {
                    try (Staging.Held held = Staging.tryHold(p)) {
                        if (held != null) {
                            Files.deleteIfExists(p); // a creation that ended between our two looks
                        }
                    }
                }
                continue;
            }
            try (Staging.Held held = Staging.tryHold(identities.resolve(name + LOCK_SUFFIX))) {
                if (held != null) {
                    deleteTree(p);
                    Files.deleteIfExists(identities.resolve(name + LOCK_SUFFIX));
                }
            }
        }
    }

    /** Opens (creating it, mode 0700, if missing) the wallet at {@code home}, with the default keyring cost. */
    public static Wallet open(Path home) throws AgentException {
        return open(home, Argon2Settings.DEFAULTS);
    }

    /** Opens the wallet at {@code home}; new keyrings use {@code argon2}. */
    public static Wallet open(Path home, Argon2Settings argon2) throws AgentException {
        return new Wallet(home, argon2, FeedFiles::open);
    }

    public Path home() {
        return home;
    }

    /** The identities in this wallet, read without unlocking any keyring. */
    public List<IdentitySummary> identities() throws AgentException {
        Optional<String> current = current();
        List<IdentitySummary> out = new ArrayList<>();
        for (Path dir : identityDirs()) {
            IdentityMeta meta = IdentityMeta.read(dir.resolve("identity.meta"));
            String did = meta.identity().toDidKey();
            out.add(new IdentitySummary(did, meta.name(), current.map(did::equals).orElse(false),
                    !Files.exists(dir.resolve(PHRASE_MARKER)), meta.haloKey().isPresent()));
        }
        return out;
    }

    /** The DID of the identity commands act on, if any. */
    public Optional<String> current() throws AgentException {
        Path f = home.resolve("current");
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            if (lines.size() < 2 || !lines.get(0).equals(CURRENT_MAGIC)) {
                throw new AgentException("storage.corrupt", f + " is not a current-identity file");
            }
            return Optional.of(PublicKey.fromHex(lines.get(1)).toDidKey());
        } catch (IOException | KeyFormatException e) {
            throw new AgentException("storage.corrupt", "could not read " + f + ": " + e.getMessage(), e);
        }
    }

    /** Makes {@code did} the identity commands act on. */
    public void use(String did) throws AgentException {
        PublicKey key = parseDid(did);
        if (!Files.isDirectory(dirOf(key))) {
            throw new AgentException("identity.unknown", "no identity " + did + " in " + home);
        }
        try {
            AtomicFileWriter.DEFAULT.write(home.resolve("current"), (CURRENT_MAGIC + "\n" + key.toHex() + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AgentException("storage.io", "could not write the current identity: " + e.getMessage(), e);
        }
    }

    /**
     * Creates an identity (DESIGN §2): a 24-word phrase, the identity key at m/4256'/0', this device, and the
     * HALO genesis. The phrase and the identity private key stay encrypted in the keyring until
     * {@link Agent#confirmBackup}. The new identity becomes current.
     */
    public NewIdentity create(Optional<String> name, String deviceName, char[] passphrase) throws AgentException {
        RecoveryPhrase phrase = RecoveryPhrase.generate(new SecureRandom());
        Staging staged = staging();
        Path staging = staged.dir();
        try (FileKeyring keyring = FileKeyring.create(staging.resolve(KEYRING), passphrase, argon2)) {
            PublicKey identity = IdentityKeys.importIdentity(keyring, phrase);
            keyring.storeRecoveryPhrase(phrase);
            Files.createFile(staging.resolve(PHRASE_MARKER));
            PublicKey device = keyring.generate();
            PublicKey haloFeed = keyring.generate();
            Spaces.Created halo = Halo.genesis(keyring, identity, device, haloFeed, name, deviceName);
            try (FeedLog feeds = feedLogs.open(staging, keyring)) {
                for (Credential c : halo.credentials()) {
                    feeds.append(haloFeed, c);
                }
            }
            new IdentityMeta(identity, device, Optional.of(halo.spaceKey()), haloFeed, name, List.of())
                    .write(staging.resolve(META));
            publish(staging, identity);
            use(identity.toDidKey());
            return new NewIdentity(identity.toDidKey(), phrase);
        } catch (KeyringException e) {
            phrase.close();
            throw translate(e);
        } catch (IOException e) {
            phrase.close();
            throw new AgentException("storage.io", "could not create the identity: " + e.getMessage(), e);
        } catch (RuntimeException | AgentException e) {
            phrase.close();
            throw e;
        } finally {
            deleteQuietly(staging);
            staged.close();
        }
    }

    /**
     * Recovers an identity on this machine from its phrase (spec §4.1.5, DESIGN §2): the identity key
     * authorizes a new device; no genesis is written. The HALO arrives later by replication; until then the
     * identity says its HALO is not yet synced. The new identity becomes current.
     */
    public String recover(RecoveryPhrase phrase, Optional<String> name, String deviceName, char[] passphrase)
            throws AgentException {
        return recover(phrase, name, deviceName, passphrase, false);
    }

    /**
     * As {@link #recover(RecoveryPhrase, Optional, String, char[])}; with {@code revokeOtherDevices}, the identity
     * key also signs an {@code AllDevicesRevoked} that keeps only the new device (decision 0005): the lost
     * device, which this machine cannot list, can no longer log in once the revocation reaches the relying party.
     */
    public String recover(RecoveryPhrase phrase, Optional<String> name, String deviceName, char[] passphrase,
                          boolean revokeOtherDevices) throws AgentException {
        PublicKey identity = IdentityKeys.publicKeyOf(phrase);
        if (Files.isDirectory(dirOf(identity))) {
            throw new AgentException("identity.exists", "identity " + identity.toDidKey() + " is already in " + home);
        }
        Staging staged = staging();
        Path staging = staged.dir();
        try (FileKeyring keyring = FileKeyring.create(staging.resolve(KEYRING), passphrase, argon2)) {
            IdentityKeys.importIdentity(keyring, phrase);
            PublicKey device = keyring.generate();
            PublicKey haloFeed = keyring.generate();
            Signer self = Signer.of(keyring, identity);
            byte[] consent = DeviceAuthorizations.consent(keyring, device, identity);
            Credential auth = Credentials.issue(self).subject(device)
                    .assertion(AuthorizedDevice.newBuilder().setScope(DeviceScope.DEVICE_SCOPE_ADMIN)
                            .setDeviceConsent(com.google.protobuf.ByteString.copyFrom(consent)).build())
                    .sign();
            Credential profile = Credentials.issue(self).subject(device)
                    .assertion(DeviceProfile.newBuilder().setDisplayName(deviceName).build())
                    .parents(List.of(Credentials.id(auth))).sign();
            Optional<Credential> revokeOthers = revokeOtherDevices
                    ? Optional.of(Halo.revokeAllOtherDevices(self, List.of(device),
                            "every other device revoked by a recovery from the phrase"))
                    : Optional.empty();
            keyring.destroy(identity); // the person holds the words: nothing to confirm
            try (FeedLog feeds = feedLogs.open(staging, keyring)) {
                feeds.append(haloFeed, auth);
                feeds.append(haloFeed, profile);
                if (revokeOthers.isPresent()) {
                    feeds.append(haloFeed, revokeOthers.get());
                }
            }
            new IdentityMeta(identity, device, Optional.empty(), haloFeed, name, List.of()).write(staging.resolve(META));
            publish(staging, identity);
            use(identity.toDidKey());
            return identity.toDidKey();
        } catch (KeyringException e) {
            throw translate(e);
        } catch (IOException e) {
            throw new AgentException("storage.io", "could not recover the identity: " + e.getMessage(), e);
        } finally {
            deleteQuietly(staging);
            staged.close();
        }
    }

    /**
     * Starts joining an identity as a new device (a device invitation): a keyring with this device's key and
     * its HALO feed key, staged, not yet an identity of this wallet. The guest proves the device key in the
     * channel, the host authorizes it; {@link PendingDevice#complete} then makes the identity exist here, or
     * {@link PendingDevice#close} without it leaves nothing behind.
     */
    public PendingDevice prepareDevice(char[] passphrase) throws AgentException {
        Staging staged = staging();
        try {
            FileKeyring keyring = FileKeyring.create(staged.dir().resolve(KEYRING), passphrase, argon2);
            return new PendingDevice(staged, keyring, keyring.generate(), keyring.generate());
        } catch (KeyringException e) {
            deleteQuietly(staged.dir());
            staged.close();
            throw translate(e);
        }
    }

    /** A device being joined to an identity; see {@link #prepareDevice}. Close it in every case. */
    public final class PendingDevice implements AutoCloseable {
        private final Staging staged;
        private final FileKeyring keyring;
        private final PublicKey device;
        private final PublicKey haloFeed;
        private boolean published;

        private PendingDevice(Staging staged, FileKeyring keyring, PublicKey device, PublicKey haloFeed) {
            this.staged = staged;
            this.keyring = keyring;
            this.device = device;
            this.haloFeed = haloFeed;
        }

        /** The new device key (its private half stays in the staged keyring). */
        public PublicKey device() {
            return device;
        }

        /** This device as the (not yet authorized) local end of a channel. */
        public org.halo4j.net.LocalDevice localDevice() {
            return org.halo4j.net.LocalDevice.unauthorized(keyring, device);
        }

        /** The device's consent to be authorized for {@code identity} (DESIGN §2). */
        public byte[] consent(PublicKey identity) throws AgentException {
            try {
                return DeviceAuthorizations.consent(keyring, device, identity);
            } catch (KeyringException e) {
                throw translate(e);
            }
        }

        /**
         * Makes the identity exist in this wallet with this device, authorized by {@code authorization} (which
         * becomes the first entry of its HALO feed); the HALO itself arrives by replication. Becomes current.
         */
        public String complete(PublicKey identity, Credential authorization, Optional<String> name) throws AgentException {
            if (Files.isDirectory(dirOf(identity))) {
                throw new AgentException("identity.exists", "identity " + identity.toDidKey() + " is already in " + home);
            }
            Path staging = staged.dir();
            try {
                try (FeedLog feeds = feedLogs.open(staging, keyring)) {
                    feeds.append(haloFeed, authorization);
                }
                new IdentityMeta(identity, device, Optional.empty(), haloFeed, name, List.of()).write(staging.resolve(META));
                publish(staging, identity);
                published = true;
                use(identity.toDidKey());
                return identity.toDidKey();
            } catch (IOException e) {
                throw new AgentException("storage.io", "could not store the joined identity: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            keyring.close();
            if (!published) {
                deleteQuietly(staged.dir());
            }
            staged.close();
        }
    }

    /** Unlocks the keyring of {@code did} (the current identity if empty) and returns its agent. */
    public Agent open(Optional<String> did, char[] passphrase) throws AgentException {
        return agent(did, Optional.of(passphrase));
    }

    /**
     * The agent of {@code did} (the current identity if empty) for reading only: its feeds and metadata, with
     * the keyring left closed, so no passphrase and no Argon2 work are needed. Feeds are signed, not secret.
     * Everything that signs fails with {@code keyring.locked}.
     */
    public Agent read(Optional<String> did) throws AgentException {
        return agent(did, Optional.empty());
    }

    private Agent agent(Optional<String> did, Optional<char[]> passphrase) throws AgentException {
        String which = did.isPresent() ? did.get() : current().orElseThrow(() -> new AgentException("identity.none",
                "no identity in " + home + " yet: create one with 'halo identity create' or recover one"));
        PublicKey key = parseDid(which);
        Path dir = dirOf(key);
        if (!Files.isDirectory(dir)) {
            throw new AgentException("identity.unknown", "no identity " + which + " in " + home);
        }
        IdentityMeta meta = IdentityMeta.read(dir.resolve(META));
        FileKeyring keyring = null;
        if (passphrase.isPresent()) {
            try {
                keyring = FileKeyring.open(dir.resolve(KEYRING), passphrase.get());
            } catch (KeyringException e) {
                throw translate(e);
            }
        }
        try {
            return new Agent(dir, meta, keyring, feedLogs.open(dir, keyring));
        } catch (IOException e) {
            if (keyring != null) {
                keyring.close();
            }
            // the feed store's own code (storage.locked: another halo has this identity open) says more than storage.io
            String code = e.getCause() instanceof StorageException se ? se.code() : "storage.io";
            throw new AgentException(code, "could not open the feeds of " + which + ": " + e.getMessage(), e);
        }
    }

    static final String KEYRING = "keyring.halo";
    static final String META = "identity.meta";
    /** Present while the recovery phrase is kept in the keyring: lets listing tell without unlocking. */
    static final String PHRASE_MARKER = "backup-pending";

    private List<Path> identityDirs() throws AgentException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(identities, p -> !p.getFileName().toString().startsWith("."))) {
            ds.forEach(out::add);
        } catch (IOException e) {
            throw new AgentException("storage.io", "could not list " + identities + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private Path dirOf(PublicKey identity) {
        return identities.resolve(identity.toHex());
    }

    static final String LOCK_SUFFIX = ".lock";
    /** Age after which a staging lock file without its directory is a leftover. */
    static final java.time.Duration STALE_LOCK = java.time.Duration.ofMinutes(10);

    private static boolean olderThan(Path p, java.time.Duration age) throws IOException {
        try {
            return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant()
                    .isBefore(java.time.Instant.now().minus(age));
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }

    /** A new staging directory, with its lock file created and held first (see {@link #removeAbandonedStaging}). */
    Staging staging() throws AgentException {
        byte[] r = new byte[8];
        new SecureRandom().nextBytes(r);
        Path p = identities.resolve(".staging-" + HexFormat.of().formatHex(r));
        try {
            return Staging.create(p, p.resolveSibling(p.getFileName() + LOCK_SUFFIX));
        } catch (IOException e) {
            throw new AgentException("storage.io", "could not create " + p + ": " + e.getMessage(), e);
        }
    }

    /** The one step that makes an identity exist: rename its staging directory into place. */
    private void publish(Path staging, PublicKey identity) throws IOException {
        Files.move(staging, dirOf(identity), StandardCopyOption.ATOMIC_MOVE);
        AtomicFileWriter.syncDirectory(identities);
    }

    static PublicKey parseDid(String did) throws AgentException {
        try {
            return PublicKey.fromDidKey(did);
        } catch (KeyFormatException e) {
            throw new AgentException(e.code(), "not an identity did:key: " + e.getMessage(), e);
        }
    }

    static AgentException translate(KeyringException e) {
        if (e instanceof WrongPassphraseException) {
            return new AgentException(e.code(), "wrong keyring passphrase: " + e.getMessage(), e);
        }
        return new AgentException(e.code(), e.getMessage(), e);
    }

    private static void deleteQuietly(Path p) {
        try {
            if (Files.exists(p)) {
                deleteTree(p);
            }
        } catch (IOException e) {
            // left for the next open, which removes staging directories
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
