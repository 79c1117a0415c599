package org.openmmsc.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmmsc.mm7.VaspAccount;

/** The watcher over a real file: a changed, valid file is handed on once; a broken one is not; an unchanged one is not. */
class ConfigWatcherTest {
    @TempDir Path dir;

    private static String config(String... vasps) {
        StringBuilder yaml = new StringBuilder("mm7:\n  vaspReloadInterval: 100ms\n  vasps:\n");
        for (String v : vasps) yaml.append("    - id: ").append(v).append("\n      password: pw-").append(v).append('\n');
        return yaml.toString();
    }

    @Test
    void aChangedFileIsLoadedWholeAndABrokenOneChangesNothing() throws Exception {
        Path file = dir.resolve("mmsc.yaml");
        Files.writeString(file, config("news"));
        LinkedBlockingQueue<MmscConfig> seen = new LinkedBlockingQueue<>();
        try (ConfigWatcher watcher = new ConfigWatcher(file, Duration.ofMillis(100), seen::add)) {
            assertNull(seen.poll(400, TimeUnit.MILLISECONDS), "an unchanged file is not reloaded");

            Files.writeString(file, config("news", "bank"));
            MmscConfig changed = seen.poll(5, TimeUnit.SECONDS);
            assertEquals(List.of("news", "bank"), changed.mm7().vasps().stream().map(VaspAccount::id).toList());

            Files.writeString(file, config("news", "bank") + "    - id: broken\n");   // no password: invalid
            assertNull(seen.poll(500, TimeUnit.MILLISECONDS), "a file that does not load is not applied");

            Files.writeString(file, "");
            assertNull(seen.poll(500, TimeUnit.MILLISECONDS), "an emptied file does not wipe the accounts");

            Files.writeString(file, config("bank"));
            assertEquals(List.of("bank"), seen.poll(5, TimeUnit.SECONDS).mm7().vasps().stream().map(VaspAccount::id).toList());
            assertNull(seen.poll(400, TimeUnit.MILLISECONDS), "applied once");
        }
    }
}
