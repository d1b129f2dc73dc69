package org.halo4j.cli;

import com.nulabinc.zxcvbn.Feedback;
import com.nulabinc.zxcvbn.Strength;
import com.nulabinc.zxcvbn.Zxcvbn;
import java.nio.CharBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The strength check of a new keyring passphrase, with zxcvbn4j (the Java port of Dropbox's zxcvbn): a
 * passphrase scored below {@value #MIN_SCORE} of 4 is refused with the estimator's own warning and advice. The
 * keyring's passphrase is its only defence once the file is copied, and Argon2 slows a guesser down by a
 * constant, not by orders of magnitude.
 */
final class PassphraseStrength {

    /** zxcvbn's "safely unguessable: moderate protection from offline slow-hash scenario" (about 10^10 guesses). */
    static final int MIN_SCORE = 3;

    private PassphraseStrength() {
    }

    /**
     * Refuses {@code passphrase} if it is weak; {@code passphrase} itself is left as it is. The estimator works
     * on a copy, wiped afterwards with what the estimator derived from it.
     *
     * @param words words the passphrase should not lean on (the identity's name, the device name)
     */
    static void check(char[] passphrase, List<String> words) throws CliException {
        // Strength.wipe() zeroes the password it was given: hand it a copy, never the caller's array.
        char[] copy = passphrase.clone();
        List<String> avoid = words.stream().filter(w -> w != null && !w.isBlank())
                .flatMap(w -> Stream.concat(Stream.of(w), Stream.of(w.split("[\\s._-]+"))))
                .map(w -> w.toLowerCase(Locale.ROOT)).filter(w -> w.length() > 1).distinct().toList();
        Strength strength = new Zxcvbn().measure(CharBuffer.wrap(copy), avoid);
        try {
            if (strength.getScore() >= MIN_SCORE) {
                return;
            }
            Feedback feedback = strength.getFeedback();
            List<String> advice = new ArrayList<>();
            String warning = feedback.getWarning(Locale.ENGLISH);
            if (warning != null && !warning.isBlank()) {
                advice.add(warning.strip());
            }
            for (String s : feedback.getSuggestions(Locale.ENGLISH)) {
                advice.add(s.strip());
            }
            advice.add("Four or more random words make a strong one");
            throw new CliException("passphrase.weak", "this keyring passphrase is too easy to guess (strength "
                    + strength.getScore() + " of 4, " + MIN_SCORE + " needed; about 10^"
                    + Math.round(strength.getGuessesLog10()) + " guesses). " + String.join(". ", advice.stream()
                    .map(a -> a.endsWith(".") ? a.substring(0, a.length() - 1) : a).toList())
                    + ". Nothing was created", ExitCode.NO_PASSPHRASE);
        } finally {
            strength.wipe();
            Arrays.fill(copy, '\0');
        }
    }
}
