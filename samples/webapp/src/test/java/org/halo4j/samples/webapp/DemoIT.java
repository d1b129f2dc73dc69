package org.halo4j.samples.webapp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo as people meet it: the real jar started as a process, real {@code halo} wallets (each its own process
 * and home) that join its space and log in, and its login page in a real headless Chromium.
 */
@DisplayName("the demo web app with real wallets and a real browser")
class DemoIT {

    static final Path DEMO_JAR = Path.of(System.getProperty("halo.demo.jar", "target/halo-demo.jar")).toAbsolutePath();
    static final Path LAUNCHER = Path.of(System.getProperty("halo.launcher", "../../cli/target/halo")).toAbsolutePath();
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    static Path root;
    static Process demo;
    static String origin;
    static String peer;
    static Path bob;
    static String bobDid;

    /** A running demo process: where it serves pages, and where its peer listens. */
    record Demo(Process process, String origin, String peer) {
    }

    /** Starts the demo jar with its data in {@code home} and these options; returns once it serves. */
    static Demo launch(Path home, String... options) throws Exception {
        int port = freePort();
        int peerPort = freePort();
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", DEMO_JAR.toString(), "--port", Integer.toString(port),
                "--peer-port", Integer.toString(peerPort), "--home", home.toString()));
        cmd.addAll(List.of(options));
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Path log = root.resolve(home.getFileName() + ".log");
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                }
            } catch (IOException e) {
                // the demo ended
            }
        }, "demo-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String at = null;
        while (at == null) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                process.destroyForcibly();
                throw new AssertionError("the demo did not start in 60 s");
            }
            if (line.startsWith("halo4j demo at ")) {
                at = line.substring("halo4j demo at ".length()).trim();
            }
        }
        assertThat(at).isEqualTo("http://127.0.0.1:" + port);
        return new Demo(process, at, "ws://127.0.0.1:" + peerPort);
    }

    /** The demo, started once with Bob as its ADMIN. */
    @BeforeAll
    static void startTheDemo() throws Exception {
        root = Files.createDirectories(Path.of("target", "demo-it", Long.toString(System.nanoTime()))).toAbsolutePath();
        bob = root.resolve("bob");
        bobDid = identity(bob, "Bob");
        Demo d = launch(root.resolve("site"), "--admin", bobDid);
        demo = d.process();
        origin = d.origin();
        peer = d.peer();
        join(bob);
    }

    @AfterAll
    static void stopTheDemo() throws Exception {
        if (demo != null) {
            demo.destroy(); // SIGTERM: the demo closes its wallet
            assertThat(demo.waitFor(30, TimeUnit.SECONDS)).as("the demo stops on SIGTERM").isTrue();
        }
    }

    // ---- the wallet ----

    record Run(int exit, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    static Run halo(Path home, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            cmd.add("/usr/bin/setsid"); // no controlling terminal: nothing can wait for a person
        }
        cmd.add(LAUNCHER.toString());
        cmd.add("--home");
        cmd.add(home.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HALO_KEYRING_PASSPHRASE", "correct horse battery staple");
        pb.environment().put("HALO_KEYRING_ARGON2", "test");
        pb.environment().put("HALO_JAVA_OPTS", "-XX:TieredStopAtLevel=1");
        Path out = Files.createTempFile(root, "out", ".txt");
        Path err = Files.createTempFile(root, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                new File("/dev/null"))).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("halo " + String.join(" ", args) + " did not end in 90 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    static Run ok(Run r) {
        assertThat(r.exit()).as("exit of halo; stderr: " + r.err()).isZero();
        return r;
    }

    static String identity(Path home, String name) throws Exception {
        return ok(halo(home, "--json", "identity", "create", "--name", name)).json().get("did").asText();
    }

    /** Joins the demo space with the public demo invitation. */
    static void join(Path home) throws Exception {
        JsonNode inv = JSON.readTree(get("/join.json").body());
        ok(halo(home, "space", "join", inv.get("invitation").asText(), "--code", inv.get("code").asText()));
    }

    /** Logs the wallet in for API use; its session cookie. */
    static String login(Path home) throws Exception {
        return ok(halo(home, "--json", "login", origin + "/members")).json().get("cookie").asText();
    }

    // ---- the site ----

    static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + path)).timeout(Duration.ofSeconds(20)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String type, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String error(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body()).get("error").asText();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    // ---- the scenarios ----

    @Test
    @DisplayName("a person joins, logs in, sees the pages of their role, and is refused on the next request once an admin removes them")
    void joinLoginRolesAndRemoval() throws Exception {
        Path alice = root.resolve("alice");
        String aliceDid = identity(alice, "Alice");
        join(alice);
        String cookie = login(alice);
        HttpResponse<String> members = get("/members", "Cookie", cookie);
        assertThat(members.statusCode()).isEqualTo(200);
        assertThat(members.body()).contains(aliceDid, "READER", bobDid);
        HttpResponse<String> admin = get("/admin", "Cookie", cookie);
        assertThat(admin.statusCode()).isEqualTo(403);
        assertThat(error(admin)).isEqualTo("space.role");

        String bobs = login(bob);
        assertThat(get("/admin", "Cookie", bobs).statusCode()).isEqualTo(200);
        // the site signs with its OWNER key, but an ADMIN's page holds him to an ADMIN's rules
        HttpResponse<String> raise = post("/admin/role", "application/x-www-form-urlencoded",
                ("did=" + bobDid + "&role=OWNER").getBytes(StandardCharsets.US_ASCII), "Cookie", bobs, "Origin", origin);
        assertThat(raise.statusCode()).isEqualTo(403);
        // a form from another site is refused; Bob's own page removes Alice
        String form = "did=" + aliceDid;
        HttpResponse<String> forged = post("/admin/remove", "application/x-www-form-urlencoded",
                form.getBytes(StandardCharsets.US_ASCII), "Cookie", bobs, "Origin", "https://evil.example.com");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(get("/members", "Cookie", cookie).statusCode()).isEqualTo(200);
        HttpResponse<String> removed = post("/admin/remove", "application/x-www-form-urlencoded",
                form.getBytes(StandardCharsets.US_ASCII), "Cookie", bobs, "Origin", origin);
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(303);

        HttpResponse<String> next = get("/members", "Cookie", cookie);
        assertThat(next.statusCode()).isEqualTo(403);
        assertThat(error(next)).isEqualTo("space.not_member");
    }

    @Test
    @DisplayName("presentations for another site, replayed ones and made-up challenges are refused with their reason")
    void refusalsOverHttp() throws Exception {
        Path carol = root.resolve("carol");
        identity(carol, "Carol");
        String nonce = JSON.readTree(get("/.well-known/halo/challenge").body()).get("challenge").asText();
        Path file = root.resolve("carol-presentation.bin");
        ok(halo(carol, "presentation", "sign", "--audience", "https://evil.example.com", "--nonce", nonce, "--out",
                file.toString()));
        HttpResponse<String> other = post("/.well-known/halo/login", "application/halo-presentation", Files.readAllBytes(file));
        assertThat(other.statusCode()).isEqualTo(401);
        assertThat(error(other)).isEqualTo("presentation.audience_mismatch");

        ok(halo(carol, "presentation", "sign", "--audience", origin, "--nonce", nonce, "--out", file.toString()));
        assertThat(post("/.well-known/halo/login", "application/halo-presentation", Files.readAllBytes(file)).statusCode())
                .isEqualTo(200);
        HttpResponse<String> replay = post("/.well-known/halo/login", "application/halo-presentation", Files.readAllBytes(file));
        assertThat(error(replay)).isEqualTo("presentation.replayed");

        ok(halo(carol, "presentation", "sign", "--audience", origin, "--nonce", "ab".repeat(32), "--out", file.toString()));
        assertThat(error(post("/.well-known/halo/login", "application/halo-presentation", Files.readAllBytes(file))))
                .isEqualTo("presentation.challenge_unknown");
        // the wallet itself refuses to sign for a site that names another origin than the URL it was given
        Run wrong = halo(carol, "login", origin.replace("127.0.0.1", "localhost"));
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).contains("login.audience_mismatch");
    }

    @Test
    @DisplayName("a device revoked on another device is refused on its next request once the revocation is synced")
    void revokedDevice() throws Exception {
        Path dave = root.resolve("dave");
        identity(dave, "Dave");
        join(dave);
        Path phone = root.resolve("daves-phone");
        // Dave's laptop hosts a device invitation; the phone joins with the code
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "--home", dave.toString(), "--json", "device", "invite");
        pb.environment().put("HALO_KEYRING_PASSPHRASE", "correct horse battery staple");
        pb.environment().put("HALO_KEYRING_ARGON2", "test");
        Process host = pb.redirectErrorStream(false).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8))) {
            JsonNode first = JSON.readTree(r.readLine());
            ok(halo(phone, "device", "join", first.get("invitation").asText(), "--code", first.get("code").asText(),
                    "--name", "phone"));
            assertThat(host.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            host.destroyForcibly();
        }
        String phoneCookie = login(phone);
        assertThat(get("/members", "Cookie", phoneCookie).statusCode()).isEqualTo(200);
        String phoneKey = null;
        for (JsonNode d : ok(halo(dave, "--json", "device", "list")).json()) {
            if (!d.get("current").asBoolean()) {
                phoneKey = d.get("key").asText();
            }
        }
        ok(halo(dave, "device", "revoke", "--force", phoneKey));
        ok(halo(dave, "sync", "--node", peer));
        HttpResponse<String> next = get("/members", "Cookie", phoneCookie);
        assertThat(next.statusCode()).isEqualTo(401);
        assertThat(error(next)).isEqualTo("device.revoked");
        // the laptop still logs in
        assertThat(get("/members", "Cookie", login(dave)).statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("with --claims the site keeps no membership: the wallet brings a fresh claim from the space's node")
    void claimsMode() throws Exception {
        Demo claims = launch(root.resolve("claims-site"), "--claims");
        try {
            Path frank = root.resolve("frank");
            String frankDid = identity(frank, "Frank");
            JsonNode inv = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(claims.origin() + "/join.json"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            ok(halo(frank, "space", "join", inv.get("invitation").asText(), "--code", inv.get("code").asText()));
            // the site names its space; without a node to ask, the wallet says what it needs
            Run noNode = halo(frank, "login", claims.origin() + "/members");
            assertThat(noNode.exit()).isEqualTo(2);
            assertThat(noNode.err()).contains("claim.no_node").contains("--node");
            // a node that is not one of the space's gives no claim
            Run wrongNode = halo(frank, "login", claims.origin() + "/members", "--node", peer);
            assertThat(wrongNode.exit()).as(wrongNode.err()).isNotZero();
            assertThat(wrongNode.err()).contains("claim.not_member"); // said as for a non-member: nothing on what it keeps
            // the space's node vouches; the claim logs Frank in as the READER he is
            Run in = ok(halo(frank, "--json", "login", claims.origin() + "/members", "--node", claims.peer()));
            assertThat(in.json().get("did").asText()).isEqualTo(frankDid);
            assertThat(in.err()).contains("telling " + claims.origin() + " your role");
            HttpResponse<String> members = HTTP.send(HttpRequest.newBuilder(URI.create(claims.origin() + "/members"))
                    .header("Cookie", in.json().get("cookie").asText()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(members.statusCode()).isEqualTo(200);
            assertThat(members.body()).contains(frankDid);
            HttpResponse<String> admin = HTTP.send(HttpRequest.newBuilder(URI.create(claims.origin() + "/admin"))
                    .header("Cookie", in.json().get("cookie").asText()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(admin.statusCode()).isEqualTo(403);
        } finally {
            claims.process().destroy();
            assertThat(claims.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    @DisplayName("in a real browser: the login page shows a code, the wallet completes it, the page lands on /members")
    void browserLogin() throws Exception {
        Path erin = root.resolve("erin");
        String erinDid = identity(erin, "Erin");
        join(erin);
        boolean installed = Files.isExecutable(Path.of("/usr/lib/chromium/chromium"))
                && Files.isExecutable(Path.of("/usr/bin/chromedriver"));
        String install = "Debian's chromium and chromium-driver are not installed (apt-get install chromium "
                + "chromium-driver; .ci/run installs them)";
        // CI must run it; a developer's machine without the browser runs everything else, and says so
        assertThat(installed || !"true".equals(System.getenv("CI"))).as(install).isTrue();
        org.junit.jupiter.api.Assumptions.assumeTrue(installed, install + ": the browser test is skipped");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/lib/chromium/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1000,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
        ChromeDriver browser = new ChromeDriver(service, options);
        try {
            browser.get(origin + "/members");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            assertThat(browser.getCurrentUrl()).contains("/.well-known/halo/page?next=");
            String code = wait.until(d -> {
                String c = d.findElement(By.id("code")).getText();
                return c.matches("[0-9A-Z]{4}-[0-9A-Z]{4}") ? c : null;
            });
            assertThat(browser.findElement(By.id("command")).getText()).isEqualTo("halo login " + origin + " --code " + code);
            assertThat(browser.findElement(By.cssSelector("#qr svg")).isDisplayed()).isTrue();
            screenshot(browser, "login-page.png");

            // without a terminal to ask on, the wallet will not complete a browser's login unasked
            Run unasked = halo(erin, "login", origin, "--code", code);
            assertThat(unasked.exit()).isEqualTo(2);
            assertThat(unasked.err()).contains("login.confirm");
            Run r = ok(halo(erin, "--json", "login", origin, "--code", code, "--yes"));
            assertThat(r.json().get("browser").asText()).startsWith("Chrome (headless) on Linux, from 127.0.0.1");
            wait.until(ExpectedConditions.urlToBe(origin + "/members"));
            assertThat(browser.findElement(By.id("me")).getText()).isEqualTo(erinDid);
            screenshot(browser, "members.png");
            browser.get(origin + "/admin");
            assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Not allowed");
        } finally {
            browser.quit();
        }
    }

    private static void screenshot(ChromeDriver browser, String name) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "screenshots"));
        Files.write(dir.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
