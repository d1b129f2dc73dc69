package org.halo4j.node.storage;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.Deflater;

/**
 * Command lines for short-lived child JVMs that start fast, because a crash test starts hundreds of them. The test
 * classpath is turned into plain jars (class directories packed, signature files of signed jars left out, so the
 * child spends no time checking a jar signature), and an AppCDS archive of the classes the child loads is made
 * once and shared by every child. If any of this fails, the children run on the plain test classpath: slower,
 * testing the same thing.
 */
final class ChildJvm {

    private final List<String> prefix;
    private final boolean accelerated;

    private ChildJvm(List<String> prefix, boolean accelerated) {
        this.prefix = prefix;
        this.accelerated = accelerated;
    }

    /**
     * Prepares the classpath and the class archive in {@code work}, warming up with one run of {@code main} and
     * {@code warmArgs}, which must end by itself.
     */
    static ChildJvm prepare(Path work, Class<?> main, List<String> warmArgs) {
        List<String> base = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx128m");
        String plain = System.getProperty("java.class.path");
        try {
            String jars = jarClasspath(plain, work.resolve("classpath"));
            Path archive = work.resolve("child.jsa");
            List<String> dump = new ArrayList<>(base);
            dump.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-cp", jars, main.getName()));
            dump.addAll(warmArgs);
            Process p = new ProcessBuilder(dump).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.size(archive) > 0) {
                List<String> fast = new ArrayList<>(base);
                fast.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-cp", jars));
                return new ChildJvm(fast, true);
            }
            p.destroyForcibly();
        } catch (IOException | RuntimeException e) {
            // fall through to the plain classpath
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> slow = new ArrayList<>(base);
        slow.addAll(List.of("-cp", plain));
        return new ChildJvm(slow, false);
    }

    /** The command that runs {@code main} with {@code args}. */
    List<String> command(Class<?> main, List<String> args) {
        List<String> c = new ArrayList<>(prefix);
        c.add(main.getName());
        c.addAll(args);
        return c;
    }

    /** True if the children start from jars and a class archive. */
    boolean accelerated() {
        return accelerated;
    }

    private static String jarClasspath(String classpath, Path into) throws IOException {
        Files.createDirectories(into);
        List<String> out = new ArrayList<>();
        int i = 0;
        for (String entry : classpath.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            Path jar = into.resolve((i++) + "-" + p.getFileName() + (entry.endsWith(".jar") ? "" : ".jar"));
            if (Files.isDirectory(p)) {
                packDirectory(p, jar);
            } else if (Files.isRegularFile(p) && entry.endsWith(".jar")) {
                copyWithoutSignature(p, jar);
            } else {
                continue;
            }
            out.add(jar.toString());
        }
        return String.join(File.pathSeparator, out);
    }

    private static void packDirectory(Path dir, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(dir)) {
            out.setLevel(Deflater.NO_COMPRESSION);
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                out.putNextEntry(new JarEntry(dir.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }

    /** A copy of {@code source} without {@code META-INF/*.SF, *.RSA, *.DSA, *.EC}: the same classes, unsigned. */
    private static void copyWithoutSignature(Path source, Path jar) throws IOException {
        if (!signed(source)) {
            Files.copy(source, jar);
            return;
        }
        try (JarFile in = new JarFile(source.toFile(), false);
             OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file)) {
            out.setLevel(Deflater.NO_COMPRESSION);
            Enumeration<JarEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                if (isSignatureFile(e.getName())) {
                    continue;
                }
                out.putNextEntry(new JarEntry(e.getName()));
                try (InputStream s = in.getInputStream(e)) {
                    s.transferTo(out);
                }
                out.closeEntry();
            }
        }
    }

    private static boolean signed(Path jar) throws IOException {
        try (JarFile in = new JarFile(jar.toFile(), false)) {
            return in.stream().anyMatch(e -> isSignatureFile(e.getName()));
        }
    }

    private static boolean isSignatureFile(String entry) {
        String name = entry.toUpperCase(java.util.Locale.ROOT);
        return name.startsWith("META-INF/") && name.indexOf('/', 9) < 0
                && (name.endsWith(".SF") || name.endsWith(".RSA") || name.endsWith(".DSA") || name.endsWith(".EC"));
    }
}
