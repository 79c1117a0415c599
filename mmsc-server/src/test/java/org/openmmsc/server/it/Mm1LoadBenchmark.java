package org.openmmsc.server.it;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.openmmsc.mm1.codec.ByteSlice;
import org.openmmsc.mm1.codec.ContentType;
import org.openmmsc.mm1.codec.HeaderValue;
import org.openmmsc.mm1.codec.MessageBody;
import org.openmmsc.mm1.codec.MmsEncoder;
import org.openmmsc.mm1.codec.MmsField;
import org.openmmsc.mm1.codec.MmsHeaders;
import org.openmmsc.mm1.codec.MmsPdu;
import org.openmmsc.mm1.codec.Part;
import org.openmmsc.server.MmscServer;
import org.openmmsc.server.config.ConfigLoader;

/**
 * MM1 send load: a whole node (RocksDB store, sync on) takes m-send-req over N keep-alive HTTP
 * connections, each posting request after request and waiting for the m-send-conf (which means
 * durable). A measurement program, not a test: {@code mvn verify} does not run it.
 *
 * <p>Arguments: {@code [work-dir] [connections] [messages] [part-bytes] [warm-up messages]} (default:
 * a temp dir under target, 64 connections, 20,000 messages, 2,500 bytes, as many warm-up messages as
 * measured ones). {@code -Dbench.threads=true} adds the CPU per message of each thread group.
 */
public final class Mm1LoadBenchmark {
    private Mm1LoadBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path work = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory(Path.of("target"), "mm1load");
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int messages = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        int partBytes = args.length > 3 ? Integer.parseInt(args[3]) : 2_500;
        // The JIT is still compiling long after a few thousand requests (C2 took ~a third of the CPU of a
        // run measured after 1,000), so the warm-up is as long as the measurement unless told otherwise.
        int warmUp = args.length > 4 ? Integer.parseInt(args[4]) : messages;
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int smtp;
        try (ServerSocket s = new ServerSocket(0)) {
            smtp = s.getLocalPort();
        }
        var config = new ConfigLoader().parse("""
                node: {id: mm1-bench}
                store: {directory: "%s"}
                admin: {port: 0}
                mm1: {port: %d, maxMessageBytes: 1048576}
                mm7: {port: 0}
                smtp: {port: %d}
                """.formatted(work.resolve("store").toString().replace("\\", "/"), port, smtp), "bench.yaml");
        try (MmscServer server = MmscServer.start(config)) {
            run(port, connections, warmUp, partBytes, "warm-up");
            run(port, connections, messages, partBytes, "measured");
        }
    }

    private static void run(int port, int connections, int messages, int partBytes, String label) throws Exception {
        AtomicInteger next = new AtomicInteger();
        long[] latencies = new long[messages];
        CountDownLatch done = new CountDownLatch(connections);
        AtomicInteger failures = new AtomicInteger();
        byte[] part = new byte[partBytes];
        for (int i = 0; i < part.length; i++) part[i] = (byte) (i * 13);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long[] userSysBefore = userAndSystemTicks();
        long allocatedBefore = threads.getTotalThreadAllocatedBytes();
        long gcBefore = gcMillis();
        java.util.Map<String, Long> threadCpuBefore = cpuByThreadGroup(threads);
        long started = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setTcpNoDelay(true);
                    OutputStream out = s.getOutputStream();
                    InputStream in = new BufferedInputStream(s.getInputStream());
                    // One request per connection, built once; each send patches the transaction id's
                    // fixed-width digits in place, so the clients (which share this JVM and its CPU with
                    // the node) do not encode a whole PDU per request.
                    String tidPrefix = label + "-";
                    byte[] body = sendReq(tidPrefix + "000000000", part);
                    byte[] head = ("POST / HTTP/1.1\r\nHost: mmsc\r\nX-MSISDN: +4790000001\r\nContent-Type: application/vnd.wap.mms-message\r\nContent-Length: "
                            + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                    byte[] request = new byte[head.length + body.length];
                    System.arraycopy(head, 0, request, 0, head.length);
                    System.arraycopy(body, 0, request, head.length, body.length);
                    int digits = head.length + indexOf(body, tidPrefix.getBytes(StandardCharsets.US_ASCII)) + tidPrefix.length();
                    int n;
                    while ((n = next.getAndIncrement()) < messages) {
                        for (int i = 8, v = n; i >= 0; i--, v /= 10) request[digits + i] = (byte) ('0' + v % 10);
                        long t0 = System.nanoTime();
                        out.write(request);
                        out.flush();
                        byte[] conf = readResponse(in);
                        latencies[n] = System.nanoTime() - t0;
                        // X-Mms-Response-Status Ok is 0x92 0x80 in the m-send-conf.
                        if (indexOf(conf, (byte) 0x92, (byte) 0x80) < 0) failures.incrementAndGet();
                    }
                } catch (IOException e) {
                    failures.incrementAndGet();
                    System.err.println(e);
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        double seconds = (System.nanoTime() - started) / 1e9;
        // CPU and allocation per message, clients included (same JVM): far less sensitive than
        // throughput to other work on a shared machine, so before/after runs compare on them too.
        double cpuMicros = (os.getProcessCpuTime() - cpuBefore) / 1e3 / messages;
        double allocatedKb = (threads.getTotalThreadAllocatedBytes() - allocatedBefore) / 1024.0 / messages;
        long gc = gcMillis() - gcBefore;
        long[] userSysAfter = userAndSystemTicks();
        long userTicks = userSysAfter[0] - userSysBefore[0], systemTicks = userSysAfter[1] - userSysBefore[1];
        double systemShare = userTicks + systemTicks == 0 ? 0 : 100.0 * systemTicks / (userTicks + systemTicks);
        // The JIT compiler's share depends on how long the JVM has run and how starved of CPU it is
        // (a backlog on a loaded machine): shown apart so runs compare on the work per message itself.
        java.util.Map<String, Long> threadCpuAfter = cpuByThreadGroup(threads);
        double jitMicros = 0;
        for (var e : threadCpuAfter.entrySet()) {
            if (e.getKey().contains("Compiler")) jitMicros += (e.getValue() - threadCpuBefore.getOrDefault(e.getKey(), 0L)) / 1e3 / messages;
        }
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        System.out.printf("%s: %d m-send-req of %d-byte part over %d connections in %.2f s = %.0f/s; p50 %.1f ms, p99 %.1f ms; %d not Ok;"
                        + " process CPU %.0f µs/msg (%.0f without the JIT compiler's %.0f), %.0f %% of it in the kernel, allocated %.1f KB/msg, GC %d ms; load average %s%n",
                label, messages, partBytes, connections, seconds, messages / seconds, sorted[messages / 2] / 1e6, sorted[(int) (messages * 0.99)] / 1e6,
                failures.get(), cpuMicros, cpuMicros - jitMicros, jitMicros, systemShare, allocatedKb, gc, loadAverage());
        if (Boolean.getBoolean("bench.threads")) {
            threadCpuAfter.forEach((group, nanos) -> {
                double perMessage = (nanos - threadCpuBefore.getOrDefault(group, 0L)) / 1e3 / messages;
                if (perMessage >= 1) System.out.printf("  %-40s %6.1f µs/msg%n", group, perMessage);
            });
        }
    }

    /**
     * CPU time (user + system) of every thread of this process, native ones included (GC, JIT
     * compiler, RocksDB background), from /proc/self/task, summed by name with digits folded; empty
     * where /proc is missing. Clock-tick resolution (10 ms), fine over a run of seconds.
     */
    private static java.util.Map<String, Long> cpuByThreadGroup(com.sun.management.ThreadMXBean unused) {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int open = stat.indexOf('('), close = stat.lastIndexOf(')');
                    String name = stat.substring(open + 1, close).replaceAll("[0-9]+", "N");
                    String[] f = stat.substring(close + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    out.merge(name, ticks * 10_000_000L, Long::sum);
                } catch (IOException | RuntimeException ignored) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** This process's user and system CPU in clock ticks (/proc/self/stat); zeros where /proc is missing. */
    private static long[] userAndSystemTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
        } catch (IOException | RuntimeException e) {
            return new long[2];
        }
    }

    private static long gcMillis() {
        long total = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) total += Math.max(0, gc.getCollectionTime());
        return total;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ", 4)[0];
        } catch (IOException e) {
            return String.format("%.1f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static byte[] sendReq(String tid, byte[] part) {
        MmsHeaders h = MmsHeaders.builder().text(MmsField.TRANSACTION_ID, tid).version(1, 2).add(MmsField.FROM, new HeaderValue.From(null))
                .encoded(MmsField.TO, "+4790000002/TYPE=PLMN").encoded(MmsField.SUBJECT, "load")
                .add(MmsField.CONTENT_TYPE, new HeaderValue.ContentTypeValue(ContentType.of(ContentType.MULTIPART_MIXED))).build();
        return new MmsEncoder().encode(new MmsPdu.SendReq(h, new MessageBody.Multipart(List.of(Part.of(ContentType.of("image/jpeg"), ByteSlice.wrap(part))))));
    }

    private static byte[] readResponse(InputStream in) throws IOException {
        List<String> head = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed");
            if (b == '\n') {
                String l = line.toString().trim();
                if (l.isEmpty()) break;
                head.add(l);
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        }
        int length = 0;
        for (String h : head) if (h.regionMatches(true, 0, "content-length:", 0, 15)) length = Integer.parseInt(h.substring(15).trim());
        return in.readNBytes(length);
    }

    private static int indexOf(byte[] a, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= a.length; i++) {
            for (int j = 0; j < what.length; j++) if (a[i + j] != what[j]) continue outer;
            return i;
        }
        throw new IllegalStateException("transaction id not found in the encoded request");
    }

    private static int indexOf(byte[] a, byte x, byte y) {
        for (int i = 0; i + 1 < a.length; i++) if (a[i] == x && a[i + 1] == y) return i;
        return -1;
    }
}
