package org.halo4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.halo4j.credentials.CredentialId;
import org.halo4j.keys.KeyFormatException;
import org.halo4j.keys.PublicKey;

/**
 * "No input crashes a decoder": the text forms of keys ({@code did:key}, hex) are parsed or refused with
 * {@link KeyFormatException}; a credential id in hex is parsed or refused with {@link IllegalArgumentException},
 * as documented. What parses prints back to the same text (one key, one text form).
 */
class KeyParsersFuzzTest {

    @FuzzTest(maxDuration = "10m", maxExecutions = 1_000_000)
    void parseOrRefuse(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        try {
            PublicKey key = PublicKey.fromDidKey(text);
            if (!key.toDidKey().equals(text)) {
                throw new AssertionError("did:key '" + text + "' parses, but prints as " + key.toDidKey());
            }
        } catch (KeyFormatException refused) {
            requireCode(refused);
        }
        try {
            PublicKey key = PublicKey.fromHex(text);
            if (!key.toHex().equalsIgnoreCase(text)) {
                throw new AssertionError("hex '" + text + "' parses, but prints as " + key.toHex());
            }
        } catch (KeyFormatException refused) {
            requireCode(refused);
        }
        try {
            CredentialId id = CredentialId.fromHex(text);
            if (!id.toHex().equalsIgnoreCase(text)) {
                throw new AssertionError("credential id '" + text + "' parses, but prints as " + id.toHex());
            }
        } catch (IllegalArgumentException refused) {
            // documented
        }
    }

    private static void requireCode(KeyFormatException e) {
        if (e.problem() == null || e.code() == null) {
            throw new AssertionError("a key format error without a problem code", e);
        }
    }
}
