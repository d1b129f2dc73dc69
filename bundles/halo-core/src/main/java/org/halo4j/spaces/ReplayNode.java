package org.halo4j.spaces;

import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.halo4j.credentials.CredentialId;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.DeviceRevoked;
import org.halo4j.proto.v1.SpaceGenesis;
import org.halo4j.proto.v1.SpaceMember;

/**
 * One credential (by id) during a replay: every distinct proof it arrived with, every position it stands at,
 * and the scheduler's bookkeeping.
 */
final class ReplayNode {

    /** How the scheduler treats a credential. */
    enum Kind {
        /** The space's genesis: evaluated before anything else can be. */
        GENESIS,
        /**
         * A change to someone's authority: a device revocation, or a role change (a grant, a demotion, a removal,
         * leaving). Credentials of its subject that it does not cover wait for it; those it covers come first.
         */
        CUT_OFF,
        /** Everything else. */
        OTHER
    }

    final CredentialId id;
    final PublicKey issuer;
    /**
     * The credential's body as the first proof verified it: issuer, subject, assertion and parents are the same in
     * every copy. Null once decided in a live replay ({@link #compact()}).
     */
    VerifiedCredential body;
    /** Every distinct proof, in a canonical order (by the encoded credential), each judged on its own. */
    List<VerifiedCredential> variants = new ArrayList<>(1);
    /** The encoded copies seen, so a copy that arrives twice is judged once. */
    Set<com.google.protobuf.ByteString> proofs = new HashSet<>(2);
    final List<Position> positions = new ArrayList<>(1);
    final Set<CredentialId> parentIds;
    List<ReplayNode> children = new ArrayList<>(2);
    /** The parents that arrived. */
    List<ReplayNode> parents = new ArrayList<>(2);
    /** The keys that signed its proofs, kept when it is compacted. */
    private List<PublicKey> signers;
    final Kind kind;

    /** Parents not yet decided plus gates that still hold it back. */
    int waitingFor;
    /** A parent (or an ancestor's parent) has not arrived: it can only be pending. */
    boolean missingParent;
    boolean queued;
    boolean decided;
    boolean parked;

    /** The gate this cut-off holds back (null if it is none, or if it can never be decided). */
    CutOffGate contributesTo;
    /** Per feed of its subject, the last position the cut-off accepts (what it records, and its direct parents). */
    Map<PublicKey, Long> coverage;
    /** The gates that hold this credential back. */
    List<CutOffGate.Registration> registrations = new ArrayList<>(2);
    /** Feeds in which this cut-off still waits for credentials of its subject that it covers. */
    int coveredWaits;

    ReplayNode(VerifiedCredential v) {
        this.id = v.id();
        this.issuer = v.issuer();
        this.body = v;
        this.parentIds = new HashSet<>(v.parents());
        Message a = v.assertion();
        if (a instanceof SpaceGenesis) {
            kind = Kind.GENESIS;
        } else if (a instanceof DeviceRevoked || a instanceof SpaceMember) {
            kind = Kind.CUT_OFF;
        } else {
            kind = Kind.OTHER;
        }
    }

    Position first() {
        return positions.get(0);
    }

    /** True if one of its proofs was signed by {@code key}. */
    boolean signedBy(PublicKey key) {
        if (signers != null) {
            return signers.contains(key);
        }
        for (VerifiedCredential v : variants) {
            if (v.signedBy().signer().equals(key)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Drops what only its evaluation needed, once it is decided and indexed, so a live replay of a large space
     * keeps little more than the state: its id, positions, parents' ids, issuer and signers stay.
     */
    void compact() {
        List<PublicKey> keys = new ArrayList<>(1);
        for (VerifiedCredential v : variants) {
            if (!keys.contains(v.signedBy().signer())) {
                keys.add(v.signedBy().signer());
            }
        }
        signers = List.copyOf(keys);
        body = null;
        variants = null;
        proofs = null;
        children = null;
        parents = null;
        registrations = null;
        coverage = null;
        contributesTo = null;
    }

    int order() {
        return kind.ordinal();
    }

    @Override
    public String toString() {
        return id.shortId() + (body == null ? "" : "(" + body.type() + ")");
    }
}
