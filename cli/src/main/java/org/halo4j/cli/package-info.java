/**
 * The {@code halo} command-line wallet (docs/cli.md): commands declared in plain code ({@link org.halo4j.cli.Cmd}) over the agent of
 * {@code org.halo4j.node.agent}, with passphrase sources, a small JSON writer and one error line per failure.
 * Nothing here is API; the command line and its {@code --json} output are the contract.
 */
package org.halo4j.cli;
