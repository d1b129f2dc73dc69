package org.halo4j.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.internal.json.Json;
import org.halo4j.node.agent.Agent;
import org.halo4j.node.agent.CredentialSummary;
import org.halo4j.proto.v1.Credential;

/** {@code halo credential}: the credentials held in the identity's feeds, and checks of credential files. */
final class CredentialCommand {

    final HaloCommand halo;

    CredentialCommand(HaloCommand halo) {
        this.halo = halo;
    }

    /** The {@code halo credential} commands, acting through {@code halo}. */
    static Cmd spec(HaloCommand halo) {
        CredentialCommand c = new CredentialCommand(halo);
        return Cmd.group("credential", "Credentials: list, export, show and verify.")
                .sub(Cmd.command("list", l -> c.list(l.value("--space").orElse(null)),
                        "List the credentials in the identity's HALO and spaces.")
                        .option(Cmd.Opt.value("--space", "SPACE", "Only those of this space (id or name).")))
                .sub(Cmd.command("export", l -> c.export(l.param(0), l.value("--out").map(Path::of).orElse(null)),
                        "Write the credential ID as a binary halo.v1.Credential to FILE.")
                        .param("ID", "Credential id in hex (or its first 8+ digits).")
                        .option(Cmd.Opt.value("--out", "FILE", "Where to write it (replaced if it exists).").asRequired()))
                .sub(Cmd.command("show", l -> c.show(Path.of(l.param(0))),
                        "Show what the credential in FILE says, and whether it verifies "
                                + "(exit 0 only if it does; what it says is shown either way).",
                        "Needs no identity and no passphrase; no revocation is known.")
                        .param("FILE", "A binary halo.v1.Credential, as 'credential export' "
                                + "writes it."))
                .sub(Cmd.command("verify", l -> c.verify(Path.of(l.param(0)), l.flag("--with-wallet")),
                        "Verify the credential in FILE now: exit 0 only if it is valid, "
                                + "else print the reason.", "Needs no passphrase. Without --with-wallet no identity is needed and no revocation is known: "
                                + "a credential signed by a revoked device still passes.")
                        .param("FILE", "A binary halo.v1.Credential, as 'credential export' "
                                + "writes it.")
                        .option(Cmd.Opt.flag("--with-wallet", "Also check the device revocations this identity "
                                + "knows (reads the wallet; no passphrase needed).")));
    }

    int list(String space) throws Exception {
        List<CredentialSummary> all = halo.withReader(agent -> agent.credentials(Optional.ofNullable(space)));
        List<Object> json = new ArrayList<>();
        for (CredentialSummary c : all) {
            Map<String, Object> o = Json.object();
            o.put("id", c.id().toHex());
            o.put("type", c.type());
            o.put("issuer", Format.did(c.issuer()));
            o.put("subject", Format.subject(c.type(), c.subject()));
            json.add(o);
        }
        halo.print(json, () -> {
            Table t = new Table("ID", "TYPE", "ISSUER", "SUBJECT");
            for (CredentialSummary c : all) {
                t.row(c.id().toHex(), c.type(), Format.did(c.issuer()), Format.subject(c.type(), c.subject()));
            }
            t.print(halo.io.stdout());
        });
        return ExitCode.OK;
    }

    int export(String id, Path out) throws Exception {
        Credential credential = halo.withReader(agent -> resolve(agent, id).credential());
        byte[] bytes = credential.toByteArray();
        BinaryFiles.write(out, bytes);
        Map<String, Object> o = Json.object();
        String hex = org.halo4j.credentials.Credentials.id(credential).toHex();
        o.put("id", hex);
        o.put("file", out.toString());
        o.put("bytes", bytes.length);
        halo.print(o, () -> halo.out("Wrote credential " + hex + " to " + out + " (" + bytes.length + " bytes)"));
        return ExitCode.OK;
    }

    /** The credential whose id is {@code text}, or the one credential whose id starts with it. */
    static CredentialSummary resolve(Agent agent, String text) throws Exception {
        return Args.byHex("credential", text, agent.credentials(Optional.empty()), c -> c.id().toHex());
    }

    int show(Path file) throws Exception {
        Credential credential = parse(file);
        Map<String, Object> o = Describe.credential(credential);
        String verdict;
        boolean valid;
        try {
            CredentialVerifier.builder().ignoreRevocation().build().verify(credential.toByteArray());
            o.put("valid", true);
            verdict = "valid";
            valid = true;
        } catch (HaloRejectedException e) {
            o.put("valid", false);
            o.put("code", e.code().code());
            o.put("reason", e.getMessage());
            verdict = "REJECTED: " + e.getMessage() + " [" + e.code().code() + "]";
            valid = false;
        }
        String shown = verdict;
        halo.print(o, () -> {
            for (String key : List.of("id", "type", "issuer", "subject", "signer", "issuedAt", "expiresAt")) {
                if (o.containsKey(key)) {
                    halo.out(String.format("%-10s %s", key + ":", Table.orDash(o.get(key))));
                }
            }
            Object parents = o.get("parents");
            if (parents instanceof List<?> l && !l.isEmpty()) {
                halo.out("parents:   " + String.join(", ", l.stream().map(Object::toString).toList()));
            }
            if (o.get("chain") instanceof List<?> chain && !chain.isEmpty()) {
                halo.out("chain:     " + chain.size() + " device link(s)");
            }
            if (o.get("assertion") != null) {
                halo.out("assertion: " + Json.write(o.get("assertion")));
            }
            halo.out("verifies:  " + shown);
        });
        return valid ? ExitCode.OK : ExitCode.FAILED;
    }

    int verify(Path file, boolean withWallet) throws Exception {
        byte[] bytes = BinaryFiles.read(file, "a credential");
        Map<String, Object> o = Json.object();
        try {
            VerifiedCredential v = withWallet
                    ? halo.withReader(agent -> agent.verifier().verify(bytes))
                    : CredentialVerifier.builder().ignoreRevocation().build().verify(bytes);
            o.put("valid", true);
            o.put("id", v.id().toHex());
            o.put("type", v.type());
            o.put("issuer", Format.did(v.issuer()));
            o.put("subject", Format.subject(v.type(), v.subject()));
            o.put("signer", Format.key(v.signedBy().signer()));
            o.put("expiresAt", v.expiresAt().map(Object::toString));
            halo.print(o, () -> halo.out("valid: " + v.type() + " " + v.id().toHex() + ", issued by "
                    + Format.did(v.issuer()) + " about " + Format.subject(v.type(), v.subject())));
            return ExitCode.OK;
        } catch (HaloRejectedException e) {
            return halo.refused(o, e);
        }
    }

    /** The credential in {@code file}, read leniently for showing. */
    private static Credential parse(Path file) throws CliException {
        byte[] bytes = BinaryFiles.read(file, "a credential");
        try {
            return Credential.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            // protobuf's own words ("end-group tag did not match …") mean nothing to a person: say what it is not
            throw new CliException("malformed", file + " is not a credential: its " + bytes.length
                    + " bytes are not a halo.v1 message (truncated, damaged, or another kind of file)", ExitCode.FAILED, e);
        }
    }
}
