/**
 * HALO login for Apache Shiro 2 (Jakarta): {@link HaloRealm} verifies a {@link HaloPresentationToken} and grants
 * roles {@code space:<spaceId>:<ROLE>} and permissions {@code space:<action>:<spaceId>} by the identity's role in
 * the spaces it is configured with, dropping cached authorizations whenever the membership state changes;
 * {@link HaloAuthenticationFilter} logs API clients in from {@code Authorization: HALO …}. Usable from code and
 * from {@code shiro.ini}. See docs/web-login.md.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.halo4j.shiro;
