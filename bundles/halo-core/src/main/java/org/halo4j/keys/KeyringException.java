package org.halo4j.keys;

import org.halo4j.errors.HaloProcessingException;

/**
 * A keyring could not do what was asked: storage failed, the file is not a keyring, or the key is not there.
 * Processing failed; the input was not judged. The message never contains key material.
 */
public class KeyringException extends HaloProcessingException {

    private static final long serialVersionUID = 1L;

    public KeyringException(String code, String message) {
        super(code, message);
    }

    public KeyringException(String code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
