package org.openmmsc.mm4.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openmmsc.mm4.service.TwoCarriersTest.await;
import static org.openmmsc.mm4.service.TwoCarriersTest.freePort;
import static org.openmmsc.mm4.service.TwoCarriersTest.submitAtA;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmmsc.core.config.RoutingConfig;
import org.openmmsc.core.model.DeliveryState;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.relay.RecipientEvent;
import org.openmmsc.core.spi.Report;
import org.openmmsc.mm3.SmtpConfig;
import org.openmmsc.mm3.testing.TestCerts;

/**
 * Hub mode between real nodes on loopback. All nodes connect from 127.0.0.1, so each knows its
 * peers by TLS client certificate (pinned fingerprints; certificates made by openssl).
 */
@Tag("integration")
class Mm4HubTest {
    @TempDir static Path dir;
    static final Map<String, TestCerts.Pair> CERTS = new HashMap<>();
    private final Map<String, Integer> ports = new HashMap<>();
    private final List<TwoCarriersTest.Carrier> carriers = new ArrayList<>();

    @BeforeAll
    static void certificates() throws Exception {
        for (String n : List.of("a", "b", "h", "h1", "h2", "h3")) CERTS.put(n, TestCerts.selfSigned(dir, n, "mmsc." + n + ".test", "DNS:mmsc." + n + ".test"));
    }

    private final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs = new ch.qos.logback.core.read.ListAppender<>();

    @org.junit.jupiter.api.BeforeEach
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

    private int port(String node) {
        return ports.computeIfAbsent(node, n -> {
            try {
                return freePort();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A node "n" (domain mms.n.test) serving {@code localPrefix}, routing each prefix to a peer node, knowing {@code peers} by certificate. */
    private TwoCarriersTest.Carrier node(String name, boolean hub, int hubMaxHops, String localPrefix, Map<String, String> routes, List<String> peers)
            throws Exception {
        List<SmtpConfig.Peer> peerConfigs = new ArrayList<>();
        for (String p : peers) {
            peerConfigs.add(new SmtpConfig.Peer("mms." + p + ".test", "127.0.0.1", port(p), List.of(), SmtpConfig.TlsPolicy.OPPORTUNISTIC, null, null,
                    CERTS.get(name).certificate().toString(), CERTS.get(name).key().toString(), List.of(), List.of(CERTS.get(p).fingerprint())));
        }
        SmtpConfig config = new SmtpConfig("127.0.0.1", port(name), "mmsc." + name + ".test", "mms." + name + ".test", null, null, null, null, null,
                null, null, null, Duration.ofSeconds(1), Duration.ofSeconds(5), peerConfigs, null, null,
                CERTS.get(name).certificate().toString(), CERTS.get(name).key().toString(), null, null, null, null, null, null, null, null, hub, hubMaxHops);
        List<RoutingConfig.PeerRange> ranges = routes.entrySet().stream().map(e -> new RoutingConfig.PeerRange(e.getKey(), "mms." + e.getValue() + ".test")).toList();
        TwoCarriersTest.Carrier c = new TwoCarriersTest.Carrier(config, List.of(localPrefix), ranges);
        carriers.add(c);
        return c;
    }

    @Test
    void aHubRelaysFromOnePeerToAnotherAndTheReportComesBackTheSameWay() throws Exception {
        TwoCarriersTest.Carrier a = node("a", false, 10, "+47", Map.of("+46", "h"), List.of("h"));
        TwoCarriersTest.Carrier h = node("h", true, 10, "+45", Map.of("+46", "b", "+47", "a"), List.of("a", "b"));
        TwoCarriersTest.Carrier b = node("b", false, 10, "+46", Map.of("+47", "h"), List.of("h"));

        MessageId sent = submitAtA(a, "+4690000002");
        await("A handed the message to the hub", () -> a.delivery(sent).state() == DeliveryState.HANDED_OFF);
        await("the hub relayed it to B", () -> b.messagesFrom(Interface.MM4).size() == 1);
        Message atH = h.messagesFrom(Interface.MM4).getFirst();
        assertEquals("mms.a.test", atH.origin().authenticatedSender());
        await("the hub's own delivery is handed off", () -> h.delivery(atH.id()).state() == DeliveryState.HANDED_OFF);
        Message atB = b.messagesFrom(Interface.MM4).getFirst();
        assertEquals("mms.h.test", atB.origin().authenticatedSender());
        assertEquals("+4790000001", atB.originator().value());

        b.relay.record(b.delivery(atB.id()).key(), new RecipientEvent.Retrieved("fetched")).join();
        await("B's report reached the hub", () -> h.delivery(atH.id()).state() == DeliveryState.RETRIEVED);
        await("and went on to A", () -> a.delivery(sent).state() == DeliveryState.RETRIEVED);
        await("A's sender got it", () -> !a.reportsToMm1Senders.isEmpty());
        assertEquals(Report.Status.RETRIEVED, a.reportsToMm1Senders.getFirst().status());
    }

    @Test
    void withoutHubModeTheMiddleNodeRefusesToRelayAndStoresNothing() throws Exception {
        TwoCarriersTest.Carrier a = node("a", false, 10, "+47", Map.of("+46", "h"), List.of("h"));
        TwoCarriersTest.Carrier h = node("h", false, 10, "+45", Map.of("+46", "b", "+47", "a"), List.of("a", "b"));
        node("b", false, 10, "+46", Map.of("+47", "h"), List.of("h"));

        MessageId sent = submitAtA(a, "+4690000002");
        await("A's delivery was rejected", () -> a.delivery(sent).state() == DeliveryState.REJECTED);
        assertTrue(a.delivery(sent).lastError().contains("550 5.7.1"), a.delivery(sent).lastError());
        assertEquals(0, h.store.messageCount());
    }

    @Test
    void aLoopBetweenHubsEndsAtTheHopBound() throws Exception {
        // +46 goes round h1 → h2 → h3 → h1 …; every forward carries the Received: lines it arrived with.
        TwoCarriersTest.Carrier a = node("a", false, 10, "+47", Map.of("+46", "h1"), List.of("h1"));
        TwoCarriersTest.Carrier h1 = node("h1", true, 3, "+45", Map.of("+46", "h2", "+47", "a"), List.of("a", "h2", "h3"));
        TwoCarriersTest.Carrier h2 = node("h2", true, 3, "+44", Map.of("+46", "h3"), List.of("h1", "h3"));
        TwoCarriersTest.Carrier h3 = node("h3", true, 3, "+43", Map.of("+46", "h1"), List.of("h2", "h1"));

        MessageId sent = submitAtA(a, "+4690000002");
        await("h3's forward back to h1 (the 4th hop) was refused", () -> !h3.messagesFrom(Interface.MM4).isEmpty()
                && h3.delivery(h3.messagesFrom(Interface.MM4).getFirst().id()).state() == DeliveryState.REJECTED);
        String why = h3.delivery(h3.messagesFrom(Interface.MM4).getFirst().id()).lastError();
        assertTrue(why.contains("554 5.4.6"), why);
        Thread.sleep(500);
        assertEquals(1, h1.store.messageCount(), "h1 stored the message once, not again on the second pass");
        assertEquals(1, h2.store.messageCount());
        assertEquals(1, h3.store.messageCount());
        // The refusal travels back hop by hop as delivery reports, so the originating carrier learns the message failed.
        await("A's delivery ended in failure", () -> a.delivery(sent).state() == DeliveryState.REJECTED || a.delivery(sent).state() == DeliveryState.FAILED);
    }
}
