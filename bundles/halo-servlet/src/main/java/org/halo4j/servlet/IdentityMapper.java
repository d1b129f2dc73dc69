package org.halo4j.servlet;

import java.util.Optional;

/**
 * Links the identity that logged in (its {@code did:key}) to an account of the app: the common case of adding
 * passwordless login to an app that already has users. The filter calls it once per login; an empty answer
 * refuses the login ({@code account.unknown}, 403). {@link #DID} makes the DID itself the account name.
 *
 * <pre>{@code
 * // accounts table with a column for the DID a user linked to their account
 * IdentityMapper mapper = did -> accounts.findByDid(did).map(Account::username);
 * }</pre>
 */
@FunctionalInterface
public interface IdentityMapper {

    /** The account name for {@code did}; empty if no account is linked to it. */
    Optional<String> accountOf(String did);

    /** The DID is the account name: every identity is let in (authorization is by role in a space). */
    IdentityMapper DID = Optional::of;
}
