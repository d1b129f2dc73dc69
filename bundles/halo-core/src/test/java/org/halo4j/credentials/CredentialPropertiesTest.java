package org.halo4j.credentials;

import org.halo4j.errors.HaloRejectedException;
import org.halo4j.testing.Agents;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.halo4j.proto.v1.Credential;

/** Properties of issuing and verifying credentials (DESIGN §3), over generated claims and device chains. */
class CredentialPropertiesTest {

    private static final CredentialVerifier VERIFIER = CredentialVerifier.builder().ignoreRevocation().clock(Agents.at(Agents.NOW)).build();

    @Provide
    Arbitrary<CredentialSpec> credentials() {
        return CredentialArbitraries.credentials();
    }

    @Property(tries = 200)
    @Label("sign then verify: the verified credential reports exactly what was signed")
    @StatisticsReport(onFailureOnly = true)
    void verifiedFieldsEqualTheSignedInputs(@ForAll("credentials") CredentialSpec spec) throws Exception {
        ChainedSigner signer = spec.signer().build();
        CredentialSpec.Issued issued = spec.issue(signer, Agents.at(Agents.NOW));
        byte[] encoded = issued.credential().toByteArray();
        Statistics.label("chain depth").collect(spec.signer().depth());
        Statistics.label("assertion").collect(spec.claim().assertion().getDescriptorForType().getName());
        Statistics.label("parents").collect(spec.parents().isEmpty() ? "none"
                : spec.parents().size() == Limits.MAX_PARENTS ? "limit" : "some");
        Statistics.label("expires").collect(spec.expiresIn().isPresent());

        VerifiedCredential v = VERIFIER.verify(encoded, spec.claim().assertion().getClass());

        assertEquals(signer.identity(), v.issuer(), "issuer");
        assertEquals(issued.subject(), v.subject(), "subject");
        assertEquals(spec.claim().assertion(), v.assertion(), "assertion");
        assertEquals(spec.parents(), v.parents(), "parents");
        assertEquals(Credentials.id(issued.credential()), v.id(), "id");
        assertEquals(issued.issuedAt(), v.issuedAt(), "issued_at");
        assertEquals(issued.expiresAt(), v.expiresAt(), "expires_at");
        assertEquals(signer.identity(), v.signedBy().identity(), "signed for");
        assertEquals(signer.signer().key(), v.signedBy().signer(), "signed by");
        assertEquals(signer.devicePath(), v.signedBy().devicePath(), "device path");
        assertEquals(signer.scope(), v.signedBy().scope(), "scope");
        assertEquals(issued.credential(), v.credential(), "credential as received");
        requireEveryKindGenerated();
    }

    /** Checked once all tries have run: the generators reached every depth, type, and the edges of the lists. */
    private static void requireEveryKindGenerated() {
        Statistics.label("chain depth").coverage(c -> {
            for (int depth = 0; depth <= Limits.MAX_CHAIN_DEPTH; depth++) {
                c.check(depth).count(n -> n > 0);
            }
        });
        Statistics.label("assertion").coverage(c -> {
            for (String type : List.of("IdentityProfile", "SpaceMember", "DeviceProfile", "Contact")) {
                c.check(type).count(n -> n > 0);
            }
        });
        Statistics.label("parents").coverage(c -> {
            c.check("none").count(n -> n > 0);
            c.check("limit").count(n -> n > 0);
        });
        Statistics.label("expires").coverage(c -> {
            c.check(true).count(n -> n > 0);
            c.check(false).count(n -> n > 0);
        });
    }

    @Provide
    Arbitrary<ClaimSpec> claims() {
        return CredentialArbitraries.claims();
    }

    @Provide
    Arbitrary<List<CredentialId>> parents() {
        return CredentialArbitraries.parents();
    }

    @Provide
    Arbitrary<Optional<Duration>> expiries() {
        return CredentialArbitraries.expiries();
    }

    /**
     * Signers of depth 0 to 4, built once: a new chain per try would cost most of the run, and the flipped
     * position, which is what varies here, covers the chain's bytes as well as the body's.
     */
    private static List<ChainedSigner> signers;

    @BeforeContainer
    static void buildSigners() throws Exception {
        signers = CredentialArbitraries.fixedSigners();
    }

    @Property(tries = 400)
    @Label("any single-bit flip anywhere in an encoded credential is rejected")
    void anySingleBitFlipIsRejected(@ForAll("claims") ClaimSpec claim, @ForAll("parents") List<CredentialId> parents,
                                    @ForAll("expiries") Optional<Duration> expiresIn,
                                    @ForAll @IntRange(min = 0, max = Limits.MAX_CHAIN_DEPTH) int depth,
                                    @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int position) throws Exception {
        ChainedSigner signer = signers.get(depth);
        byte[] encoded = CredentialSpec.issue(signer, claim, parents, expiresIn, Agents.at(Agents.NOW)).credential().toByteArray();
        byte[] flipped = BitFlips.flip(encoded, position);
        // The intact credential is accepted first, so its chain links sit in the verifier's cache: a flip must be
        // rejected on the cached path too.
        VERIFIER.verify(encoded);

        HaloRejectedException e = assertThrows(HaloRejectedException.class, () -> VERIFIER.verify(flipped),
                () -> "accepted a credential with " + BitFlips.describe(encoded, position) + " flipped: "
                        + HexFormat.of().formatHex(flipped));
        assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "a rejection says why");
    }
}
