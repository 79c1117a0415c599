package org.openmmsc.mm1.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.openmmsc.mm1.service.Mm1Fixture.ALICE;
import static org.openmmsc.mm1.service.Mm1Fixture.BOB;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.DeliveryKey;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.RecipientStatus;
import org.openmmsc.core.spi.DeliveryAgent.Outcome;
import org.openmmsc.core.spi.Report;
import org.openmmsc.core.spi.ReportSink;
import org.openmmsc.mm1.Mm1Config;
import org.openmmsc.mm1.codec.EncodedString;
import org.openmmsc.mm1.codec.HeaderValue;
import org.openmmsc.mm1.codec.MmsDecoder;
import org.openmmsc.mm1.codec.MmsEncoder;
import org.openmmsc.mm1.codec.MmsField;
import org.openmmsc.mm1.codec.MmsHeaders;
import org.openmmsc.mm1.codec.MmsPdu;
import org.openmmsc.mm1.push.PapNotificationAgent;

/** Reports owed to an MM1 sender, restart-proof tokens and an unreachable PPG. */
class Mm1ReportsTest {
    private static final InetAddress GATEWAY = InetAddress.getLoopbackAddress();

    private final Mm1Fixture node = new Mm1Fixture();
    private final List<Report> reports = new CopyOnWriteArrayList<>();

    Mm1ReportsTest() {
        node.relay.registerReportSink(new ReportSink() {
            @Override public Interface iface() { return Interface.MM1; }
            @Override public CompletionStage<Void> send(Report report) {
                reports.add(report);
                return CompletableFuture.completedFuture(null);
            }
        });
    }

    private static java.util.function.Function<String, String> msisdn(String number) {
        return name -> name.equalsIgnoreCase("X-MSISDN") ? number : null;
    }

    @Test
    void aRetrievalAndAReadReportReachTheSendersSink() throws Exception {
        byte[] req = Mm1Fixture.sendReq("r-1").to(BOB).deliveryReport().readReport().encode();
        MmsPdu.SendConf conf = (MmsPdu.SendConf) new MmsDecoder().decode(node.service.post(GATEWAY, msisdn(ALICE), req).get().pdu());
        MessageId id = MessageId.parse(conf.messageId());
        RecipientDelivery d = node.store.deliveries(id).getFirst();
        node.service.get(GATEWAY, msisdn(BOB), "/" + node.tokens.token(d.key())).get();
        node.service.post(GATEWAY, msisdn(BOB), Mm1ServiceTest.notifyResp(node.tokens.transactionId(id), MmsStatus.STATUS_RETRIEVED)).get();

        byte[] readRec = new MmsEncoder().encode(new MmsPdu.ReadRecInd(MmsHeaders.builder().version(1, 2)
                .text(MmsField.MESSAGE_ID, id.value()).encoded(MmsField.TO, ALICE + "/TYPE=PLMN")
                .add(MmsField.FROM, new HeaderValue.From(EncodedString.of(BOB + "/TYPE=PLMN")))
                .token(MmsField.READ_STATUS, 0x80).build(), null));
        assertEquals(200, node.service.post(GATEWAY, msisdn(BOB), readRec).get().httpStatus());
        assertEquals(RecipientStatus.READ, node.store.delivery(d.key()).orElseThrow().recipientStatus());

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (reports.size() < 2 && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(List.of(Report.Kind.DELIVERY, Report.Kind.READ), reports.stream().map(Report::kind).toList());
        assertEquals(List.of(Report.Status.RETRIEVED, Report.Status.READ), reports.stream().map(Report::status).toList());
        assertEquals(Address.plmn(ALICE), reports.getFirst().message().originator());
    }

    @Test
    void aReadReportFromSomeoneWhoWasNotARecipientChangesNothing() throws Exception {
        byte[] req = Mm1Fixture.sendReq("r-2").to(BOB).readReport().encode();
        MessageId id = MessageId.parse(((MmsPdu.SendConf) new MmsDecoder().decode(node.service.post(GATEWAY, msisdn(ALICE), req).get().pdu())).messageId());
        byte[] readRec = new MmsEncoder().encode(new MmsPdu.ReadRecInd(MmsHeaders.builder().version(1, 2)
                .text(MmsField.MESSAGE_ID, id.value()).encoded(MmsField.TO, ALICE + "/TYPE=PLMN")
                .add(MmsField.FROM, new HeaderValue.From(null)).token(MmsField.READ_STATUS, 0x80).build(), null));
        node.service.post(GATEWAY, msisdn(Mm1Fixture.CAROL), readRec).get();
        assertEquals(RecipientStatus.NONE, node.store.deliveries(id).getFirst().recipientStatus());
    }

    @Test
    void theTokenSecretIsKeptOnDiskSoUrlsSurviveARestart(@TempDir Path dir) {
        DeliveryKey key = new DeliveryKey(node.relay.newMessageId(), 0);
        String before = ContentTokens.loadOrCreate(dir.resolve("mm1-token.key")).token(key);
        String after = ContentTokens.loadOrCreate(dir.resolve("mm1-token.key")).token(key);
        assertEquals(before, after);
        String otherNode = ContentTokens.loadOrCreate(dir.resolve("other.key")).token(key);
        assertEquals(false, before.equals(otherNode));
    }

    @Test
    void anUnreachablePpgIsATransientFailure() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Mm1Config.Ppg ppg = new Mm1Config.Ppg("http://127.0.0.1:" + closedPort + "/wappush", null, null, null, Duration.ofSeconds(2));
        byte[] req = Mm1Fixture.sendReq("r-3").to(BOB).encode();
        MessageId id = MessageId.parse(((MmsPdu.SendConf) new MmsDecoder().decode(node.service.post(GATEWAY, msisdn(ALICE), req).get().pdu())).messageId());
        try (PapNotificationAgent agent = new PapNotificationAgent(node.service, ppg)) {
            Outcome outcome = agent.deliver(node.store.message(id).orElseThrow(), node.store.deliveries(id).getFirst()).toCompletableFuture().get();
            assertInstanceOf(Outcome.TransientFailure.class, outcome);
        }
    }
}
