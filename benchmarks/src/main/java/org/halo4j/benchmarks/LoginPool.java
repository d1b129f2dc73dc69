package org.halo4j.benchmarks;

import java.time.Duration;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.credentials.CredentialVerifier;
import org.halo4j.credentials.Signer;
import org.halo4j.keys.InMemoryKeyring;
import org.halo4j.keys.KeyringException;
import org.halo4j.keys.PublicKey;
import org.halo4j.presentations.Challenge;
import org.halo4j.presentations.HaloVerifier;
import org.halo4j.presentations.InMemoryChallengeStore;
import org.halo4j.presentations.LoginResult;

/**
 * Returning users ({@link Pool#SIZE} unless told otherwise), each an identity with one device, each holding a signed presentation for
 * an open challenge of one relying party. A login is the full {@link HaloVerifier#finishLogin(Challenge, byte[])}
 * path: size limit, strict decoding, structure, nonce, audience, chain, signatures, validity, and the atomic
 * consumption of the challenge. Because that consumption is real, the challenge is re-opened with
 * {@link InMemoryChallengeStore#put} after each login, so the pool can be cycled; the measured cost therefore
 * includes one challenge-store put, as a real login includes the put made by {@code startLogin()}.
 */
final class LoginPool {

    private final CredentialVerifier credentialVerifier;
    private final InMemoryChallengeStore store = new InMemoryChallengeStore();
    private final HaloVerifier verifier;
    private final int users;
    private final Challenge[] challenges;
    private final byte[][] presentations;
    private final PublicKey[] identities;
    private int cursor;

    /**
     * @param chainCacheSize the CredentialVerifier's chain cache; 0 verifies every chain link's signature and
     *                       consent on every login
     */
    LoginPool(int chainCacheSize) throws KeyringException, HaloRejectedException,
            org.halo4j.presentations.ChallengeStoreFullException {
        this(chainCacheSize, Pool.SIZE);
    }

    /** {@code users} returning users (a power of two). */
    LoginPool(int chainCacheSize, int users) throws KeyringException, HaloRejectedException,
            org.halo4j.presentations.ChallengeStoreFullException {
        if (Integer.bitCount(users) != 1) {
            throw new IllegalArgumentException("users must be a power of two");
        }
        this.users = users;
        this.challenges = new Challenge[users];
        this.presentations = new byte[users][];
        this.identities = new PublicKey[users];
        // A revocation source with the cost of a real one (a hash lookup), knowing no revocation.
        java.util.Set<PublicKey> revoked = java.util.concurrent.ConcurrentHashMap.newKeySet();
        credentialVerifier = CredentialVerifier.builder().deviceStatus((identity, device) -> revoked.contains(device))
                .chainCacheSize(chainCacheSize).build();
        verifier = HaloVerifier.builder()
                .audience(HaloFixtures.AUDIENCE)
                .challengeStore(store)
                .credentialVerifier(credentialVerifier)
                .challengeTtl(Duration.ofHours(1))
                .build();
        InMemoryKeyring keyring = new InMemoryKeyring();
        for (int i = 0; i < users; i++) {
            Signer device = HaloFixtures.deviceOfNewIdentity(keyring);
            challenges[i] = verifier.startLogin();
            presentations[i] = HaloFixtures.presentation(device, challenges[i]);
            identities[i] = device.issuer();
        }
        // Every input must log in (a benchmark of a rejection path would be worthless), and as whom it should.
        for (int i = 0; i < users; i++) {
            LoginResult r = finishAndReopen(i);
            if (!r.identity().equals(identities[i]) || r.device().equals(identities[i])) {
                throw new IllegalStateException("login " + i + " verified as the wrong identity or device");
            }
        }
        if (store.size() != users) {
            throw new IllegalStateException("expected " + users + " open challenges, found " + store.size());
        }
    }

    /** The next user's login, end to end. */
    LoginResult finishNext() throws HaloRejectedException {
        int i = cursor;
        cursor = (i + 1) & (users - 1);
        return finishAndReopen(i);
    }

    /** Chain links whose cryptography the verifier has cached. */
    int cachedChainLinks() {
        return credentialVerifier.cachedChainLinks();
    }

    private LoginResult finishAndReopen(int i) throws HaloRejectedException {
        LoginResult result = verifier.finishLogin(challenges[i], presentations[i]);
        try {
            store.put(challenges[i]);
        } catch (org.halo4j.presentations.ChallengeStoreFullException e) {
            throw new IllegalStateException(e);
        }
        return result;
    }
}
