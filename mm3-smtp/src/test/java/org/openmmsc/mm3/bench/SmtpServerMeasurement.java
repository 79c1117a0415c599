package org.openmmsc.mm3.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openmmsc.mm3.smtp.Envelope;
import org.openmmsc.mm3.smtp.SmtpLimits;
import org.openmmsc.mm3.smtp.SmtpPolicy;
import org.openmmsc.mm3.smtp.SmtpReply;
import org.openmmsc.mm3.smtp.SmtpServer;

/**
 * The SMTP server path alone: N sessions on loopback send ~30 KB messages (base64 lines, as MM4
 * carries a picture) to an SmtpServer whose policy answers 250 at once — no MIME, no store — so
 * process CPU per message measures the SMTP side (and the same clients, in the same JVM).
 * A measurement program, not a test. Arguments: {@code [sessions] [messages] [rounds]}.
 */
public final class SmtpServerMeasurement {
    private SmtpServerMeasurement() {}

    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        byte[] body = new byte[21_500];
        new java.util.Random(42).nextBytes(body);
        String mail = "From: +4790000001/TYPE=PLMN\r\nTo: +4690000002/TYPE=PLMN@mms.b.test\r\nSubject: load\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(body) + "\r\n";
        byte[] content = mail.getBytes(StandardCharsets.US_ASCII);
        AtomicLong bytesTaken = new AtomicLong();
        SmtpPolicy policy = new SmtpPolicy() {
            @Override public SmtpReply onMail(org.openmmsc.mm3.smtp.ClientInfo client, String reversePath) { return null; }
            @Override public SmtpReply onRcpt(org.openmmsc.mm3.smtp.ClientInfo client, String reversePath, List<String> soFar, String forwardPath) { return null; }
            @Override public CompletionStage<SmtpReply> onMessage(Envelope envelope, byte[] message) {
                bytesTaken.addAndGet(message.length);
                return CompletableFuture.completedFuture(SmtpReply.of(250, "2.0.0", "taken"));
            }
        };
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (SmtpServer server = new SmtpServer("127.0.0.1", 0, "bench.test",
                new SmtpLimits(10L * 1024 * 1024, 1000, 100, Duration.ofMinutes(1), 1000, 1000), policy)) {
            int port = server.start();
            for (int round = 0; round <= rounds; round++) {
                long cpu = os.getProcessCpuTime();
                long started = System.nanoTime();
                run(port, sessions, round == 0 ? messages / 5 : messages, content);
                double seconds = (System.nanoTime() - started) / 1e9;
                int n = round == 0 ? messages / 5 : messages;
                System.out.printf("%s: %d messages of %d bytes in %.2f s = %.0f msg/s, process CPU %.1f µs per message%n",
                        round == 0 ? "warm-up" : "round " + round, n, content.length, seconds, n / seconds, (os.getProcessCpuTime() - cpu) / 1e3 / n);
            }
        }
    }

    private static void run(int port, int sessions, int messages, byte[] content) throws Exception {
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(sessions)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int s = 0; s < sessions; s++) {
                futures.add(pool.submit(() -> {
                    try (Socket socket = new Socket("127.0.0.1", port)) {
                        socket.setTcpNoDelay(true);
                        InputStream in = new BufferedInputStream(socket.getInputStream());
                        OutputStream out = socket.getOutputStream();
                        expect(in, "220");
                        out.write("EHLO a.test\r\n".getBytes(StandardCharsets.US_ASCII));
                        expect(in, "250");
                        byte[] command = ("MAIL FROM:<a@a.test> SIZE=" + content.length + "\r\nRCPT TO:<b@b.test>\r\nDATA\r\n").getBytes(StandardCharsets.US_ASCII);
                        while (next.getAndIncrement() < messages) {
                            out.write(command);
                            expect(in, "250");
                            expect(in, "250");
                            expect(in, "354");
                            out.write(content);
                            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
                            expect(in, "250");
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
    }

    private static void expect(InputStream in, String code) throws IOException {
        while (true) {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) throw new IOException("connection closed");
                line.append((char) b);
            }
            if (!line.toString().startsWith(code)) throw new IOException("expected " + code + ", got " + line);
            if (line.length() < 4 || line.charAt(3) != '-') return;
        }
    }
}
