package org.halo4j.net;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.keys.Ed25519;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.keys.X25519;
import org.halo4j.net.noise.NoiseException;
import org.halo4j.net.noise.NoiseHandshake;
import org.halo4j.proto.v1.AuthorizedDevice;
import org.halo4j.proto.v1.PeerHello;
import org.halo4j.proto.v1.PeerMessage;

/**
 * An encrypted, mutually authenticated channel between two devices over a {@link Transport}.
 *
 * <p><b>Handshake.</b> {@code Noise_XX_25519_ChaChaPoly_SHA256} with the prologue {@value #PROLOGUE}; each side's
 * static key is the X25519 form of its device key, held by its keyring. Then each side sends a {@link PeerHello}:
 * its device key (whose X25519 form must be the static key the handshake proved), its identity and
 * AuthorizedDevice credential, and an Ed25519 signature by the device over the handshake hash and its role
 * ({@link SignatureDomain#PEER_SESSION}). A relay that ran one handshake with each side has two different hashes,
 * so it cannot pass one side's proof to the other: sessions cannot be spliced, and a proof cannot be reflected.
 *
 * <p><b>Messages.</b> A {@link PeerMessage} of at most {@link ChannelLimits#maxMessage()} bytes travels as Noise
 * transport messages, each carrying a chunk of at most {@value #CHUNK} bytes after a one-byte flag (1: more
 * follow). Every received message is decrypted (a replayed, reordered or altered one ends the channel), its size
 * bounded before it is reassembled, and strictly decoded. A peer that sends more than the rate limit allows is cut
 * off ({@code peer.flood}). {@link #send} and {@link #receive} are each thread-safe.
 */
public final class PeerChannel implements AutoCloseable {

    /** Bound into the handshake: both sides must speak this protocol. */
    public static final String PROLOGUE = "halo/v1/peer";
    /** Plaintext bytes per transport message after the flag byte. */
    static final int CHUNK = Transport.MAX_MESSAGE - 16 - 1;

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final byte ROLE_INITIATOR = 1;
    private static final byte ROLE_RESPONDER = 2;

    private final Transport transport;
    private final ChannelLimits limits;
    private final NoiseHandshake.CipherState sendCipher;
    private final NoiseHandshake.CipherState receiveCipher;
    private final Object sendLock = new Object();
    private final Object receiveLock = new Object();
    private final RateLimit rate;
    private RemotePeer remote;
    private volatile boolean closed;
    /** True while a thread is inside {@link #receive}. */
    private volatile boolean receiving;

    private PeerChannel(Transport transport, ChannelLimits limits, NoiseHandshake.CipherState send,
                        NoiseHandshake.CipherState receive) {
        this.transport = transport;
        this.limits = limits;
        this.sendCipher = send;
        this.receiveCipher = receive;
        this.rate = new RateLimit(limits.messagesPerSecond());
    }

    /** Opens the channel as the side that connected. */
    public static PeerChannel initiate(Transport transport, LocalDevice local, String purpose, CredentialVerifier verifier,
                                       ChannelLimits limits) throws PeerException {
        return establish(transport, local, purpose, verifier, limits, true);
    }

    /** Opens the channel as the side that was connected to. */
    public static PeerChannel accept(Transport transport, LocalDevice local, CredentialVerifier verifier,
                                     ChannelLimits limits) throws PeerException {
        return establish(transport, local, "", verifier, limits, false);
    }

    private static PeerChannel establish(Transport transport, LocalDevice local, String purpose,
                                         CredentialVerifier verifier, ChannelLimits limits, boolean initiator)
            throws PeerException {
        long deadline = System.nanoTime() + limits.handshakeTimeout().toNanos();
        NoiseHandshake hs;
        NoiseHandshake.CipherState[] ciphers;
        try {
            NoiseHandshake.KeyPair staticKey = new DeviceKeyPair(local);
            hs = NoiseHandshake.start(NoiseHandshake.Pattern.XX, NoiseHandshake.Hash.SHA256, initiator,
                    PROLOGUE.getBytes(java.nio.charset.StandardCharsets.US_ASCII), staticKey,
                    NoiseHandshake.KeyPair.generate(RANDOM));
            while (!hs.isComplete()) {
                if (hs.isMyTurn()) {
                    transport.send(hs.write(new byte[0]), remaining(deadline));
                } else {
                    byte[] m = transport.receive(remaining(deadline));
                    if (hs.read(m).length != 0) {
                        throw new PeerException("peer.handshake", "the peer put data into the handshake");
                    }
                }
            }
            ciphers = hs.split();
        } catch (NoiseException e) {
            transport.close("handshake failed");
            throw new PeerException("peer.handshake", "the handshake with " + transport.remote() + " failed: "
                    + e.getMessage(), e);
        }
        PeerChannel channel = new PeerChannel(transport, limits, ciphers[0], ciphers[1]); // [send, receive]
        byte[] hash = hs.handshakeHash();
        byte myRole = initiator ? ROLE_INITIATOR : ROLE_RESPONDER;
        byte theirRole = initiator ? ROLE_RESPONDER : ROLE_INITIATOR;
        try {
            PeerHello.Builder hello = PeerHello.newBuilder()
                    .setDevice(ByteString.copyFrom(local.device().toBytes()))
                    .setSignature(ByteString.copyFrom(local.keyring().sign(local.device(), SignatureDomain.PEER_SESSION,
                            proofPayload(hash, myRole))))
                    .setPurpose(purpose);
            local.identity().ifPresent(i -> hello.setIdentity(ByteString.copyFrom(i.toBytes())));
            local.authorization().ifPresent(hello::setAuthorization);
            channel.send(PeerMessage.newBuilder().setHello(hello).build(), remaining(deadline));
            PeerMessage m = channel.receive(remaining(deadline));
            if (!m.hasHello()) {
                throw new PeerException("peer.protocol", "the peer did not prove which device it is");
            }
            channel.remote = check(m.getHello(), hash, theirRole, hs.remoteStatic(), verifier, transport.remote());
        } catch (KeyringException e) {
            channel.close("error");
            throw new PeerException("peer.keyring", "this device could not sign its proof: " + e.getMessage(), e);
        } catch (PeerException e) {
            channel.close(e.code());
            throw e;
        }
        return channel;
    }

    private static byte[] proofPayload(byte[] handshakeHash, byte role) {
        byte[] p = java.util.Arrays.copyOf(handshakeHash, handshakeHash.length + 1);
        p[handshakeHash.length] = role;
        return p;
    }

    private static RemotePeer check(PeerHello hello, byte[] hash, byte role, byte[] remoteStatic,
                                    CredentialVerifier verifier, String address) throws PeerException {
        PublicKey device;
        try {
            device = PublicKey.of(hello.getDevice().toByteArray());
        } catch (IllegalArgumentException e) {
            throw new PeerException("peer.proof", "the peer's device key is not a key");
        }
        byte[] x;
        try {
            x = X25519.publicKeyOf(device);
        } catch (IllegalArgumentException e) {
            throw new PeerException("peer.proof", "the peer's device key has no X25519 form");
        }
        if (!MessageDigest.isEqual(x, remoteStatic)) {
            throw new PeerException("peer.proof", "the peer's device key is not the key it proved in the handshake");
        }
        if (!Ed25519.verify(device, SignatureDomain.PEER_SESSION, proofPayload(hash, role),
                hello.getSignature().toByteArray())) {
            throw new PeerException("peer.proof", "the peer's device proof does not verify for this session");
        }
        String purpose = hello.getPurpose();
        if (!purpose.isEmpty() && !purpose.equals("sync") && !purpose.equals("invitation") && !purpose.equals("claim")) {
            throw new PeerException("peer.protocol", "the peer asked for an unknown purpose");
        }
        if (hello.getIdentity().isEmpty()) {
            if (hello.hasAuthorization()) {
                throw new PeerException("peer.proof", "the peer sent an authorization without an identity");
            }
            return new RemotePeer(device, Optional.empty(), Optional.empty(), purpose, address);
        }
        PublicKey identity;
        try {
            identity = PublicKey.of(hello.getIdentity().toByteArray());
        } catch (IllegalArgumentException e) {
            throw new PeerException("peer.proof", "the peer's identity is not a key");
        }
        if (!hello.hasAuthorization()) {
            throw new PeerException("peer.proof", "the peer names identity " + identity.toDidKey()
                    + " without the authorization of its device");
        }
        VerifiedCredential auth;
        try {
            auth = verifier.verify(hello.getAuthorization().toByteArray(), AuthorizedDevice.class);
        } catch (HaloRejectedException e) {
            throw new PeerException("peer.proof", "the peer's device authorization is refused: " + e.getMessage());
        }
        if (!auth.issuer().equals(identity) || !auth.subject().equals(device)) {
            throw new PeerException("peer.proof", "the peer's authorization is not " + identity.toDidKey()
                    + "'s for device " + device.shortId());
        }
        return new RemotePeer(device, Optional.of(identity), Optional.of(auth), purpose, address);
    }

    /** Who the other side proved to be. */
    public RemotePeer remote() {
        return remote;
    }

    /** Sends {@code message}; waits at most the idle timeout for the transport to take each chunk. */
    public void send(PeerMessage message) throws PeerException {
        send(message, limits.idleTimeout());
    }

    private void send(PeerMessage message, Duration timeout) throws PeerException {
        byte[] bytes = message.toByteArray();
        if (bytes.length > limits.maxMessage()) {
            throw new IllegalArgumentException("a peer message is at most " + limits.maxMessage() + " bytes, not "
                    + bytes.length);
        }
        synchronized (sendLock) {
            int off = 0;
            do {
                int n = Math.min(CHUNK, bytes.length - off);
                byte[] chunk = new byte[n + 1];
                chunk[0] = (byte) (off + n < bytes.length ? 1 : 0);
                System.arraycopy(bytes, off, chunk, 1, n);
                try {
                    transport.send(sendCipher.encrypt(new byte[0], chunk), timeout);
                } catch (NoiseException e) {
                    throw new PeerException("peer.closed", "the channel can send no more: " + e.getMessage(), e);
                }
                off += n;
            } while (off < bytes.length);
        }
    }

    /** The next message; fails with {@code peer.timeout} after the idle timeout. */
    public PeerMessage receive() throws PeerException {
        return receive(limits.idleTimeout());
    }

    /** The next message, waiting at most {@code timeout}. */
    public PeerMessage receive(Duration timeout) throws PeerException {
        synchronized (receiveLock) {
            try {
                receiving = true;
                return receiveLocked(timeout);
            } finally {
                receiving = false;
                if (closed) {
                    receiveCipher.destroy();
                }
            }
        }
    }

    private PeerMessage receiveLocked(Duration timeout) throws PeerException {
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        while (true) {
            byte[] m = transport.receive(timeout);
            if (!rate.allow()) {
                close("peer.flood");
                throw new PeerException("peer.flood", transport.remote() + " sent more than "
                        + limits.messagesPerSecond() + " messages per second");
            }
            if (closed) {
                throw new PeerException("peer.closed", "the channel to " + transport.remote() + " was closed");
            }
            byte[] chunk;
            try {
                chunk = receiveCipher.decrypt(new byte[0], m);
            } catch (NoiseException e) {
                close("peer.protocol");
                throw new PeerException("peer.protocol", transport.remote() + " sent a message that does not decrypt"
                        + " (altered, replayed or out of order)", e);
            }
            if (chunk.length == 0 || (chunk[0] != 0 && chunk[0] != 1)) {
                close("peer.protocol");
                throw new PeerException("peer.protocol", transport.remote() + " sent a chunk without its flag");
            }
            if (whole.size() + chunk.length - 1 > limits.maxMessage()) {
                close("peer.too_big");
                throw new PeerException("peer.too_big", transport.remote() + " sent a message above "
                        + limits.maxMessage() + " bytes");
            }
            whole.write(chunk, 1, chunk.length - 1);
            if (chunk[0] == 0) {
                try {
                    return PeerMessages.decode(whole.toByteArray(), limits.maxMessage());
                } catch (PeerException e) {
                    close(e.code());
                    throw e;
                }
            }
        }
    }

    /** Sends a {@code Goodbye} (best effort) and closes. */
    public void goodbye(String code, String message) {
        if (closed) {
            return;
        }
        try {
            send(PeerMessage.newBuilder().setGoodbye(org.halo4j.proto.v1.Goodbye.newBuilder().setCode(code)
                    .setMessage(message)).build(), Duration.ofSeconds(2));
        } catch (PeerException | RuntimeException ignored) {
            // closing anyway
        }
        close(code);
    }

    /** Closes the transport and wipes the cipher keys. */
    public void close(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        transport.close(reason);
        synchronized (sendLock) {
            sendCipher.destroy();
        }
        // a thread blocked in receive() holds the receive cipher: it is wiped when that receive returns
        if (!receiving) {
            synchronized (receiveLock) {
                receiveCipher.destroy();
            }
        }
    }

    @Override
    public void close() {
        close("closed");
    }

    private static Duration remaining(long deadline) throws PeerException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new PeerException("peer.timeout", "the peer did not complete the handshake in time");
        }
        return Duration.ofNanos(left);
    }

    /** The device's static Noise key: the X25519 form of its Ed25519 key, agreeing inside the keyring. */
    private static final class DeviceKeyPair implements NoiseHandshake.KeyPair {
        private final LocalDevice local;
        private final byte[] pub;

        DeviceKeyPair(LocalDevice local) {
            this.local = local;
            this.pub = X25519.publicKeyOf(local.device());
        }

        @Override
        public byte[] publicKey() {
            return pub.clone();
        }

        @Override
        public byte[] agree(byte[] peerPublic) throws NoiseException {
            try {
                return local.keyring().agree(local.device(), peerPublic);
            } catch (KeyringException | IllegalArgumentException e) {
                throw new NoiseException("the device key could not agree: " + e.getMessage());
            }
        }
    }

    /** A token bucket: {@code perSecond} sustained, a burst of twice as many. */
    private static final class RateLimit {
        private final double perNano;
        private final double burst;
        private double tokens;
        private long last = System.nanoTime();

        RateLimit(int perSecond) {
            this.perNano = perSecond / 1e9;
            this.burst = 2.0 * perSecond;
            this.tokens = burst;
        }

        boolean allow() {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - last) * perNano);
            last = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
