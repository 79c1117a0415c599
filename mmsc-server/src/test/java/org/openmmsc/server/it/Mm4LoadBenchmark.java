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
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openmmsc.mm1.Mm1Config;
import org.openmmsc.core.model.ContentType;
import org.openmmsc.core.model.MessageClass;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.model.Priority;
import org.openmmsc.core.model.TimeSpec;
import org.openmmsc.mm3.smtp.DotStuffing;
import org.openmmsc.mm4.codec.Mm4Codec;
import org.openmmsc.mm4.codec.Mm4Pdu;
import org.openmmsc.server.MmscServer;
import org.openmmsc.server.config.ConfigLoader;
import org.openmmsc.server.config.MmscConfig;

/**
 * Inbound MM4 load: a whole node (RocksDB store, sync on) takes MM4_forward.REQ of ~30 KB from a
 * peer over N concurrent SMTP sessions, each sending message after message (MAIL, RCPT, DATA
 * pipelined; the content; wait for the 250, which means durable). A measurement program, not a
 * test: {@code mvn verify} does not run it (see docs/performance.md, "MM4").
 *
 * <p>Arguments: {@code [work-dir] [sessions] [messages] [body-bytes]} (default: a temp dir under
 * target, 16 sessions, 20,000 messages after 2,000 of warm-up, 30,000 bytes of content).
 */
public final class Mm4LoadBenchmark {
    private static final String TX_PLACEHOLDER = "TX-000000000000";

    private Mm4LoadBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path work = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory(Path.of("target"), "mm4load");
        int sessions = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int messages = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        int bodyBytes = args.length > 3 ? Integer.parseInt(args[3]) : 30_000;
        int smtpPort;
        try (ServerSocket s = new ServerSocket(0)) {
            smtpPort = s.getLocalPort();
        }
        MmscConfig config = new ConfigLoader().parse("""
                node: {id: bench}
                store: {directory: "%s"}
                admin: {port: 0}
                mm1: {port: 0}
                mm7: {port: 0}
                smtp:
                  port: %d
                  domain: mms.b.test
                  maxConnectionsPerPeer: 1000
                  peers:
                    - {domain: mms.a.test, host: 127.0.0.1, port: 9, allowedSources: [127.0.0.1/32]}
                routing:
                  localPrefixes: ["+46"]
                  peers:
                    - {prefix: "+47", domain: mms.a.test}
                """.formatted(work.resolve("store").toString().replace("\\", "/"), smtpPort), "bench.yaml");
        byte[] template = DotStuffing.stuff(forward(bodyBytes));
        System.out.printf("message: %d bytes on the wire, %d sessions, %d messages (+%d warm-up)%n", template.length, sessions, messages, messages / 10);
        try (MmscServer server = MmscServer.start(config)) {
            run(smtpPort, sessions, messages / 10, template, "warm-up", 0);
            run(smtpPort, sessions, messages, template, "measured", messages / 10);
        }
    }

    private static void run(int port, int sessions, int messages, byte[] template, String label, int offset) throws Exception {
        AtomicInteger next = new AtomicInteger(offset);
        int end = offset + messages;
        long[] latencies = new long[messages];
        AtomicInteger done = new AtomicInteger();
        AtomicLong refused = new AtomicLong();
        long started = System.nanoTime();
        // CPU of the whole process (server and the benchmark's clients): on a shared machine the rate
        // moves with the neighbours' load, the CPU spent per message much less.
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpuStarted = os.getProcessCpuTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(sessions)) {
            List<Future<?>> futures = new java.util.ArrayList<>();
            for (int s = 0; s < sessions; s++) {
                futures.add(pool.submit(() -> {
                    try (Socket socket = new Socket("127.0.0.1", port)) {
                        socket.setTcpNoDelay(true);
                        InputStream in = new BufferedInputStream(socket.getInputStream());
                        OutputStream out = socket.getOutputStream();
                        expect(in, "220");
                        out.write("EHLO a.test\r\n".getBytes(StandardCharsets.US_ASCII));
                        expect(in, "250");
                        byte[] mail = template.clone();
                        int txAt = indexOf(mail, TX_PLACEHOLDER.getBytes(StandardCharsets.US_ASCII));
                        int n;
                        while ((n = next.getAndIncrement()) < end) {
                            byte[] tx = String.format("TX-%012d", n).getBytes(StandardCharsets.US_ASCII);
                            System.arraycopy(tx, 0, mail, txAt, tx.length);
                            long t0 = System.nanoTime();
                            out.write(("MAIL FROM:<+4790000001/TYPE=PLMN@mms.a.test> SIZE=" + mail.length
                                    + "\r\nRCPT TO:<+4690000002/TYPE=PLMN@mms.b.test>\r\nDATA\r\n").getBytes(StandardCharsets.US_ASCII));
                            expect(in, "250");
                            expect(in, "250");
                            expect(in, "354");
                            out.write(mail);
                            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
                            String reply = line(in);
                            if (!reply.startsWith("250")) refused.incrementAndGet();
                            latencies[n - (end - messages)] = System.nanoTime() - t0;
                            done.incrementAndGet();
                        }
                        out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpuMsPerMessage = (os.getProcessCpuTime() - cpuStarted) / 1e6 / Math.max(1, done.get());
        Arrays.sort(latencies);
        System.out.printf("%s: %d messages in %.2f s = %.0f msg/s, %.1f MB/s of DATA; refused %d; latency MAIL→250 p50 %.1f ms, p99 %.1f ms, max %.1f ms;"
                        + " process CPU %.3f ms per message%n",
                label, done.get(), seconds, done.get() / seconds, done.get() * (double) template.length / seconds / 1e6, refused.get(),
                latencies[messages / 2] / 1e6, latencies[(int) (messages * 0.99)] / 1e6, latencies[messages - 1] / 1e6, cpuMsPerMessage);
    }

    private static byte[] forward(int bodyBytes) throws Exception {
        byte[] image = new byte[bodyBytes];
        new java.util.Random(42).nextBytes(image);
        List<MessagePart> parts = List.of(
                new MessagePart(ContentType.parse("application/smil"), List.of(new MessagePart.Header("Content-ID", "<smil>")),
                        "<smil><body><par><img src=\"cid:img\"/></par></body></smil>".getBytes(StandardCharsets.US_ASCII)),
                new MessagePart(ContentType.parse("image/jpeg"), List.of(new MessagePart.Header("Content-ID", "<img>")), image));
        Mm4Pdu.ForwardRequest req = new Mm4Pdu.ForwardRequest("6.10.0", TX_PLACEHOLDER, "A-MSG", "+4790000001/TYPE=PLMN",
                List.of("+4690000002/TYPE=PLMN"), List.of(), "load", Instant.now(), "+4790000001/TYPE=PLMN@mms.a.test", false,
                "system-user@mms.a.test", MessageClass.PERSONAL, Priority.NORMAL, TimeSpec.after(Duration.ofHours(1)), false, null, null,
                false, null, List.of(), List.of(), null, null, null, null, null, null, null, null, null, null, null, null, 0,
                new ContentType("multipart/related", Map.of("type", "application/smil", "start", "<smil>")), parts, null);
        return new Mm4Codec().encodeForward(req);
    }

    private static void expect(InputStream in, String code) throws IOException {
        String reply;
        do {
            reply = line(in);
        } while (reply.length() > 3 && reply.charAt(3) == '-');
        if (!reply.startsWith(code)) throw new IOException("expected " + code + ", got " + reply);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') if (c != '\r') sb.append((char) c);
        if (c < 0) throw new IOException("connection closed");
        return sb.toString();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new IllegalStateException("placeholder not found");
    }
}
