package org.halo4j.net.noise;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * A Noise handshake (the Noise Protocol Framework, revision 34) with 25519, ChaChaPoly and SHA256 or BLAKE2b,
 * built from Bouncy Castle primitives, for the patterns halo4j uses: {@code XX} (both sides prove a static key)
 * and {@code NN} (tests). Checked byte for byte against the cacophony vectors. One object per side and
 * handshake; not thread-safe. After the last message, {@link #split()} gives the two transport ciphers and
 * {@link #handshakeHash()} the value both sides bind their identity proofs to.
 *
 * <p>Every message is bounded ({@value #MAX_MESSAGE} bytes, the Noise limit), and a message that does not
 * decrypt fails with {@link NoiseException} and ends the handshake: nothing of it is used.
 */
public final class NoiseHandshake {

    /** The largest Noise message. */
    public static final int MAX_MESSAGE = 65535;
    /** Bytes of a 25519 public key. */
    public static final int DH_LEN = 32;
    private static final int TAG = 16;

    /** The hash a suite uses. */
    public enum Hash {
        SHA256("SHA256", 32), BLAKE2B("BLAKE2b", 64);

        final String label;
        final int length;

        Hash(String label, int length) {
            this.label = label;
            this.length = length;
        }

        Digest digest() {
            return this == SHA256 ? new SHA256Digest() : new Blake2bDigest(512);
        }
    }

    /** A handshake pattern: its name and, per message, its tokens. */
    public enum Pattern {
        NN(List.of(List.of("e"), List.of("e", "ee"))),
        XX(List.of(List.of("e"), List.of("e", "ee", "s", "es"), List.of("s", "se")));

        final List<List<String>> messages;

        Pattern(List<List<String>> messages) {
            this.messages = messages;
        }
    }

    /** An X25519 key pair whose private half may live elsewhere (a keyring): it only agrees. */
    public interface KeyPair {
        /** The 32-byte public key. */
        byte[] publicKey();

        /** X25519 with {@code peerPublic}: the shared secret (the caller wipes it). */
        byte[] agree(byte[] peerPublic) throws NoiseException;

        /** A key pair held in memory, from its 32-byte private key (copied). */
        static KeyPair of(byte[] privateKey) {
            return new Local(new X25519PrivateKeyParameters(privateKey, 0));
        }

        /** A fresh random key pair. */
        static KeyPair generate(SecureRandom random) {
            return new Local(new X25519PrivateKeyParameters(random));
        }
    }

    private record Local(X25519PrivateKeyParameters key) implements KeyPair {
        @Override
        public byte[] publicKey() {
            return key.generatePublicKey().getEncoded();
        }

        @Override
        public byte[] agree(byte[] peerPublic) throws NoiseException {
            byte[] out = new byte[32];
            X25519Agreement a = new X25519Agreement();
            a.init(key);
            try {
                a.calculateAgreement(new X25519PublicKeyParameters(peerPublic, 0), out, 0);
            } catch (IllegalStateException e) {
                // an all-zero shared secret: a small-order point offered by the peer
                throw new NoiseException("the peer's key is a small-order point");
            }
            return out;
        }
    }

    private final Pattern pattern;
    private final boolean initiator;
    private final SymmetricState symmetric;
    private final KeyPair s;
    private final KeyPair e;
    private byte[] rs;
    private byte[] re;
    private int message;
    private boolean failed;

    private NoiseHandshake(Pattern pattern, Hash hash, boolean initiator, byte[] prologue, KeyPair s, KeyPair e) {
        this.pattern = pattern;
        this.initiator = initiator;
        this.s = s;
        this.e = e;
        this.symmetric = new SymmetricState("Noise_" + pattern.name() + "_25519_ChaChaPoly_" + hash.label, hash);
        symmetric.mixHash(prologue);
    }

    /**
     * One side of a handshake.
     *
     * @param staticKey this side's static key ({@code null} for NN)
     * @param ephemeral this side's ephemeral key: a fresh random one, or a fixed one for test vectors
     */
    public static NoiseHandshake start(Pattern pattern, Hash hash, boolean initiator, byte[] prologue, KeyPair staticKey,
                                       KeyPair ephemeral) {
        if (pattern == Pattern.XX) {
            Objects.requireNonNull(staticKey, "XX needs a static key");
        }
        return new NoiseHandshake(Objects.requireNonNull(pattern), Objects.requireNonNull(hash), initiator,
                prologue.clone(), staticKey, Objects.requireNonNull(ephemeral));
    }

    /** True when every message of the pattern has been written or read. */
    public boolean isComplete() {
        return message == pattern.messages.size();
    }

    /** True if it is this side's turn to write. */
    public boolean isMyTurn() {
        return !isComplete() && (message % 2 == 0) == initiator;
    }

    /** The peer's static public key, once a message has carried it. */
    public byte[] remoteStatic() {
        return rs == null ? null : rs.clone();
    }

    /** The handshake hash: both sides have the same once the handshake is complete. */
    public byte[] handshakeHash() {
        return symmetric.h.clone();
    }

    /** Writes this side's next message, carrying {@code payload} (encrypted once a key is mixed in). */
    public byte[] write(byte[] payload) throws NoiseException {
        usable(true);
        Buffer out = new Buffer();
        try {
            for (String token : pattern.messages.get(message)) {
                switch (token) {
                    case "e" -> {
                        byte[] pub = e.publicKey();
                        out.put(pub);
                        symmetric.mixHash(pub);
                    }
                    case "s" -> out.put(symmetric.encryptAndHash(s.publicKey()));
                    default -> dh(token);
                }
            }
            out.put(symmetric.encryptAndHash(payload));
            if (out.length() > MAX_MESSAGE) {
                throw new NoiseException("a handshake message of " + out.length() + " bytes; the limit is " + MAX_MESSAGE);
            }
            message++;
            return out.bytes();
        } catch (NoiseException | RuntimeException ex) {
            failed = true;
            throw ex;
        }
    }

    /** Reads the peer's next message; returns its payload. */
    public byte[] read(byte[] msg) throws NoiseException {
        usable(false);
        try {
            if (msg.length > MAX_MESSAGE) {
                throw new NoiseException("a handshake message of " + msg.length + " bytes; the limit is " + MAX_MESSAGE);
            }
            int at = 0;
            for (String token : pattern.messages.get(message)) {
                switch (token) {
                    case "e" -> {
                        re = slice(msg, at, DH_LEN, "ephemeral key");
                        at += DH_LEN;
                        symmetric.mixHash(re);
                    }
                    case "s" -> {
                        int len = DH_LEN + (symmetric.hasKey() ? TAG : 0);
                        rs = symmetric.decryptAndHash(slice(msg, at, len, "static key"));
                        at += len;
                    }
                    default -> dh(token);
                }
            }
            byte[] payload = symmetric.decryptAndHash(Arrays.copyOfRange(msg, at, msg.length));
            message++;
            return payload;
        } catch (NoiseException | RuntimeException ex) {
            failed = true;
            throw ex;
        }
    }

    /** The transport ciphers, once the handshake is complete: this side's sending one, then its receiving one. */
    public CipherState[] split() throws NoiseException {
        if (!isComplete() || failed) {
            throw new NoiseException("the handshake is not complete");
        }
        CipherState[] both = symmetric.split();
        return initiator ? both : new CipherState[] {both[1], both[0]};
    }

    private void usable(boolean writing) throws NoiseException {
        if (failed) {
            throw new NoiseException("the handshake already failed");
        }
        if (isComplete()) {
            throw new NoiseException("the handshake is complete");
        }
        if (isMyTurn() != writing) {
            throw new NoiseException(writing ? "it is the peer's turn to write" : "it is this side's turn to write");
        }
    }

    private void dh(String token) throws NoiseException {
        // "es": initiator's ephemeral with responder's static; "se": initiator's static with responder's ephemeral
        boolean mineEphemeral = switch (token) {
            case "ee" -> true;
            case "es" -> initiator;
            case "se" -> !initiator;
            case "ss" -> false;
            default -> throw new IllegalStateException("unknown token " + token);
        };
        boolean theirsEphemeral = switch (token) {
            case "ee" -> true;
            case "es" -> !initiator;
            case "se" -> initiator;
            default -> false;
        };
        byte[] theirs = theirsEphemeral ? re : rs;
        if (theirs == null) {
            throw new NoiseException("the peer's " + (theirsEphemeral ? "ephemeral" : "static") + " key is missing");
        }
        byte[] shared = (mineEphemeral ? e : s).agree(theirs);
        try {
            symmetric.mixKey(shared);
        } finally {
            Arrays.fill(shared, (byte) 0);
        }
    }

    private static byte[] slice(byte[] msg, int at, int len, String what) throws NoiseException {
        if (msg.length - at < len) {
            throw new NoiseException("the message ends inside the " + what + " (" + msg.length + " bytes)");
        }
        return Arrays.copyOfRange(msg, at, at + len);
    }

    /** A growing byte array. */
    private static final class Buffer {
        private byte[] b = new byte[128];
        private int n;

        void put(byte[] x) {
            if (n + x.length > b.length) {
                b = Arrays.copyOf(b, Math.max(b.length * 2, n + x.length));
            }
            System.arraycopy(x, 0, b, n, x.length);
            n += x.length;
        }

        int length() {
            return n;
        }

        byte[] bytes() {
            return Arrays.copyOf(b, n);
        }
    }

    /** Noise's CipherState: a ChaChaPoly key and a counting nonce. */
    public static final class CipherState {
        private byte[] k;
        private long n;
        /** Set by {@link #destroy}: from then on nothing is encrypted or decrypted (never as plaintext). */
        private boolean destroyed;

        CipherState(byte[] key) {
            this.k = key;
        }

        boolean hasKey() {
            return k != null;
        }

        /** Encrypts {@code plaintext} with associated data {@code ad}; without a key, returns it as is. */
        public byte[] encrypt(byte[] ad, byte[] plaintext) throws NoiseException {
            if (destroyed) {
                throw new NoiseException("the cipher was destroyed: the session is over");
            }
            if (k == null) {
                return plaintext.clone();
            }
            return aead(true, ad, plaintext);
        }

        /** Decrypts and authenticates {@code ciphertext}; a wrong tag is a {@link NoiseException}. */
        public byte[] decrypt(byte[] ad, byte[] ciphertext) throws NoiseException {
            if (destroyed) {
                throw new NoiseException("the cipher was destroyed: the session is over");
            }
            if (k == null) {
                return ciphertext.clone();
            }
            if (ciphertext.length < TAG) {
                throw new NoiseException("a ciphertext of " + ciphertext.length + " bytes is shorter than its tag");
            }
            return aead(false, ad, ciphertext);
        }

        private byte[] aead(boolean encrypt, byte[] ad, byte[] in) throws NoiseException {
            if (n == -1L) {
                throw new NoiseException("the nonce is exhausted: start a new session");
            }
            byte[] nonce = new byte[12];
            for (int i = 0; i < 8; i++) {
                nonce[4 + i] = (byte) (n >>> (8 * i));
            }
            ChaCha20Poly1305 c = new ChaCha20Poly1305();
            c.init(encrypt, new AEADParameters(new KeyParameter(k), TAG * 8, nonce, ad));
            byte[] out = new byte[c.getOutputSize(in.length)];
            try {
                int len = c.processBytes(in, 0, in.length, out, 0);
                c.doFinal(out, len);
            } catch (InvalidCipherTextException ex) {
                throw new NoiseException("a message does not decrypt: altered, replayed or from someone else");
            }
            n++;
            return out;
        }

        /** Wipes the key; the cipher refuses all later work. */
        public void destroy() {
            destroyed = true;
            if (k != null) {
                Arrays.fill(k, (byte) 0);
                k = null;
            }
        }
    }

    /** Noise's SymmetricState: the chaining key, the handshake hash and the current cipher. */
    private static final class SymmetricState {
        private final Hash hash;
        private byte[] ck;
        private byte[] h;
        private CipherState cipher = new CipherState(null);

        SymmetricState(String protocolName, Hash hash) {
            this.hash = hash;
            byte[] name = protocolName.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            h = name.length <= hash.length ? Arrays.copyOf(name, hash.length) : digest(name);
            ck = h.clone();
        }

        boolean hasKey() {
            return cipher.hasKey();
        }

        private byte[] digest(byte[]... parts) {
            Digest d = hash.digest();
            for (byte[] p : parts) {
                d.update(p, 0, p.length);
            }
            byte[] out = new byte[d.getDigestSize()];
            d.doFinal(out, 0);
            return out;
        }

        void mixHash(byte[] data) {
            h = digest(h, data);
        }

        /** Noise's HKDF(ck, ikm) with two outputs: RFC 5869 with salt = ck and empty info. */
        private byte[][] hkdf(byte[] ikm) {
            HKDFBytesGenerator g = new HKDFBytesGenerator(hash.digest());
            g.init(new HKDFParameters(ikm, ck, new byte[0]));
            byte[] out = new byte[2 * hash.length];
            g.generateBytes(out, 0, out.length);
            byte[][] two = {Arrays.copyOf(out, hash.length), Arrays.copyOfRange(out, hash.length, out.length)};
            Arrays.fill(out, (byte) 0);
            return two;
        }

        void mixKey(byte[] ikm) {
            byte[][] out = hkdf(ikm);
            Arrays.fill(ck, (byte) 0);
            ck = out[0];
            cipher.destroy();
            cipher = new CipherState(Arrays.copyOf(out[1], 32));
            Arrays.fill(out[1], (byte) 0);
        }

        byte[] encryptAndHash(byte[] plaintext) throws NoiseException {
            byte[] ct = cipher.encrypt(h, plaintext);
            mixHash(ct);
            return ct;
        }

        byte[] decryptAndHash(byte[] ciphertext) throws NoiseException {
            byte[] pt = cipher.decrypt(h, ciphertext);
            mixHash(ciphertext);
            return pt;
        }

        CipherState[] split() {
            byte[][] out = hkdf(new byte[0]);
            CipherState[] two = {new CipherState(Arrays.copyOf(out[0], 32)), new CipherState(Arrays.copyOf(out[1], 32))};
            Arrays.fill(out[0], (byte) 0);
            Arrays.fill(out[1], (byte) 0);
            cipher.destroy();
            return two;
        }
    }
}
