package org.openmmsc.mm1.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentTokensTest {

    @Test
    void theSecretIsCreatedOnceWithThirtyTwoOctetsAndNoTemporaryLeftBehind(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mm1-token.key");
        ContentTokens.loadOrCreate(file);
        assertEquals(32, Files.size(file));
        assertTrue(Files.notExists(dir.resolve("mm1-token.key.tmp")));
        byte[] first = Files.readAllBytes(file);
        ContentTokens.loadOrCreate(file);
        assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(Files.readAllBytes(file)), "an existing secret is kept");
    }

    @Test
    void aDamagedSecretStopsStartUpWithAClearReason(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("mm1-token.key"), new byte[0]);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ContentTokens.loadOrCreate(file));
        assertTrue(e.getMessage().contains("is damaged (0 octets, expected 32)"), e.getMessage());
    }
}
