package org.halo4j.keys;

import java.nio.file.Path;

/**
 * The keyring file did not decrypt: its AES-GCM authentication tag does not match the key derived from the
 * passphrase. Either the passphrase is wrong or the file (header or ciphertext) was altered; the two cannot be
 * told apart, by design. Nothing was changed on disk. Code {@code keyring.wrong_passphrase}.
 */
public class WrongPassphraseException extends KeyringException {

    private static final long serialVersionUID = 1L;

    public WrongPassphraseException(Path file) {
        super("keyring.wrong_passphrase", "wrong passphrase for keyring " + file
                + ", or the file was altered: the AES-GCM authentication tag does not match; nothing was changed");
    }
}
