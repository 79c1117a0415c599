package org.openmmsc.mm4.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openmmsc.mm4.service.TwoCarriersTest.await;
import static org.openmmsc.mm4.service.TwoCarriersTest.freePort;
import static org.openmmsc.mm4.service.TwoCarriersTest.submitAtA;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openmmsc.core.config.RoutingConfig;
import org.openmmsc.core.model.DeliveryState;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.mm3.SmtpConfig;
import org.openmmsc.mm3.testing.Dnsmasq;
import org.openmmsc.mm3.testing.TestCerts;

/**
 * A peer with no fixed host, found through a real DNS server (dnsmasq on loopback, started by the
 * test): its domain's best MX is dead, the next one is B.
 */
@Tag("integration")
class Mm4MxPeeringTest {
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs = new ch.qos.logback.core.read.ListAppender<>();

    @org.junit.jupiter.api.BeforeEach
    void watchLogs() {
        logs.start();
        root().addAppender(logs);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing.reversed()) c.close();
        root().detachAppender(logs);
        assertEquals(List.of(), logs.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR)
                .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList());
    }

    private static ch.qos.logback.classic.Logger root() {
        return (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private TwoCarriersTest.Carrier carrier(String domain, int port, String dnsServer, SmtpConfig.Peer peer, String local, String peerPrefix)
            throws Exception {
        return carrier(domain, port, dnsServer, peer, local, peerPrefix, null);
    }

    private TwoCarriersTest.Carrier carrier(String domain, int port, String dnsServer, SmtpConfig.Peer peer, String local, String peerPrefix,
                                            TestCerts.Pair serverCert) throws Exception {
        SmtpConfig config = new SmtpConfig("127.0.0.1", port, domain.replace("mms.", "mmsc."), domain, null, null, null, null, null, null, null, null,
                Duration.ofSeconds(1), Duration.ofSeconds(5), List.of(peer), null, null,
                serverCert == null ? null : serverCert.certificate().toString(), serverCert == null ? null : serverCert.key().toString(), null, null, null, null, null, null, null,
                new SmtpConfig.Outbound(null, null, null, dnsServer, Duration.ofSeconds(2)), null, null);
        TwoCarriersTest.Carrier c = new TwoCarriersTest.Carrier(config, List.of(local), List.of(new RoutingConfig.PeerRange(peerPrefix, peer.domain())));
        closing.add(c);
        return c;
    }

    @Test
    void aPeerWithoutHostIsReachedThroughItsMxRecordsInPreferenceOrder() throws Exception {
        int portA = freePort();
        int portB = freePort();
        // mx0 (preference 5) has an address where nothing listens; mx1 (10) is B.
        Dnsmasq dns = Dnsmasq.start(60, "--mx-host=mms.b.test,mx0.b.test,5", "--mx-host=mms.b.test,mx1.b.test,10",
                "--host-record=mx0.b.test,127.0.0.2", "--host-record=mx1.b.test,127.0.0.1");
        closing.add(dns);
        TwoCarriersTest.Carrier a = carrier("mms.a.test", portA, dns.server(),
                new SmtpConfig.Peer("mms.b.test", null, portB, List.of("127.0.0.1/32")), "+47", "+46");
        TwoCarriersTest.Carrier b = carrier("mms.b.test", portB, null,
                new SmtpConfig.Peer("mms.a.test", "127.0.0.1", portA, List.of("127.0.0.1/32")), "+4690", "+47");

        MessageId sent = submitAtA(a, "+4690000002");
        await("A found B by MX and handed the message over", () -> a.delivery(sent).state() == DeliveryState.HANDED_OFF);
        assertTrue(a.delivery(sent).attempts() == 1, "the dead MX was passed over within the same attempt");
        assertEquals(1, b.messagesFrom(Interface.MM4).size());
    }

    @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

    @Test
    void requiredTlsChecksTheMxHostsNameAndAFixedHostIsResolvedThroughTheConfiguredDns() throws Exception {
        TestCerts.Pair mxCert = TestCerts.selfSigned(dir, "mx1", "mx1.b.test", "DNS:mx1.b.test");
        int portA = freePort();
        int portB = freePort();
        Dnsmasq dns = Dnsmasq.start(60, "--mx-host=mms.b.test,mx1.b.test,10", "--host-record=mx1.b.test,127.0.0.1",
                "--host-record=mmsc.b.test,127.0.0.1");
        closing.add(dns);
        TwoCarriersTest.Carrier b = carrier("mms.b.test", portB, null,
                new SmtpConfig.Peer("mms.a.test", "127.0.0.1", portA, List.of("127.0.0.1/32")), "+4690", "+47", mxCert);
        // By MX: the certificate must name the MX host, mx1.b.test — it does.
        TwoCarriersTest.Carrier viaMx = carrier("mms.a.test", portA, dns.server(), new SmtpConfig.Peer("mms.b.test", null, portB, List.of("127.0.0.1/32"),
                SmtpConfig.TlsPolicy.REQUIRED, mxCert.certificate().toString(), null, null, null, List.of(), List.of()), "+47", "+46");
        MessageId first = submitAtA(viaMx, "+4690000002");
        await("handed over to the MX host over verified TLS", () -> viaMx.delivery(first).state() == DeliveryState.HANDED_OFF);
        viaMx.close();
        closing.remove(viaMx);

        // By a fixed host name resolved through dnsmasq: mmsc.b.test is not the name in the certificate, so nothing is sent.
        TwoCarriersTest.Carrier viaHost = carrier("mms.a.test", portA, dns.server(), new SmtpConfig.Peer("mms.b.test", "mmsc.b.test", portB,
                List.of("127.0.0.1/32"), SmtpConfig.TlsPolicy.REQUIRED, mxCert.certificate().toString(), null, null, null, List.of(), List.of()), "+47", "+46");
        MessageId second = submitAtA(viaHost, "+4690000003");
        await("refused for the name", () -> viaHost.delivery(second).attempts() >= 1 && viaHost.delivery(second).state() == DeliveryState.WAITING_FOR_RETRY);
        assertTrue(viaHost.delivery(second).lastError().contains("mmsc.b.test"), viaHost.delivery(second).lastError());
        assertEquals(1, b.messagesFrom(Interface.MM4).size(), "only the first message reached B");
    }

    @Test
    void aPeerDomainThatDoesNotExistFailsPermanently() throws Exception {
        int portA = freePort();
        Dnsmasq dns = Dnsmasq.start(60, "--host-record=mx1.b.test,127.0.0.1");
        closing.add(dns);
        TwoCarriersTest.Carrier a = carrier("mms.a.test", portA, dns.server(),
                new SmtpConfig.Peer("mms.nowhere.test", null, 25, List.of()), "+47", "+46");
        MessageId sent = submitAtA(a, "+4690000002");
        await("A gave up on the delivery", () -> a.delivery(sent).state() == DeliveryState.FAILED);
        assertTrue(a.delivery(sent).lastError().contains("no such domain"), a.delivery(sent).lastError());
    }
}
