package org.openmmsc.mm3.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SmtpServerTest {

    /** Accepts recipients at "local.test" only; the test decides when (and how) each message is answered. */
    static final class RecordingPolicy implements SmtpPolicy {
        final List<Envelope> envelopes = new CopyOnWriteArrayList<>();
        final List<byte[]> messages = new CopyOnWriteArrayList<>();
        volatile CompletableFuture<SmtpReply> nextAnswer;

        @Override
        public SmtpReply onMail(ClientInfo client, String reversePath) {
            return reversePath.endsWith("@banned.test") ? SmtpReply.of(550, "5.7.1", "sender not allowed") : null;
        }

        @Override
        public SmtpReply onRcpt(ClientInfo client, String reversePath, List<String> acceptedSoFar, String forwardPath) {
            return forwardPath.endsWith("@local.test") ? null : SmtpReply.of(550, "5.7.1", "relay access denied");
        }

        @Override
        public CompletionStage<SmtpReply> onMessage(Envelope envelope, byte[] message) {
            envelopes.add(envelope);
            messages.add(message);
            CompletableFuture<SmtpReply> answer = nextAnswer;
            return answer != null ? answer : CompletableFuture.completedFuture(SmtpReply.of(250, "2.0.0", "stored"));
        }
    }

    private final RecordingPolicy policy = new RecordingPolicy();
    private SmtpServer server;

    private int start(SmtpLimits limits) throws Exception {
        server = new SmtpServer("127.0.0.1", 0, "mmsc.test", limits, policy);
        return server.start();
    }

    private int start() throws Exception {
        return start(new SmtpLimits(10_000, 1000, 3, Duration.ofSeconds(30), 4, 100));
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void ehloAdvertisesSizePipeliningAnd8BitMime() throws Exception {
        try (var c = new SmtpTestClient(start())) {
            assertTrue(c.reply().startsWith("220 mmsc.test"));
            String ehlo = c.command("EHLO peer.test");
            assertTrue(ehlo.contains("250-SIZE 10000"), ehlo);
            assertTrue(ehlo.contains("PIPELINING"), ehlo);
            assertTrue(ehlo.contains("8BITMIME"), ehlo);
        }
    }

    @Test
    void messageIsDotUnstuffedAndGetsATraceHeader() throws Exception {
        try (var c = new SmtpTestClient(start())) {
            c.reply();
            c.command("EHLO peer.test");
            assertEquals("250 2.1.0 sender OK", c.command("MAIL FROM:<a@peer.test> BODY=8BITMIME"));
            assertEquals("250 2.1.5 recipient OK", c.command("RCPT TO:<+4790000001/TYPE=PLMN@local.test>"));
            assertTrue(c.command("DATA").startsWith("354"));
            assertTrue(c.command("Subject: x\r\n\r\n..leading dot\r\nplain\r\n.").startsWith("250 2.0.0 stored"));
        }
        String text = new String(policy.messages.getFirst(), StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("Received: from peer.test ([127.0.0.1])\r\n\tby mmsc.test"), text);
        assertTrue(text.endsWith("Subject: x\r\n\r\n.leading dot\r\nplain\r\n"), text);
        assertEquals(List.of("+4790000001/TYPE=PLMN@local.test"), policy.envelopes.getFirst().recipients());
        assertEquals("a@peer.test", policy.envelopes.getFirst().mailFrom());
    }

    @Test
    void theReplyToDataWaitsUntilThePolicyIsDone() throws Exception {
        policy.nextAnswer = new CompletableFuture<>();
        try (var c = new SmtpTestClient(start())) {
            c.reply();
            c.command("EHLO peer.test");
            c.command("MAIL FROM:<a@peer.test>");
            c.command("RCPT TO:<b@local.test>");
            c.command("DATA");
            c.send("Subject: y\r\n\r\nbody\r\n.\r\nNOOP\r\n");
            assertTrue(c.silentFor(300), "no reply before the message is durable");
            policy.nextAnswer.complete(SmtpReply.of(250, "2.0.0", "durable"));
            assertEquals("250 2.0.0 durable", c.reply());
            assertEquals("250 2.0.0 OK", c.reply(), "the pipelined NOOP is answered after the DATA reply");
        }
    }

    @Test
    void aFailedStoreIsATemporaryFailureWithoutDetails() throws Exception {
        policy.nextAnswer = CompletableFuture.failedFuture(new IllegalStateException("disk on fire at /var/secret"));
        try (var c = new SmtpTestClient(start())) {
            c.reply();
            c.command("EHLO peer.test");
            c.command("MAIL FROM:<a@peer.test>");
            c.command("RCPT TO:<b@local.test>");
            c.command("DATA");
            assertEquals("451 4.3.0 temporary failure, try again later", c.command("x\r\n."));
        }
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        try (var c = new SmtpTestClient(start())) {
            c.reply();
            c.command("EHLO peer.test");
            c.send("MAIL FROM:<a@peer.test>\r\nRCPT TO:<b@local.test>\r\nRCPT TO:<c@elsewhere.test>\r\nDATA\r\n");
            assertTrue(c.reply().startsWith("250 2.1.0"));
            assertTrue(c.reply().startsWith("250 2.1.5"));
            assertTrue(c.reply().startsWith("550 5.7.1 relay access denied"));
            assertTrue(c.reply().startsWith("354"));
            assertTrue(c.command("hello\r\n.").startsWith("250"));
        }
        assertEquals(List.of("b@local.test"), policy.envelopes.getFirst().recipients());
    }

    @Test
    void declaredSizeOverTheLimitIsRefusedAtMail() throws Exception {
        try (var c = new SmtpTestClient(start())) {
            c.reply();
            c.command("EHLO peer.test");
            assertTrue(c.command("MAIL FROM:<a@peer.test> SIZE=10001").startsWith("552 5.3.4"));
            assertTrue(c.command("MAIL FROM:<a@peer.test> SIZE=10000").startsWith("250"));
        }
    }

    @Test
    void oversizeDataIsRefusedAndNothingIsTaken() throws Exception {
        try (var c = new SmtpTestClient(start())) {
            c.reply();
            c.command("EHLO peer.test");
            c.command("MAIL FROM:<a@peer.test>");
            c.command("RCPT TO:<b@local.test>");
            c.command("DATA");
            String line = "x".repeat(500) + "\r\n";
            assertTrue(c.command(line.repeat(30) + ".").startsWith("552 5.3.4"));
            assertTrue(c.command("NOOP").startsWith("250"), "the session goes on");
        }
        assertTrue(policy.messages.isEmpty());
    }

    @Test
    void overlongLinesAreRefused() throws Exception {
        try (var c = new SmtpTestClient(start())) {
            c.reply();
            assertTrue(c.command("EHLO " + "a".repeat(1200)).startsWith("500 5.5.2"));
            c.command("EHLO peer.test");
            c.command("MAIL FROM:<a@peer.test>");
            c.command("RCPT TO:<b@local.test>");
            c.command("DATA");
            assertTrue(c.command("y".repeat(1500) + "\r\n.").startsWith("500 5.5.2"));
        }
        assertTrue(policy.messages.isEmpty());
    }

    @Test
    void refusalsAndOutOfOrderCommands() throws Exception {
        try (var c = new SmtpTestClient(start())) {
            c.reply();
            assertTrue(c.command("MAIL FROM:<a@peer.test>").startsWith("503"), "MAIL before EHLO");
            c.command("EHLO peer.test");
            assertTrue(c.command("RCPT TO:<b@local.test>").startsWith("503"), "RCPT before MAIL");
            assertTrue(c.command("MAIL FROM:<x@banned.test>").startsWith("550 5.7.1"));
            assertTrue(c.command("MAIL FROM:<a@peer.test>").startsWith("250"));
            assertTrue(c.command("RCPT TO:<b@other.test>").startsWith("550"));
            assertTrue(c.command("DATA").startsWith("554"), "DATA with no accepted recipient");
            assertTrue(c.command("RCPT TO:<b1@local.test>").startsWith("250"));
            c.command("RCPT TO:<b2@local.test>");
            c.command("RCPT TO:<b3@local.test>");
            assertTrue(c.command("RCPT TO:<b4@local.test>").startsWith("452 4.5.3"), "recipient limit");
            assertTrue(c.command("RCPT TO:<bad address@local.test>").startsWith("501"));
            assertTrue(c.command("MAIL FROM:<a@peer.test> AUTH=<>").startsWith("503"), "transaction already open");
            assertTrue(c.command("RSET").startsWith("250"));
            assertTrue(c.command("MAIL FROM:<a@peer.test> FOO=1").startsWith("555"));
            assertTrue(c.command("BDAT 10").startsWith("500"));
            assertTrue(c.command("QUIT").startsWith("221"));
            assertNull(c.reply());
        }
        assertTrue(policy.messages.isEmpty());
    }

    @Test
    void connectionsBeyondThePerPeerLimitAreTurnedAway() throws Exception {
        int port = start(new SmtpLimits(10_000, 1000, 3, Duration.ofSeconds(30), 2, 100));
        try (var a = new SmtpTestClient(port); var b = new SmtpTestClient(port); var c = new SmtpTestClient(port)) {
            // The three sessions start on different event loops, so which one is turned away is not fixed.
            List<String> greetings = new java.util.ArrayList<>(List.of(a.reply(), b.reply(), c.reply()));
            assertEquals(2, greetings.stream().filter(g -> g.startsWith("220")).count(), greetings.toString());
            assertEquals(1, greetings.stream().filter(g -> g.startsWith("421 4.7.0")).count(), greetings.toString());
        }
        // Slots are given back when sessions end.
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (server.openSessions() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
        try (var d = new SmtpTestClient(port)) {
            assertTrue(d.reply().startsWith("220"));
        }
    }

    @Test
    void idleSessionsAreClosed() throws Exception {
        int port = start(new SmtpLimits(10_000, 1000, 3, Duration.ofMillis(300), 2, 100));
        try (var c = new SmtpTestClient(port)) {
            c.reply();
            assertTrue(c.reply().startsWith("421 4.4.2"));
            assertNull(c.reply());
        }
    }
}
