package org.halo4j.samples.logindemo;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.DeviceStatus;
import org.halo4j.credentials.DeviceAuthorizations;
import org.halo4j.credentials.Signer;
import org.halo4j.keys.Argon2Settings;
import org.halo4j.keys.FileKeyring;
import org.halo4j.keys.IdentityKeys;
import org.halo4j.keys.InMemoryKeyring;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.keys.RecoveryPhrase;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.IdentityProfile;
import org.halo4j.proto.v1.Presentation;
import org.halo4j.proto.v1.PresentationBody;
import org.halo4j.proto.v1.Proof;
import org.halo4j.presentations.Challenge;
import org.halo4j.presentations.HaloVerifier;
import org.halo4j.presentations.InMemoryChallengeStore;
import org.halo4j.presentations.LoginResult;
import org.halo4j.presentations.Presentations;

/**
 * Walks through halo4j end to end, on real keys and a real encrypted keyring file: a new identity from 24
 * words, a device authorized by it, a login to a relying party, attacks that fail with their error codes, and
 * recovery of the same identity from the words. Exits 0 only if every step behaved as it must.
 */
public final class LoginDemo {

    static final String SITE = "https://app.example.com";

    private final PrintStream out;
    private int failures;

    LoginDemo(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("usage: java -jar halo-login-demo.jar\n"
                    + "Creates a throw-away identity in a temporary directory, logs in with it, and shows attacks fail.");
            return;
        }
        Path dir = Files.createTempDirectory("halo-demo-");
        int failures;
        try {
            failures = new LoginDemo(System.out).run(dir, Argon2Settings.DEFAULTS);
        } finally {
            deleteTree(dir); // before exiting: System.exit inside the try would skip this
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    /** Runs the demo in {@code dir}; returns the number of steps that did not behave as they must. */
    int run(Path dir, Argon2Settings argon2) throws Exception {
        out.println("halo4j login demo\n");

        // 1. a new identity: 24 words, the identity key at m/4256'/0'
        out.println("1. A new identity");
        InMemoryKeyring onboarding = new InMemoryKeyring();
        char[] words;
        PublicKey identity;
        try (RecoveryPhrase phrase = RecoveryPhrase.generate(new SecureRandom())) {
            words = phrase.toChars();
            identity = IdentityKeys.importIdentity(onboarding, phrase);
        }
        out.println("   recovery phrase (a real one; this demo identity is thrown away at the end):");
        printWords(words);
        out.println("   identity: " + identity.toDidKey());

        // 2. this device: its own key in an encrypted keyring file, authorized by the identity
        out.println("\n2. This device");
        Path file = dir.resolve("device.keyring");
        char[] passphrase = randomPassphrase(new SecureRandom());
        Credential authorization;
        PublicKey device;
        try (FileKeyring keyring = FileKeyring.create(file, passphrase, argon2)) {
            device = keyring.generate();
            byte[] consent = DeviceAuthorizations.consent(keyring, device, identity);
            authorization = DeviceAuthorizations.authorize(Signer.of(onboarding, identity), device,
                    DeviceScope.DEVICE_SCOPE_ADMIN, consent, Optional.empty());
        }
        Credential profile = Credentials.issue(Signer.of(onboarding, identity)).subject(identity)
                .assertion(IdentityProfile.newBuilder().setDisplayName("Ada").build()).sign();
        onboarding.destroy(identity);
        out.println("   keyring " + file.getFileName() + ": Argon2id " + argon2.memoryKiB() / 1024 + " MiB, t="
                + argon2.iterations() + ", AES-256-GCM, mode 0600");
        out.println("   device " + device.shortId() + " consented and was authorized (ADMIN) by the identity");
        out.println("   the identity's private key is destroyed; from now on the device acts for it");

        // 3. log in to a relying party
        out.println("\n3. Logging in to " + SITE);
        InMemoryChallengeStore store = new InMemoryChallengeStore();
        // The site learns revocations from the state it shares with its users (normally a replayed space); here,
        // a set the demo revokes into in step 4.
        Set<PublicKey> revoked = ConcurrentHashMap.newKeySet();
        DeviceStatus revocations = (id, dev) -> revoked.contains(dev);
        HaloVerifier site = HaloVerifier.builder().audience(SITE).challengeStore(store).deviceStatus(revocations).build();
        Challenge challenge = site.startLogin();
        out.println("   challenge " + challenge.toJson());
        Presentation presentation;
        try (FileKeyring keyring = FileKeyring.open(file, passphrase)) {
            presentation = Presentations.sign(Signer.device(keyring, device, authorization), challenge.nonce(),
                    challenge.audience(), List.of(profile));
        }
        byte[] bytes = presentation.toByteArray();
        out.println("   presentation: " + bytes.length + " bytes, signed by device " + device.shortId()
                + " with a 1-link chain, presenting 1 credential");
        LoginResult login = site.finishLogin(challenge, bytes);
        check(login.identity().equals(identity), "logged in as " + login.did() + " from device "
                + login.device().shortId() + " (scope " + login.scope().map(sc -> sc.name().replace("DEVICE_SCOPE_", ""))
                .orElse("identity") + ")");

        // 4. attacks
        out.println("\n4. Attacks");
        expectRejected("the same presentation replayed", () -> site.finishLogin(challenge, bytes));
        HaloVerifier other = HaloVerifier.builder().audience("https://evil.example.com").challengeStore(store)
                .deviceStatus(revocations).build();
        Challenge elsewhere = other.startLogin();
        expectRejected("a presentation replayed at another site", () -> {
            try (FileKeyring keyring = FileKeyring.open(file, passphrase)) {
                Presentation p = Presentations.sign(Signer.device(keyring, device, authorization), elsewhere.nonce(),
                        SITE, List.of());
                other.finishLogin(elsewhere, p.toByteArray());
            }
        });
        Challenge fresh = site.startLogin();
        byte[] signed;
        try (FileKeyring keyring = FileKeyring.open(file, passphrase)) {
            signed = Presentations.sign(Signer.device(keyring, device, authorization), fresh).toByteArray();
        }
        byte[] flipped = signed.clone();
        flipped[flipped.length / 2] ^= 0x01;
        expectRejected("one bit flipped in a presentation", () -> site.finishLogin(fresh, flipped));
        InMemoryKeyring mallory = new InMemoryKeyring();
        PublicKey malloryKey = mallory.generate();
        expectRejected("another person's key claiming this identity", () -> {
            site.finishLogin(fresh, claimIdentity(mallory, malloryKey, identity, fresh));
        });
        byte[] before = Files.readAllBytes(file);
        try {
            FileKeyring.open(file, "wrong passphrase".toCharArray()).close();
            check(false, "a wrong keyring passphrase was accepted");
        } catch (KeyringException e) {
            check(Arrays.equals(before, Files.readAllBytes(file)),
                    String.format("%-44s -> %s (file unchanged)", "a wrong keyring passphrase", e.code()));
        }
        check(site.finishLogin(fresh, signed).identity().equals(identity),
                "and the genuine presentation still logs in once after all that");
        revoked.add(device);
        Challenge afterRevocation = site.startLogin();
        expectRejected("the same device after it was revoked", () -> {
            try (FileKeyring keyring = FileKeyring.open(file, passphrase)) {
                site.finishLogin(afterRevocation,
                        Presentations.sign(Signer.device(keyring, device, authorization), afterRevocation).toByteArray());
            }
        });

        // 5. recovery from the 24 words
        out.println("\n5. Recovery");
        try (RecoveryPhrase again = RecoveryPhrase.parse(words)) {
            PublicKey recovered = IdentityKeys.publicKeyOf(again);
            check(recovered.equals(identity), "the same 24 words give the same identity: " + recovered.toDidKey());
        } finally {
            Arrays.fill(words, '\0');
            Arrays.fill(passphrase, '\0');
        }
        out.println(failures == 0 ? "\nEverything behaved as it must." : "\n" + failures + " step(s) did not behave as they must.");
        return failures;
    }

    /** A fresh random passphrase for the demo's keyring (24 characters of 33: about 121 bits), never a fixed string. */
    private static char[] randomPassphrase(SecureRandom random) {
        char[] alphabet = "abcdefghijkmnopqrstuvwxyz23456789".toCharArray();
        char[] out = new char[24];
        for (int i = 0; i < out.length; i++) {
            out[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return out;
    }

    /** A presentation that names {@code victim} as the identity logging in, signed by someone else's key. */
    private static byte[] claimIdentity(InMemoryKeyring keyring, PublicKey key, PublicKey victim, Challenge c)
            throws KeyringException {
        ByteString body = PresentationBody.newBuilder()
                .setNonce(ByteString.copyFrom(c.nonce()))
                .setAudience(c.audience())
                .setIssuedAt(Timestamp.newBuilder().setSeconds(Instant.now().getEpochSecond()))
                .setIdentity(ByteString.copyFrom(victim.toBytes()))
                .build().toByteString();
        byte[] signature = keyring.sign(key, SignatureDomain.PRESENTATION, body.toByteArray());
        return Presentation.newBuilder().setBody(body)
                .setProof(Proof.newBuilder().setSigner(ByteString.copyFrom(key.toBytes()))
                        .setSignature(ByteString.copyFrom(signature)))
                .build().toByteArray();
    }

    private interface Attempt {
        void run() throws Exception;
    }

    private void expectRejected(String what, Attempt attempt) throws Exception {
        try {
            attempt.run();
            check(false, what + " was ACCEPTED");
        } catch (HaloRejectedException e) {
            check(true, String.format("%-44s -> %s", what, e.code().code()));
        }
    }

    private void check(boolean ok, String line) {
        if (!ok) {
            failures++;
        }
        out.println("   " + (ok ? "[ok]   " : "[FAIL] ") + line);
    }

    private void printWords(char[] words) {
        int word = 0;
        StringBuilder line = new StringBuilder("     ");
        StringBuilder current = new StringBuilder();
        for (int i = 0; i <= words.length; i++) {
            if (i == words.length || words[i] == ' ') {
                word++;
                line.append(String.format("%2d %-10s", word, current));
                current.setLength(0);
                if (word % 6 == 0) {
                    out.println(line);
                    line.setLength(0);
                    line.append("     ");
                }
            } else {
                current.append(words[i]);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
