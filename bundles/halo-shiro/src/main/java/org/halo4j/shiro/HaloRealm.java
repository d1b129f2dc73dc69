package org.halo4j.shiro;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.shiro.authc.AuthenticationException;
import org.apache.shiro.authc.AuthenticationInfo;
import org.apache.shiro.authc.AuthenticationToken;
import org.apache.shiro.authc.SimpleAuthenticationInfo;
import org.apache.shiro.authc.credential.AllowAllCredentialsMatcher;
import org.apache.shiro.authz.AuthorizationInfo;
import org.apache.shiro.authz.SimpleAuthorizationInfo;
import org.apache.shiro.cache.Cache;
import org.apache.shiro.realm.AuthorizingRealm;
import org.apache.shiro.subject.PrincipalCollection;
import org.apache.shiro.subject.SimplePrincipalCollection;
import org.halo4j.errors.HaloRejectedException;
import org.halo4j.presentations.Challenge;
import org.halo4j.presentations.ChallengeStore;
import org.halo4j.presentations.ChallengeStoreFullException;
import org.halo4j.presentations.HaloVerifier;
import org.halo4j.presentations.InMemoryChallengeStore;
import org.halo4j.presentations.LoginResult;
import org.halo4j.proto.v1.SpaceRole;
import org.halo4j.servlet.HaloPrincipal;
import org.halo4j.servlet.MembershipSource;
import org.halo4j.servlet.MembershipUnavailableException;
import org.halo4j.servlet.PeerMembership;
import org.halo4j.spaces.Roles;

/**
 * A Shiro realm for HALO logins (DESIGN §7). It authenticates a {@link HaloPresentationToken} by verifying the
 * presentation against one of its own challenges ({@link #startLogin()}), with the device revocations its
 * {@link MembershipSource} knows; the principals are the identity's DID (primary) and a {@link HaloPrincipal}.
 * It authorizes by the identity's role, as the membership source has it now, in each configured space:
 * <ul>
 *   <li>roles {@code space:<spaceId>:<ROLE>} for the role held and every lower one (an ADMIN also has
 *       {@code space:<id>:EDITOR} and {@code space:<id>:READER});</li>
 *   <li>permissions {@code space:read:<spaceId>} (READER and up), {@code space:write:<spaceId>} (EDITOR and up),
 *       {@code space:admin:<spaceId>} (ADMIN and up), {@code space:own:<spaceId>} (OWNER).</li>
 * </ul>
 * A login whose device (or chain) has since been revoked gets no role and no permission. Cached authorizations
 * are dropped whenever the source's {@link MembershipSource#version()} changes, and never kept for a source
 * that cannot tell.
 *
 * <p>From code: {@code new HaloRealm("https://app.example.com", new PeerMembership(agent), spaceId)}. From
 * {@code shiro.ini}, the realm opens the app's wallet itself:
 * <pre>
 * [main]
 * haloRealm = org.halo4j.shiro.HaloRealm
 * haloRealm.audience = https://app.example.com
 * haloRealm.walletHome = /var/lib/app/halo
 * haloRealm.passphraseFile = /etc/app/halo.passphrase
 * haloRealm.spaces = 72e352e3…, 0bc58871…
 * securityManager.realms = $haloRealm
 * </pre>
 */
public class HaloRealm extends AuthorizingRealm {

    private String audience;
    private MembershipSource membership;
    private List<String> spaces = List.of();
    private ChallengeStore challengeStore = new InMemoryChallengeStore(10_000);
    private Duration challengeTtl = Duration.ofMinutes(2);
    private Clock clock = Clock.systemUTC();
    private String walletHome;
    private String passphraseFile;
    private AutoCloseable opened;
    private final Object versionLock = new Object();
    private HaloVerifier verifier;
    private long seenVersion = MembershipSource.UNVERSIONED;

    /** For {@code shiro.ini}: set {@code audience}, {@code spaces} and a wallet (or a membership source). */
    public HaloRealm() {
        setCredentialsMatcher(new AllowAllCredentialsMatcher()); // the verifier is the matcher
        setAuthenticationTokenClass(HaloPresentationToken.class);
        setAuthenticationCachingEnabled(false); // a presentation logs in once: nothing to cache
    }

    /** From code: the site's origin, where membership comes from, and the spaces it authorizes by. */
    public HaloRealm(String audience, MembershipSource membership, String... spaceIds) {
        this();
        setAudience(audience);
        this.membership = membership;
        this.spaces = normalize(Arrays.asList(spaceIds));
    }

    // ---- configuration ----

    /** The site's origin, {@code https://host[:port]}: every presentation must name exactly it. */
    public void setAudience(String audience) {
        HaloVerifier.builder().audience(audience); // checks the form
        this.audience = audience;
    }

    public void setMembershipSource(MembershipSource membership) {
        this.membership = membership;
    }

    /** The spaces whose roles this realm grants: ids (hex), separated by commas. */
    public void setSpaces(String commaSeparated) {
        this.spaces = normalize(Arrays.asList(commaSeparated.split(",")));
    }

    /** The app's wallet directory (the node runtime's); with {@link #setPassphraseFile}, opened at init. */
    public void setWalletHome(String dir) {
        this.walletHome = dir;
    }

    /** A file (mode 0600) holding the passphrase of the wallet's keyring. */
    public void setPassphraseFile(String file) {
        this.passphraseFile = file;
    }

    /** How long a challenge stays open, in seconds (default 120). */
    public void setChallengeTtlSeconds(int seconds) {
        this.challengeTtl = Duration.ofSeconds(seconds);
    }

    /** Where open challenges wait (default: in memory, 10 000 at most); a cluster shares one. */
    public void setChallengeStore(ChallengeStore store) {
        this.challengeStore = store;
    }

    /** The one clock for challenges and presentations (tests). */
    public void setClock(Clock clock) {
        this.clock = clock;
    }

    public String getAudience() {
        return audience;
    }

    /** The spaces whose roles this realm grants (not a bean getter: the {@code spaces} property is a string). */
    public List<String> spaceIds() {
        return spaces;
    }

    @Override
    protected void onInit() {
        super.onInit();
        if (audience == null) {
            throw new IllegalStateException("HaloRealm needs its audience: the site's origin, e.g. https://app.example.com");
        }
        if (membership == null) {
            membership = openWallet();
        }
    }

    private MembershipSource openWallet() {
        if (walletHome == null || passphraseFile == null) {
            throw new IllegalStateException("HaloRealm needs a membership source: set membershipSource, or walletHome "
                    + "and passphraseFile (the app's own wallet, which replicates the spaces it authorizes by)");
        }
        try {
            char[] passphrase = new String(Files.readAllBytes(Path.of(passphraseFile)), StandardCharsets.UTF_8).trim()
                    .toCharArray();
            org.halo4j.node.agent.Agent agent = org.halo4j.node.agent.Wallet.open(Path.of(walletHome))
                    .open(Optional.empty(), passphrase);
            Arrays.fill(passphrase, '\0');
            opened = agent;
            return new PeerMembership(agent);
        } catch (IOException | org.halo4j.node.agent.AgentException e) {
            throw new IllegalStateException("HaloRealm could not open the wallet at " + walletHome + ": " + e.getMessage(), e);
        }
    }

    /** Closes the wallet the realm opened itself (from {@code walletHome}); a source given to it stays open. */
    public void close() throws Exception {
        if (opened != null) {
            opened.close();
            opened = null;
        }
    }

    // ---- authentication ----

    /** A fresh challenge for a wallet to sign (for a {@code WWW-Authenticate} or a login page). */
    public Challenge startLogin() throws ChallengeStoreFullException {
        return verifier().startLogin();
    }

    /** One verifier for every login (its chain cache serves them all), asking the source about revocations live. */
    private synchronized HaloVerifier verifier() {
        if (verifier == null) {
            if (membership == null || audience == null) {
                throw new IllegalStateException("HaloRealm is not initialized: set audience and a membership source");
            }
            verifier = HaloVerifier.builder().audience(audience).challengeStore(challengeStore)
                    .deviceStatus(membership.liveDeviceStatus()).clock(clock).challengeTtl(challengeTtl).build();
        }
        return verifier;
    }

    @Override
    protected AuthenticationInfo doGetAuthenticationInfo(AuthenticationToken token) throws AuthenticationException {
        byte[] presentation = ((HaloPresentationToken) token).presentation();
        LoginResult result;
        try {
            result = verifier().finishLogin(presentation);
        } catch (HaloRejectedException e) {
            throw new HaloAuthenticationException(e.code().code(), e.getMessage());
        }
        Instant until;
        try {
            until = membership.admit(result).orElse(Instant.MAX); // claims mode: checked, and fresh until then
        } catch (HaloRejectedException e) {
            throw new HaloAuthenticationException(e.code().code(), e.getMessage());
        }
        HaloPrincipal p = HaloPrincipal.of(result, result.did(), until);
        return new SimpleAuthenticationInfo(new SimplePrincipalCollection(List.of(result.did(), p), getName()),
                presentation);
    }

    // ---- authorization ----

    /**
     * True if the login of {@code principals} no longer stands: its device, or an authorization on its chain, has
     * been revoked since (or the revocations cannot be read: fail closed), or, with {@code ClaimsMembership}, the
     * membership claims it came with are no longer fresh.
     */
    public boolean revoked(PrincipalCollection principals) {
        HaloPrincipal p = principals == null ? null : principals.oneByType(HaloPrincipal.class);
        if (p == null) {
            return false; // not a HALO login
        }
        if (!clock.instant().isBefore(p.expiresAt())) {
            return true;
        }
        try {
            return p.revokedIn(membership.deviceStatus());
        } catch (MembershipUnavailableException e) {
            return true;
        }
    }

    /** The membership version the current thread's lookup runs under: part of the cache key. */
    private final ThreadLocal<Long> lookupVersion = new ThreadLocal<>();

    @Override
    protected AuthorizationInfo getAuthorizationInfo(PrincipalCollection principals) {
        long version;
        try {
            version = membership.version();
        } catch (MembershipUnavailableException e) {
            return new SimpleAuthorizationInfo(); // nothing is granted on a state that cannot be read
        }
        if (version == MembershipSource.UNVERSIONED) {
            return principals == null ? null : doGetAuthorizationInfo(principals); // never cached
        }
        Cache<Object, AuthorizationInfo> cache = getAuthorizationCache();
        synchronized (versionLock) {
            if (version != seenVersion) {
                if (cache != null) {
                    cache.clear(); // entries of older versions can never be read again: free them
                }
                seenVersion = version;
            }
        }
        lookupVersion.set(version);
        try {
            return super.getAuthorizationInfo(principals);
        } finally {
            lookupVersion.remove();
        }
    }

    /**
     * Cached authorizations are keyed by the principals <em>and</em> the membership version read before they were
     * computed: an entry computed while the state changed is stored under the old version and never served
     * once the version has moved on.
     */
    @Override
    protected Object getAuthorizationCacheKey(PrincipalCollection principals) {
        Long version = lookupVersion.get();
        return version == null ? principals : List.of(principals, version);
    }

    @Override
    protected AuthorizationInfo doGetAuthorizationInfo(PrincipalCollection principals) {
        SimpleAuthorizationInfo info = new SimpleAuthorizationInfo();
        HaloPrincipal p = principals.oneByType(HaloPrincipal.class);
        if (p == null || !clock.instant().isBefore(p.expiresAt())) {
            return info; // not a HALO login, or one whose membership claims are no longer fresh
        }
        try {
            if (p.revokedIn(membership.deviceStatus())) {
                return info;
            }
            for (String space : spaces) {
                Optional<SpaceRole> role = membership.roleOf(space, p.identity());
                if (role.isEmpty()) {
                    continue;
                }
                int rank = Roles.rank(role.get());
                for (SpaceRole r : List.of(SpaceRole.SPACE_ROLE_READER, SpaceRole.SPACE_ROLE_EDITOR,
                        SpaceRole.SPACE_ROLE_ADMIN, SpaceRole.SPACE_ROLE_OWNER)) {
                    if (Roles.rank(r) <= rank) {
                        info.addRole("space:" + space + ":" + Roles.name(r));
                    }
                }
                info.addStringPermission("space:read:" + space);
                if (rank >= Roles.rank(SpaceRole.SPACE_ROLE_EDITOR)) {
                    info.addStringPermission("space:write:" + space);
                }
                if (rank >= Roles.rank(SpaceRole.SPACE_ROLE_ADMIN)) {
                    info.addStringPermission("space:admin:" + space);
                }
                if (rank >= Roles.rank(SpaceRole.SPACE_ROLE_OWNER)) {
                    info.addStringPermission("space:own:" + space);
                }
            }
        } catch (MembershipUnavailableException e) {
            return new SimpleAuthorizationInfo();
        }
        return info;
    }

    private static List<String> normalize(List<String> ids) {
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            String s = id.trim().toLowerCase(Locale.ROOT);
            if (!s.isEmpty()) {
                if (!s.matches("[0-9a-f]{64}")) {
                    throw new IllegalArgumentException("a space id is 64 hex digits, not '" + id.trim() + "'");
                }
                out.add(s);
            }
        }
        return List.copyOf(out);
    }
}
