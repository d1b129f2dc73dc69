package org.halo4j.benchmarks;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import java.util.stream.IntStream;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.halo4j.keys.SignatureDomain;
import org.halo4j.proto.v1.Credential;
import org.halo4j.spaces.SpaceEntry;

/**
 * The floor the replay benchmarks compare against: the proof signature of each entry's credential, checked with
 * raw Bouncy Castle Ed25519, the signer's key bytes copied as a replay meets them (decoded every time), on one
 * thread or on all cores.
 */
final class RawSignatures {

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
        long ok = IntStream.range(0, messages.length).parallel().filter(this::verify).count();
        if (ok != messages.length) {
            throw new IllegalStateException("raw verify failed");
        }
        return (int) ok;
    }

    /** Checks every signature; all must pass. */
    int verifyAll() {
        int ok = 0;
        for (int i = 0; i < messages.length; i++) {
            if (verify(i)) {
                ok++;
            }
        }
        if (ok != messages.length) {
            throw new IllegalStateException("raw verify failed");
        }
        return ok;
    }
}
