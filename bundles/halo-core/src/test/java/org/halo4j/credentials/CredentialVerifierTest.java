package org.halo4j.credentials;

import org.halo4j.errors.HaloRejectedException;
import org.halo4j.errors.RejectionCode;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.halo4j.keys.PublicKey;
import org.halo4j.proto.v1.AuthorizedDevice;
import org.halo4j.proto.v1.Credential;
import org.halo4j.proto.v1.CredentialBody;
import org.halo4j.proto.v1.DeviceScope;
import org.halo4j.proto.v1.IdentityProfile;
import org.halo4j.proto.v1.Property;
import org.halo4j.proto.v1.SpaceMember;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.testing.Agents;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

@DisplayName("CredentialVerifier")
class CredentialVerifierTest {

    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    Agents agents;
    PublicKey identity;
    PublicKey space;
    CredentialVerifier verifier;

    @BeforeEach
    void setUp() {
        agents = new Agents();
        identity = agents.newKey();
        space = agents.newKey();
        verifier = CredentialVerifier.builder().ignoreRevocation().clock(Agents.at(NOW)).build();
    }

    SpaceMember member(SpaceRole role) {
        return SpaceMember.newBuilder().setSpaceKey(Agents.bytes(space)).setRole(role).build();
    }

    Credential issue(Signer signer, PublicKey subject) throws Exception {
        return Credentials.issue(signer).clock(Agents.at(NOW)).subject(subject).assertion(member(SpaceRole.SPACE_ROLE_EDITOR)).sign();
    }

    static HaloRejectedException rejected(Executable e) {
        try {
            e.execute();
        } catch (HaloRejectedException r) {
            return r;
        } catch (Throwable t) {
            throw new AssertionError("expected a HaloRejectedException, got " + t, t);
        }
        throw new AssertionError("expected a rejection, but the input was accepted");
    }

    static void assertRejected(RejectionCode code, Executable e) {
        HaloRejectedException r = rejected(e);
        assertThat(r.code()).as(r.getMessage()).isEqualTo(code);
    }

    @Nested
    @DisplayName("accepts what halo4j issues")
    class RoundTrip {
        @Test
        @DisplayName("signed by the issuer itself: id = SHA-256(body), recomputed")
        void selfSigned() throws Exception {
            PublicKey subject = agents.newKey();
            Credential c = issue(agents.self(identity), subject);
            VerifiedCredential v = verifier.verify(c.toByteArray(), SpaceMember.class);
            assertThat(v.issuer()).isEqualTo(identity);
            assertThat(v.subject()).isEqualTo(subject);
            assertThat(v.id()).isEqualTo(Credentials.id(c));
            assertThat(v.signedBy().signedByIdentity()).isTrue();
            assertThat(v.assertionAs(SpaceMember.class)).contains(member(SpaceRole.SPACE_ROLE_EDITOR));
        }

        @Test
        @DisplayName("signed by a device through a chain of 4 links (the limit)")
        void deviceChainAtLimit() throws Exception {
            Signer device = agents.deviceChain(identity, Limits.MAX_CHAIN_DEPTH);
            VerifiedCredential v = verifier.verify(issue(device, agents.newKey()).toByteArray());
            assertThat(v.signedBy().devicePath()).hasSize(4).first().isEqualTo(device.key());
            assertThat(v.signedBy().scope()).contains(DeviceScope.DEVICE_SCOPE_ADMIN);
        }
    }

    @Nested
    @DisplayName("rejects tampered and forged credentials")
    class Tampering {
        @Test
        @DisplayName("a tampered body: the signature covers the exact bytes")
        void tamperedBody() throws Exception {
            Credential c = issue(agents.self(identity), agents.newKey());
            CredentialBody body = CredentialBody.parseFrom(c.getBody());
            CredentialBody evil = body.toBuilder().setAssertion(Assertions.pack(member(SpaceRole.SPACE_ROLE_OWNER))).build();
            Credential forged = c.toBuilder().setBody(evil.toByteString()).build();
            assertRejected(RejectionCode.SIGNATURE_INVALID, () -> verifier.verify(forged.toByteArray()));
        }

        @Test
        @DisplayName("a signature by another key than the issuer, without a chain")
        void wrongSigner() throws Exception {
            PublicKey mallory = agents.newKey();
            CredentialBody body = Agents.body(identity, agents.newKey(), member(SpaceRole.SPACE_ROLE_OWNER), NOW).build();
            Credential c = agents.signRaw(body.toByteString(), mallory, Optional.empty());
            assertRejected(RejectionCode.CHAIN_MISSING, () -> verifier.verify(c.toByteArray()));
        }

        @Test
        @DisplayName("a signature that claims the issuer as signer but was made by another key")
        void signatureByOtherKey() throws Exception {
            PublicKey mallory = agents.newKey();
            CredentialBody body = Agents.body(identity, agents.newKey(), member(SpaceRole.SPACE_ROLE_OWNER), NOW).build();
            Credential byMallory = agents.signRaw(body.toByteString(), mallory, Optional.empty());
            Credential c = byMallory.toBuilder().setProof(byMallory.getProof().toBuilder().setSigner(Agents.bytes(identity))).build();
            assertRejected(RejectionCode.SIGNATURE_INVALID, () -> verifier.verify(c.toByteArray()));
        }

        @Test
        @DisplayName("an assertion re-labelled as another type after signing")
        void relabelledAfterSigning() throws Exception {
            Credential c = issue(agents.self(identity), agents.newKey());
            CredentialBody body = CredentialBody.parseFrom(c.getBody());
            Any relabelled = body.getAssertion().toBuilder().setTypeUrl(Assertions.typeUrl(IdentityProfile.class)).build();
            Credential forged = c.toBuilder().setBody(body.toBuilder().setAssertion(relabelled).build().toByteString()).build();
            HaloRejectedException r = rejected(() -> verifier.verify(forged.toByteArray()));
            // strict decoding of the body as the new type fails before the (also broken) signature is checked
            assertThat(r.code()).isIn(RejectionCode.MALFORMED, RejectionCode.UNKNOWN_FIELD, RejectionCode.SIGNATURE_INVALID);
        }

        @Test
        @DisplayName("an assertion signed under another type's URL is parsed as that type only, and its unknown fields refused")
        void relabelledBySigner() throws Exception {
            AuthorizedDevice ad = agents.authorizedDevice(agents.newKey(), identity, DeviceScope.DEVICE_SCOPE_ADMIN);
            Any wrongLabel = Any.newBuilder().setTypeUrl(Assertions.typeUrl(SpaceMember.class)).setValue(ad.toByteString()).build();
            CredentialBody body = Agents.body(identity, agents.newKey(), ad, NOW).setAssertion(wrongLabel).build();
            Credential c = agents.signRaw(body.toByteString(), identity, Optional.empty());
            // AuthorizedDevice's field 2 (bytes) is not SpaceMember's field 2 (an enum): an unknown field there
            assertRejected(RejectionCode.UNKNOWN_FIELD, () -> verifier.verify(c.toByteArray()));
        }

        @Test
        @DisplayName("an unknown assertion type URL")
        void unknownType() throws Exception {
            Any unknown = Any.newBuilder().setTypeUrl("type.googleapis.com/halo.v1.Superuser").setValue(ByteString.EMPTY).build();
            CredentialBody body = Agents.body(identity, identity, member(SpaceRole.SPACE_ROLE_OWNER), NOW).setAssertion(unknown).build();
            Credential c = agents.signRaw(body.toByteString(), identity, Optional.empty());
            assertRejected(RejectionCode.UNKNOWN_ASSERTION_TYPE, () -> verifier.verify(c.toByteArray()));
        }

        @Test
        @DisplayName("an unknown field added to the signed body")
        void unknownFieldInBody() throws Exception {
            ByteString body = Agents.body(identity, agents.newKey(), member(SpaceRole.SPACE_ROLE_READER), NOW).build().toByteString()
                    .concat(field(99, "extra"));
            Credential c = agents.signRaw(body, identity, Optional.empty());
            assertRejected(RejectionCode.UNKNOWN_FIELD, () -> verifier.verify(c.toByteArray()));
        }

        @Test
        @DisplayName("an unknown field added to the envelope, outside the signature")
        void unknownFieldInEnvelope() throws Exception {
            byte[] c = issue(agents.self(identity), agents.newKey()).toByteString().concat(field(15, "x")).toByteArray();
            assertRejected(RejectionCode.UNKNOWN_FIELD, () -> verifier.verify(c));
        }

        @Test
        @DisplayName("a duplicated field in the signed body (same bytes, one meaning)")
        void duplicatedField() throws Exception {
            CredentialBody body = Agents.body(identity, agents.newKey(), member(SpaceRole.SPACE_ROLE_READER), NOW).build();
            ByteString dup = body.toByteString().concat(CredentialBody.newBuilder().setSubject(Agents.bytes(agents.newKey())).build().toByteString());
            Credential c = agents.signRaw(dup, identity, Optional.empty());
            assertRejected(RejectionCode.NON_CANONICAL, () -> verifier.verify(c.toByteArray()));
        }

        @Test
        @DisplayName("a forged id in a parent reference of the wrong length")
        void badParent() throws Exception {
            CredentialBody body = Agents.body(identity, agents.newKey(), member(SpaceRole.SPACE_ROLE_READER), NOW)
                    .addParents(ByteString.copyFrom(new byte[31])).build();
            Credential c = agents.signRaw(body.toByteString(), identity, Optional.empty());
            assertRejected(RejectionCode.INVALID_FIELD, () -> verifier.verify(c.toByteArray()));
        }

        @Test
        @DisplayName("garbage, truncated and empty input")
        void garbage() throws Exception {
            byte[] good = issue(agents.self(identity), agents.newKey()).toByteArray();
            for (int len = 0; len < good.length; len += 7) {
                byte[] t = java.util.Arrays.copyOf(good, len);
                HaloRejectedException r = rejected(() -> verifier.verify(t));
                assertThat(r.code()).isIn(RejectionCode.MALFORMED, RejectionCode.INVALID_FIELD, RejectionCode.NON_CANONICAL);
            }
            assertRejected(RejectionCode.MALFORMED, () -> verifier.verify(new byte[] {(byte) 0xff, (byte) 0xff, 0x01}));
        }
    }

    @Nested
    @DisplayName("device chains")
    class Chains {
        @Test
        @DisplayName("a chain for another identity")
        void chainForAnotherIdentity() throws Exception {
            PublicKey other = agents.newKey();
            Signer deviceOfOther = agents.newDevice(agents.self(other), DeviceScope.DEVICE_SCOPE_ADMIN);
            CredentialBody body = Agents.body(identity, agents.newKey(), member(SpaceRole.SPACE_ROLE_OWNER), NOW).build();
            Credential c = agents.signRaw(body.toByteString(), deviceOfOther.key(), deviceOfOther.authorization());
            assertRejected(RejectionCode.CHAIN_BROKEN, () -> verifier.verify(c.toByteArray()));
        }

        @Test
        @DisplayName("a chain that authorizes another device than the signer")
        void chainOfAnotherDevice() throws Exception {
            Signer device = agents.newDevice(agents.self(identity), DeviceScope.DEVICE_SCOPE_ADMIN);
            PublicKey mallory = agents.newKey();
            CredentialBody body = Agents.body(identity, agents.newKey(), member(SpaceRole.SPACE_ROLE_OWNER), NOW).build();
            Credential c = agents.signRaw(body.toByteString(), mallory, device.authorization());
            assertRejected(RejectionCode.CHAIN_BROKEN, () -> verifier.verify(c.toByteArray()));
        }

        @Test
        @DisplayName("a device authorization without the device's consent")
        void noConsent() throws Exception {
            PublicKey victimDevice = agents.newKey();
            // the consent is the device's signature for another identity
            AuthorizedDevice ad = agents.authorizedDevice(victimDevice, agents.newKey(), DeviceScope.DEVICE_SCOPE_ADMIN);
            CredentialBody body = Agents.body(identity, victimDevice, ad, NOW).build();
            Credential c = agents.signRaw(body.toByteString(), identity, Optional.empty());
            assertRejected(RejectionCode.CHAIN_CONSENT, () -> verifier.verify(c.toByteArray()));
        }

        @Test
        @DisplayName("a chain link whose authorization lacks consent")
        void noConsentInChain() throws Exception {
            PublicKey device = agents.newKey();
            AuthorizedDevice forged = AuthorizedDevice.newBuilder().setScope(DeviceScope.DEVICE_SCOPE_ADMIN)
                    .setDeviceConsent(ByteString.copyFrom(new byte[64])).build();
            Credential link = agents.signRaw(Agents.body(identity, device, forged, NOW).build().toByteString(), identity, Optional.empty());
            Credential c = agents.signRaw(Agents.body(identity, agents.newKey(), member(SpaceRole.SPACE_ROLE_OWNER), NOW)
                    .build().toByteString(), device, Optional.of(link));
            assertRejected(RejectionCode.CHAIN_CONSENT, () -> verifier.verify(c.toByteArray()));
        }

        @Test
        @DisplayName("a scope widened by a child device: WRITE cannot grant ADMIN")
        void scopeWidened() throws Exception {
            Signer writer = agents.newDevice(agents.self(identity), DeviceScope.DEVICE_SCOPE_WRITE);
            PublicKey child = agents.newKey();
            Credential grant = agents.signRaw(Agents.body(identity, child,
                    agents.authorizedDevice(child, identity, DeviceScope.DEVICE_SCOPE_ADMIN), NOW).build().toByteString(),
                    writer.key(), writer.authorization());
            Credential c = agents.signRaw(Agents.body(identity, agents.newKey(), member(SpaceRole.SPACE_ROLE_OWNER), NOW)
                    .build().toByteString(), child, Optional.of(grant));
            assertRejected(RejectionCode.CHAIN_SCOPE_ESCALATION, () -> verifier.verify(c.toByteArray()));
        }

        @Test
        @DisplayName("only ADMIN devices authorize devices, even with a narrower scope")
        void notAdmin() throws Exception {
            Signer writer = agents.newDevice(agents.self(identity), DeviceScope.DEVICE_SCOPE_WRITE);
            PublicKey child = agents.newKey();
            Credential grant = agents.signRaw(Agents.body(identity, child,
                    agents.authorizedDevice(child, identity, DeviceScope.DEVICE_SCOPE_READ), NOW).build().toByteString(),
                    writer.key(), writer.authorization());
            Credential c = agents.signRaw(Agents.body(identity, agents.newKey(), member(SpaceRole.SPACE_ROLE_OWNER), NOW)
                    .build().toByteString(), child, Optional.of(grant));
            assertRejected(RejectionCode.CHAIN_NOT_ADMIN, () -> verifier.verify(c.toByteArray()));
        }

        @Test
        @DisplayName("a chain loop: a device appears twice")
        void loop() throws Exception {
            PublicKey d1 = agents.newKey();
            PublicKey d2 = agents.newKey();
            Credential d1ByIdentity = agents.signRaw(Agents.body(identity, d1,
                    agents.authorizedDevice(d1, identity, DeviceScope.DEVICE_SCOPE_ADMIN), NOW).build().toByteString(), identity, Optional.empty());
            Credential d2ByD1 = agents.signRaw(Agents.body(identity, d2,
                    agents.authorizedDevice(d2, identity, DeviceScope.DEVICE_SCOPE_ADMIN), NOW).build().toByteString(), d1, Optional.of(d1ByIdentity));
            Credential d1ByD2 = agents.signRaw(Agents.body(identity, d1,
                    agents.authorizedDevice(d1, identity, DeviceScope.DEVICE_SCOPE_ADMIN), NOW).build().toByteString(), d2, Optional.of(d2ByD1));
            Credential c = agents.signRaw(Agents.body(identity, agents.newKey(), member(SpaceRole.SPACE_ROLE_OWNER), NOW)
                    .build().toByteString(), d1, Optional.of(d1ByD2));
            assertRejected(RejectionCode.CHAIN_LOOP, () -> verifier.verify(c.toByteArray()));
        }

        @Test
        @DisplayName("chain depth limit + 1 is rejected before any signature is checked")
        void depthLimitPlusOne() throws Exception {
            Signer device = agents.deviceChain(identity, Limits.MAX_CHAIN_DEPTH + 1);
            Credential c = issue(device, agents.newKey());
            assertRejected(RejectionCode.LIMIT_CHAIN_DEPTH, () -> verifier.verify(c.toByteArray()));
            // even with every signature broken, the limit is what is reported: it is checked first
            Credential broken = c.toBuilder().setProof(c.getProof().toBuilder().setSignature(ByteString.copyFrom(new byte[64]))).build();
            assertRejected(RejectionCode.LIMIT_CHAIN_DEPTH, () -> verifier.verify(broken.toByteArray()));
        }

        @Test
        @DisplayName("a chain attached although the issuer signed itself")
        void unexpectedChain() throws Exception {
            Signer device = agents.newDevice(agents.self(identity), DeviceScope.DEVICE_SCOPE_ADMIN);
            Credential c = agents.signRaw(Agents.body(identity, agents.newKey(), member(SpaceRole.SPACE_ROLE_OWNER), NOW)
                    .build().toByteString(), identity, device.authorization());
            assertRejected(RejectionCode.CHAIN_UNEXPECTED, () -> verifier.verify(c.toByteArray()));
        }

        @Test
        @DisplayName("a chain link that is not an AuthorizedDevice")
        void wrongLinkType() throws Exception {
            PublicKey device = agents.newKey();
            Credential notADevice = Credentials.issue(agents.self(identity)).clock(Agents.at(NOW)).subject(device)
                    .assertion(member(SpaceRole.SPACE_ROLE_OWNER)).sign();
            Credential c = agents.signRaw(Agents.body(identity, agents.newKey(), member(SpaceRole.SPACE_ROLE_OWNER), NOW)
                    .build().toByteString(), device, Optional.of(notADevice));
            assertRejected(RejectionCode.CHAIN_WRONG_TYPE, () -> verifier.verify(c.toByteArray()));
        }

        @Test
        @DisplayName("a revoked device on the chain, also when the chain is cached")
        void revoked() throws Exception {
            Signer d1 = agents.newDevice(agents.self(identity), DeviceScope.DEVICE_SCOPE_ADMIN);
            Signer d2 = agents.newDevice(d1, DeviceScope.DEVICE_SCOPE_WRITE);
            java.util.Set<PublicKey> revoked = java.util.concurrent.ConcurrentHashMap.newKeySet();
            CredentialVerifier v = CredentialVerifier.builder()
                    .deviceStatus((id, dev) -> id.equals(identity) && revoked.contains(dev)).clock(Agents.at(NOW)).build();
            Credential c = issue(d2, agents.newKey());
            v.verify(c.toByteArray());
            assertThat(v.cachedChainLinks()).isPositive();
            revoked.add(d1.key());
            HaloRejectedException r = rejected(() -> v.verify(c.toByteArray()));
            assertThat(r).isInstanceOf(DeviceRevokedException.class);
            assertThat(((DeviceRevokedException) r).deviceKey()).isEqualTo(d1.key());
        }
    }

    @Nested
    @DisplayName("validity at use, with a clock skew of 2 minutes")
    class Validity {
        @Test
        @DisplayName("expired beyond the skew is rejected; within the skew accepted")
        void expired() throws Exception {
            Credential c = Credentials.issue(agents.self(identity)).clock(Agents.at(NOW.minusSeconds(3600)))
                    .subject(agents.newKey()).assertion(member(SpaceRole.SPACE_ROLE_READER)).expiresAt(NOW).sign();
            CredentialVerifier within = CredentialVerifier.builder().ignoreRevocation().clock(Agents.at(NOW.plus(Limits.CLOCK_SKEW))).build();
            within.verify(c.toByteArray());
            CredentialVerifier after = CredentialVerifier.builder().ignoreRevocation().clock(Agents.at(NOW.plus(Limits.CLOCK_SKEW).plusSeconds(1))).build();
            assertRejected(RejectionCode.EXPIRED, () -> after.verify(c.toByteArray()));
            // replay of state never reads a wall clock
            after.verifyForReplay(c.toByteString());
        }

        @Test
        @DisplayName("issued in the future beyond the skew is not yet valid")
        void notYetValid() throws Exception {
            Credential c = Credentials.issue(agents.self(identity)).clock(Agents.at(NOW.plus(Duration.ofMinutes(3))))
                    .subject(agents.newKey()).assertion(member(SpaceRole.SPACE_ROLE_READER)).sign();
            assertRejected(RejectionCode.NOT_YET_VALID, () -> verifier.verify(c.toByteArray()));
            Credential ok = Credentials.issue(agents.self(identity)).clock(Agents.at(NOW.plus(Duration.ofMinutes(2))))
                    .subject(agents.newKey()).assertion(member(SpaceRole.SPACE_ROLE_READER)).sign();
            verifier.verify(ok.toByteArray());
        }

        @Test
        @DisplayName("an expired device authorization on the chain")
        void expiredChain() throws Exception {
            PublicKey device = agents.newKey();
            Credential auth = DeviceAuthorizations.authorize(agents.self(identity).withClock(Agents.at(NOW.minusSeconds(3600))), device, DeviceScope.DEVICE_SCOPE_ADMIN,
                    org.halo4j.credentials.DeviceAuthorizations.consent(agents.keyring, device, identity), Optional.of(NOW.minusSeconds(600)));
            Credential c = issue(Signer.device(agents.keyring, device, auth, agents.clock), agents.newKey());
            assertRejected(RejectionCode.EXPIRED, () -> verifier.verify(c.toByteArray()));
        }
    }

    @Nested
    @DisplayName("InvitationDelegated is bounded before anything else")
    class InvitationHandOver {
        org.halo4j.proto.v1.SealedInvitation sealed(int ciphertextBytes) {
            return org.halo4j.proto.v1.SealedInvitation.newBuilder().setDeviceKey(Agents.bytes(agents.newKey()))
                    .setEphemeral(ByteString.copyFrom(new byte[32])).setCiphertext(ByteString.copyFrom(new byte[ciphertextBytes]))
                    .build();
        }

        org.halo4j.proto.v1.InvitationDelegated.Builder handOver() {
            return org.halo4j.proto.v1.InvitationDelegated.newBuilder().setSpaceKey(Agents.bytes(space))
                    .setInvitationId(ByteString.copyFrom(new byte[16])).setRole(SpaceRole.SPACE_ROLE_EDITOR)
                    .setExpiresAt(NOW.plusSeconds(600).getEpochSecond()).addSealed(sealed(3072));
        }

        byte[] issued(org.halo4j.proto.v1.InvitationDelegated d) throws Exception {
            return Credentials.issue(agents.self(identity)).clock(Agents.at(NOW)).subject(agents.newKey()).assertion(d)
                    .sign().toByteArray();
        }

        /** Signed as is: halo4j's issuer refuses to sign these. */
        byte[] forged(org.halo4j.proto.v1.InvitationDelegated d) throws Exception {
            return agents.signRaw(Agents.body(identity, agents.newKey(), d, NOW).build().toByteString(), identity,
                    Optional.empty()).toByteArray();
        }

        @Test
        @DisplayName("accepted at its limits: 16 sealed copies of 3 KiB")
        void atTheLimits() throws Exception {
            org.halo4j.proto.v1.InvitationDelegated.Builder d = handOver();
            for (int i = 1; i < 16; i++) {
                d.addSealed(sealed(3072));
            }
            assertThat(verifier.verify(issued(d.build())).assertion()).isEqualTo(d.build());
        }

        @Test
        @DisplayName("refused past them, and when malformed")
        void pastTheLimits() throws Exception {
            org.halo4j.proto.v1.InvitationDelegated.Builder many = handOver();
            for (int i = 0; i < 16; i++) {
                many.addSealed(sealed(16));
            }
            assertRejected(RejectionCode.LIMIT_LIST, () -> verifier.verify(forged(many.build())));
            assertRejected(RejectionCode.LIMIT_LIST, () -> verifier.verify(forged(handOver().clearSealed().build())));
            assertRejected(RejectionCode.INVALID_FIELD, () -> verifier.verify(forged(handOver().setSealed(0, sealed(3073)).build())));
            assertRejected(RejectionCode.INVALID_FIELD, () -> verifier.verify(forged(handOver().setSealed(0, sealed(15)).build())));
            org.halo4j.proto.v1.InvitationDelegated twice = handOver().build();
            assertRejected(RejectionCode.INVALID_FIELD, () -> verifier.verify(forged(twice.toBuilder()
                    .addSealed(twice.getSealed(0)).build())));
            assertRejected(RejectionCode.INVALID_FIELD, () -> verifier.verify(forged(handOver()
                    .setRole(SpaceRole.SPACE_ROLE_REMOVED).build())));
            assertRejected(RejectionCode.INVALID_FIELD, () -> verifier.verify(forged(handOver()
                    .setInvitationId(ByteString.copyFrom(new byte[15])).build())));
            assertRejected(RejectionCode.INVALID_FIELD, () -> verifier.verify(forged(handOver()
                    .setSpaceKey(ByteString.copyFrom(new byte[31])).build())));
        }
    }

    @Nested
    @DisplayName("limits at the limit and at the limit + 1")
    class LimitsTest {
        @Test
        @DisplayName("parents: 32 accepted, 33 rejected")
        void parents() throws Exception {
            List<CredentialId> parents = new ArrayList<>();
            for (int i = 0; i < Limits.MAX_PARENTS; i++) {
                byte[] id = new byte[32];
                id[0] = (byte) i;
                parents.add(CredentialId.of(id));
            }
            Credential ok = Credentials.issue(agents.self(identity)).clock(Agents.at(NOW)).subject(agents.newKey())
                    .assertion(member(SpaceRole.SPACE_ROLE_READER)).parents(parents).sign();
            assertThat(verifier.verify(ok.toByteArray()).parents()).hasSize(32);
            CredentialBody body = Agents.body(identity, agents.newKey(), member(SpaceRole.SPACE_ROLE_READER), NOW)
                    .addAllParents(parents.stream().map(CredentialId::toByteString).toList())
                    .addParents(ByteString.copyFrom(new byte[32])).build();
            Credential tooMany = agents.signRaw(body.toByteString(), identity, Optional.empty());
            assertRejected(RejectionCode.LIMIT_PARENTS, () -> verifier.verify(tooMany.toByteArray()));
        }

        @Test
        @DisplayName("profile: 8 KiB accepted, 8 KiB + 1 rejected")
        void profileSize() throws Exception {
            IdentityProfile atLimit = profileOfSize(Limits.MAX_PROFILE_BYTES);
            Credential ok = Credentials.issue(agents.self(identity)).clock(Agents.at(NOW)).subject(identity).assertion(atLimit).sign();
            verifier.verify(ok.toByteArray(), IdentityProfile.class);
            IdentityProfile over = profileOfSize(Limits.MAX_PROFILE_BYTES + 1);
            Credential c = agents.signRaw(Agents.body(identity, identity, over, NOW).build().toByteString(), identity, Optional.empty());
            assertRejected(RejectionCode.LIMIT_PROFILE_SIZE, () -> verifier.verify(c.toByteArray()));
        }

        private IdentityProfile profileOfSize(int size) {
            IdentityProfile.Builder p = IdentityProfile.newBuilder().setDisplayName("Ada");
            int base = p.build().getSerializedSize();
            // one property: tag(1) + len + key "k" + value; adjust the value length until the size is exact
            for (int v = Math.max(0, size - base - 16); v <= size; v++) {
                IdentityProfile candidate = p.clone().addProperties(Property.newBuilder().setKey("k").setValue("x".repeat(v))).build();
                if (candidate.getSerializedSize() == size) {
                    return candidate;
                }
            }
            throw new AssertionError("no profile of size " + size);
        }

        @Test
        @DisplayName("message size: 64 KiB is not refused for its size, 64 KiB + 1 is")
        void messageSize() throws Exception {
            byte[] atLimit = new byte[Limits.MAX_MESSAGE_BYTES];
            HaloRejectedException r = rejected(() -> verifier.verify(atLimit));
            assertThat(r.code()).isNotEqualTo(RejectionCode.LIMIT_MESSAGE_SIZE);
            assertRejected(RejectionCode.LIMIT_MESSAGE_SIZE, () -> verifier.verify(new byte[Limits.MAX_MESSAGE_BYTES + 1]));
        }

        @Test
        @DisplayName("chain depth: 4 accepted, 5 rejected")
        void chainDepth() throws Exception {
            verifier.verify(issue(agents.deviceChain(identity, 4), agents.newKey()).toByteArray());
            assertRejected(RejectionCode.LIMIT_CHAIN_DEPTH, () -> verifier.verify(issue(agents.deviceChain(identity, 5), agents.newKey()).toByteArray()));
        }
    }

    @Test
    @DisplayName("a valid credential of another type than expected")
    void expectedType() throws Exception {
        Credential c = issue(agents.self(identity), agents.newKey());
        assertRejected(RejectionCode.UNEXPECTED_TYPE, () -> verifier.verify(c.toByteArray(), IdentityProfile.class));
    }

    @Test
    @DisplayName("halo4j refuses to issue what it would reject")
    void issuerRefuses() {
        IdentityProfile unsorted = IdentityProfile.newBuilder()
                .addProperties(Property.newBuilder().setKey("b")).addProperties(Property.newBuilder().setKey("a")).build();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Credentials.issue(agents.self(identity)).subject(identity).assertion(unsorted).sign());
    }

    static ByteString field(int number, String value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        o.writeString(number, value);
        o.flush();
        return ByteString.copyFrom(out.toByteArray());
    }
}
