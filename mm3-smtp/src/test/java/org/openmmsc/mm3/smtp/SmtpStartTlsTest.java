package org.openmmsc.mm3.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.ssl.SslContextBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STARTTLS (RFC 3207) with a certificate made by openssl for the test; swaks as the TLS client. */
@Tag("integration")
class SmtpStartTlsTest {
    @TempDir Path dir;
    private final SmtpServerTest.RecordingPolicy policy = new SmtpServerTest.RecordingPolicy();
    private SmtpServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        boolean tools = Files.isExecutable(Path.of("/usr/bin/openssl")) && Files.isExecutable(Path.of("/usr/bin/swaks"));
        if (Boolean.getBoolean("openmmsc.requireNeighbours") && !tools) throw new AssertionError("openssl and swaks are required");
        assumeTrue(tools, "openssl or swaks missing");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=mmsc.test",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        var tls = SslContextBuilder.forServer(dir.resolve("cert.pem").toFile(), dir.resolve("key.pem").toFile()).build();
        server = new SmtpServer("127.0.0.1", 0, "mmsc.test", new SmtpLimits(100_000, 1000, 10, Duration.ofSeconds(30), 8, 100), policy, tls);
        port = server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void aMessageArrivesOverStartTls() throws Exception {
        List<String> command = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1", "--port", Integer.toString(port), "--tls",
                "--from", "a@peer.test", "--to", "b@local.test", "--body", "secret", "--timeout", "10"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String transcript = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), transcript);
        assertTrue(transcript.contains("TLS started"), transcript);
        String received = new String(policy.messages.getFirst(), StandardCharsets.US_ASCII);
        assertTrue(received.contains("with ESMTPS"), received);
    }

    @Test
    void plaintextPipelinedAfterStartTlsIsNeverExecuted() throws Exception {
        try (var c = new SmtpTestClient(port)) {
            c.reply();
            assertTrue(c.command("EHLO peer.test").contains("STARTTLS"));
            c.send("STARTTLS\r\nMAIL FROM:<injected@evil.test>\r\n");
            assertEquals("220 2.0.0 ready to start TLS", c.reply());
            assertTrue(c.silentFor(300), "the injected command got no plaintext answer");
        }
        assertTrue(policy.messages.isEmpty());
    }

    @Test
    void startTlsIsRefusedWhenNotOffered() throws Exception {
        SmtpServer plain = new SmtpServer("127.0.0.1", 0, "mmsc.test", new SmtpLimits(100_000, 1000, 10, Duration.ofSeconds(30), 8, 100), policy);
        try (plain; var c = new SmtpTestClient(plain.start())) {
            c.reply();
            assertTrue(!c.command("EHLO peer.test").contains("STARTTLS"));
            assertTrue(c.command("STARTTLS").startsWith("502"));
        }
    }
}
