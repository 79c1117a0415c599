package org.openmmsc.server.it;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.openmmsc.server.MmscServer;
import org.openmmsc.server.config.ConfigLoader;

/**
 * Outbound MM4 throughput: how fast node A drains a backlog of forwards to peer node B over SMTP on
 * loopback. Both nodes are whole (RocksDB, sync on) in one JVM. A takes N messages for B's
 * subscribers through its admin API while B is down (A's attempts fail and wait, retried every
 * second); then B starts and the program times B's accepted MM4 forwards (its
 * {@code mmsc_mm4_inbound_total{outcome="accepted"}}) from the first to the N-th. Every forward B
 * accepts is durable at B before its 250, so the drain rate is bounded by B's inbound rate: outbound
 * "keeps up" when the two are close. A measurement program, not a test (see docs/performance.md).
 *
 * <p>Arguments: {@code [work-dir] [messages] [body-bytes]} (default: a temp dir under target, 10,000, 21,500);
 * {@code -Dbench.smtpA='outbound: {...}'} adds a line to A's smtp section; {@code -Dbench.sink=true} replaces
 * node B with an SMTP server that takes every message at once, to measure A's outbound alone.
 * Uses only configuration keys that existed before connection reuse, so the same program measures
 * the code before and after.
 */
public final class Mm4OutboundBenchmark {
    private Mm4OutboundBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path work = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory(Path.of("target"), "mm4out");
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int bodyBytes = args.length > 2 ? Integer.parseInt(args[2]) : 21_500;
        int portA = freePort();
        int portB = freePort();
        String common = """
                admin: {port: 0}
                mm1: {port: 0}
                mm7: {port: 0}
                scheduler:
                  routes:
                    PEER_MM4: {maxAttempts: 1000, initialBackoff: 1s, maxBackoff: 1s, jitter: 0.0}
                """;
        String a = """
                node: {id: a}
                store: {directory: "%s"}
                smtp:
                  port: %d
                  hostname: mmsc.a.test
                  domain: mms.a.test
                  %s
                  peers:
                    - {domain: mms.b.test, host: 127.0.0.1, port: %d, allowedSources: [127.0.0.1/32]}
                routing:
                  localPrefixes: ["+47"]
                  peers:
                    - {prefix: "+46", domain: mms.b.test}
                """.formatted(work.resolve("a"), portA, System.getProperty("bench.smtpA", ""), portB) + common;
        String b = """
                node: {id: b}
                store: {directory: "%s"}
                smtp:
                  port: %d
                  hostname: mmsc.b.test
                  domain: mms.b.test
                  maxConnectionsPerPeer: 1000
                  peers:
                    - {domain: mms.a.test, host: 127.0.0.1, port: %d, allowedSources: [127.0.0.1/32]}
                routing:
                  localPrefixes: ["+46"]
                  peers:
                    - {prefix: "+47", domain: mms.a.test}
                """.formatted(work.resolve("b"), portB, portA) + common;
        byte[] image = new byte[bodyBytes];
        new java.util.Random(42).nextBytes(image);
        String json = """
                {"from":"+4790000001","to":["+4690000002"],"subject":"load",
                 "parts":[{"contentType":"image/jpeg","content":"%s"}]}""".formatted(Base64.getEncoder().encodeToString(image));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (MmscServer nodeA = MmscServer.start(new ConfigLoader().parse(a, "a.yaml"))) {
            long t0 = System.nanoTime();
            Semaphore inFlight = new Semaphore(16);
            AtomicInteger failed = new AtomicInteger();
            List<CompletableFuture<?>> all = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                inFlight.acquire();
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nodeA.adminPort() + "/api/messages"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
                all.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                    if (e != null || r.statusCode() >= 300) failed.incrementAndGet();
                    inFlight.release();
                }));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
            System.out.printf("injected %d messages at A in %.1f s (%d failed); B was down, so all wait for retry%n",
                    messages, (System.nanoTime() - t0) / 1e9, failed.get());
            if (Boolean.getBoolean("bench.sink")) {
                drainToSink(portB, messages - failed.get(), bodyBytes);
                return;
            }
            try (MmscServer nodeB = MmscServer.start(new ConfigLoader().parse(b, "b.yaml"))) {
                long started = System.nanoTime();
                long first = 0;
                long firstCount = 0;
                long cpuAtFirst = 0;
                long count;
                long deadline = started + Duration.ofMinutes(10).toNanos();
                while ((count = accepted(http, nodeB.adminPort())) < messages - failed.get()) {
                    if (first == 0 && count > 0) {
                        first = System.nanoTime();
                        firstCount = count;
                        cpuAtFirst = cpu();
                    }
                    if (System.nanoTime() > deadline) throw new IllegalStateException("B accepted only " + count + " in 10 minutes");
                    Thread.sleep(100);
                }
                long end = System.nanoTime();
                long cpuUsed = cpu() - cpuAtFirst;
                double seconds = (end - first) / 1e9;
                System.out.printf("B accepted %d forwards; from its first accept: %d in %.2f s = %.0f msg/s (%.1f MB/s of content); B up → last: %.2f s%n",
                        count, count - firstCount, seconds, (count - firstCount) / seconds, (count - firstCount) * (double) bodyBytes / seconds / 1e6,
                        (end - started) / 1e9);
                // CPU per message (both nodes, this JVM) says what the transport costs, whatever else shares the machine.
                System.out.printf("CPU of this JVM while draining: %.2f s = %.2f ms per forward%n", cpuUsed / 1e9, cpuUsed / 1e6 / (count - firstCount));
            }
        }
    }

    /**
     * A's outbound alone: B is an SMTP server that takes every message at once (250, nothing stored,
     * no MM4_forward.RES), so the drain rate is what A's scheduler, store reads, MM4 encoding and
     * SMTP client can push, without a receiving node on the same cores.
     */
    private static void drainToSink(int port, int expected, int bodyBytes) throws Exception {
        java.util.concurrent.atomic.AtomicLong taken = new java.util.concurrent.atomic.AtomicLong();
        org.openmmsc.mm3.smtp.SmtpPolicy policy = new org.openmmsc.mm3.smtp.SmtpPolicy() {
            @Override public org.openmmsc.mm3.smtp.SmtpReply onMail(org.openmmsc.mm3.smtp.ClientInfo client, String reversePath) { return null; }
            @Override public org.openmmsc.mm3.smtp.SmtpReply onRcpt(org.openmmsc.mm3.smtp.ClientInfo client, String reversePath,
                                                                   List<String> soFar, String forwardPath) { return null; }
            @Override public java.util.concurrent.CompletionStage<org.openmmsc.mm3.smtp.SmtpReply> onMessage(
                    org.openmmsc.mm3.smtp.Envelope envelope, byte[] message) {
                taken.incrementAndGet();
                return CompletableFuture.completedFuture(org.openmmsc.mm3.smtp.SmtpReply.of(250, "2.0.0", "taken"));
            }
        };
        try (var sink = new org.openmmsc.mm3.smtp.SmtpServer("127.0.0.1", port, "mmsc.b.test",
                new org.openmmsc.mm3.smtp.SmtpLimits(10L * 1024 * 1024, 1000, 100, Duration.ofMinutes(1), 1000, 1000), policy)) {
            sink.start();
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (taken.get() == 0) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("the sink took nothing in 10 minutes");
                Thread.sleep(1);
            }
            long first = System.nanoTime();
            long firstCount = taken.get();
            long cpuAtFirst = cpu();
            while (taken.get() < expected) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("the sink took only " + taken.get() + " in 10 minutes");
                Thread.sleep(10);
            }
            double seconds = (System.nanoTime() - first) / 1e9;
            long n = taken.get() - firstCount;
            long cpuUsed = cpu() - cpuAtFirst;
            System.out.printf("sink took %d forwards; from the first: %d in %.2f s = %.0f msg/s (%.1f MB/s of content)%n",
                    taken.get(), n, seconds, n / seconds, n * (double) bodyBytes / seconds / 1e6);
            System.out.printf("CPU of this JVM while draining: %.2f s = %.2f ms per forward (A and the sink)%n", cpuUsed / 1e9, cpuUsed / 1e6 / n);
        }
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** B's accepted MM4 forwards, from its Prometheus endpoint. */
    private static long accepted(HttpClient http, int adminPort) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith("mmsc_mm4_inbound_total{") && line.contains("outcome=\"accepted\"") && line.contains("type=\"MM4_forward.REQ\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) sum;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
