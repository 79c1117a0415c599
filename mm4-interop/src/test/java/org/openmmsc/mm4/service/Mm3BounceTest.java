package org.openmmsc.mm4.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
import org.openmmsc.core.model.DeliveryKey;
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
import org.openmmsc.mm3.service.BounceAddress;

/**
 * MM3 out and its bounces, end to end with real neighbours: an MMS to an e-mail address goes
 * through OpenMMSC's SMTP client to python3-aiosmtpd (the mail exchanger), the sender hears
 * "Indeterminate"; then swaks, as the MTA that later failed to deliver it, sends a Postfix-style
 * DSN to the e-mail's VERP return path, and the sender hears "Unreachable". Bounces that name
 * nothing of ours, name someone else, or are no DSN are answered 250 and change nothing.
 */
@Tag("integration")
class Mm3BounceTest {
    private static final String FOOTER = "Sent by MMS from OpenMMSC. Reply to +4790000001 by MMS.";
    @TempDir Path dir;
    private Aiosmtpd aiosmtpd;
    private Mm4Interface node;
    private DeliveryScheduler scheduler;
    private final InMemoryMessageStore store = new InMemoryMessageStore(Clock.systemUTC());
    private final List<Report> reports = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Relay relay;
    private int port;

    @AfterEach
    void stop() throws Exception {
        if (scheduler != null) scheduler.stop(Duration.ofSeconds(2));
        if (node != null) node.close();
        if (aiosmtpd != null) aiosmtpd.close();
    }

    private void startNode(boolean keepSmil) throws Exception {
        boolean swaks = Files.isExecutable(Path.of("/usr/bin/swaks"));
        if (Boolean.getBoolean("openmmsc.requireNeighbours") && !swaks) throw new AssertionError("swaks is required (Debian package swaks)");
        assumeTrue(swaks, "swaks not installed");
        aiosmtpd = Aiosmtpd.start(dir);
        ReportSink mm1 = new ReportSink() {
            @Override public Interface iface() { return Interface.MM1; }
            @Override public CompletionStage<Void> send(Report r) {
                reports.add(r);
                return CompletableFuture.completedFuture(null);
            }
        };
        relay = new Relay(store, new StaticRouteResolver(RoutingConfig.defaults()), RelayConfig.defaults(), Clock.systemUTC(), e -> {},
                List.of(mm1), new SimpleMeterRegistry());
        scheduler = new DeliveryScheduler(store, relay, List.of(), new SchedulerConfig(Duration.ofMillis(50), null, null, null, null, null),
                Clock.systemUTC(), "n1", new SimpleMeterRegistry(), new SplittableRandom(1));
        SmtpConfig config = new SmtpConfig("127.0.0.1", 0, "a.test", "mms.a.test", null, null, null, null, null, null, null, null, null, null,
                null, "127.0.0.1:" + aiosmtpd.port(), keepSmil, null, null, null, null, FOOTER, null, null, null, null);
        node = new Mm4Interface(config, relay, NumberingConfig.defaults().normalizer(), meters);
        port = node.start(scheduler::registerAgent);
        scheduler.start();
    }

    private MessageId sendMms(String subject, List<MessagePart> parts, String... to) {
        List<Recipient> recipients = new ArrayList<>();
        for (String t : to) recipients.add(Recipient.to(Address.email(t)));
        Message m = new Message(relay.newMessageId(), Address.plmn("+4790000001"), recipients, EncodedText.utf8(subject), null, null,
                Instant.now(), null, null, true, false, false, null,
                new ContentType("multipart/related", Map.of("type", "application/smil", "start", "<smil>")), parts,
                Origin.of(Interface.MM1, "+4790000001", "t-" + System.nanoTime()));
        return relay.accept(m, relay.route(m), null).join().id();
    }

    private static List<MessagePart> photoWithText(byte[] jpeg) {
        return List.of(
                new MessagePart(ContentType.parse("application/smil"), List.of(new MessagePart.Header("Content-ID", "<smil>")), "<smil/>".getBytes(StandardCharsets.US_ASCII)),
                new MessagePart(ContentType.parse("text/plain; charset=utf-8"), List.of(new MessagePart.Header("Content-Location", "t.txt")),
                        "blåbær på fjellet".getBytes(StandardCharsets.UTF_8)),
                new MessagePart(ContentType.parse("image/jpeg"), List.of(new MessagePart.Header("Content-Location", "hytta på fjellet.jpg"),
                        new MessagePart.Header("Content-ID", "<img>\r\nBcc: victim@example.org")), jpeg));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    private String swaksBounce(String returnPath, String data) throws Exception {
        Path file = Files.writeString(dir.resolve("dsn-" + System.nanoTime() + ".eml"), data);
        Process p = new ProcessBuilder("swaks", "--server", "127.0.0.1", "--port", Integer.toString(port), "--helo", "mx.example.com",
                "--timeout", "10", "--from", "<>", "--to", returnPath, "--data", "@" + file).redirectErrorStream(true).start();
        String transcript = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "swaks finished");
        assertEquals(0, p.exitValue(), transcript);
        return transcript;
    }

    private static String postfixDsn(String returnPath, String recipient) throws Exception {
        // The golden DSN beside the parser's own test (mm3-smtp), a bounce as Postfix writes it.
        String template = Files.readString(Path.of("../mm3-smtp/src/test/resources/org/openmmsc/mm3/mime/postfix-dsn.eml"));
        return template.replace("${RETURN_PATH}", returnPath).replace("${RECIPIENT}", recipient);
    }

    private double bounces(String outcome) {
        var c = meters.find("mmsc.mm3.bounces").tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aBounceAfterTheHandOffReachesTheSenderAsUnreachable() throws Exception {
        startNode(false);
        byte[] jpeg = new byte[5000];
        new java.util.Random(3).nextBytes(jpeg);
        MessageId id = sendMms("Hilsen\r\nBcc: victim@example.org", photoWithText(jpeg), "ola@example.com");
        DeliveryKey key = new DeliveryKey(id, 0);
        await("hand-off", () -> store.delivery(key).orElseThrow().state() == DeliveryState.HANDED_OFF);
        await("indeterminate report", () -> !reports.isEmpty());
        assertEquals(Report.Status.INDETERMINATE, reports.getFirst().status(), "a mail exchanger never reports retrieval");

        byte[] raw = aiosmtpd.received().getFirst();
        MailMessage mail = new MimeCodec().parse(raw);
        String returnPath = BounceAddress.of(key, "mms.a.test");
        assertEquals(returnPath, mail.header("X-MailFrom"), "the envelope sender is the delivery's VERP return path");
        assertEquals("+4790000001@mms.a.test", mail.header("From"));
        assertEquals("Hilsen Bcc: victim@example.org", MimeCodec.decodeWords(mail.header("Subject")).replaceAll("\\s+", " "));
        assertNull(mail.header("Bcc"), "a line break in the subject never starts a header");
        assertFalse(new String(raw, StandardCharsets.ISO_8859_1).contains("\nBcc:"), "nor one in a part header");
        assertEquals(3, mail.parts().size(), "SMIL dropped; text, image, footer");
        assertEquals("blåbær på fjellet", new String(mail.parts().get(0).content(), StandardCharsets.UTF_8));
        assertArrayEquals(jpeg, mail.parts().get(1).content());
        assertEquals("attachment; filename*=utf-8''hytta%20p%C3%A5%20fjellet.jpg", mail.parts().get(1).header("Content-Disposition"));
        MessagePart footer = mail.parts().get(2);
        assertEquals("text/plain", footer.contentType().mediaType());
        assertEquals("utf-8", footer.contentType().parameter("charset"));
        assertEquals(FOOTER, new String(footer.content(), StandardCharsets.UTF_8));

        String transcript = swaksBounce(returnPath, postfixDsn(returnPath, "ola@example.com"));
        assertTrue(transcript.contains("<-  250 2.0.0 report recorded"), transcript);
        await("failure report", () -> reports.size() == 2);
        Report failure = reports.get(1);
        assertEquals(Report.Status.UNREACHABLE, failure.status());
        assertEquals("ola@example.com", failure.recipient().address().value());
        assertTrue(failure.detail().contains("5.1.1"), failure.detail());
        assertEquals(DeliveryState.FAILED, store.delivery(key).orElseThrow().state());
        assertEquals(1.0, bounces("failed"));

        // The same bounce again (an MTA's retry) changes nothing and raises no second report.
        assertTrue(swaksBounce(returnPath, postfixDsn(returnPath, "ola@example.com")).contains("<-  250 2.0.0"));
        Thread.sleep(200);
        assertEquals(2, reports.size());
        assertEquals(1.0, bounces("already-final"));
    }

    @Test
    void forgedUnknownAndNonDsnBouncesAreAcceptedAndDroppedWithoutReports() throws Exception {
        startNode(true);
        MessageId id = sendMms("two", photoWithText(new byte[100]), "ola@example.com", "kari@example.com");
        await("hand-offs", () -> store.deliveries(id).stream().allMatch(d -> d.state() == DeliveryState.HANDED_OFF));
        await("indeterminate reports", () -> reports.size() == 2);
        MailMessage mail = new MimeCodec().parse(aiosmtpd.received().getFirst());
        assertEquals("application/smil", mail.parts().getFirst().contentType().mediaType(), "SMIL kept when configured");

        String olaPath = BounceAddress.of(new DeliveryKey(id, 0), "mms.a.test");
        // Unknown message id (well-formed, never sent).
        String unknown = BounceAddress.of(new DeliveryKey(MessageId.generate(Clock.systemUTC()), 0), "mms.a.test");
        assertTrue(swaksBounce(unknown, postfixDsn(unknown, "ola@example.com")).contains("<-  250 2.0.0"));
        // A DSN to ola's return path with two blocks, none about ola: not about this e-mail.
        String twoOthers = postfixDsn(olaPath, "eve@example.net").replace("Final-Recipient: rfc822; eve@example.net",
                "Final-Recipient: rfc822; mallory@example.net\nAction: failed\nStatus: 5.1.1\n\nFinal-Recipient: rfc822; eve@example.net");
        assertTrue(swaksBounce(olaPath, twoOthers).contains("<-  250 2.0.0"));
        // An out-of-office reply to the return path is no DSN.
        assertTrue(swaksBounce(olaPath, "From: ola@example.com\nTo: " + olaPath + "\nSubject: Away\n\nI am on holiday.\n").contains("<-  250 2.0.0"));
        // A delay notice leaves the delivery alone.
        String delayed = postfixDsn(olaPath, "ola@example.com").replace("Action: failed\nStatus: 5.1.1", "Action: delayed\nStatus: 4.4.1");
        assertTrue(swaksBounce(olaPath, delayed).contains("<-  250 2.0.0 report noted"));

        // Accepting bounces from anyone opens nothing else: other domains and MM4 recipients stay refused at RCPT.
        for (String to : List.of("someone@example.org", "004790000009/TYPE=PLMN@mms.a.test", "postmaster@mms.a.test")) {
            Process p = new ProcessBuilder("swaks", "--server", "127.0.0.1", "--port", Integer.toString(port), "--helo", "mx.example.com",
                    "--timeout", "10", "--from", "spammer@example.net", "--to", to, "--body", "buy now").redirectErrorStream(true).start();
            String transcript = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            assertTrue(transcript.contains("<** 550 5.7.1"), to + ": " + transcript);
        }
        Thread.sleep(200);
        assertEquals(2, reports.size(), "no report from any of them");
        assertTrue(store.deliveries(id).stream().allMatch(d -> d.state() == DeliveryState.HANDED_OFF));
        assertEquals(1.0, bounces("unknown"));
        assertEquals(1.0, bounces("forged"));
        assertEquals(1.0, bounces("not-a-dsn"));
        assertEquals(1.0, bounces("delayed"));
        assertEquals(1, store.messageCount(), "a bounce is never stored as a message");
    }
}
