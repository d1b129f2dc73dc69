package org.halo4j.net.noise;

import static org.assertj.core.api.Assertions.assertThat;

import com.southernstorm.noise.protocol.CipherStatePair;
import com.southernstorm.noise.protocol.HandshakeState;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.halo4j.net.noise.NoiseHandshake.CipherState;
import org.halo4j.net.noise.NoiseHandshake.Hash;
import org.halo4j.net.noise.NoiseHandshake.KeyPair;
import org.halo4j.net.noise.NoiseHandshake.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.DisplayName;

/**
 * Our handshake against a second implementation, noise-java (Signal's fork), with fresh random keys: both
 * roles, both hashes; the handshake hashes agree and transport messages decrypt both ways.
 */
@DisplayName("Noise XX interoperates with noise-java")
class NoiseInteropTest {

    private static final byte[] PROLOGUE = "halo/net/v1".getBytes(StandardCharsets.US_ASCII);
    private final SecureRandom random = new SecureRandom();

    private HandshakeState theirs(Hash hash, int role, byte[] staticPrivate) throws Exception {
        HandshakeState h = new HandshakeState("Noise_XX_25519_ChaChaPoly_" + hash.label, role);
        h.setPrologue(PROLOGUE, 0, PROLOGUE.length);
        h.getLocalKeyPair().setPrivateKey(staticPrivate, 0);
        h.start();
        return h;
    }

    private static byte[] write(HandshakeState h, byte[] payload) throws Exception {
        byte[] out = new byte[NoiseHandshake.MAX_MESSAGE];
        int n = h.writeMessage(out, 0, payload, 0, payload.length);
        return Arrays.copyOf(out, n);
    }

    private static byte[] read(HandshakeState h, byte[] msg) throws Exception {
        byte[] out = new byte[NoiseHandshake.MAX_MESSAGE];
        int n = h.readMessage(msg, 0, msg.length, out, 0);
        return Arrays.copyOf(out, n);
    }

    @ParameterizedTest(name = "{0}, we initiate")
    @EnumSource(Hash.class)
    void weInitiate(Hash hash) throws Exception {
        byte[] ourStatic = new byte[32];
        byte[] theirStatic = new byte[32];
        random.nextBytes(ourStatic);
        random.nextBytes(theirStatic);
        NoiseHandshake us = NoiseHandshake.start(Pattern.XX, hash, true, PROLOGUE, KeyPair.of(ourStatic),
                KeyPair.generate(random));
        HandshakeState them = theirs(hash, HandshakeState.RESPONDER, theirStatic);
        byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
        assertThat(read(them, us.write(hello))).isEqualTo(hello);
        assertThat(us.read(write(them, "device proof".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("device proof".getBytes(StandardCharsets.UTF_8));
        read(them, us.write(new byte[0]));
        assertThat(them.getAction()).isEqualTo(HandshakeState.SPLIT);
        assertThat(us.handshakeHash()).isEqualTo(them.getHandshakeHash());
        assertThat(us.remoteStatic()).isEqualTo(KeyPair.of(theirStatic).publicKey());
        transport(us.split(), them.split());
    }

    @ParameterizedTest(name = "{0}, they initiate")
    @EnumSource(Hash.class)
    void theyInitiate(Hash hash) throws Exception {
        byte[] ourStatic = new byte[32];
        byte[] theirStatic = new byte[32];
        random.nextBytes(ourStatic);
        random.nextBytes(theirStatic);
        HandshakeState them = theirs(hash, HandshakeState.INITIATOR, theirStatic);
        NoiseHandshake us = NoiseHandshake.start(Pattern.XX, hash, false, PROLOGUE, KeyPair.of(ourStatic),
                KeyPair.generate(random));
        us.read(write(them, new byte[0]));
        read(them, us.write(new byte[0]));
        us.read(write(them, new byte[0]));
        assertThat(us.isComplete()).isTrue();
        assertThat(us.handshakeHash()).isEqualTo(them.getHandshakeHash());
        CipherStatePair pair = them.split();
        CipherState[] ours = us.split();
        byte[] msg = "to the responder".getBytes(StandardCharsets.UTF_8);
        byte[] ct = new byte[msg.length + 16];
        pair.getSender().encryptWithAd(new byte[0], msg, 0, ct, 0, msg.length);
        assertThat(ours[1].decrypt(new byte[0], ct)).isEqualTo(msg);
        byte[] back = ours[0].encrypt(new byte[0], msg);
        byte[] pt = new byte[back.length];
        int n = pair.getReceiver().decryptWithAd(new byte[0], back, 0, pt, 0, back.length);
        assertThat(Arrays.copyOf(pt, n)).isEqualTo(msg);
    }

    private static void transport(CipherState[] ours, CipherStatePair theirs) throws Exception {
        for (int i = 0; i < 5; i++) {
            byte[] msg = ("message " + i).getBytes(StandardCharsets.UTF_8);
            byte[] ct = ours[0].encrypt(new byte[0], msg);
            byte[] pt = new byte[ct.length];
            int n = theirs.getReceiver().decryptWithAd(new byte[0], ct, 0, pt, 0, ct.length);
            assertThat(Arrays.copyOf(pt, n)).isEqualTo(msg);
            byte[] reply = new byte[msg.length + 16];
            theirs.getSender().encryptWithAd(new byte[0], msg, 0, reply, 0, msg.length);
            assertThat(ours[1].decrypt(new byte[0], reply)).isEqualTo(msg);
        }
    }
}
