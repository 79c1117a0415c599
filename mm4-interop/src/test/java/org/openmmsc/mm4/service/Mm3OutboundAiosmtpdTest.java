package org.openmmsc.mm4.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmmsc.core.config.NumberingConfig;
import org.openmmsc.core.config.RelayConfig;
import org.openmmsc.core.config.RoutingConfig;
import org.openmmsc.core.config.SchedulerConfig;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.ContentType;
import org.openmmsc.core.model.DeliveryState;
import org.openmmsc.core.model.EncodedText;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.model.Origin;
import org.openmmsc.core.model.Recipient;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.core.relay.StaticRouteResolver;
import org.openmmsc.core.schedule.DeliveryScheduler;
import org.openmmsc.core.spi.Report;
import org.openmmsc.core.spi.ReportSink;
import org.openmmsc.core.testing.InMemoryMessageStore;
import org.openmmsc.mm3.SmtpConfig;
import org.openmmsc.mm3.mime.MailMessage;
import org.openmmsc.mm3.mime.MimeCodec;

/**
 * MM3 out to a real SMTP server: Debian's python3-aiosmtpd with its Mailbox handler writes what it
 * receives to a maildir, and the test reads the e-mail back: From, To, Subject, the text inline,
 * the image as an attachment byte for byte, the SMIL dropped; the sender hears "indeterminate".
 */
@Tag("integration")
class Mm3OutboundAiosmtpdTest {
    @TempDir Path dir;
    private Process aiosmtpd;
    private Mm4Interface node;
    private DeliveryScheduler scheduler;

    @AfterEach
    void stop() throws Exception {
        if (scheduler != null) scheduler.stop(Duration.ofSeconds(2));
        if (node != null) node.close();
        if (aiosmtpd != null) {
            aiosmtpd.destroy();
            aiosmtpd.waitFor();
        }
    }

    private int startAiosmtpd(Path maildir) throws Exception {
        boolean required = Boolean.getBoolean("openmmsc.requireNeighbours");
        boolean present = new ProcessBuilder("/usr/bin/python3", "-c", "import aiosmtpd").start().waitFor() == 0;
        if (required && !present) throw new AssertionError("python3-aiosmtpd is required (Debian package python3-aiosmtpd)");
        assumeTrue(present, "python3-aiosmtpd not installed");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        aiosmtpd = new ProcessBuilder("/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + port,
                "-c", "aiosmtpd.handlers.Mailbox", maildir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("aiosmtpd.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return port;
            } catch (java.io.IOException notYet) {
                if (System.nanoTime() > deadline) throw new AssertionError("aiosmtpd did not start: " + Files.readString(dir.resolve("aiosmtpd.log")));
                Thread.sleep(50);
            }
        }
    }

    @Test
    void anMmsToAnEmailAddressArrivesAsMimeEmail() throws Exception {
        Path maildir = dir.resolve("maildir");
        int port = startAiosmtpd(maildir);
        InMemoryMessageStore store = new InMemoryMessageStore(Clock.systemUTC());
        List<Report> reports = new CopyOnWriteArrayList<>();
        ReportSink mm1 = new ReportSink() {
            @Override public Interface iface() { return Interface.MM1; }
            @Override public CompletionStage<Void> send(Report r) {
                reports.add(r);
                return CompletableFuture.completedFuture(null);
            }
        };
        Relay relay = new Relay(store, new StaticRouteResolver(RoutingConfig.defaults()), RelayConfig.defaults(), Clock.systemUTC(), e -> {},
                List.of(mm1), new SimpleMeterRegistry());
        scheduler = new DeliveryScheduler(store, relay, List.of(), new SchedulerConfig(Duration.ofMillis(50), null, null, null, null, null),
                Clock.systemUTC(), "n1", new SimpleMeterRegistry(), new SplittableRandom(1));
        SmtpConfig config = new SmtpConfig("127.0.0.1", 0, "a.test", "mms.a.test", null, null, null, null, null, null, null, null, null, null,
                null, "127.0.0.1:" + port, null, null, null, null, null);
        node = new Mm4Interface(config, relay, NumberingConfig.defaults().normalizer());
        node.start(scheduler::registerAgent);
        scheduler.start();

        byte[] jpeg = new byte[5000];
        new java.util.Random(3).nextBytes(jpeg);
        List<MessagePart> parts = List.of(
                new MessagePart(ContentType.parse("application/smil"), List.of(new MessagePart.Header("Content-ID", "<smil>")), "<smil/>".getBytes(StandardCharsets.US_ASCII)),
                new MessagePart(ContentType.parse("text/plain; charset=utf-8"), List.of(new MessagePart.Header("Content-Location", "t.txt")),
                        "blåbær på fjellet".getBytes(StandardCharsets.UTF_8)),
                new MessagePart(ContentType.parse("image/jpeg"), List.of(new MessagePart.Header("Content-Location", "hytta.jpg")), jpeg));
        Message m = new Message(relay.newMessageId(), Address.plmn("+4790000001"), List.of(Recipient.to(Address.email("ola@example.com"))),
                EncodedText.utf8("Hilsen fra hytta"), null, null, Instant.now(), null, null, true, false, false, null,
                new ContentType("multipart/related", Map.of("type", "application/smil", "start", "<smil>")), parts,
                Origin.of(Interface.MM1, "+4790000001", "t1"));
        MessageId id = relay.accept(m, relay.route(m), null).join().id();

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (store.deliveries(id).getFirst().state() != DeliveryState.HANDED_OFF) {
            if (System.nanoTime() > deadline) throw new AssertionError("not handed off: " + store.deliveries(id).getFirst());
            Thread.sleep(20);
        }
        Path received;
        try (Stream<Path> files = Files.list(maildir.resolve("new"))) {
            received = files.findFirst().orElseThrow();
        }
        MailMessage mail = new MimeCodec().parse(Files.readAllBytes(received));
        assertEquals("+4790000001@mms.a.test", mail.header("From"));
        assertEquals("ola@example.com", mail.header("To"));
        assertEquals("Hilsen fra hytta", MimeCodec.decodeWords(mail.header("Subject")));
        assertEquals("multipart/mixed", mail.contentType().mediaType());
        assertEquals(2, mail.parts().size(), "SMIL is dropped");
        assertEquals("blåbær på fjellet", new String(mail.parts().get(0).content(), StandardCharsets.UTF_8));
        assertArrayEquals(jpeg, mail.parts().get(1).content());
        assertTrue(mail.parts().get(1).header("Content-Disposition").contains("hytta.jpg"));

        deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (reports.isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals(Report.Status.INDETERMINATE, reports.getFirst().status(), "a mail exchanger never reports retrieval");
    }
}
