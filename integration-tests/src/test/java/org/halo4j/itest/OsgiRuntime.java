package org.halo4j.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import org.ops4j.pax.exam.Option;

/**
 * The bundle sets the tests install, one place for each: the halo4j bundles of this build (file URLs from the
 * failsafe configuration), and third-party bundles from the local Maven repository at the versions the parent
 * pom manages (STACK.md, "Runtime bundle set").
 */
final class OsgiRuntime {

    private OsgiRuntime() {
    }

    /** A file: URL of a jar of this build, whose path failsafe passes in a system property. */
    static String reactorBundle(String property) {
        String path = System.getProperty(property);
        if (path == null || path.isBlank() || path.startsWith("${")) {
            throw new IllegalStateException("system property " + property + " is not set to a bundle jar (found "
                    + path + "); run this test through maven-failsafe-plugin");
        }
        File jar = new File(path);
        if (!jar.isFile()) {
            throw new IllegalStateException(property + " points at " + jar + ", which is not a file; "
                    + "build with `mvn verify` so that the bundle jar exists");
        }
        return jar.toURI().toString();
    }

    /** halo-proto, halo-core and what they need. */
    static Option core() {
        return composite(
                bundle(reactorBundle("halo.bundle.proto")),
                bundle(reactorBundle("halo.bundle.core")),
                mavenBundle("org.bouncycastle", "bcprov-jdk18on").versionAsInProject(),
                mavenBundle("com.google.protobuf", "protobuf-java").versionAsInProject(),
                mavenBundle("com.fasterxml.jackson.core", "jackson-core").versionAsInProject());
    }

    /** Declarative Services, ConfigAdmin and metatype (with the log API metatype imports). */
    static Option components() {
        return composite(
                mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.configadmin").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.log").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.metatype").versionAsInProject());
    }

    /** slf4j 2 with its provider, which it finds through the service loader mediator (SPI Fly). */
    static Option logging() {
        return composite(
                mavenBundle("org.ow2.asm", "asm").versionAsInProject(),
                mavenBundle("org.ow2.asm", "asm-commons").versionAsInProject(),
                mavenBundle("org.ow2.asm", "asm-util").versionAsInProject(),
                mavenBundle("org.ow2.asm", "asm-tree").versionAsInProject(),
                mavenBundle("org.ow2.asm", "asm-analysis").versionAsInProject(),
                mavenBundle("org.apache.aries.spifly", "org.apache.aries.spifly.dynamic.bundle").versionAsInProject(),
                mavenBundle("org.slf4j", "slf4j-api").versionAsInProject(),
                mavenBundle("org.slf4j", "slf4j-simple").versionAsInProject());
    }

    /**
     * The node's WebSocket server and client, on the Jetty that Felix HTTP Jetty 12 embeds and exports (the core
     * packages come from it): one Jetty in the framework. Needs {@link #whiteboard}.
     */
    static Option jetty() {
        return composite(
                jettyBundle("org.eclipse.jetty", "jetty-alpn-client"),
                jettyBundle("org.eclipse.jetty", "jetty-client"),
                jettyBundle("org.eclipse.jetty.websocket", "jetty-websocket-core-common"),
                jettyBundle("org.eclipse.jetty.websocket", "jetty-websocket-core-server"),
                jettyBundle("org.eclipse.jetty.websocket", "jetty-websocket-core-client"),
                jettyBundle("org.eclipse.jetty.websocket", "jetty-websocket-jetty-api"),
                jettyBundle("org.eclipse.jetty.websocket", "jetty-websocket-jetty-common"),
                jettyBundle("org.eclipse.jetty.websocket", "jetty-websocket-jetty-server"),
                jettyBundle("org.eclipse.jetty.websocket", "jetty-websocket-jetty-client"));
    }

    private static Option jettyBundle(String group, String artifact) {
        return mavenBundle(group, artifact).versionAsInProject();
    }

    /** The Jakarta Servlet Whiteboard: Felix HTTP Jetty 12 on 127.0.0.1:{@code port}. */
    static Option whiteboard(int port) {
        return composite(
                frameworkProperty("org.osgi.service.http.port").value(Integer.toString(port)),
                frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"),
                mavenBundle("org.apache.felix", "org.apache.felix.http.servlet-api").versionAsInProject(),
                mavenBundle("commons-io", "commons-io").versionAsInProject(),
                mavenBundle("commons-fileupload", "commons-fileupload").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.http.jetty12").versionAsInProject());
    }

    /** True if something accepts connections on 127.0.0.1:{@code port}. */
    static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port free on 127.0.0.1 now. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }
}
