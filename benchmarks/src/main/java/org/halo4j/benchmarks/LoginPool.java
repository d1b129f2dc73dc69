package org.halo4j.benchmarks;

import java.time.Duration;
import org.halo4j.credentials.CredentialRejectedException;
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
 * {@link Pool#SIZE} returning users, each an identity with one device, each holding a signed presentation for
 * an open challenge of one relying party. A login is the full {@link HaloVerifier#finishLogin(byte[], byte[])}
 * path: size limit, strict decoding, structure, nonce, audience, chain, signatures, validity, and the atomic
 * consumption of the challenge. Because that consumption is real, the challenge is re-opened with
 * {@link InMemoryChallengeStore#put} after each login, so the pool can be cycled; the measured cost therefore
 * includes one challenge-store put, as a real login includes the put made by {@code startLogin()}.
 */
final class LoginPool {

    private final CredentialVerifier credentialVerifier;
    private final InMemoryChallengeStore store = new InMemoryChallengeStore();
    private final HaloVerifier verifier;
    private final Challenge[] challenges = new Challenge[Pool.SIZE];
    private final byte[][] nonces = new byte[Pool.SIZE][];
    private final byte[][] presentations = new byte[Pool.SIZE][];
    private final PublicKey[] identities = new PublicKey[Pool.SIZE];
    private final Pool pool = new Pool();

    /**
     * @param chainCacheSize the CredentialVerifier's chain cache; 0 verifies every chain link's signature and
     *                       consent on every login
     */
    LoginPool(int chainCacheSize) throws KeyringException, CredentialRejectedException {
        credentialVerifier = CredentialVerifier.builder().chainCacheSize(chainCacheSize).build();
        verifier = HaloVerifier.builder()
                .audience(HaloFixtures.AUDIENCE)
                .challengeStore(store)
                .credentialVerifier(credentialVerifier)
                .challengeTtl(Duration.ofHours(1))
                .build();
        InMemoryKeyring keyring = new InMemoryKeyring();
        for (int i = 0; i < Pool.SIZE; i++) {
            Signer device = HaloFixtures.deviceOfNewIdentity(keyring);
            challenges[i] = verifier.startLogin();
            nonces[i] = challenges[i].nonce();
            presentations[i] = HaloFixtures.presentation(device, challenges[i]);
            identities[i] = device.issuer();
        }
        // Every input must log in (a benchmark of a rejection path would be worthless), and as whom it should.
        for (int i = 0; i < Pool.SIZE; i++) {
            LoginResult r = finishAndReopen(i);
            if (!r.identity().equals(identities[i]) || r.device().equals(identities[i])) {
                throw new IllegalStateException("login " + i + " verified as the wrong identity or device");
            }
        }
        if (store.size() != Pool.SIZE) {
            throw new IllegalStateException("expected " + Pool.SIZE + " open challenges, found " + store.size());
        }
    }

    /** The next user's login, end to end. */
    LoginResult finishNext() throws CredentialRejectedException {
        return finishAndReopen(pool.next());
    }

    /** Chain links whose cryptography the verifier has cached. */
    int cachedChainLinks() {
        return credentialVerifier.cachedChainLinks();
    }

    private LoginResult finishAndReopen(int i) throws CredentialRejectedException {
        LoginResult result = verifier.finishLogin(nonces[i], presentations[i]);
        store.put(challenges[i]);
        return result;
    }
}
