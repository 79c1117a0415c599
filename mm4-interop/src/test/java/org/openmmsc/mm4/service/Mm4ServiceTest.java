package org.openmmsc.mm4.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openmmsc.core.config.NumberingConfig;
import org.openmmsc.core.config.RelayConfig;
import org.openmmsc.core.config.RoutingConfig;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.Recipient;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.core.relay.StaticRouteResolver;
import org.openmmsc.core.testing.InMemoryMessageStore;
import org.openmmsc.mm3.SmtpConfig;
import org.openmmsc.mm3.smtp.Envelope;
import org.openmmsc.mm3.smtp.SmtpClient;
import org.openmmsc.mm3.smtp.SmtpLimits;
import org.openmmsc.mm3.smtp.SmtpPolicy;
import org.openmmsc.mm3.smtp.SmtpReply;
import org.openmmsc.mm3.smtp.SmtpServer;
import org.openmmsc.mm4.codec.Mm4Codec;
import org.openmmsc.mm4.codec.Mm4CodecTest;
import org.openmmsc.mm4.codec.Mm4Pdu;

/**
 * This node is carrier B (mms.b.test, numbers +46…); carrier A (mms.a.test, +47…) is a bare SMTP
 * server that records what B sends back. Inbound MM4 arrives through B's real SMTP listener.
 */
class Mm4ServiceTest {
    private final InMemoryMessageStore store = new InMemoryMessageStore(Clock.systemUTC());
    private Relay relay;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private double inbound(String type, String outcome) {
        var counter = meters.find("mmsc.mm4.inbound").tags("peer", "mms.a.test", "type", type, "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private Relay newRelay() {
        return new Relay(store,
            new StaticRouteResolver(new RoutingConfig(List.of("+46"),
                    List.of(new RoutingConfig.PeerRange("+47", "mms.a.test"), new RoutingConfig.PeerRange("+45", "mms.c.test")), null, null)),
            RelayConfig.defaults(), Clock.systemUTC(), e -> {}, List.of(), new SimpleMeterRegistry());
    }
    private final LinkedBlockingQueue<byte[]> receivedByA = new LinkedBlockingQueue<>();
    private final SmtpClient client = new SmtpClient("a.test", Duration.ofSeconds(2), Duration.ofSeconds(5));
    private SmtpServer peerA;
    private Mm4Interface nodeB;
    private int portB;

    private void startB(String allowedSources) throws Exception {
        SmtpPolicy acceptAll = new SmtpPolicy() {
            @Override public SmtpReply onMail(org.openmmsc.mm3.smtp.ClientInfo c, String from) { return null; }
            @Override public SmtpReply onRcpt(org.openmmsc.mm3.smtp.ClientInfo c, String from, List<String> so, String to) { return null; }
            @Override public CompletionStage<SmtpReply> onMessage(Envelope e, byte[] m) {
                receivedByA.add(m);
                return CompletableFuture.completedFuture(SmtpReply.of(250, "2.0.0", "ok"));
            }
        };
        peerA = new SmtpServer("127.0.0.1", 0, "a.test", new SmtpLimits(1 << 20, 1000, 10, Duration.ofSeconds(10), 10, 10), acceptAll);
        int portA = peerA.start();
        SmtpConfig config = new SmtpConfig("127.0.0.1", 0, "b.test", "mms.b.test", null, 100_000L, null, null, null, null, null, null,
                null, null, List.of(new SmtpConfig.Peer("mms.a.test", "127.0.0.1", portA, List.of(allowedSources))), null, null, null, null, null, null);
        relay = newRelay();
        nodeB = new Mm4Interface(config, relay, NumberingConfig.defaults().normalizer(), meters, store::delivery);
        portB = nodeB.start(agent -> {});
    }

    @BeforeEach
    void start() throws Exception {
        startB("127.0.0.0/8");
    }

    @AfterEach
    void stop() {
        stopNodes();
        client.close();
    }

    private void stopNodes() {
        if (nodeB != null) nodeB.close();
        if (peerA != null) peerA.close();
    }

    private static byte[] forwardFromA(String transactionId, String recipient) throws Exception {
        Mm4Pdu.ForwardRequest s = Mm4CodecTest.sampleForward();
        var req = new Mm4Pdu.ForwardRequest(s.version(), transactionId, "A-MSG-" + transactionId, "+4790000001/TYPE=PLMN",
                List.of(recipient), List.of(), "hello", s.date(), s.sender(), true, "system-user@mms.a.test", s.messageClass(),
                s.priority(), s.expiry(), true, null, false, false, null, List.of(), List.of(), null, null, null, null, null,
                null, null, null, null, null, null, null, 0, s.contentType(), s.parts(), null);
        return new Mm4Codec().encodeForward(req);
    }

    private SmtpClient.Result send(String rcpt, byte[] mail) throws Exception {
        return client.send("127.0.0.1", portB, "+4790000001/TYPE=PLMN@mms.a.test", rcpt, mail).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aForwardIsStoredAsAnMm4MessageAndAnsweredWithAResponse() throws Exception {
        SmtpClient.Result result = send("+4690000002/TYPE=PLMN@mms.b.test", forwardFromA("T1", "+4690000002/TYPE=PLMN@mms.b.test"));
        assertTrue(result.accepted(), result.toString());
        String queuedAs = result.reply().text().replace("queued as ", "");
        Message stored = store.message(MessageId.parse(queuedAs)).orElseThrow();
        assertEquals(Interface.MM4, stored.origin().iface());
        assertEquals("T1", stored.origin().transactionId());
        assertEquals("system-user@mms.a.test", stored.origin().originatorSystem());
        assertEquals("A-MSG-T1", stored.origin().originatorMessageId());
        assertEquals("mms.a.test", stored.origin().authenticatedSender());
        assertEquals("+4790000001", stored.originator().value());
        assertEquals(List.of(Recipient.to(org.openmmsc.core.model.Address.plmn("+4690000002"))), stored.recipients());
        assertEquals("hello", stored.subject().text());
        assertTrue(stored.deliveryReportRequested());
        assertEquals(2, stored.parts().size());

        byte[] res = receivedByA.poll(5, TimeUnit.SECONDS);
        assertNotNull(res, "A asked for an ack and gets an MM4_forward.RES");
        var decoded = assertInstanceOf(Mm4Pdu.Response.class, new Mm4Codec().decode(res));
        assertEquals("T1", decoded.transactionId());
        assertEquals("A-MSG-T1", decoded.messageId());
        assertTrue(decoded.ok());
    }

    @Test
    void aRepeatedTransactionIsAnsweredWithTheFirstMessage() throws Exception {
        byte[] mail = forwardFromA("T2", "+4690000002/TYPE=PLMN@mms.b.test");
        SmtpClient.Result first = send("+4690000002/TYPE=PLMN@mms.b.test", mail);
        SmtpClient.Result again = send("+4690000002/TYPE=PLMN@mms.b.test", mail);
        assertTrue(first.accepted() && again.accepted());
        assertEquals(first.reply().text(), again.reply().text());
        assertEquals(1, store.messageCount());
        assertEquals(2, inbound("MM4_forward.REQ", "accepted"), "a repeat is accepted too");
    }

    @Test
    void peerSubscribersAndForeignDomainsAreRefusedAtRcpt() throws Exception {
        SmtpClient.Result onward = send("+4790000009/TYPE=PLMN@mms.b.test", forwardFromA("T3", "+4790000009/TYPE=PLMN"));
        assertEquals("RCPT", onward.step(), "no relaying from one peer to another");
        assertEquals(550, onward.reply().code());
        SmtpClient.Result foreign = send("someone@example.org", forwardFromA("T4", "someone@example.org"));
        assertEquals("RCPT", foreign.step());
        assertEquals(550, foreign.reply().code());
        SmtpClient.Result unknown = send("+4190000009/TYPE=PLMN@mms.b.test", forwardFromA("T5", "+4190000009/TYPE=PLMN"));
        assertEquals(550, unknown.reply().code());
        assertEquals(0, store.messageCount());
    }

    private MessageId sentFromB(String to) {
        Message m = new Message(relay.newMessageId(), org.openmmsc.core.model.Address.plmn("+4690000001"),
                List.of(Recipient.to(org.openmmsc.core.model.Address.plmn(to))), null, null, null, java.time.Instant.now(), null, null, true, false,
                false, null, org.openmmsc.core.model.ContentType.of("text/plain"),
                List.of(new org.openmmsc.core.model.MessagePart(org.openmmsc.core.model.ContentType.of("text/plain"), List.of(), new byte[] {'x'})),
                org.openmmsc.core.model.Origin.of(Interface.MM1, "+4690000001", "tx-" + to));
        return relay.accept(m, relay.route(m), null).join().id();
    }

    private byte[] retrievedReportFromA(MessageId id) throws Exception {
        return new Mm4Codec().encodeDeliveryReport(new Mm4Pdu.DeliveryReport(null, "R-" + id, id + ".0", "+4790000001/TYPE=PLMN@mms.a.test",
                "+4690000001/TYPE=PLMN", java.time.Instant.now(), false, null, "Retrieved", null, null, "system-user@mms.a.test", null, null));
    }

    @Test
    void aPeersDeliveryReportMovesOnlyDeliveriesSentToThatPeer() throws Exception {
        MessageId toA = sentFromB("+4790000001");
        MessageId toC = sentFromB("+4590000001");
        assertTrue(send("system-user@mms.b.test", retrievedReportFromA(toC)).accepted());
        assertTrue(send("system-user@mms.b.test", retrievedReportFromA(toA)).accepted());
        assertEquals(org.openmmsc.core.model.DeliveryState.ACCEPTED, store.deliveries(toC).getFirst().state(), "A cannot speak for C's delivery");
        assertEquals(org.openmmsc.core.model.DeliveryState.RETRIEVED, store.deliveries(toA).getFirst().state());
    }

    @Test
    void aNonPeerAddressIsRefusedAtMail() throws Exception {
        stopNodes();
        startB("10.0.0.0/8");
        SmtpClient.Result result = send("+4690000002/TYPE=PLMN@mms.b.test", forwardFromA("T6", "+4690000002/TYPE=PLMN"));
        assertEquals("MAIL", result.step());
        assertEquals(550, result.reply().code());
        assertEquals(0, store.messageCount());
    }

    @Test
    void loopsAndMalformedMessagesAreRefusedAndNothingIsStored() throws Exception {
        byte[] forward = forwardFromA("T7", "+4690000002/TYPE=PLMN");
        byte[] looping = ("Received: from x by y; Mon, 1 Jan 2024 00:00:00 +0000\r\n".repeat(30) + new String(forward, StandardCharsets.ISO_8859_1))
                .getBytes(StandardCharsets.ISO_8859_1);
        SmtpClient.Result loop = send("+4690000002/TYPE=PLMN@mms.b.test", looping);
        assertEquals(554, loop.reply().code());
        assertEquals("5.4.6", loop.reply().enhanced());
        SmtpClient.Result garbage = send("+4690000002/TYPE=PLMN@mms.b.test", "Subject: hi\r\n\r\nnot MM4\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(554, garbage.reply().code());
        assertEquals(0, store.messageCount());
        assertEquals(1, inbound("MM4_forward.REQ", "refused"));
        assertEquals(1, inbound("invalid", "refused"));
    }
}
