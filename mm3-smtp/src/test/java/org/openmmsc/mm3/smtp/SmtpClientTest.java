package org.openmmsc.mm3.smtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against this module's own server: what one sends, the other must receive byte for byte. */
class SmtpClientTest {
    private final SmtpServerTest.RecordingPolicy policy = new SmtpServerTest.RecordingPolicy();
    private final SmtpClient client = new SmtpClient("client.test", Duration.ofSeconds(2), Duration.ofSeconds(2));
    private SmtpServer server;

    @AfterEach
    void stop() {
        client.close();
        if (server != null) server.close();
    }

    private int startServer() throws Exception {
        server = new SmtpServer("127.0.0.1", 0, "mmsc.test", new SmtpLimits(100_000, 1000, 10, Duration.ofSeconds(30), 8, 100), policy);
        return server.start();
    }

    @Test
    void aMessageWithLeadingDotsAndBareLineFeedsArrivesIntact() throws Exception {
        int port = startServer();
        byte[] message = "Subject: t\n\n.starts with a dot\n..two\nlast line without newline".getBytes(StandardCharsets.US_ASCII);
        SmtpClient.Result result = client.send("127.0.0.1", port, "a@client.test", "b@local.test", message).get(5, TimeUnit.SECONDS);
        assertTrue(result.accepted(), result.toString());
        String received = new String(policy.messages.getFirst(), StandardCharsets.US_ASCII);
        String body = received.substring(received.indexOf("Subject: t"));
        assertEquals("Subject: t\r\n\r\n.starts with a dot\r\n..two\r\nlast line without newline\r\n", body);
    }

    @Test
    void aRefusedRecipientIsReportedWithItsStep() throws Exception {
        int port = startServer();
        SmtpClient.Result result = client.send("127.0.0.1", port, "a@client.test", "b@elsewhere.test", new byte[] {'x'}).get(5, TimeUnit.SECONDS);
        assertFalse(result.accepted());
        assertEquals("RCPT", result.step());
        assertEquals(550, result.reply().code());
        assertEquals("5.7.1", result.reply().enhanced());
        assertTrue(policy.messages.isEmpty());
    }

    @Test
    void anUnreachablePeerIsAnIoError() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client.send("127.0.0.1", closedPort, "a@client.test", "b@local.test", new byte[] {'x'}).get(5, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, e.getCause());
    }

    @Test
    void aHostNameThatDoesNotResolveIsAnIoError() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client.send("no-such-host.invalid", 25, "a@client.test", "b@local.test", new byte[] {'x'}).get(10, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("cannot resolve no-such-host.invalid"), e.getCause().getMessage());
    }

    @Test
    void dotStuffingNormalisesLineEnds() {
        assertArrayEquals("..a\r\nb\r\n..\r\n".getBytes(StandardCharsets.US_ASCII),
                DotStuffing.stuff(".a\r\nb\n.".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void dotStuffingGrowsForTheWorstCaseAndKeepsEmptyEmpty() {
        // Every line a lone dot with a bare LF: each two octets become four.
        assertArrayEquals("..\r\n".repeat(5000).getBytes(StandardCharsets.US_ASCII),
                DotStuffing.stuff(".\n".repeat(5000).getBytes(StandardCharsets.US_ASCII)));
        assertArrayEquals("a\r\n\r\nb\r\n".getBytes(StandardCharsets.US_ASCII),
                DotStuffing.stuff("a\r\rb".getBytes(StandardCharsets.US_ASCII)), "a bare CR is a line end too");
        assertArrayEquals(new byte[0], DotStuffing.stuff(new byte[0]));
    }

    @Test
    void dotStuffingMatchesTheRuleOctetByOctetOnRandomText() {
        java.util.Random random = new java.util.Random(5321);
        byte[] alphabet = {'.', '\r', '\n', 'a', 'b'};
        for (int round = 0; round < 2000; round++) {
            byte[] text = new byte[random.nextInt(200)];
            for (int i = 0; i < text.length; i++) text[i] = alphabet[random.nextInt(alphabet.length)];
            assertArrayEquals(stuffedOctetByOctet(text), DotStuffing.stuff(text), new String(text, StandardCharsets.US_ASCII));
        }
    }

    /** RFC 5321 §4.5.2 read literally: CRLF, a bare CR or a bare LF ends a line; a line starting with '.' gets another. */
    private static byte[] stuffedOctetByOctet(byte[] text) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        boolean lineStart = true;
        for (int i = 0; i < text.length; i++) {
            byte b = text[i];
            if (b == '\r' || b == '\n') {
                if (b == '\r' && i + 1 < text.length && text[i + 1] == '\n') i++;
                out.writeBytes(new byte[] {'\r', '\n'});
                lineStart = true;
                continue;
            }
            if (lineStart && b == '.') out.write('.');
            out.write(b);
            lineStart = false;
        }
        if (!lineStart) out.writeBytes(new byte[] {'\r', '\n'});
        return out.toByteArray();
    }
}
