/**
 * Passwordless HALO login for any Jakarta Servlet 6 web app, with or without OSGi: {@link HaloFilter} serves the
 * challenge, login and logout endpoints, keeps short-lived sessions (cookie or bearer token), answers API clients
 * with {@code WWW-Authenticate: HALO}, and protects paths by role in a space, checked on every request against a
 * {@link MembershipSource} — so a removal or a device revocation takes effect on the next request. See
 * docs/web-login.md.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.halo4j.servlet;
