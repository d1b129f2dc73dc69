package org.halo4j.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.halo4j.keys.Argon2Settings;
import org.halo4j.node.agent.Agent;
import org.halo4j.node.agent.Wallet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java blocks of docs/web-login.md marked {@code java servlet} are read from the Markdown, compiled against
 * this module's classpath and run after a set-up that makes the wallet they open: a snippet cannot rot.
 */
class WebLoginDocTest {

    private static final Path DOC = Path.of("../../docs/web-login.md");
    private static final Pattern BLOCK = Pattern.compile("```java servlet\\n(.*?)```", Pattern.DOTALL);
    private static final String IMPORTS = String.join("\n", "import java.nio.file.*;", "import java.util.*;",
            "import jakarta.servlet.DispatcherType;", "import org.eclipse.jetty.ee10.servlet.*;",
            "import org.halo4j.node.agent.*;", "import org.halo4j.proto.v1.SpaceRole;", "import org.halo4j.servlet.*;");

    @TempDir
    Path tmp;

    @Test
    void theSnippetsOfTheGuideCompileAndRun() throws Exception {
        String text = Files.readString(DOC, StandardCharsets.UTF_8);
        Matcher m = BLOCK.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
            Path home = Files.createDirectories(tmp.resolve("home" + n));
            char[] passphrase = "correct horse battery staple".toCharArray();
            Wallet w = Wallet.open(home, Argon2Settings.forTests());
            String did = w.create(Optional.of("site"), "server", passphrase).did();
            try (Agent a = w.open(Optional.of(did), passphrase)) {
                a.createSpace("Team");
            }
            run("Snippet" + n, m.group(1), home, passphrase);
        }
        assertThat(n).as("java servlet blocks in " + DOC).isPositive();
    }

    private void run(String className, String body, Path home, char[] passphrase) throws Exception {
        String source = IMPORTS + "\npublic class " + className + " {\npublic static void run(Path home, char[] passphrase)"
                + " throws Exception {\n" + body + "\nsite.close();\n}\n}\n";
        Path src = Files.createDirectories(tmp.resolve("src")).resolve(className + ".java");
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        Files.writeString(src, source, StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(errors, fm, null, List.of("-classpath", System.getProperty("java.class.path"),
                    "-d", classes.toString(), "-proc:none", "-Xlint:none"), null, fm.getJavaFileObjects(src)).call();
            assertThat(ok).as("%s does not compile:%n%s%n%s", className, errors, source).isTrue();
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Method run = loader.loadClass(className).getMethod("run", Path.class, char[].class);
            run.invoke(null, home, passphrase);
        }
    }
}
