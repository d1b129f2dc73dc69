/**
 * The agent: a {@link org.halo4j.node.agent.Wallet} of identities in a home directory, each with its own
 * encrypted keyring, feeds and metadata, and the {@link org.halo4j.node.agent.Agent} that acts for one of them
 * (its HALO, devices, profile, contacts and spaces). What the {@code halo} command line does, it does through
 * this package.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.halo4j.node.agent;
