package org.openmmsc.store.rocksdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.ContentType;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.model.Origin;
import org.openmmsc.core.model.Recipient;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.Route;
import org.openmmsc.core.spi.IdempotencyKey;
import org.openmmsc.core.spi.MessageStore;

/**
 * Load program for the RocksDB store (a benchmark, never run by {@code mvn verify}): durable
 * accepts per second and put latency for 1, 8 and 64 concurrent writers at 1 KB, 30 KB and
 * 300 KB bodies with sync on, then the time to open a store holding a million unsettled
 * deliveries and to take the first due batch. Each writer is a thread that puts one message
 * (one recipient, one part, an idempotency key) and waits for the durable acknowledgement,
 * as an interface handler does before answering.
 *
 * <p>Run (see docs/performance.md): {@code java -cp … org.openmmsc.store.rocksdb.StoreLoadBenchmark
 * [--dir DIR] [--seconds N] [--writers 1,8,64] [--bodies 1024,30720,307200] [--open-messages 250000]}.
 * {@code --open-messages 0} skips the open measurement.
 */
public final class StoreLoadBenchmark {

    public static void main(String[] args) throws Exception {
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        int seconds = 6;
        int[] writerCounts = {1, 8, 64};
        int[] bodySizes = {1024, 30 * 1024, 300 * 1024};
        int openMessages = 250_000;
        boolean sync = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> base = Path.of(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--writers" -> writerCounts = ints(args[++i]);
                case "--bodies" -> bodySizes = ints(args[++i]);
                case "--open-messages" -> openMessages = Integer.parseInt(args[++i]);
                // Lab comparison only: shows what the syncs cost. Published figures are with sync on.
                case "--sync" -> sync = Boolean.parseBoolean(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (use --dir, --seconds, --writers, --bodies, --open-messages, --sync)");
            }
        }
        Files.createDirectories(base);
        System.out.printf(Locale.ROOT, "MM2 RocksDB store load, sync %s, %d s per case, %d CPUs, JDK %s, dir %s%n",
                sync ? "on" : "OFF", seconds, Runtime.getRuntime().availableProcessors(), Runtime.version(), base);
        System.out.println("| writers | body | accepts/s | MB/s | p50 ms | p99 ms | p99.9 ms | commits/s | WAL syncs/s | blob syncs/s | puts per commit |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int body : bodySizes) {
            for (int writers : writerCounts) {
                Path dir = Files.createTempDirectory(base, "store-load-");
                try {
                    runCase(dir, writers, body, seconds, sync);
                } finally {
                    deleteTree(dir);
                }
            }
        }
        if (openMessages > 0) {
            for (boolean cleanClose : new boolean[] {true, false}) {
                Path dir = Files.createTempDirectory(base, "store-open-");
                try {
                    measureOpen(dir, openMessages, 4, cleanClose);
                } finally {
                    deleteTree(dir);
                }
            }
        }
    }

    private static void runCase(Path dir, int writers, int bodySize, int seconds, boolean sync) throws Exception {
        byte[] body = new byte[bodySize];
        new Random(bodySize).nextBytes(body);
        try (RocksDbMessageStore store = new RocksDbMessageStore(dir, RocksDbMessageStore.Options.defaults().withSync(sync))) {
            // Warm-up: JIT, RocksDB memtable and file creation.
            drive(store, writers, body, Duration.ofSeconds(1), null);
            long commitsBefore = store.walCommits();
            long syncsBefore = store.walSyncs();
            long forcesBefore = store.blobForces();
            long[][] latencies = new long[writers][];
            long started = System.nanoTime();
            long count = drive(store, writers, body, Duration.ofSeconds(seconds), latencies);
            double elapsed = (System.nanoTime() - started) / 1e9;
            long commits = store.walCommits() - commitsBefore;
            long syncs = store.walSyncs() - syncsBefore;
            long forces = store.blobForces() - forcesBefore;
            long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
            System.out.printf(Locale.ROOT, "| %d | %s | %,.0f | %.1f | %.2f | %.2f | %.2f | %,.0f | %,.0f | %,.0f | %.1f |%n",
                    writers, size(bodySize), count / elapsed, count * (double) bodySize / elapsed / 1e6,
                    millis(all, 0.50), millis(all, 0.99), millis(all, 0.999), commits / elapsed, syncs / elapsed,
                    forces / elapsed, count / (double) Math.max(1, commits));
        }
    }

    /** Runs {@code writers} threads putting messages for {@code duration}; returns how many were acknowledged. */
    private static long drive(MessageStore store, int writers, byte[] body, Duration duration, long[][] latencies)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(writers);
        long[] counts = new long[writers];
        Clock clock = Clock.systemUTC();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Thread t = Thread.ofPlatform().name("load-writer-" + w).start(() -> {
                long[] samples = new long[1 << 16];
                int n = 0;
                try {
                    while (!stop.get()) {
                        Message message = message(clock, body);
                        IdempotencyKey key = new IdempotencyKey(Interface.MM1, "+47900" + String.format("%05d", writer), message.id().value());
                        long start = System.nanoTime();
                        store.put(message, deliveries(message, clock.instant()), key, clock.instant().plus(Duration.ofHours(1))).join();
                        long took = System.nanoTime() - start;
                        if (n == samples.length) samples = Arrays.copyOf(samples, n * 2);
                        samples[n++] = took;
                    }
                } finally {
                    counts[writer] = n;
                    if (latencies != null) latencies[writer] = Arrays.copyOf(samples, n);
                    done.countDown();
                }
            });
            threads.add(t);
        }
        Thread.sleep(duration.toMillis());
        stop.set(true);
        done.await();
        return Arrays.stream(counts).sum();
    }

    private static Message message(Clock clock, byte[] body) {
        return new Message(MessageId.generate(clock), Address.plmn("+4790000001"),
                List.of(Recipient.to(Address.plmn("+4790000002"))), null, null, null, clock.instant(), null, null,
                true, false, false, null, ContentType.of("image/jpeg"),
                List.of(new MessagePart(ContentType.of("image/jpeg"), List.of(), body)),
                Origin.of(Interface.MM1, "+4790000001", "tx"));
    }

    private static List<RecipientDelivery> deliveries(Message message, Instant now) {
        List<RecipientDelivery> list = new ArrayList<>(message.recipients().size());
        for (int i = 0; i < message.recipients().size(); i++) {
            list.add(RecipientDelivery.accepted(message.id(), i, message.recipients().get(i), Route.local(), now, now,
                    now.plus(Duration.ofDays(7))));
        }
        return list;
    }

    /**
     * Fills a store with {@code messages × recipients} unsettled deliveries (sync off, for speed:
     * the open is what is measured), closes it, then times a synced open and the first lease.
     */
    private static void measureOpen(Path dir, int messages, int recipients, boolean cleanClose) throws Exception {
        Clock clock = Clock.systemUTC();
        byte[] body = new byte[200];
        new Random(1).nextBytes(body);
        List<Recipient> to = new ArrayList<>();
        for (int r = 0; r < recipients; r++) to.add(Recipient.to(Address.plmn("+479100000" + r)));
        long fillStart = System.nanoTime();
        RocksDbMessageStore.Options lab = RocksDbMessageStore.Options.defaults().withSync(false);
        try (RocksDbMessageStore store = new RocksDbMessageStore(dir, lab)) {
            // Bounded in-flight puts keep the writer's batches full without unbounded queueing.
            Semaphore inFlight = new Semaphore(2048);
            for (int i = 0; i < messages; i++) {
                Message m = new Message(MessageId.generate(clock), Address.plmn("+4790000001"), to, null, null, null,
                        clock.instant(), null, null, false, false, false, null, ContentType.of("text/plain"),
                        List.of(new MessagePart(ContentType.of("text/plain"), List.of(), body)),
                        Origin.of(Interface.MM1, "+4790000001", "tx"));
                inFlight.acquire();
                CompletableFuture<?> f = store.put(m, deliveries(m, clock.instant()), null, null);
                f.whenComplete((r, e) -> {
                    inFlight.release();
                    if (e != null) e.printStackTrace();
                });
            }
            inFlight.acquire(2048);
            // Without the flush of a clean close the next open replays the WAL, as after a crash.
            if (!cleanClose) store.leaveWalUnflushedAtClose();
        }
        double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
        long onDisk;
        try (Stream<Path> files = Files.walk(dir)) {
            onDisk = files.filter(Files::isRegularFile).mapToLong(StoreLoadBenchmark::sizeOf).sum();
        }

        long openStart = System.nanoTime();
        try (RocksDbMessageStore store = new RocksDbMessageStore(dir)) {
            double openMs = (System.nanoTime() - openStart) / 1e6;
            long leaseStart = System.nanoTime();
            List<RecipientDelivery> first = store.leaseDue(Instant.now(), 100, "bench", Duration.ofSeconds(60));
            double leaseMs = (System.nanoTime() - leaseStart) / 1e6;
            long nextStart = System.nanoTime();
            Instant next = store.nextDueTime().orElseThrow();
            double nextMs = (System.nanoTime() - nextStart) / 1e6;
            if (first.size() != 100) throw new IllegalStateException("expected 100 due deliveries, got " + first.size());
            System.out.printf(Locale.ROOT, "%nOpen after a %s with %,d unsettled deliveries (%,d messages × %d recipients, %,d MB on disk; filled in %.1f s):%n",
                    cleanClose ? "clean close" : "close without memtable flush (WAL replay, as after a crash)",
                    store.pendingDeliveries(), store.messageCount(), recipients, onDisk / 1_000_000, fillSeconds);
            System.out.printf(Locale.ROOT, "| open | first leaseDue(100) | nextDueTime |%n| ---: | ---: | ---: |%n| %.0f ms | %.1f ms | %.2f ms |%n",
                    openMs, leaseMs, nextMs);
            // Drain part of the queue the way a scheduler does; each lease leaves a tombstone at the index's front.
            int drained = 0;
            long drainStart = System.nanoTime();
            double lastLeaseMs = 0;
            Instant drainNow = Instant.now();
            while (drained < 200_000) {
                long t = System.nanoTime();
                int n = store.leaseDue(drainNow, 500, "bench", Duration.ofSeconds(60)).size();
                lastLeaseMs = (System.nanoTime() - t) / 1e6;
                if (n == 0) break;
                drained += n;
            }
            double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
            System.out.printf(Locale.ROOT, "Leased %,d more in batches of 500: %,.0f deliveries/s, last leaseDue(500) %.1f ms%n",
                    drained, drained / drainSeconds, lastLeaseMs);
            if (next == null) throw new IllegalStateException("no due time");
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double millis(long[] sorted, double quantile) {
        if (sorted.length == 0) return Double.NaN;
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static String size(int bytes) {
        return bytes >= 1024 ? bytes / 1024 + " KB" : bytes + " B";
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
