package org.halo4j.net.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.halo4j.net.noise.NoiseHandshake.CipherState;
import org.halo4j.net.noise.NoiseHandshake.Hash;
import org.halo4j.net.noise.NoiseHandshake.KeyPair;
import org.halo4j.net.noise.NoiseHandshake.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The Noise handshake against the cacophony vectors (copied from ../shared/vectors into the test resources):
 * every handshake and transport message byte for byte, and the handshake hash, for XX and NN with SHA256 and
 * BLAKE2b. Then what an attacker on the wire tries: altered, truncated, oversized and replayed messages.
 */
@DisplayName("Noise handshake (25519, ChaChaPoly, SHA256/BLAKE2b)")
class NoiseVectorsTest {

    private static final HexFormat HEX = HexFormat.of();

    private static JsonNode vectors() throws Exception {
        try (InputStream in = NoiseVectorsTest.class.getResourceAsStream("/vectors/noise-cacophony-25519-chachapoly.json")) {
            return new ObjectMapper().readTree(in).get("vectors");
        }
    }

    @TestFactory
    Stream<DynamicTest> cacophony() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : vectors()) {
            String name = v.get("protocol_name").asText();
            for (Pattern p : Pattern.values()) {
                for (Hash h : Hash.values()) {
                    if (name.equals("Noise_" + p.name() + "_25519_ChaChaPoly_" + h.label)) {
                        tests.add(DynamicTest.dynamicTest(name, () -> replay(p, h, v)));
                    }
                }
            }
        }
        assertThat(tests).as("XX and NN vectors, both hashes").hasSize(4);
        return tests.stream();
    }

    private static byte[] hex(JsonNode v, String field) {
        return v.hasNonNull(field) ? HEX.parseHex(v.get(field).asText()) : null;
    }

    private static KeyPair key(JsonNode v, String field) {
        byte[] k = hex(v, field);
        return k == null ? null : KeyPair.of(k);
    }

    private static void replay(Pattern p, Hash h, JsonNode v) throws Exception {
        NoiseHandshake init = NoiseHandshake.start(p, h, true, hex(v, "init_prologue"), key(v, "init_static"),
                key(v, "init_ephemeral"));
        NoiseHandshake resp = NoiseHandshake.start(p, h, false, hex(v, "resp_prologue"), key(v, "resp_static"),
                key(v, "resp_ephemeral"));
        JsonNode messages = v.get("messages");
        int i = 0;
        for (; !init.isComplete(); i++) {
            NoiseHandshake writer = init.isMyTurn() ? init : resp;
            NoiseHandshake reader = writer == init ? resp : init;
            byte[] payload = hex(messages.get(i), "payload");
            byte[] sent = writer.write(payload);
            assertThat(HEX.formatHex(sent)).as("handshake message %d", i).isEqualTo(messages.get(i).get("ciphertext").asText());
            assertThat(reader.read(sent)).isEqualTo(payload);
        }
        assertThat(resp.isComplete()).isTrue();
        assertThat(HEX.formatHex(init.handshakeHash())).isEqualTo(v.get("handshake_hash").asText());
        assertThat(resp.handshakeHash()).isEqualTo(init.handshakeHash());
        if (p == Pattern.XX) {
            assertThat(init.remoteStatic()).isEqualTo(key(v, "resp_static").publicKey());
            assertThat(resp.remoteStatic()).isEqualTo(key(v, "init_static").publicKey());
        }
        CipherState[] a = init.split();
        CipherState[] b = resp.split();
        // transport messages go on alternating where the handshake left off
        for (; i < messages.size(); i++) {
            boolean fromInit = i % 2 == 0;
            byte[] payload = hex(messages.get(i), "payload");
            byte[] sent = (fromInit ? a[0] : b[0]).encrypt(new byte[0], payload);
            assertThat(HEX.formatHex(sent)).as("transport message %d", i).isEqualTo(messages.get(i).get("ciphertext").asText());
            assertThat((fromInit ? b[1] : a[1]).decrypt(new byte[0], sent)).isEqualTo(payload);
        }
    }

    /** A completed XX handshake between fresh keys: each side's [send, receive] ciphers. */
    private static CipherState[][] completed() throws NoiseException {
        NoiseHandshake[] s = pair();
        while (!s[0].isComplete()) {
            NoiseHandshake w = s[0].isMyTurn() ? s[0] : s[1];
            (w == s[0] ? s[1] : s[0]).read(w.write(new byte[0]));
        }
        return new CipherState[][] {s[0].split(), s[1].split()};
    }

    private static NoiseHandshake[] pair() {
        SecureRandom r = new SecureRandom();
        byte[] prologue = "halo/test".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return new NoiseHandshake[] {
            NoiseHandshake.start(Pattern.XX, Hash.SHA256, true, prologue, KeyPair.generate(r), KeyPair.generate(r)),
            NoiseHandshake.start(Pattern.XX, Hash.SHA256, false, prologue, KeyPair.generate(r), KeyPair.generate(r))};
    }

    @Test
    @DisplayName("one altered bit in any handshake message ends the handshake; nothing of it is used")
    void alteredMessages() throws Exception {
        for (int victim = 0; victim < 3; victim++) {
            for (int bit : new int[] {0, 7, 8 * 31 + 3, -1}) {
                NoiseHandshake[] s = pair();
                byte[] msg = null;
                int m = 0;
                for (; m < victim; m++) {
                    NoiseHandshake w = s[0].isMyTurn() ? s[0] : s[1];
                    (w == s[0] ? s[1] : s[0]).read(w.write(new byte[] {1, 2, 3}));
                }
                NoiseHandshake w = s[0].isMyTurn() ? s[0] : s[1];
                NoiseHandshake r = w == s[0] ? s[1] : s[0];
                msg = w.write(new byte[] {1, 2, 3});
                int at = bit < 0 ? msg.length * 8 - 1 : bit;
                msg[at / 8] ^= (byte) (1 << (at % 8));
                byte[] altered = msg;
                if (victim == 0) {
                    // the first message is in the clear: a changed ephemeral key shows only later, as a failure
                    r.read(altered);
                    NoiseHandshake back = r;
                    byte[] reply = back.write(new byte[0]);
                    assertThatThrownBy(() -> w.read(reply)).isInstanceOf(NoiseException.class);
                    assertThatThrownBy(w::split).isInstanceOf(NoiseException.class);
                } else {
                    assertThatThrownBy(() -> r.read(altered)).isInstanceOf(NoiseException.class);
                    assertThatThrownBy(() -> r.read(altered)).isInstanceOf(NoiseException.class)
                            .hasMessageContaining("already failed");
                }
            }
        }
    }

    @Test
    @DisplayName("truncated and oversized messages are refused before any work; turns are enforced")
    void boundsAndTurns() throws Exception {
        NoiseHandshake[] s = pair();
        assertThatThrownBy(() -> s[1].read(new byte[10])).isInstanceOf(NoiseException.class).hasMessageContaining("ephemeral");
        NoiseHandshake[] t = pair();
        assertThatThrownBy(() -> t[1].read(new byte[NoiseHandshake.MAX_MESSAGE + 1])).isInstanceOf(NoiseException.class)
                .hasMessageContaining("limit");
        NoiseHandshake[] u = pair();
        assertThatThrownBy(() -> u[1].write(new byte[0])).isInstanceOf(NoiseException.class).hasMessageContaining("turn");
        assertThatThrownBy(() -> u[0].write(new byte[NoiseHandshake.MAX_MESSAGE])).isInstanceOf(NoiseException.class);
    }

    @Test
    @DisplayName("transport: a replayed, reordered or altered message does not decrypt")
    void transport() throws Exception {
        CipherState[][] ab = completed();
        CipherState[] a = ab[0];
        CipherState[] b = ab[1];
        byte[] m1 = a[0].encrypt(new byte[0], "one".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] m2 = a[0].encrypt(new byte[0], "two".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThatThrownBy(() -> b[1].decrypt(new byte[0], m2)).isInstanceOf(NoiseException.class); // reordered
        assertThat(b[1].decrypt(new byte[0], m1)).isEqualTo("one".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThatThrownBy(() -> b[1].decrypt(new byte[0], m1)).isInstanceOf(NoiseException.class); // replayed
        byte[] altered = m2.clone();
        altered[0] ^= 1;
        assertThatThrownBy(() -> b[1].decrypt(new byte[0], altered)).isInstanceOf(NoiseException.class);
        assertThatThrownBy(() -> b[1].decrypt(new byte[0], new byte[5])).isInstanceOf(NoiseException.class)
                .hasMessageContaining("shorter than its tag");
        assertThat(b[1].decrypt(new byte[0], m2)).isEqualTo("two".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        // the other direction has its own key: a message cannot be reflected back to its sender
        assertThatThrownBy(() -> a[1].decrypt(new byte[0], m1)).isInstanceOf(NoiseException.class);
    }

    @Test
    @DisplayName("a destroyed cipher refuses to work: it never falls back to sending or accepting plaintext")
    void destroyedCipher() throws Exception {
        CipherState[][] ab = completed();
        CipherState[] a = ab[0];
        CipherState[] b = ab[1];
        byte[] m = a[0].encrypt(new byte[0], new byte[] {1, 2, 3});
        a[0].destroy();
        b[1].destroy();
        assertThatThrownBy(() -> a[0].encrypt(new byte[0], new byte[] {4, 5, 6})).isInstanceOf(NoiseException.class)
                .hasMessageContaining("destroyed");
        assertThatThrownBy(() -> b[1].decrypt(new byte[0], m)).isInstanceOf(NoiseException.class)
                .hasMessageContaining("destroyed");
    }
}
