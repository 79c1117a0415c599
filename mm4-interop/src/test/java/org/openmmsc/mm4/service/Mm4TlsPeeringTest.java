package org.openmmsc.mm4.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openmmsc.mm4.service.TwoCarriersTest.await;
import static org.openmmsc.mm4.service.TwoCarriersTest.freePort;
import static org.openmmsc.mm4.service.TwoCarriersTest.submitAtA;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmmsc.core.config.RoutingConfig;
import org.openmmsc.core.model.DeliveryState;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.relay.RecipientEvent;
import org.openmmsc.core.spi.Report;
import org.openmmsc.mm3.SmtpConfig;
import org.openmmsc.mm3.testing.TestCerts;

/**
 * Two carriers peering over STARTTLS with certificates made by openssl for the test: each sends
 * with TLS required, checks the other's server certificate and name, and presents its own as a
 * TLS client; each recognises the other by that certificate alone (no source address), one by
 * pinned fingerprint, the other by name under a trusted certificate. Strangers are refused at MAIL.
 */
@Tag("integration")
class Mm4TlsPeeringTest {
    @TempDir static Path dir;
    static TestCerts.Pair certA;
    static TestCerts.Pair certB;
    static TestCerts.Pair stranger;

    private final List<TwoCarriersTest.Carrier> carriers = new ArrayList<>();
    private final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs = new ch.qos.logback.core.read.ListAppender<>();

    @BeforeAll
    static void certificates() throws Exception {
        certA = TestCerts.selfSigned(dir, "a", "mmsc.a.test", "DNS:mmsc.a.test");
        certB = TestCerts.selfSigned(dir, "b", "mmsc.b.test", "DNS:mmsc.b.test");
        stranger = TestCerts.selfSigned(dir, "x", "mmsc.b.test", "DNS:mmsc.b.test"); // claims B's name, but B's key it has not
    }

    @BeforeEach
    void watchLogs() {
        logs.start();
        root().addAppender(logs);
    }

    @AfterEach
    void stop() {
        carriers.forEach(TwoCarriersTest.Carrier::close);
        root().detachAppender(logs);
        assertEquals(List.of(), logs.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR)
                .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList());
    }

    private static ch.qos.logback.classic.Logger root() {
        return (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    static SmtpConfig smtp(String domain, int port, TestCerts.Pair serverCert, List<SmtpConfig.Peer> peers) {
        return new SmtpConfig("127.0.0.1", port, domain.replace("mms.", "mmsc."), domain, null, null, null, null, null, null, null, null,
                Duration.ofSeconds(1), Duration.ofSeconds(5), peers, null, null,
                serverCert == null ? null : serverCert.certificate().toString(), serverCert == null ? null : serverCert.key().toString(),
                null, null, null, null, null, null, null, null, null, null);
    }

    private TwoCarriersTest.Carrier carrier(SmtpConfig config, String localPrefix, String peerPrefix, String peerDomain) throws Exception {
        TwoCarriersTest.Carrier c = new TwoCarriersTest.Carrier(config, List.of(localPrefix), List.of(new RoutingConfig.PeerRange(peerPrefix, peerDomain)));
        carriers.add(c);
        return c;
    }

    /** A's view of B: send with TLS required, B's certificate trusted and its name checked; B recognised by that name. */
    private static SmtpConfig.Peer bAsSeenByA(int portB, SmtpConfig.TlsPolicy tls) {
        return new SmtpConfig.Peer("mms.b.test", "127.0.0.1", portB, List.of(), tls, certB.certificate().toString(), "mmsc.b.test",
                certA.certificate().toString(), certA.key().toString(), List.of("mmsc.b.test"), List.of());
    }

    /** B's view of A: A recognised by its pinned certificate fingerprint only. */
    private static SmtpConfig.Peer aAsSeenByB(int portA) throws Exception {
        return new SmtpConfig.Peer("mms.a.test", "127.0.0.1", portA, List.of(), SmtpConfig.TlsPolicy.REQUIRED, certA.certificate().toString(),
                "mmsc.a.test", certB.certificate().toString(), certB.key().toString(), List.of(), List.of(certA.fingerprint()));
    }

    @Test
    void forwardAndDeliveryReportCrossVerifiedTlsAndEachSideKnowsTheOtherByCertificate() throws Exception {
        int portA = freePort();
        int portB = freePort();
        TwoCarriersTest.Carrier a = carrier(smtp("mms.a.test", portA, certA, List.of(bAsSeenByA(portB, SmtpConfig.TlsPolicy.REQUIRED))),
                "+47", "+46", "mms.b.test");
        TwoCarriersTest.Carrier b = carrier(smtp("mms.b.test", portB, certB, List.of(aAsSeenByB(portA))), "+4690", "+47", "mms.a.test");

        MessageId sent = submitAtA(a, "+4690000002");
        await("A has handed the message to B", () -> a.delivery(sent).state() == DeliveryState.HANDED_OFF);
        await("B holds it", () -> b.messagesFrom(Interface.MM4).size() == 1);
        Message atB = b.messagesFrom(Interface.MM4).getFirst();
        assertEquals("mms.a.test", atB.origin().authenticatedSender(), "B knew A by its certificate alone");
        assertEquals(1.0, a.meters.counter("mmsc.mm4.outbound", "peer", "mms.b.test", "outcome", "handed-off").count());
        assertEquals(0.0, a.meters.get("mmsc.mm4.outbound.queue").tag("peer", "mms.b.test").gauge().value(), "nothing left in A's queue to B");
        assertEquals(1.0, b.meters.counter("mmsc.mm4.inbound", "peer", "mms.a.test", "type", "MM4_forward.REQ", "outcome", "accepted").count());

        b.relay.record(b.delivery(atB.id()).key(), new RecipientEvent.Retrieved("fetched")).join();
        await("B's delivery report reached A over TLS, and A knew B by its certificate name",
                () -> a.delivery(sent).state() == DeliveryState.RETRIEVED);
        await("A's sender got the report", () -> !a.reportsToMm1Senders.isEmpty());
        assertEquals(Report.Status.RETRIEVED, a.reportsToMm1Senders.getFirst().status());
    }

    @Test
    void requiredTlsToAPeerWithoutStartTlsSendsNothingAndRetries() throws Exception {
        int portA = freePort();
        int portB = freePort();
        TwoCarriersTest.Carrier a = carrier(smtp("mms.a.test", portA, certA, List.of(bAsSeenByA(portB, SmtpConfig.TlsPolicy.REQUIRED))),
                "+47", "+46", "mms.b.test");
        // B offers no STARTTLS and would take A by address; A must still not send in clear.
        TwoCarriersTest.Carrier b = carrier(smtp("mms.b.test", portB, null,
                List.of(new SmtpConfig.Peer("mms.a.test", "127.0.0.1", portA, List.of("127.0.0.1/32")))), "+4690", "+47", "mms.a.test");
        MessageId sent = submitAtA(a, "+4690000002");
        await("A tried twice and waits", () -> a.delivery(sent).attempts() >= 2 && a.delivery(sent).state() == DeliveryState.WAITING_FOR_RETRY);
        RecipientDelivery d = a.delivery(sent);
        assertTrue(d.lastError().contains("did not offer STARTTLS") && d.lastError().contains("nothing sent in clear"), d.lastError());
        assertEquals(0, b.store.messageCount(), "B stored nothing");
        assertTrue(a.meters.counter("mmsc.mm4.outbound", "peer", "mms.b.test", "outcome", "tls-failed").count() >= 2, "TLS failures are counted per peer");
        assertEquals(0, a.meters.counter("mmsc.mm4.outbound", "peer", "mms.b.test", "outcome", "handed-off").count());
    }

    @Test
    void opportunisticTlsToAPeerWithoutStartTlsDeliversInClear() throws Exception {
        int portA = freePort();
        int portB = freePort();
        TwoCarriersTest.Carrier a = carrier(smtp("mms.a.test", portA, certA, List.of(bAsSeenByA(portB, SmtpConfig.TlsPolicy.OPPORTUNISTIC))),
                "+47", "+46", "mms.b.test");
        TwoCarriersTest.Carrier b = carrier(smtp("mms.b.test", portB, null,
                List.of(new SmtpConfig.Peer("mms.a.test", "127.0.0.1", portA, List.of("127.0.0.1/32")))), "+4690", "+47", "mms.a.test");
        MessageId sent = submitAtA(a, "+4690000002");
        await("A has handed the message to B", () -> a.delivery(sent).state() == DeliveryState.HANDED_OFF);
        assertEquals(1, b.messagesFrom(Interface.MM4).size());
    }

    private String swaks(int port, TestCerts.Pair clientCert) throws Exception {
        List<String> command = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1", "--port", Integer.toString(port), "--tls",
                "--from", "004790000001/TYPE=PLMN@mms.a.test", "--to", "004690000002/TYPE=PLMN@mms.b.test", // swaks reads a leading + as an option
                "--header", "X-Mms-Message-Type: MM4_forward.REQ", "--body", "hello", "--timeout", "10"));
        if (clientCert != null) command.addAll(List.of("--tls-cert", clientCert.certificate().toString(), "--tls-key", clientCert.key().toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String transcript = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        return transcript;
    }

    @Test
    void aClientWithoutTheRightCertificateIsRefusedAtMailAndNothingIsStored() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(Path.of("/usr/bin/swaks")) || requireSwaks());
        int portA = freePort();
        int portB = freePort();
        // B knows A only by A's certificate fingerprint, and B by name under B's own certificate at A.
        TwoCarriersTest.Carrier b = carrier(smtp("mms.b.test", portB, certB, List.of(aAsSeenByB(portA))), "+4690", "+47", "mms.a.test");

        String noCertificate = swaks(portB, null);
        assertTrue(noCertificate.contains("TLS started") && noCertificate.contains("550 5.7.1"), noCertificate);
        String wrongCertificate = swaks(portB, stranger);
        assertTrue(wrongCertificate.contains("TLS started") && wrongCertificate.contains("550 5.7.1"), wrongCertificate);
        assertEquals(0, b.store.messageCount());

        // The same client with A's certificate gets past MAIL and RCPT (the body is no valid MM4, so DATA is refused: 554).
        String rightCertificate = swaks(portB, certA);
        assertTrue(rightCertificate.contains("250 2.1.5") && rightCertificate.contains("554 5.6.0"), rightCertificate);
        assertEquals(0, b.store.messageCount());
    }

    private static boolean requireSwaks() {
        if (Boolean.getBoolean("openmmsc.requireNeighbours")) throw new AssertionError("swaks is required but not installed");
        return false;
    }

    @Test
    void aPeerKnownByAddressAndCertificateMustShowBoth() throws Exception {
        int portA = freePort();
        int portB = freePort();
        // A's certificate is right, but A is configured to come from 10.0.0.0/8, not from loopback.
        SmtpConfig.Peer a = new SmtpConfig.Peer("mms.a.test", "127.0.0.1", portA, List.of("10.0.0.0/8"), SmtpConfig.TlsPolicy.OPPORTUNISTIC, null, null,
                null, null, List.of(), List.of(certA.fingerprint()));
        TwoCarriersTest.Carrier b = carrier(smtp("mms.b.test", portB, certB, List.of(a)), "+4690", "+47", "mms.a.test");
        String transcript = swaks(portB, certA);
        assertTrue(transcript.contains("TLS started") && transcript.contains("550 5.7.1"), transcript);
        assertEquals(0, b.store.messageCount());
    }

    @Test
    void aPeerKnownByCertificateNeedsTheListenerToOfferTls() throws Exception {
        int portA = freePort();
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.openmmsc.core.config.ConfigException.class,
                () -> carrier(smtp("mms.b.test", freePort(), null, List.of(aAsSeenByB(portA))), "+4690", "+47", "mms.a.test"));
        assertTrue(e.getMessage().contains("smtp.tlsCertificate"), e.getMessage());
    }
}
