package org.halo4j.node.osgi;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.halo4j.keys.Argon2Settings;
import org.halo4j.node.agent.AgentException;
import org.halo4j.node.service.LocalNode;
import org.halo4j.node.service.NodeRuntime;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The node runtime as a component (PID {@code org.halo4j.node}): a {@link LocalNode} started on activation and
 * stopped on deactivation, so a configuration change restarts it on the new settings and a bundle stop leaves no
 * thread, socket or open file behind. It starts only once its PID is configured (the Karaf feature ships a
 * default configuration), so a container that uses halo-node as a library gets no node it did not ask for.
 */
@Component(service = NodeRuntime.class, configurationPid = NodeComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = NodeComponent.Config.class)
public final class NodeComponent implements NodeRuntime {

    public static final String PID = "org.halo4j.node";

    @ObjectClassDefinition(name = "halo4j node", description = "The identity this container acts for, where its "
            + "keyring and feeds are kept, and where peers reach it.")
    public @interface Config {
        @AttributeDefinition(name = "Data directory", description = "The wallet: keyring, feeds, invitations. "
                + "Empty: ${karaf.data}/halo4j in Karaf, else halo4j-data in the working directory.")
        String home() default "";

        @AttributeDefinition(name = "Identity", description = "The DID to act for. Empty: the wallet's only "
                + "identity, or a new one on first start.", required = false)
        String identity() default "";

        @AttributeDefinition(name = "Passphrase file", description = "The file whose content unlocks the keyring. "
                + "Empty: node.passphrase in the data directory, made with a random passphrase on first start.",
                required = false)
        String passphrase_file() default "";

        @AttributeDefinition(name = "Name", description = "Display name of an identity made on first start.")
        String name() default "halo4j node";

        @AttributeDefinition(name = "Device name", description = "This container's name in the identity's HALO.")
        String device_name() default "container";

        @AttributeDefinition(name = "Listen host", description = "Address of the peer listener (127.0.0.1: this "
                + "machine only; 0.0.0.0: every interface).")
        String listen_host() default "127.0.0.1";

        @AttributeDefinition(name = "Listen port", description = "Port of the peer listener (devices sync, guests "
                + "accept invitations, members fetch claims). 0: any free port; -1: do not listen.", min = "-1",
                max = "65535")
        int listen_port() default 4256;
    }

    private static final System.Logger LOG = System.getLogger(PID);

    private final LocalNode node;

    @Activate
    public NodeComponent(Config config) throws AgentException {
        try {
            this.node = LocalNode.start(settings(config), line -> LOG.log(System.Logger.Level.INFO, line));
        } catch (AgentException e) {
            // the container's log shows why the node (and every service on it) is not there
            LOG.log(System.Logger.Level.ERROR, "the node did not start: " + e.code() + ": " + e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the node did not start: " + e.getMessage());
            throw e;
        }
    }

    static LocalNode.Settings settings(Config c) {
        Path home;
        if (!c.home().isBlank()) {
            home = Path.of(c.home());
        } else {
            String karafData = System.getProperty("karaf.data");
            home = karafData != null ? Path.of(karafData, "halo4j") : Path.of("halo4j-data");
        }
        return new LocalNode.Settings(home.toAbsolutePath(), optional(c.identity()),
                optional(c.passphrase_file()).map(Path::of), c.name(), c.device_name(), c.listen_host(), c.listen_port(),
                Argon2Settings.DEFAULTS);
    }

    static Optional<String> optional(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.strip());
    }

    @Deactivate
    void stop() throws AgentException {
        node.close();
    }

    @Override
    public String did() {
        return node.did();
    }

    @Override
    public Path home() {
        return node.home();
    }

    @Override
    public Optional<URI> address() {
        return node.address();
    }

    @Override
    public <T> T call(AgentCall<T> call) throws AgentException {
        return node.call(call);
    }
}
