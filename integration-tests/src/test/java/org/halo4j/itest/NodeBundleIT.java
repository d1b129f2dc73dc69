package org.halo4j.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import javax.inject.Inject;
import org.halo4j.keys.Argon2Settings;
import org.halo4j.node.agent.Agent;
import org.halo4j.node.agent.NewIdentity;
import org.halo4j.node.agent.SpaceSummary;
import org.halo4j.node.agent.Wallet;
import org.halo4j.proto.v1.SpaceRole;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;

/** The halo-node bundle in Apache Felix: it resolves, exports its API, and runs a wallet on real files. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NodeBundleIT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return options(
                workingDirectory(System.getProperty("paxexam.workdir", "target/paxexam") + "-node"),
                cleanCaches(true),
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                OsgiRuntime.core(),
                // its services are Declarative Services components; unconfigured, none of them starts a node
                OsgiRuntime.components(),
                bundle(OsgiRuntime.reactorBundle("halo.bundle.node")),
                junitBundles());
    }


    @Test
    public void nodeBundleIsActiveAndExportsItsApi() {
        Bundle node = FrameworkUtil.getBundle(Wallet.class);
        assertEquals("org.halo4j.node", node.getSymbolicName());
        assertEquals(Bundle.ACTIVE, node.getState());
        Map<String, Map<String, String>> exports = ExportPackageHeader.parse(node.getHeaders().get(Constants.EXPORT_PACKAGE));
        assertEquals(java.util.Set.of("org.halo4j.net", "org.halo4j.node.agent", "org.halo4j.node.invitations",
                "org.halo4j.node.server", "org.halo4j.node.service", "org.halo4j.node.storage"), exports.keySet());
    }

    @Test
    public void noNodeStartsUntilItIsConfigured() throws Exception {
        // Declarative Services runs here and halo-node's components are known to it, but org.halo4j.node has no
        // configuration: a container that uses halo-node as a library gets no node, no port, no thread
        assertTrue("Declarative Services is not running",
                context.getServiceReference("org.osgi.service.component.runtime.ServiceComponentRuntime") != null);
        Thread.sleep(500);
        assertEquals(null, context.getServiceReference(org.halo4j.node.service.NodeRuntime.class));
        assertEquals(null, context.getServiceReference(org.halo4j.node.service.SpaceMembershipService.class));
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertTrue(t.getName(), !t.getName().startsWith("halo-") && !t.getName().startsWith("halo4j-"));
        }
    }

    @Test
    public void walletOnRealFilesInsideTheFramework() throws Exception {
        Path home = Files.createTempDirectory("halo-node-itest-");
        try {
            char[] pass = "itest".toCharArray();
            Wallet wallet = Wallet.open(home, Argon2Settings.forTests());
            NewIdentity id = wallet.create(Optional.of("Ada"), "felix", pass);
            id.phrase().close();
            try (Agent agent = wallet.open(Optional.empty(), pass)) {
                SpaceSummary team = agent.createSpace("team");
                assertEquals(Optional.of(SpaceRole.SPACE_ROLE_OWNER), team.myRole());
                assertEquals(id.did(), agent.did());
                assertTrue(agent.state().displayName().isPresent());
            }
            assertEquals(1, Wallet.open(home, Argon2Settings.forTests()).identities().size());
            assertTrue(context.getBundles().length >= 5);
        } finally {
            // nothing the project runs leaves files outside target/ and the homes a person named
            try (java.util.stream.Stream<Path> files = Files.walk(home)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        assertTrue(Files.notExists(home));
    }
}
