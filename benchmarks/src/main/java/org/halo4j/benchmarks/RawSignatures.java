package org.halo4j.benchmarks;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.proto.v1.AuthorizedDevice;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.CredentialBody;
import org.halo4j.spaces.SpaceEntry;

/**
 * The floor the replay benchmarks compare against: the proof signature of each entry's credential, checked with
 * raw Bouncy Castle Ed25519, the signer's key bytes copied as a replay meets them (decoded every time), on one
 * thread or on all cores.
 */
final class RawSignatures {

    private static final HexFormat HEX = HexFormat.of();

    private final byte[][] messages;
    private final byte[][] signatures;
    private final byte[][] signers;

    private RawSignatures(int n) {
        messages = new byte[n][];
        signatures = new byte[n][];
        signers = new byte[n][];
    }

    static RawSignatures of(List<SpaceEntry> entries) throws InvalidProtocolBufferException {
        RawSignatures r = new RawSignatures(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Credential c = Credential.parseFrom(entries.get(i).payload());
            r.messages[i] = SignatureDomain.CREDENTIAL.message(c.getBody().toByteArray());
            r.signatures[i] = c.getProof().getSignature().toByteArray();
            r.signers[i] = c.getProof().getSigner().toByteArray();
        }
        return r;
    }

    /**
     * Every distinct signature a verifier of these entries must check at least once, whatever it caches: each
     * entry's proof, each chain link's proof (a device's authorization, shared by all the device signs), and each
     * device's consent inside an AuthorizedDevice — counted once per (signer, signature). Entries that do not
     * parse are skipped (a verifier refuses them before any signature).
     */
    static RawSignatures distinctOf(List<SpaceEntry> entries) {
        Map<String, byte[][]> distinct = new LinkedHashMap<>();
        for (SpaceEntry e : entries) {
            Map<String, byte[][]> ofEntry = new LinkedHashMap<>();
            try {
                collect(Credential.parseFrom(e.payload()), ofEntry);
            } catch (InvalidProtocolBufferException | IllegalArgumentException notACredential) {
                continue; // refused while decoding, before any signature: none of it counts
            }
            ofEntry.forEach(distinct::putIfAbsent);
        }
        RawSignatures r = new RawSignatures(distinct.size());
        int i = 0;
        for (byte[][] sig : distinct.values()) {
            r.signers[i] = sig[0];
            r.signatures[i] = sig[1];
            r.messages[i] = sig[2];
            i++;
        }
        return r;
    }

    private static void collect(Credential c, Map<String, byte[][]> distinct) throws InvalidProtocolBufferException {
        byte[] signer = c.getProof().getSigner().toByteArray();
        byte[] signature = c.getProof().getSignature().toByteArray();
        distinct.putIfAbsent(HEX.formatHex(signer) + HEX.formatHex(signature),
                new byte[][] {signer, signature, SignatureDomain.CREDENTIAL.message(c.getBody().toByteArray())});
        CredentialBody body = CredentialBody.parseFrom(c.getBody());
        if (body.getAssertion().is(AuthorizedDevice.class)) {
            byte[] consent = body.getAssertion().unpack(AuthorizedDevice.class).getDeviceConsent().toByteArray();
            byte[] device = body.getSubject().toByteArray();
            byte[] issuer = body.getIssuer().toByteArray();
            if (issuer.length != 32 || device.length != 32) {
                throw new IllegalArgumentException("not a pair of Ed25519 keys");
            }
            // the consent's message is built here from the wire format (identity ‖ device), not by the code measured
            byte[] payload = new byte[64];
            System.arraycopy(issuer, 0, payload, 0, 32);
            System.arraycopy(device, 0, payload, 32, 32);
            distinct.putIfAbsent(HEX.formatHex(device) + HEX.formatHex(consent),
                    new byte[][] {device, consent, SignatureDomain.DEVICE_CONSENT.message(payload)});
        }
        if (c.getProof().hasChain()) {
            collect(c.getProof().getChain().getCredential(), distinct);
        }
    }

    int size() {
        return messages.length;
    }

    /** Checks signature {@code i}. */
    boolean verify(int i) {
        return Ed25519.verify(signatures[i], 0, signers[i].clone(), 0, messages[i], 0, messages[i].length);
    }

    /**
     * Checks every signature on all cores (the common fork-join pool, as a replay checks its entries): the floor
     * for work that may use the whole machine. All must pass.
     */
    int verifyAllOnAllCores() {
        return allPassed(IntStream.range(0, messages.length).parallel().filter(this::verify).count());
    }

    /** Checks every signature; all must pass. */
    int verifyAll() {
        int ok = 0;
        for (int i = 0; i < messages.length; i++) {
            if (verify(i)) {
                ok++;
            }
        }
        return allPassed(ok);
    }

    private int allPassed(long ok) {
        if (ok != messages.length) {
            throw new IllegalStateException("raw verify failed: " + (messages.length - ok) + " of " + messages.length);
        }
        return (int) ok;
    }
}
