package org.halo4j.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * halo4j in a real Apache Karaf 4.4 distribution from Maven Central, as an admin and a person meet it: the
 * features are added and installed from the shell, the shell commands create the demo space's invitation, the
 * {@code halo} wallet joins over the node's peer port and logs in over HTTP, roles and removal take effect on
 * the next request, a viewer cannot run a mutating command, and uninstalling leaves no halo4j thread or port.
 *
 * <p>Everything runs on 127.0.0.1 with free ports; Karaf resolves {@code mvn:} URLs from its own system
 * repository (where this build's bundles are copied) and the local Maven repository, never from the network.
 */
public class KarafIT {

    private static final String VERSION = System.getProperty("halo.version");
    private static final Duration WAIT = Duration.ofSeconds(90);

    private Path root;
    private Path karaf;
    private Process process;
    private int sshPort;
    private int httpPort;
    private int nodePort;
    private String origin;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @Before
    public void unpackAndConfigure() throws Exception {
        root = Files.createDirectories(Path.of("target", "karaf-it", Long.toString(System.nanoTime()))).toAbsolutePath();
        run(root, List.of("tar", "xzf", property("karaf.distribution"), "-C", root.toString()), Duration.ofSeconds(120));
        karaf = root.resolve("apache-karaf-" + property("karaf.version"));
        sshPort = OsgiRuntime.freePort();
        httpPort = OsgiRuntime.freePort();
        nodePort = OsgiRuntime.freePort();
        origin = "http://127.0.0.1:" + httpPort;
        Path etc = karaf.resolve("etc");

        // an admin and a viewer who can log in to the shell (the karaf user is commented out as shipped)
        Files.writeString(etc.resolve("users.properties"), """
                karaf = karaf,_g_:admingroup
                _g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh
                vera = vera,_g_:viewergroup
                _g_\\:viewergroup = group,viewer,ssh
                """);
        set(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort", Integer.toString(sshPort));
        set(etc.resolve("org.apache.karaf.shell.cfg"), "sshHost", "127.0.0.1");
        set(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryPort", Integer.toString(OsgiRuntime.freePort()));
        set(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerPort", Integer.toString(OsgiRuntime.freePort()));
        set(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryHost", "127.0.0.1");
        set(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerHost", "127.0.0.1");
        // Maven artifacts from the system repository and the local repository only
        set(etc.resolve("org.ops4j.pax.url.mvn.cfg"), "org.ops4j.pax.url.mvn.repositories", "");
        set(etc.resolve("org.ops4j.pax.url.mvn.cfg"), "org.ops4j.pax.url.mvn.localRepository",
                property("maven.local.repository"));
        // the admin guide's first step: the HTTP port and host before Jetty starts, then the node's and the site's
        Files.writeString(etc.resolve("org.apache.felix.http.cfg"),
                "org.osgi.service.http.port = " + httpPort + "\norg.apache.felix.http.host = 127.0.0.1\n");
        Files.writeString(etc.resolve("org.halo4j.node.cfg"), "listen.host = 127.0.0.1\nlisten.port = " + nodePort + "\n");
        Files.writeString(etc.resolve("org.halo4j.web.cfg"), "audience = " + origin + "\n");

        // this build's artifacts into Karaf's system repository, where mvn: URLs find them
        for (String[] a : new String[][] {{"halo-proto", "halo.bundle.proto"}, {"halo-core", "halo.bundle.core"},
                {"halo-node", "halo.bundle.node"}, {"halo-servlet", "halo.bundle.servlet"},
                {"halo-shell", "halo.bundle.shell"}, {"halo-karaf-demo", "halo.bundle.karaf-demo"},
                {"halo-shiro", "halo.bundle.shiro"}}) {
            system(a[0], a[0] + "-" + VERSION + ".jar", property(a[1]));
        }
        system("halo4j-features", "halo4j-features-" + VERSION + "-features.xml", property("halo.features"));

        List<String> cmd = List.of(karaf.resolve("bin/karaf").toString(), "server");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(karaf.toFile()).redirectErrorStream(true)
                .redirectOutput(root.resolve("karaf-console.log").toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("JAVA_MAX_MEM", "512M");
        process = pb.start();
    }

    @After
    public void stopKaraf() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    public void installCreateJoinLoginAndUninstall() throws Exception {
        waitFor("the Karaf shell", () -> shell("karaf", "shell:echo ready").contains("ready"));

        // the admin installs halo4j (-r: no refresh of Karaf's SSH server when Bouncy Castle arrives)
        shell("karaf", "feature:repo-add mvn:org.halo4j/halo4j-features/" + VERSION + "/xml/features");
        String installed = shell("karaf", "feature:install -r halo4j-demo halo4j-shell");
        assertFalse(installed, installed.toLowerCase(java.util.Locale.ROOT).contains("error"));
        waitFor("the node and its commands", () -> shell("karaf", "halo:node-status").contains("ws://127.0.0.1:" + nodePort));
        waitFor("the demo space", () -> shell("karaf", "halo:space-list").contains(" demo "));
        waitFor("the demo pages", () -> get("/demo", null).statusCode() == 200);

        // the admin's own space, and what the shell says about the node
        assertTrue(shell("karaf", "halo:space-create team").contains("Created space team"));
        assertTrue(shell("karaf", "halo:space-list").contains(" team  OWNER  1 member"));
        String identity = shell("karaf", "halo:identity-show");
        assertTrue(identity, identity.contains("Backup:   NOT CONFIRMED") && identity.contains("(this container)"));
        assertTrue(shell("karaf", "halo:device-list").contains("container"));
        assertTrue(shell("karaf", "halo:space-audit team").contains("Nothing refused in team"));
        String spare = find(shell("karaf", "halo:space-invite --multi-use --lifetime 5 team"), "Invitation (\\S+) ");
        assertTrue(shell("karaf", "halo:invitation-list").contains(spare + "  open  team  READER"));
        assertTrue(shell("karaf", "halo:invitation-cancel " + spare.substring(0, 8)).contains("Cancelled invitation " + spare));
        String again = shell("karaf", "halo:invitation-cancel " + spare);
        assertTrue(again, again.contains("invitation.cancelled"));
        String bad = shell("karaf", "halo:space-set-role team not-a-key ADMIN");
        assertTrue(bad, bad.contains("input.key"));

        // an invitation from the shell; a person's wallet joins over the node's peer port
        String invite = shell("karaf", "halo:space-invite --role READER demo");
        String invitation = find(invite, "invitation: (\\S+)");
        String code = find(invite, "code:\\s+(\\S+)");
        Path ada = root.resolve("ada");
        String did = find(halo(ada, "--json", "identity", "create", "--name", "Ada"), "\"did\"\\s*:\\s*\"([^\"]+)\"");
        halo(ada, "space", "join", invitation, "--code", code);
        assertTrue(shell("karaf", "halo:space-members demo").contains("READER  " + did));

        // and logs in over HTTP
        assertEquals(401, get("/members", null).statusCode());
        String cookie = find(halo(ada, "--json", "login", origin + "/members"), "\"cookie\"\\s*:\\s*\"([^\"]+)\"");
        HttpResponse<String> members = get("/members", cookie);
        assertEquals(members.body(), 200, members.statusCode());
        assertTrue(members.body(), members.body().contains("Hello <code>" + did + "</code>, READER"));
        assertEquals(403, get("/admin/", cookie).statusCode());

        // a role set in the shell counts from the next request; so does a removal
        shell("karaf", "halo:space-set-role demo " + did + " ADMIN");
        HttpResponse<String> admin = get("/admin/", cookie);
        assertEquals(admin.body(), 200, admin.statusCode());
        assertTrue(admin.body(), admin.body().contains("ADMIN <code>" + did + "</code>"));
        shell("karaf", "halo:space-remove demo " + did);
        assertEquals(403, get("/members", cookie).statusCode());

        // the demo's pages stand on halo4j's filter: with its bundle stopped they are gone, never served open
        shell("karaf", "bundle:stop org.halo4j.servlet");
        waitFor("the demo pages gone with the filter", () -> get("/admin/", null).statusCode() == 404);
        assertEquals(404, get("/members", cookie).statusCode());
        shell("karaf", "bundle:start org.halo4j.servlet");
        waitFor("the demo pages back", () -> get("/demo", null).statusCode() == 200);
        assertEquals("sessions were in the stopped filter", 401, get("/members", cookie).statusCode());

        // the Shiro realm as a service, for the demo space
        Files.writeString(karaf.resolve("etc/org.halo4j.shiro.cfg"), "audience = " + origin + "\nspaces = demo\n");
        String shiro = shell("karaf", "feature:install -r halo4j-shiro");
        assertFalse(shiro, shiro.toLowerCase(java.util.Locale.ROOT).contains("error"));
        waitFor("the realm service", () -> shell("karaf", "service:list org.apache.shiro.realm.Realm")
                .contains("component.name = org.halo4j.shiro.osgi.RealmComponent"));

        // a viewer reads but cannot change (the ACL the feature ships)
        assertTrue(shell("vera", "halo:space-list").contains(" demo "));
        String refused = shell("vera", "halo:space-create sneaky").replaceAll("\u001B\\[[0-9;]*m", ""); // no colours
        // Karaf hides a command the ACL does not allow (its reading siblings above still run for this user)
        assertTrue(refused, refused.contains("Command not found: halo:space-create")
                || refused.contains("Insufficient credentials"));
        assertFalse(shell("karaf", "halo:space-list").contains("sneaky"));

        // uninstalled, halo4j leaves no thread and no open port (while installed, the same listing shows them)
        assertTrue(OsgiRuntime.listening(nodePort));
        String running = shell("karaf", "shell:threads --list");
        assertTrue(running, running.contains("halo4j-membership") && running.contains("halo-net"));
        // the features installed by name; the ones they needed (halo4j-web, -node, -http, -core) go with them
        String uninstalled = shell("karaf", "feature:uninstall -r halo4j-demo halo4j-shell halo4j-shiro");
        assertFalse(uninstalled, uninstalled.toLowerCase(java.util.Locale.ROOT).contains("error"));
        assertFalse(shell("karaf", "bundle:list -s").contains("org.halo4j"));
        waitFor("the node's port closed", () -> !OsgiRuntime.listening(nodePort));
        waitFor("no halo4j thread", () -> {
            String threads = shell("karaf", "shell:threads --list");
            return threads.contains("Reference Handler") && !threads.contains("halo-") && !threads.contains("halo4j-");
        });
    }

    // ---------------------------------------------------------------------------------------------------------

    private static String property(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank() || v.startsWith("${")) {
            throw new IllegalStateException("system property " + name + " is not set; run this test through failsafe");
        }
        return v;
    }

    /** Sets {@code key = value} in a Karaf .cfg file, replacing the key's line (commented or not) or adding one. */
    private static void set(Path cfg, String key, String value) throws IOException {
        List<String> lines = new ArrayList<>(Files.exists(cfg) ? Files.readAllLines(cfg) : List.of());
        Pattern p = Pattern.compile("^#?\\s*" + Pattern.quote(key) + "\\s*=.*");
        boolean done = false;
        for (int i = 0; i < lines.size(); i++) {
            if (p.matcher(lines.get(i)).matches() && !done) {
                lines.set(i, key + " = " + value);
                done = true;
            }
        }
        if (!done) {
            lines.add(key + " = " + value);
        }
        Files.write(cfg, lines);
    }

    private void system(String artifact, String file, String from) throws IOException {
        Path dir = Files.createDirectories(karaf.resolve("system/org/halo4j/" + artifact + "/" + VERSION));
        Files.copy(Path.of(from), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Runs {@code command} in the Karaf shell as {@code user} (password = name) over SSH; its output. */
    private String shell(String user, String command) throws Exception {
        return run(karaf, List.of(karaf.resolve("bin/client").toString(), "-a", Integer.toString(sshPort), "-h",
                "127.0.0.1", "-u", user, "-p", user, "-r", "3", "-d", "2", "-b"), Duration.ofSeconds(120), command + "\n");
    }

    private String halo(Path home, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            cmd.add("/usr/bin/setsid"); // no controlling terminal: nothing waits for a person
        }
        cmd.add(Path.of(property("halo.launcher")).toAbsolutePath().toString());
        cmd.add("--home");
        cmd.add(home.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HALO_KEYRING_PASSPHRASE", "correct horse battery staple");
        pb.environment().put("HALO_KEYRING_ARGON2", "test");
        return runChecked(pb, Duration.ofSeconds(90), null, "halo " + String.join(" ", args));
    }

    private String run(Path dir, List<String> cmd, Duration limit, String... stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return runChecked(pb, limit, stdin.length == 0 ? null : stdin[0], String.join(" ", cmd));
    }

    private String runChecked(ProcessBuilder pb, Duration limit, String stdin, String what) throws Exception {
        Path out = Files.createTempFile(root, "out", ".txt");
        pb.redirectErrorStream(true).redirectOutput(out.toFile());
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
        }
        if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(what + " did not end in " + limit.toSeconds() + " s");
        }
        String text = Files.readString(out);
        if (p.exitValue() != 0 && !what.contains("bin/client")) {
            fail(what + " exited " + p.exitValue() + ": " + text);
        }
        return text;
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + path)).timeout(Duration.ofSeconds(20));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            fail("no " + regex + " in:\n" + text);
        }
        return m.group(1);
    }


    interface Check {
        boolean holds() throws Exception;
    }

    private void waitFor(String what, Check c) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        Exception last = null;
        while (System.nanoTime() < end) {
            try {
                if (c.holds()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            if (!process.isAlive()) {
                fail("Karaf ended: " + Files.readString(root.resolve("karaf-console.log")));
            }
            Thread.sleep(1000);
        }
        fail("waited " + WAIT.toSeconds() + " s for " + what + (last == null ? "" : "; last: " + last) + "\nKaraf log:\n"
                + tail(karaf.resolve("data/log/karaf.log")));
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
