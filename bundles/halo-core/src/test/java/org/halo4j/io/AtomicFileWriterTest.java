package org.halo4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The attacker here can write to the directory (a home others can write to) and races the writer: at each
 * step it swaps the temp name for a symbolic link to a file outside, or plants the link before the write.
 * Whatever it does, the outside file is never written, and the target is never replaced by anything but the
 * writer's own bytes.
 */
@DisplayName("AtomicFileWriter never follows a link planted in its directory")
class AtomicFileWriterTest {

    @TempDir
    Path dir;

    private static final byte[] SECRET = "the writer's bytes".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OUTSIDE = "a file outside the wallet".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest(name = "temp swapped for a link at {0}")
    @EnumSource(value = AtomicFileWriter.Step.class, names = {"TEMP_CREATED", "TEMP_FORCED"})
    @DisplayName("the temp file swapped for a link to an outside file: nothing outside is written, nothing is published")
    void swappedTemp(AtomicFileWriter.Step at) throws Exception {
        Path outside = Files.write(dir.resolve("outside"), OUTSIDE);
        Path target = Files.write(dir.resolve("target"), "old".getBytes(StandardCharsets.UTF_8));
        AtomicFileWriter.Hook attacker = (step, temp) -> {
            if (step == at) {
                Files.delete(temp);
                Files.createSymbolicLink(temp, outside);
            }
        };
        AtomicFileWriter writer = new AtomicFileWriter(new SecureRandom(), attacker);
        assertThatThrownBy(() -> writer.write(target, SECRET)).isInstanceOf(IOException.class)
                .hasMessageContaining("was replaced while it was written");
        assertThat(Files.readAllBytes(outside)).isEqualTo(OUTSIDE);
        assertThat(Files.isSymbolicLink(target)).isFalse();
        assertThat(Files.readString(target)).isEqualTo("old");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("outside", "target");
        }
    }

    @Test
    @DisplayName("a link planted at the temp name in advance makes the create fail; the outside file is untouched")
    void plantedInAdvance() throws Exception {
        Path outside = Files.write(dir.resolve("outside"), OUTSIDE);
        Path target = dir.resolve("target");
        // Every temp name this writer will use comes from this fixed randomness.
        SecureRandom fixed = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                java.util.Arrays.fill(bytes, (byte) 0x11);
            }
        };
        Path temp = dir.resolve(".target." + "11".repeat(8) + ".tmp");
        Files.createSymbolicLink(temp, outside);
        assertThatThrownBy(() -> new AtomicFileWriter(fixed, AtomicFileWriter.Hook.NONE).write(target, SECRET))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        assertThat(Files.readAllBytes(outside)).isEqualTo(OUTSIDE);
        assertThat(Files.exists(target)).isFalse();
        assertThat(Files.isSymbolicLink(temp)).as("someone else's file is not deleted either").isTrue();
    }

    @Test
    @DisplayName("a normal write: the bytes, mode 0600, no temp file left")
    void normal() throws Exception {
        Path target = dir.resolve("target");
        AtomicFileWriter.DEFAULT.write(target, SECRET);
        assertThat(Files.readAllBytes(target)).isEqualTo(SECRET);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s).containsExactly(target);
        }
    }
}
