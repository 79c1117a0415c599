package org.openmmsc.mm3.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Connection reuse against this module's server: which SMTP session carried each message is read
 * from the server's own Received: line ("id SESSION.N"), so reuse is observed, not assumed.
 */
class SmtpClientPoolTest {
    private static final Pattern SESSION = Pattern.compile("id ([0-9A-Z]+)\\.(\\d+);");
    private final SmtpServerTest.RecordingPolicy policy = new SmtpServerTest.RecordingPolicy();
    private SmtpServer server;
    private SmtpClient client;

    @AfterEach
    void stop() {
        if (client != null) client.close();
        if (server != null) server.close();
    }

    private int start(Duration serverIdle, SmtpClient.PoolSettings pool) throws Exception {
        server = new SmtpServer("127.0.0.1", 0, "mmsc.test", new SmtpLimits(100_000, 1000, 10, serverIdle, 64, 100), policy);
        client = new SmtpClient("client.test", Duration.ofSeconds(2), Duration.ofSeconds(5), pool);
        return server.start();
    }

    private SmtpClient.Result send(int port, int n) throws Exception {
        return client.send("127.0.0.1", port, "a@client.test", "b@local.test", ("Subject: " + n + "\r\n\r\nbody " + n).getBytes(StandardCharsets.US_ASCII))
                .get(10, TimeUnit.SECONDS);
    }

    /** The server session of each received message, in arrival order. */
    private List<String> sessions() {
        List<String> out = new ArrayList<>();
        for (byte[] m : policy.messages) {
            Matcher matcher = SESSION.matcher(new String(m, StandardCharsets.US_ASCII));
            assertTrue(matcher.find());
            out.add(matcher.group(1));
        }
        return out;
    }

    private void awaitOpenSessions(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.openSessions() != n) {
            if (System.nanoTime() > deadline) throw new AssertionError("open sessions stayed " + server.openSessions() + ", expected " + n);
            Thread.sleep(20);
        }
    }

    @Test
    void consecutiveMessagesShareOneSession() throws Exception {
        int port = start(Duration.ofSeconds(30), SmtpClient.PoolSettings.defaults());
        for (int i = 0; i < 5; i++) assertTrue(send(port, i).accepted());
        List<String> sessions = sessions();
        assertEquals(5, sessions.size());
        assertEquals(1, sessions.stream().distinct().count(), sessions.toString());
        assertEquals(1, server.openSessions(), "the session stays open, parked");
    }

    @Test
    void aSessionCarriesAtMostMaxMessages() throws Exception {
        int port = start(Duration.ofSeconds(30), new SmtpClient.PoolSettings(4, 2, Duration.ofSeconds(30)));
        for (int i = 0; i < 5; i++) assertTrue(send(port, i).accepted());
        List<String> s = sessions();
        assertEquals(3, s.stream().distinct().count(), s.toString());
        assertEquals(s.get(0), s.get(1));
        assertEquals(s.get(2), s.get(3));
        assertTrue(!s.get(1).equals(s.get(2)) && !s.get(3).equals(s.get(4)), s.toString());
    }

    @Test
    void aParkedSessionIsClosedAfterTheIdleTimeout() throws Exception {
        int port = start(Duration.ofSeconds(30), new SmtpClient.PoolSettings(4, 100, Duration.ofMillis(300)));
        assertTrue(send(port, 1).accepted());
        assertEquals(1, server.openSessions());
        awaitOpenSessions(0);
        assertTrue(send(port, 2).accepted());
        assertEquals(2, sessions().stream().distinct().count());
    }

    @Test
    void concurrentSendersShareAtMostTheConfiguredSessions() throws Exception {
        int port = start(Duration.ofSeconds(30), new SmtpClient.PoolSettings(2, 1000, Duration.ofSeconds(30)));
        List<CompletableFuture<SmtpClient.Result>> results = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            results.add(client.send("127.0.0.1", port, "a@client.test", "b@local.test", ("Subject: " + i + "\r\n\r\nx").getBytes(StandardCharsets.US_ASCII)));
        }
        for (CompletableFuture<SmtpClient.Result> r : results) assertTrue(r.get(10, TimeUnit.SECONDS).accepted());
        assertEquals(40, policy.messages.size());
        assertEquals(2, sessions().stream().distinct().count(), "40 messages over exactly the 2 sessions allowed");
    }

    @Test
    void aSessionTheServerClosedIsReplacedWithoutLosingTheMessage() throws Exception {
        // The server closes idle sessions (421) sooner than the client would: the parked session dies under the pool.
        int port = start(Duration.ofMillis(300), new SmtpClient.PoolSettings(4, 100, Duration.ofSeconds(30)));
        assertTrue(send(port, 1).accepted());
        awaitOpenSessions(0);
        assertTrue(send(port, 2).accepted());
        assertEquals(2, policy.messages.size());
    }

    @Test
    void aRefusedRecipientLeavesTheSessionUsable() throws Exception {
        int port = start(Duration.ofSeconds(30), SmtpClient.PoolSettings.defaults());
        SmtpClient.Result refused = client.send("127.0.0.1", port, "a@client.test", "b@elsewhere.test", "x".getBytes(StandardCharsets.US_ASCII))
                .get(10, TimeUnit.SECONDS);
        assertEquals("RCPT", refused.step());
        assertTrue(send(port, 2).accepted());
        assertTrue(send(port, 3).accepted());
        assertEquals(1, sessions().stream().distinct().count(), "RSET cleared the refused transaction; the same session went on");
    }
}
