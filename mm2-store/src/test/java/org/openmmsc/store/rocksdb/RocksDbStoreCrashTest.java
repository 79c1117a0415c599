package org.openmmsc.store.rocksdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.spi.TestMessages;

/**
 * Kills a process that is putting messages (SIGKILL, mid-load, twice on the same store) and
 * checks that every message it acknowledged is there afterwards, byte for byte, with its
 * deliveries, and that the counters agree with what is stored. SIGKILL keeps the page cache, so
 * this proves recovery and that no answer precedes the WAL write; the syncs themselves are
 * proven by the force counters in {@link RocksDbStoreDurabilityTest} and the server's test.
 */
class RocksDbStoreCrashTest {

    record Ack(MessageId id, long seed, int bodySize) {}

    @Test
    void everyAcknowledgedMessageSurvivesAKill(@TempDir Path dir) throws Exception {
        List<Ack> acked = new ArrayList<>();
        acked.addAll(runAndKill(dir, 0, 1500));
        acked.addAll(runAndKill(dir, 1_000_000, 1500));
        assertTrue(acked.size() > 50, "the worker acknowledged only " + acked.size() + " messages before the kills");

        Clock clock = Clock.systemUTC();
        try (RocksDbMessageStore store = new RocksDbMessageStore(dir)) {
            for (Ack ack : acked) {
                Message stored = store.message(ack.id()).orElseThrow(() -> new AssertionError("acknowledged " + ack.id() + " is lost"));
                Message expected = TestMessages.fullMessage(clock, 2, ack.bodySize(), ack.seed());
                assertEquals(expected.parts().size(), stored.parts().size());
                for (int i = 0; i < expected.parts().size(); i++) {
                    assertArrayEquals(expected.parts().get(i).content(), stored.parts().get(i).content(), ack.id() + " part " + i);
                }
                assertEquals(2, store.deliveries(ack.id()).size(), ack.id().toString());
            }
            Set<MessageId> all = new HashSet<>();
            for (MessageId after = null; ; ) {
                List<MessageId> page = store.messageIds(after, 1000);
                if (page.isEmpty()) break;
                all.addAll(page);
                after = page.getLast();
            }
            assertEquals(all.size(), store.messageCount(), "the message counter matches what is stored");
            assertEquals(2L * all.size(), store.pendingDeliveries(), "the pending counter matches what is stored");
            assertTrue(all.size() >= acked.size());
        }
    }

    private static List<Ack> runAndKill(Path dir, long firstSeed, long runMillis) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process worker = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                CrashLoadWorker.class.getName(), dir.toString(), "16", Long.toString(firstSeed))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<Ack> acked = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            // Logging may print its own status lines first.
            while ((line = lines.readLine()) != null && !line.equals("READY")) { }
            assertEquals("READY", line, "the worker did not start");
            long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(runMillis);
            while (System.nanoTime() < killAt && (line = lines.readLine()) != null) {
                if (line.startsWith("ACK ")) acked.add(parse(line));
            }
            // SIGKILL through the handle: Process.destroyForcibly would also close the pipe we still read.
            worker.toHandle().destroyForcibly();
            // Lines already written before the kill were acknowledged too.
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("ACK ")) acked.add(parse(line));
            }
        } finally {
            worker.destroyForcibly();
            worker.waitFor(30, TimeUnit.SECONDS);
        }
        return acked;
    }

    private static Ack parse(String line) {
        String[] fields = line.split(" ");
        if (fields.length != 4) throw new AssertionError("torn line from the worker: " + line);
        return new Ack(new MessageId(fields[1]), Long.parseLong(fields[2]), Integer.parseInt(fields[3]));
    }
}
