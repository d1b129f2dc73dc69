package org.halo4j.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.feeds.FeedVerifier;
import org.halo4j.feeds.VerifiedEntry;
import org.halo4j.keys.Argon2Settings;
import org.halo4j.keys.InMemoryKeyring;
import org.halo4j.keys.PublicKey;
import org.halo4j.net.ChannelLimits;
import org.halo4j.net.PeerChannel;
import org.halo4j.net.PeerConnector;
import org.halo4j.node.agent.Agent;
import org.halo4j.node.agent.NewIdentity;
import org.halo4j.node.agent.SpaceSummary;
import org.halo4j.node.agent.SyncReport;
import org.halo4j.node.agent.Wallet;
import org.halo4j.node.server.HaloNode;
import org.halo4j.node.storage.Feed;
import org.halo4j.node.storage.FileFeedStore;
import org.halo4j.proto.v1.FeedEntry;
import org.halo4j.proto.v1.SpaceRole;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A space whose control feed holds {@code entries} credentials, replicated to a fresh member over loopback (real
 * WebSocket, Noise, replication turns, every entry verified and made durable, the space replayed), against, in
 * the same run, verifying the same entries locally: the feed's signatures and links alone (the floor named by
 * the goal), and those plus the credentials they carry (what any peer must check before it can use them).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@State(Scope.Benchmark)
public class ReplicationBenchmark {

    private static final char[] PASS = "a passphrase for the benchmark".toCharArray();

    @Param("10000")
    int entries;

    private Path root;
    private Agent source;
    private HaloNode node;
    private URI nodeAt;
    private Path pristinePeer;
    private String peerDid;
    private List<FeedEntry> feed;
    private PublicKey feedKey;

    private Path peerHome;
    private Agent peer;
    private PeerConnector connector;

    /**
     * Builds the two wallets once (writing {@code entries} credentials one by one takes minutes) and keeps them
     * in the temp directory for later runs: every benchmark of the class, in every fork, uses the same ones.
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        root = Path.of(System.getProperty("java.io.tmpdir"), "halo-replication-bench-" + entries + "-v2");
        if (!Files.exists(root.resolve("complete"))) {
            delete(root);
            Files.createDirectories(root);
            Wallet sourceWallet = Wallet.open(root.resolve("source"), Argon2Settings.forTests());
            NewIdentity created = sourceWallet.create(Optional.of("Alice"), "laptop", PASS);
            Wallet peerWallet = Wallet.open(root.resolve("peer"), Argon2Settings.forTests());
            String bobDid = peerWallet.create(Optional.of("Bob"), "laptop", PASS).did();
            try (Agent a = sourceWallet.open(Optional.of(created.did()), PASS);
                 Agent b = peerWallet.open(Optional.of(bobDid), PASS)) {
                SpaceSummary space = a.createSpace("bench");
                a.setRole(space.spaceId(), b.identity(), SpaceRole.SPACE_ROLE_READER);
                InMemoryKeyring strangers = new InMemoryKeyring();
                for (int i = 4; i < entries; i++) { // the genesis wrote 3 credentials, Bob's role 1
                    a.setRole(space.spaceId(), strangers.generate(), SpaceRole.SPACE_ROLE_READER);
                }
                b.joinSpace(space.spaceKey(), "bench");
            }
            Files.writeString(root.resolve("complete"), created.did() + "\n" + bobDid + "\n");
        }
        List<String> dids = Files.readAllLines(root.resolve("complete"));
        String aliceDid = dids.get(0);
        peerDid = dids.get(1);
        Wallet sourceWallet = Wallet.open(root.resolve("source"), Argon2Settings.forTests());
        pristinePeer = root.resolve("peer");
        // the entries, read back once for the local baselines
        try (FileFeedStore store = FileFeedStore.open(root.resolve("source").resolve("identities")
                .resolve(identityDir(root.resolve("source"))).resolve("feeds"))) {
            feed = new ArrayList<>();
            for (PublicKey k : store.feeds()) {
                Feed f = store.feed(k).orElseThrow();
                if (f.length() >= entries) {
                    feedKey = k;
                    for (VerifiedEntry e : f.entries(0, f.length())) {
                        feed.add(e.entry());
                    }
                }
            }
        }
        source = sourceWallet.open(Optional.of(aliceDid), PASS);
        node = HaloNode.start(source, "127.0.0.1", 0, ChannelLimits.DEFAULT, Duration.ofSeconds(30), line -> { });
        nodeAt = URI.create("ws://127.0.0.1:" + node.address().getPort() + HaloNode.PEER_PATH);
        connector = new PeerConnector(ChannelLimits.DEFAULT);
    }

    private static String identityDir(Path home) throws IOException {
        try (var s = Files.list(home.resolve("identities"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).findFirst().orElseThrow();
        }
    }

    /** A fresh copy of the member's wallet, as it was before it ever synced. */
    @Setup(Level.Invocation)
    public void freshPeer() throws Exception {
        peerHome = Files.createTempDirectory("halo-replication-peer-").resolve("home");
        copy(pristinePeer, peerHome);
        peer = Wallet.open(peerHome, Argon2Settings.forTests()).open(Optional.of(peerDid), PASS);
    }

    @TearDown(Level.Invocation)
    public void dropPeer() throws Exception {
        peer.close();
        delete(peerHome.getParent());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        connector.close();
        node.close();
        source.close(); // the built wallets stay for the next run
    }

    @Benchmark
    public SyncReport replicateToAFreshPeer() throws Exception {
        try (PeerChannel c = PeerChannel.initiate(connector.connect(nodeAt), peer.localDevice(), "sync", peer.verifier(),
                ChannelLimits.DEFAULT)) {
            SyncReport r = peer.sync(c, true);
            if (r.received() < entries) {
                throw new IllegalStateException("received " + r.received() + " of " + entries + " entries");
            }
            return r;
        }
    }

    /** The floor named by the goal: every entry's signature and its link to the one before. */
    @Benchmark
    public VerifiedEntry verifyEntriesLocally() throws Exception {
        Optional<VerifiedEntry> previous = Optional.empty();
        for (FeedEntry e : feed) {
            previous = Optional.of(FeedVerifier.verifyNext(feedKey, previous, e));
        }
        return previous.orElseThrow();
    }

    /** What any peer must check before it can use the entries: those, and the credential each one carries. */
    @Benchmark
    public long verifyEntriesAndCredentialsLocally() throws Exception {
        CredentialVerifier verifier = CredentialVerifier.builder().ignoreRevocation().build();
        Optional<VerifiedEntry> previous = Optional.empty();
        long n = 0;
        for (FeedEntry e : feed) {
            VerifiedEntry v = FeedVerifier.verifyNext(feedKey, previous, e);
            verifier.verifyForReplay(v.payload());
            previous = Optional.of(v);
            n++;
        }
        return n;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.copy(dir, to.resolve(from.relativize(dir)), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!file.getFileName().toString().endsWith(".lock")) {
                    Files.copy(file, to.resolve(from.relativize(file)), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
