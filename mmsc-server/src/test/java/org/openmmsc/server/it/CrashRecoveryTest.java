package org.openmmsc.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Kills the MMSC with SIGKILL while clients inject messages concurrently, restarts it on the same
 * data, and checks that every message that got its 201 is there with both deliveries intact, and
 * that nothing was stored twice — also when the clients retry the submissions that got no answer.
 */
@Tag("integration")
class CrashRecoveryTest {
    private static final int CLIENTS = 16;

    @Test
    void everyAcknowledgedMessageSurvivesSigkillAndNoneIsDuplicated(@TempDir Path work) throws Exception {
        Path data = work.resolve("data");
        Map<String, String> acknowledged = new ConcurrentHashMap<>(); // transaction id -> message id
        Set<String> attempted = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();

        try (ServerProcess first = ServerProcess.start(work, data, true, List.of(), "first.log")) {
            first.awaitReady(Duration.ofSeconds(60));
            AdminClient client = new AdminClient(first);
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            for (int c = 0; c < CLIENTS; c++) {
                int clientNo = c;
                clients.execute(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        String tx = "c" + clientNo + "-" + n;
                        attempted.add(tx);
                        try {
                            AdminClient.Answer a = client.submit(tx, tx, 1024);
                            if (a.status() == 201) acknowledged.put(tx, a.body().get("messageId").asString());
                            else if (a.status() != 503) throw new AssertionError("unexpected answer " + a.status() + " " + a.body());
                        } catch (java.io.IOException | InterruptedException e) {
                            return; // the server died under us: this submission is in doubt
                        }
                    }
                });
            }
            // Let the load run, then pull the plug mid-stream.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (acknowledged.size() < 400 && System.nanoTime() < deadline) Thread.sleep(20);
            first.kill();
            stop.set(true);
            clients.shutdown();
            assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS));
            assertTrue(first.errorLines().isEmpty(), "errors before the kill: " + first.errorLines());
        }
        assertTrue(acknowledged.size() >= 100, "too little load before the kill: " + acknowledged.size());
        Set<String> inDoubt = new HashSet<>(attempted);
        inDoubt.removeAll(acknowledged.keySet());

        try (ServerProcess second = ServerProcess.start(work, data, true, List.of(), "second.log")) {
            second.awaitReady(Duration.ofSeconds(60));
            AdminClient client = new AdminClient(second);

            for (Map.Entry<String, String> e : acknowledged.entrySet()) {
                AdminClient.Answer trace = client.get("/api/messages/" + e.getValue());
                assertEquals(200, trace.status(), "acknowledged message " + e.getValue() + " (" + e.getKey() + ") lost");
                assertEquals(e.getKey(), trace.body().get("subject").asString());
                JsonNode deliveries = trace.body().get("deliveries");
                assertEquals(2, deliveries.size(), "deliveries of " + e.getValue());
                assertEquals(List.of(0, 1), List.of(deliveries.get(0).get("recipientIndex").asInt(), deliveries.get(1).get("recipientIndex").asInt()));
            }

            // Clients retry everything: acknowledged ones get their original id back, in-doubt ones are stored at most once.
            Map<String, String> finalIds = new HashMap<>(acknowledged);
            for (String tx : attempted) {
                AdminClient.Answer a = client.submit(tx, tx, 1024);
                assertTrue(a.status() == 200 || a.status() == 201, tx + " answered " + a.status());
                String id = a.body().get("messageId").asString();
                if (acknowledged.containsKey(tx)) {
                    assertEquals(200, a.status(), "retry of acknowledged " + tx + " must be a duplicate");
                    assertEquals(acknowledged.get(tx), id, "retry of " + tx + " changed its id");
                }
                finalIds.put(tx, id);
            }

            List<String> stored = client.allMessageIds();
            assertEquals(new HashSet<>(finalIds.values()), new HashSet<>(stored), "the store holds exactly one message per submission");
            assertEquals(stored.size(), new HashSet<>(stored).size());
            assertEquals(attempted.size(), stored.size());
            List<String> subjects = new ArrayList<>();
            for (String id : stored) subjects.add(client.get("/api/messages/" + id).body().get("subject").asString());
            assertEquals(subjects.size(), new HashSet<>(subjects).size(), "a submission stored twice");
            assertTrue(second.errorLines().isEmpty(), "errors after restart: " + second.errorLines());
            System.out.printf("crash test: %d acknowledged before SIGKILL, %d in doubt, %d stored after retries%n",
                    acknowledged.size(), inDoubt.size(), stored.size());
            // The JVM reports SIGTERM as 143 even after a clean shutdown; the log shows the stop completed.
            assertEquals(143, second.terminate(Duration.ofSeconds(30)));
            assertTrue(second.logText().lines().anyMatch(l -> l.contains("MmscServer") && l.endsWith(" - stopped")),
                    "graceful stop did not complete:\n" + second.logText());
        }
    }
}
