package org.halo4j.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.halo4j.credentials.CredentialId;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.internal.json.Json;
import org.halo4j.node.agent.CredentialSummary;
import org.halo4j.presentations.Challenge;
import org.halo4j.presentations.HaloVerifier;
import org.halo4j.presentations.InMemoryChallengeStore;
import org.halo4j.presentations.LoginResult;
import org.halo4j.proto.v1.Presentation;

/** {@code halo presentation}: sign a login presentation for a relying party, and check one. */
final class PresentationCommand {

    final HaloCommand halo;

    PresentationCommand(HaloCommand halo) {
        this.halo = halo;
    }

    /** The {@code halo presentation} commands, acting through {@code halo}. */
    static Cmd spec(HaloCommand halo) {
        PresentationCommand c = new PresentationCommand(halo);
        return Cmd.group("presentation", "Presentations: sign one for a relying party's challenge, verify one.")
                .sub(Cmd.command("sign", l -> c.sign(
                                l.value("--audience").orElse(null),
                                l.value("--nonce").orElse(null),
                                l.values("--credential"),
                                l.value("--out").map(Path::of).orElse(null)),
                        "Sign a halo.v1.Presentation answering a relying party's challenge, with "
                                + "this device's chain to the identity, and write it to FILE.")
                        .option(Cmd.Opt.value("--audience", "ORIGIN", "The relying party's origin, for example:",
                        "https://app.example.com").asRequired())
                        .option(Cmd.Opt.value("--nonce", "HEX", "The challenge nonce the relying party sent (32 bytes in hex).").asRequired())
                        .option(Cmd.Opt.value("--credential", "ID", "A credential about this identity to present; repeat for more.").asRepeatable())
                        .option(Cmd.Opt.value("--out", "FILE", "Where to write the presentation (replaced if it exists).").asRequired()))
                .sub(Cmd.command("verify", l -> c.verify(
                                Path.of(l.param(0)),
                                l.value("--audience").orElse(null),
                                l.value("--nonce").orElse(null),
                                l.flag("--with-wallet")),
                        "Check the presentation in FILE as the relying party at ORIGIN that "
                                + "issued the challenge HEX would: exit 0 only if it would log in.",
                        "Needs no passphrase. Without --with-wallet no identity is needed and no revocation is known: a revoked device still "
                                + "passes. With it, the device revocations of this identity's HALO and spaces are checked, as a "
                                + "relying party that shares those spaces would.")
                        .param("FILE", "The presentation to check (halo.v1.Presentation).")
                        .option(Cmd.Opt.value("--audience", "ORIGIN", "The relying party's origin the presentation must be for.").asRequired())
                        .option(Cmd.Opt.value("--nonce", "HEX", "The challenge nonce the relying party issued (32 bytes in hex).").asRequired())
                        .option(Cmd.Opt.flag("--with-wallet", "Also refuse devices that this identity knows are "
                                + "revoked (reads the wallet; no passphrase needed).")));
    }

    int sign(String audience, String nonceHex, List<String> ids, Path out) throws Exception {
        String origin = origin(audience);
        byte[] nonce = nonce(nonceHex);
        List<String> wanted = ids == null ? List.of() : ids;
        record Signed(Presentation presentation, String did, String device, List<CredentialId> credentials) {
        }
        Signed signed = halo.withAgent(agent -> {
            List<CredentialId> resolved = new ArrayList<>();
            for (String id : wanted) {
                CredentialSummary c = CredentialCommand.resolve(agent, id);
                if (!c.subject().equals(agent.identity())) {
                    throw new CliException("presentation.subject_mismatch", "credential " + c.id().toHex() + " is about "
                            + Format.did(c.subject()) + ", not about " + agent.did() + ": a relying party would reject it",
                            ExitCode.USAGE);
                }
                resolved.add(c.id());
            }
            Presentation p = agent.signPresentation(origin, nonce, resolved);
            return new Signed(p, agent.did(), agent.device().toHex(), resolved);
        });
        byte[] bytes = signed.presentation().toByteArray();
        BinaryFiles.write(out, bytes);
        Map<String, Object> o = Json.object();
        o.put("file", out.toString());
        o.put("did", signed.did());
        o.put("device", signed.device());
        o.put("audience", origin);
        o.put("nonce", HexFormat.of().formatHex(nonce));
        o.put("credentials", signed.credentials().stream().map(CredentialId::toHex).toList());
        o.put("bytes", bytes.length);
        halo.print(o, () -> halo.out("Signed a presentation of " + signed.did() + " for " + origin + " to " + out
                + " (" + bytes.length + " bytes)"));
        return ExitCode.OK;
    }

    int verify(Path file, String audience, String nonceHex, boolean withWallet) throws Exception {
        String origin = origin(audience);
        byte[] nonce = nonce(nonceHex);
        byte[] bytes = BinaryFiles.read(file, "a presentation");
        InMemoryChallengeStore store = new InMemoryChallengeStore();
        Instant now = Instant.now();
        Challenge challenge = new Challenge(nonce, origin, now, now.plus(HaloVerifier.DEFAULT_CHALLENGE_TTL));
        store.put(challenge);
        HaloVerifier.RevocationStep site = HaloVerifier.builder().audience(origin).challengeStore(store);
        HaloVerifier verifier = withWallet
                ? halo.withReader(agent -> site.credentialVerifier(agent.verifier()).build())
                : site.ignoreRevocation().build();
        Map<String, Object> o = Json.object();
        try {
            LoginResult login = verifier.finishLogin(challenge, bytes);
            o.put("valid", true);
            o.put("did", login.did());
            o.put("device", login.device().toHex());
            o.put("audience", origin);
            o.put("revocationChecked", withWallet);
            o.put("credentials", login.presentedIds().stream().map(CredentialId::toHex).toList());
            halo.print(o, () -> halo.out("valid: " + login.did() + " would log in to " + origin + " (device "
                    + login.device().toHex() + ")" + (withWallet ? "" : "; revocation not checked (--with-wallet checks it)")));
            return ExitCode.OK;
        } catch (HaloRejectedException e) {
            return halo.refused(o, e);
        }
    }

    /** An RFC 6454 origin as relying parties compare it. */
    private static String origin(String audience) throws CliException {
        try {
            HaloVerifier.builder().audience(audience);
            return audience;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new CliException("argument.audience", e.getMessage(), ExitCode.USAGE);
        }
    }

    private static byte[] nonce(String hex) throws CliException {
        byte[] nonce = Args.hex("--nonce", hex);
        if (nonce.length != Challenge.NONCE_LENGTH) {
            throw new CliException("argument.nonce", "--nonce is the relying party's " + Challenge.NONCE_LENGTH
                    + "-byte challenge (" + 2 * Challenge.NONCE_LENGTH + " hex digits), found " + nonce.length + " bytes",
                    ExitCode.USAGE);
        }
        return nonce;
    }
}
