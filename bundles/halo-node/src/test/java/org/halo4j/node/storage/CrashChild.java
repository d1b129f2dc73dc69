package org.halo4j.node.storage;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.halo4j.feeds.FeedWriter;
import org.halo4j.feeds.VerifiedEntry;
import org.halo4j.keys.FileKeyring;
import org.halo4j.keys.PublicKey;

/**
 * The child JVM of {@link KillCrashTest}: opens the keyring and the feed store in a directory, then writes entries
 * to a feed and rewrites the keyring until it is killed. It prints a line after each step returned, so a printed
 * line is an acknowledged write:
 * <pre>
 * ready &lt;feed length&gt;
 * acked &lt;seq&gt;          an entry is durable
 * key+ &lt;hex&gt;           a key was added to the keyring file
 * key- &lt;hex&gt;           a key was removed from the keyring file
 * removing &lt;hex&gt;       a key is about to be removed: until "key-", it may or may not be in the file
 * </pre>
 * Arguments: directory, feed key (hex), random seed, and optionally {@code exit} to stop after a few writes.
 */
public final class CrashChild {

    static final char[] PASSPHRASE = "crash test passphrase".toCharArray();
    static final String KEYRING = "keyring.halo";
    static final String FEEDS = "feeds";

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        PublicKey feedKey = PublicKey.fromHex(args[1]);
        Random random = new Random(Long.parseLong(args[2]));
        int limit = args.length > 3 && args[3].equals("exit") ? 5 : Integer.MAX_VALUE;
        PrintStream out = System.out;
        try (FileKeyring keyring = FileKeyring.open(dir.resolve(KEYRING), PASSPHRASE);
             FeedStore store = FileFeedStore.open(dir.resolve(FEEDS))) {
            Set<PublicKey> others = new HashSet<>(keyring.keys());
            others.remove(feedKey);
            for (PublicKey k : others) {
                say(out, "removing " + k.toHex());
                keyring.destroy(k);
                say(out, "key- " + k.toHex());
            }
            Feed feed = store.openOrCreate(feedKey);
            FeedWriter writer = FeedWriter.of(keyring, feedKey);
            say(out, "ready " + feed.length());
            Optional<PublicKey> extra = Optional.empty();
            for (int i = 0; i < limit; i++) {
                byte[] payload = new byte[random.nextInt(random.nextInt(8) == 0 ? 4096 : 600)];
                random.nextBytes(payload);
                VerifiedEntry e = feed.write(writer, payload);
                say(out, "acked " + e.seq());
                if (random.nextInt(3) == 0) {
                    PublicKey k = keyring.generate();
                    say(out, "key+ " + k.toHex());
                    if (extra.isPresent()) {
                        say(out, "removing " + extra.get().toHex());
                        keyring.destroy(extra.get());
                        say(out, "key- " + extra.get().toHex());
                    }
                    extra = Optional.of(k);
                }
            }
        }
    }

    private static void say(PrintStream out, String line) {
        out.println(line);
        out.flush();
    }
}
