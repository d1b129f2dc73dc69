package org.halo4j.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.net.noise.NoiseHandshake;
import org.halo4j.keys.X25519;
import org.halo4j.proto.v1.Goodbye;
import org.halo4j.proto.v1.PeerMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Peer channels over real WebSockets on loopback: who they prove, and every way a peer or relay may cheat. */
class PeerChannelTest {

    private static final CredentialVerifier VERIFIER = CredentialVerifier.builder().ignoreRevocation().build();

    private final List<AutoCloseable> open = new ArrayList<>();
    /** What the server side's handlers saw: a RemotePeer, a received message, or the PeerException they ended with. */
    private final BlockingQueue<Object> serverSaw = new ArrayBlockingQueue<>(100);

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(open);
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private PeerServer server(ChannelLimits limits, LocalDevice device, Relay relay) throws Exception {
        PeerServer s = PeerServer.start("127.0.0.1", 0, limits, Map.of(
                "/halo/v1/peer", (t, path) -> {
                    try (PeerChannel c = PeerChannel.accept(t, device, VERIFIER, limits)) {
                        serverSaw.add(c.remote());
                        while (true) {
                            PeerMessage m = c.receive();
                            serverSaw.add(m);
                            c.send(m); // echo
                        }
                    } catch (PeerException e) {
                        serverSaw.add(e);
                    }
                },
                "/halo/v1/relay/*", (t, path) -> relay.join(path.substring(path.lastIndexOf('/') + 1), t)));
        open.add(s);
        return s;
    }

    private URI uri(PeerServer s, String path) {
        return URI.create("ws://127.0.0.1:" + s.address().getPort() + path);
    }

    private PeerConnector connector(ChannelLimits limits) throws PeerException {
        PeerConnector c = new PeerConnector(limits);
        open.add(c);
        return c;
    }

    private static PeerMessage goodbye(String text) {
        return PeerMessage.newBuilder().setGoodbye(Goodbye.newBuilder().setCode("test").setMessage(text)).build();
    }

    private Object nextServerEvent() throws InterruptedException {
        Object o = serverSaw.poll(20, TimeUnit.SECONDS);
        assertThat(o).as("the server side reported something").isNotNull();
        return o;
    }

    @Test
    void bothSidesProveTheirDeviceAndIdentityAndALongMessageArrivesWhole() throws Exception {
        LocalDevice alice = Devices.authorized();
        LocalDevice node = Devices.authorized();
        PeerServer s = server(ChannelLimits.DEFAULT, node, null);
        try (PeerChannel c = PeerChannel.initiate(connector(ChannelLimits.DEFAULT).connect(uri(s, "/halo/v1/peer")),
                alice, "sync", VERIFIER, ChannelLimits.DEFAULT)) {
            assertThat(c.remote().device()).isEqualTo(node.device());
            assertThat(c.remote().identity()).isEqualTo(node.identity());
            RemotePeer seen = (RemotePeer) nextServerEvent();
            assertThat(seen.device()).isEqualTo(alice.device());
            assertThat(seen.identity()).isEqualTo(alice.identity());
            assertThat(seen.purpose()).isEqualTo("sync");

            String big = "x".repeat(200_000); // four chunks
            c.send(goodbye(big));
            assertThat(c.receive().getGoodbye().getMessage()).isEqualTo(big);
        }
    }

    @Test
    void throughARelayTheRelaySeesCiphertextOnly() throws Exception {
        List<byte[]> relayed = Collections.synchronizedList(new ArrayList<>());
        Relay relay = new Relay(Duration.ofSeconds(20), (topic, m) -> relayed.add(m.clone()));
        PeerServer s = server(ChannelLimits.DEFAULT, Devices.authorized(), relay);
        String topic = "ab".repeat(32);
        LocalDevice host = Devices.authorized();
        LocalDevice guest = Devices.authorized();
        PeerConnector connector = connector(ChannelLimits.DEFAULT);
        CompletableFuture<String> hostGot = CompletableFuture.supplyAsync(() -> {
            try (PeerChannel c = PeerChannel.accept(connector.connect(uri(s, "/halo/v1/relay/" + topic)), host, VERIFIER,
                    ChannelLimits.DEFAULT)) {
                return c.remote().device().toHex() + " " + c.receive().getGoodbye().getMessage();
            } catch (PeerException e) {
                return e.code();
            }
        });
        Thread.sleep(300); // the host waits on the topic first
        String secret = "the code is 493817, do not tell the relay";
        try (PeerChannel c = PeerChannel.initiate(connector.connect(uri(s, "/halo/v1/relay/" + topic)), guest, "invitation",
                VERIFIER, ChannelLimits.DEFAULT)) {
            assertThat(c.remote().device()).isEqualTo(host.device());
            c.send(goodbye(secret));
            assertThat(hostGot.get(20, TimeUnit.SECONDS)).isEqualTo(guest.device().toHex() + " " + secret);
        }
        assertThat(relay.pairs()).isEqualTo(1);
        assertThat(relayed).hasSizeGreaterThanOrEqualTo(5); // three handshake messages, two hellos, the secret
        byte[] needle = "493817".getBytes(StandardCharsets.UTF_8);
        for (byte[] m : relayed) {
            // as Latin-1 every byte is one char: a byte string contains another iff its text does
            String seen = new String(m, StandardCharsets.ISO_8859_1);
            assertThat(seen).as("the relay saw the code in clear")
                    .doesNotContain(new String(needle, StandardCharsets.ISO_8859_1));
            assertThat(seen).as("the relay saw the guest's device key")
                    .doesNotContain(new String(guest.device().toBytes(), StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void aManInTheMiddleThatPassesOnAProofIsRefused() throws Exception {
        LocalDevice alice = Devices.authorized();
        LocalDevice bob = Devices.authorized();
        PeerServer s = server(ChannelLimits.DEFAULT, bob, null);
        // The attacker captures a proof Alice made (in a session with the attacker), then presents it to Bob in
        // its own session: the handshake hashes differ and the static key is the attacker's.
        LocalDevice mallory = Devices.unauthorized();
        PipeTransport[] pipe = PipeTransport.pair();
        CompletableFuture<PeerChannel> aliceSide = CompletableFuture.supplyAsync(() -> {
            try {
                return PeerChannel.initiate(pipe[0], alice, "sync", VERIFIER, ChannelLimits.DEFAULT);
            } catch (PeerException e) {
                throw new RuntimeException(e);
            }
        });
        RawPeer towardsAlice = RawPeer.respond(pipe[1], mallory);
        PeerMessage alicesHello = towardsAlice.receive();
        assertThat(alicesHello.hasHello()).isTrue();

        Transport toBob = connector(ChannelLimits.DEFAULT).connect(uri(s, "/halo/v1/peer"));
        RawPeer towardsBob = RawPeer.initiate(toBob, mallory);
        towardsBob.send(alicesHello);
        Object bobSaw = nextServerEvent();
        assertThat(bobSaw).isInstanceOf(PeerException.class);
        assertThat(((PeerException) bobSaw).code()).isEqualTo("peer.proof");
        aliceSide.cancel(true);
    }

    @Test
    void aPeerThatClaimsAnotherDevicesKeyCannotCompleteTheHandshake() throws Exception {
        LocalDevice bob = Devices.authorized();
        LocalDevice alice = Devices.authorized();
        PeerServer s = server(ChannelLimits.DEFAULT, bob, null);
        Transport toBob = connector(ChannelLimits.DEFAULT).connect(uri(s, "/halo/v1/peer"));
        // Alice's public X25519 key, with a private key that is not hers
        NoiseHandshake.KeyPair fake = new NoiseHandshake.KeyPair() {
            final NoiseHandshake.KeyPair real = NoiseHandshake.KeyPair.generate(new java.security.SecureRandom());

            @Override
            public byte[] publicKey() {
                return X25519.publicKeyOf(alice.device());
            }

            @Override
            public byte[] agree(byte[] peerPublic) throws org.halo4j.net.noise.NoiseException {
                return real.agree(peerPublic);
            }
        };
        RawPeer.initiate(toBob, fake); // XX: the initiator's static key is proved by the last message, which Bob reads
        Object bobSaw = nextServerEvent();
        assertThat(((PeerException) bobSaw).code()).isEqualTo("peer.handshake");
    }

    @Test
    void garbageAfterTheHandshakeEndsTheChannel() throws Exception {
        PeerServer s = server(ChannelLimits.DEFAULT, Devices.authorized(), null);
        LocalDevice alice = Devices.authorized();
        Transport t = connector(ChannelLimits.DEFAULT).connect(uri(s, "/halo/v1/peer"));
        try (PeerChannel c = PeerChannel.initiate(t, alice, "sync", VERIFIER, ChannelLimits.DEFAULT)) {
            assertThat(nextServerEvent()).isInstanceOf(RemotePeer.class);
            byte[] junk = new byte[100];
            new java.security.SecureRandom().nextBytes(junk);
            t.send(junk, Duration.ofSeconds(5)); // not a Noise transport message of this session
            Object e = nextServerEvent();
            assertThat(((PeerException) e).code()).isEqualTo("peer.protocol");
            assertThatThrownBy(() -> c.receive(Duration.ofSeconds(10))).isInstanceOf(PeerException.class)
                    .extracting(x -> ((PeerException) x).code()).isEqualTo("peer.closed");
        }
    }

    @Test
    void aFloodIsCutOff() throws Exception {
        ChannelLimits slow = ChannelLimits.DEFAULT.withMessagesPerSecond(20);
        PeerServer s = server(slow, Devices.authorized(), null);
        try (PeerChannel c = PeerChannel.initiate(connector(slow).connect(uri(s, "/halo/v1/peer")), Devices.authorized(),
                "sync", VERIFIER, slow)) {
            assertThat(nextServerEvent()).isInstanceOf(RemotePeer.class);
            Object last = null;
            try {
                for (int i = 0; i < 200; i++) {
                    c.send(goodbye("m" + i));
                }
            } catch (PeerException closed) {
                // the server cut us off while we were still sending
            }
            do {
                last = nextServerEvent();
            } while (last instanceof PeerMessage);
            assertThat(((PeerException) last).code()).isEqualTo("peer.flood");
        }
    }

    @Test
    void aSilentPeerTimesOutDuringTheHandshake() throws Exception {
        ChannelLimits quick = ChannelLimits.DEFAULT.withHandshakeTimeout(Duration.ofSeconds(1));
        PeerServer s = server(quick, Devices.authorized(), null);
        Transport t = connector(ChannelLimits.DEFAULT).connect(uri(s, "/halo/v1/peer"));
        Object e = nextServerEvent();
        assertThat(((PeerException) e).code()).isEqualTo("peer.timeout");
        assertThatThrownBy(() -> t.receive(Duration.ofSeconds(10))).isInstanceOf(PeerException.class)
                .extracting(x -> ((PeerException) x).code()).isEqualTo("peer.closed");
    }

    @Test
    void anOversizedFrameClosesTheConnectionWith1009() throws Exception {
        PeerServer s = server(ChannelLimits.DEFAULT, Devices.authorized(), null);
        WebSocketClient raw = new WebSocketClient();
        raw.setMaxBinaryMessageSize(1 << 20);
        raw.setMaxFrameSize(1 << 20);
        raw.start();
        open.add(raw::stop);
        CompletableFuture<Integer> closedWith = new CompletableFuture<>();
        Session session = raw.connect(new CloseWatcher(closedWith), uri(s, "/halo/v1/peer")).get(10, TimeUnit.SECONDS);
        session.sendBinary(ByteBuffer.wrap(new byte[Transport.MAX_MESSAGE + 1]), Callback.NOOP);
        assertThat(closedWith.get(10, TimeUnit.SECONDS)).isEqualTo(1009);
        Object e = nextServerEvent();
        assertThat(((PeerException) e).code()).isEqualTo("peer.closed");
    }

    @Test
    void connectionsAboveTheLimitAreRefusedBeforeAnyWork() throws Exception {
        ChannelLimits one = ChannelLimits.DEFAULT.withMaxConnections(1);
        PeerServer s = server(one, Devices.authorized(), null);
        PeerConnector connector = connector(ChannelLimits.DEFAULT);
        Transport first = connector.connect(uri(s, "/halo/v1/peer"));
        assertThatThrownBy(() -> connector.connect(uri(s, "/halo/v1/peer"))).isInstanceOf(PeerException.class)
                .extracting(x -> ((PeerException) x).code()).isEqualTo("peer.unreachable");
        assertThat(s.refusedConnections()).isEqualTo(1);
        first.close();
    }

    /** A plain WebSocket endpoint that reports how the server closed it. */
    public static final class CloseWatcher implements Session.Listener.AutoDemanding {
        private final CompletableFuture<Integer> closedWith;

        CloseWatcher(CompletableFuture<Integer> closedWith) {
            this.closedWith = closedWith;
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason, Callback callback) {
            callback.succeed();
            closedWith.complete(statusCode);
        }
    }

    /** An attacker's side of a channel, built from the Noise handshake itself, that sends what it likes. */
    static final class RawPeer {
        final Transport t;
        final NoiseHandshake.CipherState send;
        final NoiseHandshake.CipherState receive;

        private RawPeer(Transport t, NoiseHandshake.CipherState send, NoiseHandshake.CipherState receive) {
            this.t = t;
            this.send = send;
            this.receive = receive;
        }

        static RawPeer initiate(Transport t, LocalDevice device) throws Exception {
            return run(t, keyPairOf(device), true);
        }

        static RawPeer initiate(Transport t, NoiseHandshake.KeyPair key) throws Exception {
            return run(t, key, true);
        }

        static RawPeer respond(Transport t, LocalDevice device) throws Exception {
            return run(t, keyPairOf(device), false);
        }

        private static NoiseHandshake.KeyPair keyPairOf(LocalDevice d) {
            return new NoiseHandshake.KeyPair() {
                @Override
                public byte[] publicKey() {
                    return X25519.publicKeyOf(d.device());
                }

                @Override
                public byte[] agree(byte[] peerPublic) throws org.halo4j.net.noise.NoiseException {
                    try {
                        return d.keyring().agree(d.device(), peerPublic);
                    } catch (Exception e) {
                        throw new org.halo4j.net.noise.NoiseException(e.getMessage());
                    }
                }
            };
        }

        private static RawPeer run(Transport t, NoiseHandshake.KeyPair key, boolean initiator) throws Exception {
            NoiseHandshake hs = NoiseHandshake.start(NoiseHandshake.Pattern.XX, NoiseHandshake.Hash.SHA256, initiator,
                    PeerChannel.PROLOGUE.getBytes(StandardCharsets.US_ASCII), key,
                    NoiseHandshake.KeyPair.generate(new java.security.SecureRandom()));
            while (!hs.isComplete()) {
                if (hs.isMyTurn()) {
                    t.send(hs.write(new byte[0]), Duration.ofSeconds(5));
                } else {
                    hs.read(t.receive(Duration.ofSeconds(5)));
                }
            }
            NoiseHandshake.CipherState[] c = hs.split();
            return new RawPeer(t, c[0], c[1]); // this side's [send, receive]
        }

        void send(PeerMessage m) throws Exception {
            byte[] b = m.toByteArray();
            byte[] chunk = new byte[b.length + 1];
            System.arraycopy(b, 0, chunk, 1, b.length);
            t.send(send.encrypt(new byte[0], chunk), Duration.ofSeconds(5));
        }

        PeerMessage receive() throws Exception {
            byte[] chunk = receive.decrypt(new byte[0], t.receive(Duration.ofSeconds(5)));
            return PeerMessage.parseFrom(ByteString.copyFrom(chunk, 1, chunk.length - 1));
        }
    }
}
