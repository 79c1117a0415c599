package org.openmmsc.mm3.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmmsc.mm3.testing.TestCerts;

/** The client's STARTTLS policies against this module's server, with certificates made by openssl for the test. */
@Tag("integration")
class SmtpClientTlsTest {
    @TempDir static Path dir;
    static TestCerts.Pair serverCert;
    static TestCerts.Pair clientCert;
    private final SmtpServerTest.RecordingPolicy policy = new SmtpServerTest.RecordingPolicy();
    private final SmtpClient client = new SmtpClient("client.test", Duration.ofSeconds(2), Duration.ofSeconds(5));
    private SmtpServer server;

    @BeforeAll
    static void certificates() throws Exception {
        serverCert = TestCerts.selfSigned(dir, "server", "mmsc.b.test", "DNS:mmsc.b.test,IP:127.0.0.1");
        clientCert = TestCerts.selfSigned(dir, "client", "mmsc.a.test", "DNS:mmsc.a.test");
    }

    @AfterEach
    void stop() {
        client.close();
        if (server != null) server.close();
    }

    private int start(boolean tls) throws Exception {
        SslContext context = !tls ? null : SslContextBuilder.forServer(serverCert.certificate().toFile(), serverCert.key().toFile())
                .clientAuth(ClientAuth.OPTIONAL).trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        server = new SmtpServer("127.0.0.1", 0, "mmsc.b.test", new SmtpLimits(100_000, 1000, 10, Duration.ofSeconds(30), 8, 100), policy, context);
        return server.start();
    }

    private static SslContext trusting(TestCerts.Pair trusted, TestCerts.Pair ours) throws Exception {
        SslContextBuilder b = SslContextBuilder.forClient().trustManager(trusted.certificate().toFile());
        if (ours != null) b.keyManager(ours.certificate().toFile(), ours.key().toFile());
        return b.build();
    }

    private SmtpClient.Result send(SmtpClient.Destination d) throws Exception {
        return client.send(d, "a@client.test", "b@local.test", "Subject: t\r\n\r\nsecret".getBytes(StandardCharsets.US_ASCII)).get(10, TimeUnit.SECONDS);
    }

    private static SmtpClient.Destination to(int port, SmtpClient.TlsMode mode, SslContext context, String tlsName) throws Exception {
        return new SmtpClient.Destination("127.0.0.1", InetAddress.getLoopbackAddress(), port, mode, context, tlsName);
    }

    private String received() {
        return new String(policy.messages.getFirst(), StandardCharsets.US_ASCII);
    }

    @Test
    void requiredTlsWithTheServersCertificateTrustedSendsEncryptedAndShowsOurCertificate() throws Exception {
        int port = start(true);
        SmtpClient.Result r = send(to(port, SmtpClient.TlsMode.REQUIRED, trusting(serverCert, clientCert), "mmsc.b.test"));
        assertTrue(r.accepted(), r.toString());
        assertTrue(received().contains("with ESMTPS"), received());
        assertEquals("CN=mmsc.a.test", policy.envelopes.getFirst().clientCertificates().getFirst().getSubjectX500Principal().getName());
    }

    @Test
    void requiredTlsChecksTheServerName() throws Exception {
        int port = start(true);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> send(to(port, SmtpClient.TlsMode.REQUIRED, trusting(serverCert, null), "mmsc.other.test")));
        SmtpClient.TlsFailure failure = assertInstanceOf(SmtpClient.TlsFailure.class, e.getCause());
        assertTrue(failure.getMessage().contains("mmsc.other.test") && failure.getMessage().contains("nothing sent in clear"), failure.getMessage());
        assertTrue(policy.messages.isEmpty());
    }

    @Test
    void requiredTlsRefusesACertificateNobodyTrusts() throws Exception {
        int port = start(true);
        ExecutionException e = assertThrows(ExecutionException.class, () -> send(to(port, SmtpClient.TlsMode.REQUIRED, null, "mmsc.b.test")));
        assertInstanceOf(SmtpClient.TlsFailure.class, e.getCause());
        assertTrue(policy.messages.isEmpty());
    }

    @Test
    void requiredTlsNeverSendsInClearToAServerWithoutStartTls() throws Exception {
        int port = start(false);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> send(to(port, SmtpClient.TlsMode.REQUIRED, trusting(serverCert, null), "mmsc.b.test")));
        SmtpClient.TlsFailure failure = assertInstanceOf(SmtpClient.TlsFailure.class, e.getCause());
        assertTrue(failure.getMessage().contains("did not offer STARTTLS"), failure.getMessage());
        assertTrue(policy.messages.isEmpty());
        assertTrue(policy.envelopes.isEmpty());
    }

    @Test
    void opportunisticTlsEncryptsWhenOfferedWithoutAuthenticating() throws Exception {
        int port = start(true);
        assertTrue(send(to(port, SmtpClient.TlsMode.OPPORTUNISTIC, null, null)).accepted());
        assertTrue(received().contains("with ESMTPS"), received());
    }

    @Test
    void opportunisticTlsGoesOnInClearWhenNotOffered() throws Exception {
        int port = start(false);
        assertTrue(send(to(port, SmtpClient.TlsMode.OPPORTUNISTIC, null, null)).accepted());
        assertTrue(received().contains("with ESMTP id"), received());
    }

    @Test
    void tlsOffNeverStartsTls() throws Exception {
        int port = start(true);
        assertTrue(send(to(port, SmtpClient.TlsMode.OFF, null, null)).accepted());
        assertTrue(received().contains("with ESMTP id"), received());
    }

    @Test
    void opportunisticTlsFallsBackToClearAtOnceWhenTheHandshakeFails() throws Exception {
        // A server that speaks only TLS 1.0, which the JDK refuses: STARTTLS is offered, every handshake fails.
        SslContext tls10 = SslContextBuilder.forServer(serverCert.certificate().toFile(), serverCert.key().toFile()).protocols("TLSv1").build();
        server = new SmtpServer("127.0.0.1", 0, "mmsc.b.test", new SmtpLimits(100_000, 1000, 10, Duration.ofSeconds(30), 8, 100), policy, tls10);
        int port = server.start();
        try (SmtpClient oneMessagePerSession = new SmtpClient("client.test", Duration.ofSeconds(2), Duration.ofSeconds(5),
                new SmtpClient.PoolSettings(4, 1, Duration.ofSeconds(30)))) {
            SmtpClient.Destination d = to(port, SmtpClient.TlsMode.OPPORTUNISTIC, null, null);
            byte[] m = "Subject: t\r\n\r\nx".getBytes(StandardCharsets.US_ASCII);
            assertTrue(oneMessagePerSession.send(d, "a@client.test", "b@local.test", m).get(10, TimeUnit.SECONDS).accepted());
            assertTrue(received().contains("with ESMTP id"), "sent in clear after the failed handshake: " + received());
            assertTrue(oneMessagePerSession.send(d, "a@client.test", "b@local.test", m).get(10, TimeUnit.SECONDS).accepted(),
                    "the next session tried TLS again, failed, and went in clear again");
            assertEquals(2, policy.messages.size());
            // Required TLS to the same server: nothing is sent.
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> oneMessagePerSession.send(to(port, SmtpClient.TlsMode.REQUIRED, trusting(serverCert, null), "mmsc.b.test"),
                            "a@client.test", "b@local.test", m).get(10, TimeUnit.SECONDS));
            assertInstanceOf(SmtpClient.TlsFailure.class, e.getCause());
            assertEquals(2, policy.messages.size());
        }
    }
}
