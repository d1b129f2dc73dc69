import java.nio.file.Path;
import org.halo4j.keys.FileKeyring;

/**
 * For benchmarks/cli-startup.sh: the time of one keyring unlock (one Argon2 derivation at the keyring's cost,
 * then AES-GCM) in a fresh JVM, as a signing command pays it. Prints milliseconds. Run with the CLI jar on the
 * class path: java -cp cli/target/halo-cli.jar benchmarks/KeyringOpenTime.java KEYRING (passphrase in
 * $HALO_KEYRING_PASSPHRASE).
 */
public final class KeyringOpenTime {
    public static void main(String[] args) throws Exception {
        char[] passphrase = System.getenv("HALO_KEYRING_PASSPHRASE").toCharArray();
        long t0 = System.nanoTime();
        try (FileKeyring k = FileKeyring.open(Path.of(args[0]), passphrase)) {
            System.out.println((System.nanoTime() - t0) / 1_000_000);
        }
    }
}
