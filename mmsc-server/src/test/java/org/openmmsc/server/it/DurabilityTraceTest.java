package org.openmmsc.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL leaves the page cache intact, so it cannot prove that acknowledged data was synced.
 * This test traces the server's system calls under load and proves, for every acknowledgement,
 * the order durability needs:
 * <ol>
 *   <li>the message's body went either into the WAL write that commits it (small bodies) or to a
 *       blob file, and then an fsync/fdatasync of that blob file started after that write and
 *       finished before the WAL write that commits the message;</li>
 *   <li>the WAL write carrying the message's keys was followed by a sync of the WAL file that
 *       finished before the first byte of the 201 answer naming the message left for the socket.</li>
 * </ol>
 * Run with syncing switched off, the same check must find violations — so it can fail.
 */
@Tag("integration")
class DurabilityTraceTest {
    private static final Set<String> SYNCS = Set.of("fsync", "fdatasync");
    private static final Set<String> WRITES = Set.of("write", "pwrite64", "writev", "pwritev", "pwritev2");

    @Test
    void everyAcknowledgementFollowsASyncOfItsData(@TempDir Path work) throws Exception {
        requireStrace();
        Result synced = traceUnderLoad(work.resolve("synced"), true);
        System.out.printf("durability trace (sync on): %d acknowledgements checked (%d bodies in the WAL, %d in blob files), %d violations%n",
                synced.acks(), synced.inlineBodies(), synced.blobBodies(), synced.violations().size());
        assertTrue(synced.acks() >= 50, "too few acknowledgements traced: " + synced.acks());
        assertTrue(synced.inlineBodies() > 0 && synced.blobBodies() > 0, "both body paths must be exercised: " + synced);
        assertEquals(List.of(), synced.violations().stream().limit(5).toList(), "acknowledged before durable");
    }

    @Test
    void theCheckCatchesAStoreThatDoesNotSync(@TempDir Path work) throws Exception {
        requireStrace();
        Result unsynced = traceUnderLoad(work.resolve("unsynced"), false);
        System.out.printf("durability trace (sync OFF): %d acknowledgements, %d violations found%n", unsynced.acks(), unsynced.violations().size());
        assertTrue(unsynced.acks() >= 50, "too few acknowledgements traced: " + unsynced.acks());
        assertEquals(unsynced.acks(), unsynced.violations().size(), "with sync off every acknowledgement must be flagged");
    }

    private static void requireStrace() {
        boolean present = Files.isExecutable(Path.of("/usr/bin/strace"));
        if (Boolean.getBoolean("openmmsc.requireNeighbours")) {
            assertTrue(present, "strace is required (bin/test installs it with apt-get)");
        } else {
            assumeTrue(present, "strace not installed; bin/test installs it");
        }
    }

    /** Acknowledgements checked, what was wrong, and how many bodies took each path (only counted where the WAL check passed). */
    record Result(int acks, List<String> violations, int inlineBodies, int blobBodies) {}

    private static Result traceUnderLoad(Path work, boolean sync) throws Exception {
        Files.createDirectories(work);
        Path data = work.resolve("data");
        Path trace = work.resolve("strace.txt");
        List<String> strace = List.of("/usr/bin/strace", "-f", "-qq", "-ttt", "-T", "-yy", "-s", "1000000",
                "-e", "trace=write,pwrite64,writev,pwritev,pwritev2,fsync,fdatasync", "-o", trace.toString());
        Map<String, String> acked = new ConcurrentHashMap<>(); // message id -> marker in its body
        try (ServerProcess server = ServerProcess.start(work, data, sync, strace, "server.log")) {
            server.awaitReady(Duration.ofSeconds(120));
            AdminClient client = new AdminClient(server);
            ExecutorService clients = Executors.newFixedThreadPool(8);
            for (int c = 0; c < 8; c++) {
                int clientNo = c;
                clients.execute(() -> {
                    for (int n = 0; n < 15; n++) {
                        String marker = "m" + clientNo + "x" + n + "q" + sync;
                        try {
                            // Half the bodies are small enough to travel inside the WAL record, half go to blob files.
                            AdminClient.Answer a = client.submit(marker, marker, n % 2 == 0 ? 1024 : 12 * 1024);
                            if (a.status() == 201) acked.put(a.body().get("messageId").asString(), marker);
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    }
                });
            }
            clients.shutdown();
            assertTrue(clients.awaitTermination(5, TimeUnit.MINUTES));
            assertEquals(120, acked.size(), "every submission must be acknowledged");
            server.terminate(Duration.ofSeconds(60));
            assertTrue(server.errorLines().isEmpty(), "errors in server log: " + server.errorLines());
        }
        return check(SyscallTrace.read(trace), data, acked);
    }

    private static Result check(List<SyscallTrace.Call> calls, Path data, Map<String, String> acked) {
        String dataDir = data.toAbsolutePath().toString();
        List<SyscallTrace.Call> walWrites = new ArrayList<>(), walSyncs = new ArrayList<>(), blobWrites = new ArrayList<>(),
                blobSyncs = new ArrayList<>(), socketWrites = new ArrayList<>();
        for (SyscallTrace.Call c : calls) {
            boolean wal = c.fd().startsWith(dataDir) && c.fd().endsWith(".log");
            boolean blob = c.fd().startsWith(dataDir) && c.fd().endsWith(".blob");
            if (WRITES.contains(c.name())) {
                if (wal) walWrites.add(c);
                else if (blob) blobWrites.add(c);
                else if (c.onSocket()) socketWrites.add(c);
            } else if (SYNCS.contains(c.name())) {
                if (wal) walSyncs.add(c);
                else if (blob) blobSyncs.add(c);
            }
        }
        List<String> violations = new ArrayList<>();
        int inlineBodies = 0, blobBodies = 0;
        for (Map.Entry<String, String> e : acked.entrySet()) {
            String id = e.getKey();
            SyscallTrace.Call ack = first(socketWrites, id, Double.MAX_VALUE);
            if (ack == null) {
                violations.add(id + ": no socket write of its acknowledgement in the trace");
                continue;
            }
            // The first WAL write naming the message is its commit; later ones are delivery updates.
            SyscallTrace.Call commit = first(walWrites, id, ack.start());
            if (commit == null) {
                violations.add(id + ": acknowledged with no WAL write of it before");
                continue;
            }
            if (!syncedBetween(walSyncs, commit, ack.start())) {
                violations.add(id + ": acknowledged at " + ack.start() + " with no WAL sync after its WAL write at " + commit.end());
                continue;
            }
            String bodyMarker = "probe " + e.getValue() + " ";
            SyscallTrace.Call bodyInWal = last(walWrites, bodyMarker, ack.start());
            if (bodyInWal != null) {
                // The body travelled inside the WAL record (small bodies); the write that carried its
                // last bytes must be synced before the answer too.
                inlineBodies++;
                if (!syncedBetween(walSyncs, bodyInWal, ack.start())) {
                    violations.add(id + ": acknowledged with its body's WAL write at " + bodyInWal.end() + " not synced");
                }
                continue;
            }
            SyscallTrace.Call body = last(blobWrites, bodyMarker, commit.start());
            blobBodies++;
            if (body == null) {
                violations.add(id + ": no blob write of its body before its WAL commit");
            } else if (!syncedBetween(blobSyncs, body, commit.start())) {
                violations.add(id + ": body written at " + body.end() + " not synced before the WAL commit at " + commit.start());
            }
        }
        return new Result(acked.size(), violations, inlineBodies, blobBodies);
    }

    private static SyscallTrace.Call first(List<SyscallTrace.Call> writes, String needle, double before) {
        for (SyscallTrace.Call c : writes) if (c.start() < before && c.args().contains(needle)) return c;
        return null;
    }

    private static SyscallTrace.Call last(List<SyscallTrace.Call> writes, String needle, double before) {
        SyscallTrace.Call found = null;
        for (SyscallTrace.Call c : writes) if (c.start() < before && c.args().contains(needle)) found = c;
        return found;
    }

    /** A sync of the same file that started after {@code write} finished and finished before {@code deadline}. */
    private static boolean syncedBetween(List<SyscallTrace.Call> syncs, SyscallTrace.Call write, double deadline) {
        for (SyscallTrace.Call s : syncs) {
            if (s.fd().equals(write.fd()) && s.start() >= write.end() && s.end() <= deadline) return true;
        }
        return false;
    }
}
