package org.openmmsc.mm7.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.openmmsc.core.config.RelayConfig;
import org.openmmsc.core.config.RoutingConfig;
import org.openmmsc.core.model.NumberNormalizer;
import org.openmmsc.core.relay.LoggingChargingEvents;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.core.relay.StaticRouteResolver;
import org.openmmsc.mm7.Mm7Config;
import org.openmmsc.mm7.Mm7Interface;
import org.openmmsc.mm7.VaspAccount;
import org.openmmsc.store.rocksdb.RocksDbMessageStore;

/**
 * Load program (not a test): N keep-alive clients post SubmitReq with one attachment of B bytes
 * to a real MM7 listener over the real RocksDB store with sync on, for S seconds after a warm-up,
 * and print accepted/s and latency percentiles. Every counted answer is a SubmitRsp 1000, so each
 * is a durable message. See docs/performance.md, "MM7".
 *
 * <p>Besides the rate it prints the CPU the server's threads (everything but the client threads)
 * spent per accepted request during the measured seconds: on a shared machine the rate follows
 * whatever else runs, the CPU per request much less so.
 *
 * <p>Arguments: --dir DIR (on the disk under test) --seconds 20 --warmup 5 --clients 64 --bytes 5120;
 * or --codec N: decode the same SubmitReq N times on one thread and print the CPU per decode.
 */
public final class Mm7SubmitLoad {
    public static void main(String[] args) throws Exception {
        Map<String, String> a = new java.util.HashMap<>(Map.of("--dir", "/var/tmp/mm7-load", "--seconds", "20", "--warmup", "5", "--clients", "64", "--bytes", "5120"));
        for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i], args[i + 1]);
        Path dir = Path.of(a.get("--dir"));
        int seconds = Integer.parseInt(a.get("--seconds"));
        int warmup = Integer.parseInt(a.get("--warmup"));
        int clients = Integer.parseInt(a.get("--clients"));
        int bytes = Integer.parseInt(a.get("--bytes"));
        if (a.containsKey("--codec")) {
            codec(Integer.parseInt(a.get("--codec")), bytes);
            return;
        }
        if (Files.exists(dir)) try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Files.createDirectories(dir);

        Clock clock = Clock.systemUTC();
        RocksDbMessageStore store = new RocksDbMessageStore(dir, RocksDbMessageStore.Options.defaults().withSync(true).withClock(clock));
        Relay relay = new Relay(store, new StaticRouteResolver(RoutingConfig.defaults()), RelayConfig.defaults(), clock, new LoggingChargingEvents(),
                List.of(), new SimpleMeterRegistry());
        VaspAccount vasp = new VaspAccount("load", null, "pw", null, List.of("2020"), null, 1e6, 10_000_000, null, null, null, null, null, null);
        Mm7Interface mm7 = Mm7Interface.start(new Mm7Config(null, 0, null, null, null, List.of(vasp), null), relay,
                new NumberNormalizer("47", "", "00", 6), store::message, new SimpleMeterRegistry(), "load-node");
        int port = mm7.port();

        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        long warmEnd = System.nanoTime() + warmup * 1_000_000_000L;
        long end = warmEnd + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long[] mine = new long[2_000_000];
            latencies.add(mine);
            int client = c;
            threads.add(Thread.ofPlatform().daemon().name("load-client-" + c).start(() -> run(port, client, bytes, warmEnd, end, ok, failed, mine)));
        }
        java.util.Set<Long> clientIds = new java.util.HashSet<>();
        for (Thread t : threads) clientIds.add(t.threadId());
        Thread.sleep(Math.max(0, (warmEnd - System.nanoTime()) / 1_000_000));
        Map<String, Long> groupsAtStart = cpuByGroup(clientIds);
        long cpuAtStart = serverCpu(clientIds);
        long okAtStart = ok.get();
        Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
        long cpuAtEnd = serverCpu(clientIds);
        Map<String, Long> groupsAtEnd = cpuByGroup(clientIds);
        long okAtEnd = ok.get();
        for (Thread t : threads) t.join();
        mm7.close();
        store.close();

        long total = 0;
        for (long[] l : latencies) total += l[0];
        long[] all = new long[(int) total];
        int at = 0;
        for (long[] l : latencies) {
            System.arraycopy(l, 1, all, at, (int) l[0]);
            at += (int) l[0];
        }
        Arrays.sort(all);
        System.out.printf("clients=%d bytes=%d seconds=%d accepted=%d failed=%d rate=%.0f/s p50=%.1fms p99=%.1fms max=%.1fms%n",
                clients, bytes, seconds, ok.get(), failed.get(), ok.get() / (double) seconds,
                pct(all, 0.50), pct(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
        System.out.printf("server CPU per accepted request: %.0f µs (%d requests)%n",
                (cpuAtEnd - cpuAtStart) / 1e3 / Math.max(1, okAtEnd - okAtStart), okAtEnd - okAtStart);
        long n = Math.max(1, okAtEnd - okAtStart);
        StringBuilder groups = new StringBuilder("  by thread group (µs/request):");
        groupsAtEnd.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEach(e -> {
            long d = e.getValue() - groupsAtStart.getOrDefault(e.getKey(), 0L);
            if (d / 1e3 / n >= 1) groups.append(String.format(" %s=%.0f", e.getKey(), d / 1e3 / n));
        });
        System.out.println(groups);
    }

    /** CPU ns of the non-client threads, by name with digits dropped (mm7-worker-3 → mm7-worker-). */
    private static Map<String, Long> cpuByGroup(java.util.Set<Long> clientIds) {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new java.util.HashMap<>();
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null || clientIds.contains(info.getThreadId())) continue;
            long t = mx.getThreadCpuTime(info.getThreadId());
            if (t > 0) out.merge(info.getThreadName().replaceAll("[0-9]+", ""), t, Long::sum);
        }
        return out;
    }

    /** CPU time of every live thread but the clients, in ns. */
    private static long serverCpu(java.util.Set<Long> clientIds) {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : mx.getAllThreadIds()) {
            if (clientIds.contains(id)) continue;
            long t = mx.getThreadCpuTime(id);
            if (t > 0) sum += t;
        }
        return sum;
    }

    /** Single-thread decode cost of the benchmark's request, as CPU per decode after a warm-up. */
    private static void codec(int n, int bytes) throws Exception {
        byte[] content = new byte[bytes];
        Arrays.fill(content, (byte) 'x');
        byte[] body = body("codec-1", content);
        String type = "multipart/related; boundary=\"b1\"; type=\"text/xml\"; start=\"<env>\"";
        var codec = new org.openmmsc.mm7.codec.Mm7SoapCodec();
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < n; i++) codec.decode(body, type);
        long t0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) codec.decode(body, type);
        long t1 = mx.getCurrentThreadCpuTime();
        System.out.printf("decode CPU per request: %.0f µs (%d decodes, %d-byte body)%n", (t1 - t0) / 1e3 / n, n, body.length);
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }

    /** One keep-alive connection posting back to back; records latencies (slot 0 = count) after the warm-up. */
    private static void run(int port, int client, int bytes, long warmEnd, long end, AtomicLong ok, AtomicLong failed, long[] lat) {
        byte[] content = new byte[bytes];
        Arrays.fill(content, (byte) 'x');
        String auth = Base64.getEncoder().encodeToString("load:pw".getBytes(StandardCharsets.UTF_8));
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            InputStream in = new java.io.BufferedInputStream(s.getInputStream());
            for (long n = 0; System.nanoTime() < end; n++) {
                byte[] body = body(String.format("c%03d-%012d", client, n), content);
                ByteArrayOutputStream req = new ByteArrayOutputStream(body.length + 300);
                req.write(("POST /mm7 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic " + auth
                        + "\r\nContent-Type: multipart/related; boundary=\"b1\"; type=\"text/xml\"; start=\"<env>\"\r\nSOAPAction: \"\"\r\nContent-Length: "
                        + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                req.write(body);
                long t0 = System.nanoTime();
                out.write(req.toByteArray());
                out.flush();
                String answer = readResponse(in);
                long t1 = System.nanoTime();
                boolean success = answer.contains(">1000<");
                if (t0 >= warmEnd) {
                    (success ? ok : failed).incrementAndGet();
                    if (lat[0] + 1 < lat.length) lat[(int) ++lat[0]] = t1 - t0;
                }
            }
        } catch (IOException e) {
            System.err.println("client " + client + ": " + e);
        }
    }

    private static byte[] body(String tid, byte[] content) {
        String ns = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/REL-6-MM7-1-4";
        String env = "<env:Envelope xmlns:env=\"http://schemas.xmlsoap.org/soap/envelope/\"><env:Header><mm7:TransactionID xmlns:mm7=\"" + ns
                + "\" env:mustUnderstand=\"1\">" + tid + "</mm7:TransactionID></env:Header><env:Body><SubmitReq xmlns=\"" + ns + "\">"
                + "<MM7Version>6.8.0</MM7Version><SenderIdentification><VASPID>load</VASPID><SenderAddress><ShortCode>2020</ShortCode></SenderAddress>"
                + "</SenderIdentification><Recipients><To><Number>+4790000001</Number></To></Recipients><DeliveryReport>true</DeliveryReport>"
                + "<Subject>load</Subject><Content href=\"cid:c1\" allowAdaptations=\"true\"/></SubmitReq></env:Body></env:Envelope>";
        ByteArrayOutputStream b = new ByteArrayOutputStream(content.length + env.length() + 300);
        b.writeBytes(("--b1\r\nContent-Type: text/xml; charset=utf-8\r\nContent-ID: <env>\r\n\r\n" + env
                + "\r\n--b1\r\nContent-Type: image/jpeg\r\nContent-ID: <c1>\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        b.writeBytes(content);
        b.writeBytes("\r\n--b1--\r\n".getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) break;
        }
        if (c == -1) throw new IOException("connection closed");
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) length = Integer.parseInt(line.substring(15).strip());
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
