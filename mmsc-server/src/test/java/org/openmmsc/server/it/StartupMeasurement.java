package org.openmmsc.server.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.spi.TestMessages;
import org.openmmsc.store.rocksdb.RocksDbMessageStore;

/**
 * Measures start-up to ready — process start until {@code GET /ready} answers 200 — on an empty
 * store and on one holding a million queued deliveries, after a clean stop and after SIGKILL.
 * A measurement program, not a test: {@code mvn verify} does not run it (see docs/performance.md).
 *
 * <p>Arguments: {@code [work-dir] [messages]} (default: a temp dir on the working disk, 250,000
 * messages × 4 recipients = 1,000,000 deliveries).
 */
public final class StartupMeasurement {
    private StartupMeasurement() {}

    public static void main(String[] args) throws Exception {
        Path work = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory(Path.of("target"), "startup");
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 250_000;
        Files.createDirectories(work);

        Path empty = work.resolve("empty");
        System.out.printf("empty store: ready in %d ms%n", timeToReady(work, empty, "empty.log", true));

        Path full = work.resolve("full");
        long fillStarted = System.nanoTime();
        fill(full, messages);
        System.out.printf("filled %d messages (%d deliveries) in %d s%n", messages, messages * 4L,
                Duration.ofNanos(System.nanoTime() - fillStarted).toSeconds());
        for (int run = 1; run <= 2; run++) {
            System.out.printf("1M deliveries, after a clean stop (run %d): ready in %d ms%n", run, timeToReady(work, full, "full-" + run + ".log", true));
        }
        System.out.printf("1M deliveries, after SIGKILL (WAL replay): ready in %d ms%n", timeToReady(work, full, "full-killed.log", false));
        System.out.printf("1M deliveries, restart after that kill: ready in %d ms%n", timeToReady(work, full, "full-after-kill.log", true));
    }

    /** Starts the server on {@code data}, times it to ready, then stops it gracefully or with SIGKILL. */
    private static long timeToReady(Path work, Path data, String log, boolean graceful) throws Exception {
        long started = System.nanoTime();
        try (ServerProcess server = ServerProcess.start(work, data, true, List.of(), log)) {
            server.awaitReady(Duration.ofMinutes(5));
            long ms = Duration.ofNanos(System.nanoTime() - started).toMillis();
            Thread.sleep(2000); // let the scheduler work the backlog a little before stopping
            if (graceful) server.terminate(Duration.ofMinutes(2));
            else server.kill();
            return ms;
        }
    }

    /** Puts the messages through the store directly (64 writers, sync on), each with 4 recipients due now. */
    private static void fill(Path dir, int messages) throws Exception {
        Clock clock = Clock.systemUTC();
        try (RocksDbMessageStore store = new RocksDbMessageStore(dir, RocksDbMessageStore.Options.defaults())) {
            List<CompletableFuture<?>> window = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                Message m = TestMessages.simpleMessage(clock, 4, 200);
                window.add(store.put(m, TestMessages.deliveries(m, clock.instant()), null, null));
                if (window.size() == 64) {
                    CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
                    window.clear();
                }
            }
            CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
        }
    }
}
