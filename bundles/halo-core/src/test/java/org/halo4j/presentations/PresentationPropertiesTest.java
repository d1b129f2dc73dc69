package org.halo4j.presentations;

import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.testing.Agents;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.halo4j.credentials.BitFlips;
import org.halo4j.credentials.ChainedSigner;
import org.halo4j.credentials.ClaimSpec;
import org.halo4j.credentials.CredentialArbitraries;
import org.halo4j.credentials.CredentialId;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.credentials.CredentialSpec;
import org.halo4j.credentials.Credentials;
import org.halo4j.credentials.Limits;
import org.halo4j.credentials.SignerSpec;
import org.halo4j.credentials.VerifiedCredential;
import org.halo4j.keys.KeyringException;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.IdentityProfile;

/**
 * Properties of the login ceremony (DESIGN §3): a presentation signed for a challenge logs in as its identity,
 * and no single flipped bit of it does.
 */
class PresentationPropertiesTest {

    private static final String AUDIENCE = "https://rp.example.com";
    private static final HaloVerifier VERIFIER = HaloVerifier.builder()
            .audience(AUDIENCE)
            .challengeStore(new InMemoryChallengeStore())
            .credentialVerifier(CredentialVerifier.builder().ignoreRevocation().clock(Agents.at(Agents.NOW)).build())
            .clock(Agents.at(Agents.NOW))
            .build();

    /**
     * A credential to present, about the identity logging in: an IdentityProfile issued by the login signer,
     * or a SpaceMember or Contact issued by it or, when {@code otherIssuerSeed} is given, by another key.
     */
    record Presented(ClaimSpec claim, Optional<byte[]> otherIssuerSeed, List<CredentialId> parents,
                     Optional<Duration> expiresIn) {

        Credential issue(ChainedSigner loginSigner) throws KeyringException {
            ChainedSigner issuer = loginSigner;
            ClaimSpec about = claim;
            if (otherIssuerSeed.isPresent() && !(claim.assertion() instanceof IdentityProfile)) {
                issuer = new SignerSpec(otherIssuerSeed.get(), List.of(), null).build();
                about = new ClaimSpec(claim.assertion(), Optional.of(loginSigner.identity()));
            }
            return CredentialSpec.issue(issuer, about, parents, expiresIn, Agents.at(Agents.NOW)).credential();
        }

        @Override
        public String toString() {
            return claim + (otherIssuerSeed.isPresent() ? " by another key" : " by the login signer");
        }
    }

    @Provide
    Arbitrary<SignerSpec> signers() {
        return CredentialArbitraries.signers();
    }

    @Provide
    Arbitrary<List<Presented>> presented() {
        Arbitrary<ClaimSpec> aboutSelf = Arbitraries.oneOf(CredentialArbitraries.identityProfiles(),
                CredentialArbitraries.spaceMembers(true), CredentialArbitraries.contacts(true));
        Arbitrary<List<CredentialId>> fewParents = CredentialArbitraries.parents().map(p -> p.subList(0, Math.min(p.size(), 4)));
        return Combinators.combine(aboutSelf, CredentialArbitraries.seeds().optional(0.5), fewParents,
                        CredentialArbitraries.expiries())
                .as(Presented::new)
                .list().ofMaxSize(3);
    }

    @Property(tries = 100)
    @Label("a presentation signed for a challenge logs in as its identity, with its credentials")
    void signedPresentationLogsIn(@ForAll("signers") SignerSpec spec, @ForAll("presented") List<Presented> presented)
            throws Exception {
        ChainedSigner signer = spec.build();
        List<Credential> credentials = issueAll(presented, signer);
        Challenge challenge = VERIFIER.startLogin();
        byte[] encoded = Presentations.sign(signer.signer(), challenge.nonce(), AUDIENCE, credentials, Agents.at(Agents.NOW))
                .toByteArray();

        LoginResult result = VERIFIER.finishLogin(challenge, encoded);

        assertEquals(signer.identity(), result.identity(), "identity");
        assertEquals(signer.signer().key(), result.device(), "device");
        assertEquals(signer.scope(), result.scope(), "scope");
        assertEquals(signer.devicePath(), result.signedBy().devicePath(), "device path");
        assertEquals(challenge, result.challenge(), "challenge");
        assertEquals(credentials.size(), result.allPresented().size(), "credentials");
        for (int i = 0; i < credentials.size(); i++) {
            VerifiedCredential v = result.allPresented().get(i);
            assertEquals(Credentials.id(credentials.get(i)), v.id(), "credential " + i + " id");
            assertEquals(signer.identity(), v.subject(), "credential " + i + " subject");
            assertEquals(presented.get(i).claim().assertion(), v.assertion(), "credential " + i + " assertion");
        }
        assertThrows(ChallengeException.class, () -> VERIFIER.finishLogin(challenge, encoded), "a challenge logs in once");
    }

    /** Login signers of depth 0 to 4, built once (see CredentialPropertiesTest). */
    private static List<ChainedSigner> signers;

    @BeforeContainer
    static void buildSigners() throws Exception {
        signers = CredentialArbitraries.fixedSigners();
    }

    @Property(tries = 300)
    @Label("any single-bit flip anywhere in an encoded presentation is rejected, and the challenge stays open")
    void anySingleBitFlipIsRejected(@ForAll("presented") List<Presented> presented,
                                    @ForAll @IntRange(min = 0, max = Limits.MAX_CHAIN_DEPTH) int depth,
                                    @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int position) throws Exception {
        ChainedSigner signer = signers.get(depth);
        List<Credential> credentials = issueAll(presented, signer);
        Challenge challenge = VERIFIER.startLogin();
        byte[] encoded = Presentations.sign(signer.signer(), challenge.nonce(), AUDIENCE, credentials, Agents.at(Agents.NOW))
                .toByteArray();
        byte[] flipped = BitFlips.flip(encoded, position);

        assertThrows(HaloRejectedException.class, () -> VERIFIER.finishLogin(challenge, flipped),
                () -> "logged in with a presentation with " + BitFlips.describe(encoded, position) + " flipped: "
                        + HexFormat.of().formatHex(flipped));
        assertEquals(signer.identity(), VERIFIER.finishLogin(challenge, encoded).identity(),
                "the intact presentation still logs in: a rejected one does not consume the challenge");
    }

    private static List<Credential> issueAll(List<Presented> presented, ChainedSigner signer) throws KeyringException {
        List<Credential> out = new ArrayList<>();
        for (Presented p : presented) {
            out.add(p.issue(signer));
        }
        return out;
    }
}
