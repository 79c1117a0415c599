package org.openmmsc.mm1.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openmmsc.mm1.service.Mm1Fixture.ALICE;
import static org.openmmsc.mm1.service.Mm1Fixture.BOB;
import static org.openmmsc.mm1.service.Mm1Fixture.CAROL;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openmmsc.core.config.RoutingConfig;
import org.openmmsc.core.config.SchedulerConfig;
import org.openmmsc.core.model.DeliveryState;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageClass;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.RouteKind;
import org.openmmsc.core.relay.StaticRouteResolver;
import org.openmmsc.core.schedule.DeliveryScheduler;
import org.openmmsc.core.spi.DeliveryAgent;
import org.openmmsc.core.spi.MutableClock;
import org.openmmsc.core.spi.Report;
import org.openmmsc.core.spi.ReportSink;
import org.openmmsc.mm1.Mm1Config;
import org.openmmsc.mm1.codec.EncodedString;
import org.openmmsc.mm1.codec.HeaderValue;
import org.openmmsc.mm1.codec.MessageBody;
import org.openmmsc.mm1.codec.MmsDecoder;
import org.openmmsc.mm1.codec.MmsEncoder;
import org.openmmsc.mm1.codec.MmsField;
import org.openmmsc.mm1.codec.MmsHeaders;
import org.openmmsc.mm1.codec.MmsPdu;
import org.openmmsc.mm1.push.PapNotificationAgent;
import org.openmmsc.mm1.push.PapReportSink;

/**
 * The delivery report follows the recipient's X-Mms-Report-Allowed, sent with m-notifyresp-ind
 * (immediate retrieval) or m-acknowledge-ind (deferred); a GET never answered is reported after
 * mm1.answerGrace; the sender's MMS version is kept; a 1.0 sender's read report is a message;
 * legacy-handset recipients fail with a clear reason.
 */
class Mm1ReportAllowedTest {
    private static final InetAddress GATEWAY = InetAddress.getLoopbackAddress();
    private static final Duration GRACE = Duration.ofMinutes(5);
    private static final String LEGACY = "+4799000001";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
    private final Mm1Fixture node = new Mm1Fixture(Mm1Config.defaults().withAnswerGrace(GRACE), clock,
            new StaticRouteResolver(new RoutingConfig(null, null, null, null, List.of("+4799"))));
    private final List<Report> reports = new CopyOnWriteArrayList<>();
    private final List<DeliveryScheduler> schedulers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        schedulers.forEach(s -> s.stop(Duration.ofSeconds(2)));
    }

    private void recordReports() {
        node.relay.registerReportSink(new ReportSink() {
            @Override public Interface iface() { return Interface.MM1; }
            @Override public CompletionStage<Void> send(Report report) {
                reports.add(report);
                return CompletableFuture.completedFuture(null);
            }
        });
    }

    private static Function<String, String> msisdn(String number) {
        return name -> name.equalsIgnoreCase("X-MSISDN") ? number : null;
    }

    private MessageId send(Mm1Fixture.SendReqBuilder req, String from) throws Exception {
        MmsPdu.SendConf conf = (MmsPdu.SendConf) new MmsDecoder().decode(node.service.post(GATEWAY, msisdn(from), req.encode()).get().pdu());
        assertEquals(MmsStatus.OK, conf.responseStatus(), conf.headers().toString());
        return MessageId.parse(conf.messageId());
    }

    private MmsPdu.RetrieveConf fetch(String who, RecipientDelivery d) throws Exception {
        return (MmsPdu.RetrieveConf) new MmsDecoder().decode(node.service.get(GATEWAY, msisdn(who), "/" + node.tokens.token(d.key())).get().pdu());
    }

    private static byte[] notifyResp(String tid, int status, Integer reportAllowed) {
        MmsHeaders.Builder h = MmsHeaders.builder().text(MmsField.TRANSACTION_ID, tid).version(1, 2).token(MmsField.STATUS, status);
        if (reportAllowed != null) h.token(MmsField.REPORT_ALLOWED, reportAllowed);
        return new MmsEncoder().encode(new MmsPdu.NotifyRespInd(h.build(), null));
    }

    private static byte[] acknowledge(String tid, Integer reportAllowed) {
        MmsHeaders.Builder h = MmsHeaders.builder().text(MmsField.TRANSACTION_ID, tid).version(1, 2);
        if (reportAllowed != null) h.token(MmsField.REPORT_ALLOWED, reportAllowed);
        return new MmsEncoder().encode(new MmsPdu.AcknowledgeInd(h.build(), null));
    }

    private DeliveryScheduler scheduler(DeliveryAgent... agents) {
        DeliveryScheduler s = new DeliveryScheduler(node.store, node.relay, List.of(agents), SchedulerConfig.defaults(), clock, "t",
                new SimpleMeterRegistry(), new Random(3));
        schedulers.add(s);
        return s;
    }

    private static void pass(DeliveryScheduler s) throws InterruptedException {
        s.runOnce();
        assertTrue(s.awaitIdle(Duration.ofSeconds(5)));
    }

    @Test
    void immediateRetrievalIsReportedOnlyWhenTheNotifyRespAllowsIt() throws Exception {
        recordReports();
        MessageId id = send(Mm1Fixture.sendReq("ra-1").to(BOB).to(CAROL).deliveryReport(), ALICE);
        List<RecipientDelivery> ds = node.store.deliveries(id);
        String tid = node.tokens.transactionId(id);
        fetch(BOB, ds.get(0));
        fetch(CAROL, ds.get(1));
        assertEquals(DeliveryState.FETCHED, node.store.delivery(ds.get(0).key()).orElseThrow().state());
        assertEquals(List.of(), reports, "nothing is reported on the GET alone");

        node.service.post(GATEWAY, msisdn(BOB), notifyResp(tid, MmsStatus.STATUS_RETRIEVED, MmsStatus.NO)).get();
        node.service.post(GATEWAY, msisdn(CAROL), notifyResp(tid, MmsStatus.STATUS_RETRIEVED, null)).get();
        RecipientDelivery bob = node.store.delivery(ds.get(0).key()).orElseThrow();
        assertEquals(DeliveryState.RETRIEVED, bob.state());
        assertFalse(bob.deliveryReportAllowed());
        assertEquals(DeliveryState.RETRIEVED, node.store.delivery(ds.get(1).key()).orElseThrow().state());
        assertEquals(1, reports.size(), "Report-Allowed absent means Yes; No means no report");
        assertEquals(CAROL, reports.getFirst().recipient().address().value());
        assertEquals(Report.Status.RETRIEVED, reports.getFirst().status());
    }

    @Test
    void deferredRetrievalIsReportedByTheAcknowledgementsReportAllowed() throws Exception {
        recordReports();
        MessageId id = send(Mm1Fixture.sendReq("ra-2").to(BOB).to(CAROL).deliveryReport(), ALICE);
        List<RecipientDelivery> ds = node.store.deliveries(id);
        String tid = node.tokens.transactionId(id);
        node.service.post(GATEWAY, msisdn(BOB), notifyResp(tid, MmsStatus.STATUS_DEFERRED, MmsStatus.NO)).get();
        node.service.post(GATEWAY, msisdn(CAROL), notifyResp(tid, MmsStatus.STATUS_DEFERRED, MmsStatus.YES)).get();
        assertEquals(List.of(CAROL), reports.stream().map(r -> r.recipient().address().value()).toList(), "Deferred reported only where allowed");
        assertEquals(Report.Status.DEFERRED, reports.getFirst().status());

        // Later both fetch and acknowledge; Bob now allows the report, Carol forbids it.
        String ackTid = fetch(BOB, ds.get(0)).transactionId();
        fetch(CAROL, ds.get(1));
        node.service.post(GATEWAY, msisdn(BOB), acknowledge(ackTid, MmsStatus.YES)).get();
        node.service.post(GATEWAY, msisdn(CAROL), acknowledge(ackTid, MmsStatus.NO)).get();
        assertEquals(DeliveryState.RETRIEVED, node.store.delivery(ds.get(0).key()).orElseThrow().state());
        assertEquals(DeliveryState.RETRIEVED, node.store.delivery(ds.get(1).key()).orElseThrow().state());
        assertEquals(List.of(Report.Status.DEFERRED, Report.Status.RETRIEVED), reports.stream().map(Report::status).toList());
        assertEquals(BOB, reports.get(1).recipient().address().value());
    }

    @Test
    void aGetNeverAnsweredIsRetrievedAndReportedWhenTheGraceEnds() throws Exception {
        recordReports();
        MessageId id = send(Mm1Fixture.sendReq("ra-3").to(BOB).deliveryReport(), ALICE);
        RecipientDelivery d = node.store.deliveries(id).getFirst();
        fetch(BOB, d);
        DeliveryScheduler s = scheduler(new LegacyHandsetAgent());
        clock.advance(GRACE.minusSeconds(1));
        pass(s);
        assertEquals(DeliveryState.FETCHED, node.store.delivery(d.key()).orElseThrow().state());
        clock.advance(Duration.ofSeconds(1));
        pass(s);
        RecipientDelivery after = node.store.delivery(d.key()).orElseThrow();
        assertEquals(DeliveryState.RETRIEVED, after.state());
        assertEquals(List.of(Report.Status.RETRIEVED), reports.stream().map(Report::status).toList());
        // A late answer changes nothing and reports nothing more.
        node.service.post(GATEWAY, msisdn(BOB), notifyResp(node.tokens.transactionId(id), MmsStatus.STATUS_RETRIEVED, MmsStatus.NO)).get();
        assertEquals(1, reports.size());
    }

    @Test
    void theSendersMmsVersionIsKeptWithTheMessage() throws Exception {
        MessageId v10 = send(Mm1Fixture.sendReq("ra-4").version(1, 0).to(BOB), ALICE);
        MessageId v13 = send(Mm1Fixture.sendReq("ra-5").version(1, 3).to(BOB), ALICE);
        assertEquals("1.0", node.store.message(v10).orElseThrow().origin().interfaceVersion());
        assertEquals("1.3", node.store.message(v13).orElseThrow().origin().interfaceVersion());
    }

    @Test
    void aReadReportToAnMms10SenderArrivesAsAnOrdinaryMessage() throws Exception {
        try (PapNotificationAgent pusher = new PapNotificationAgent(node.service, Mm1Config.Ppg.defaults())) {
            node.relay.registerReportSink(new PapReportSink(pusher, node.service));
            MessageId id = send(Mm1Fixture.sendReq("ra-6").version(1, 0).to(BOB).readReport(), ALICE);
            RecipientDelivery d = node.store.deliveries(id).getFirst();
            fetch(BOB, d);
            byte[] readRec = new MmsEncoder().encode(new MmsPdu.ReadRecInd(MmsHeaders.builder().version(1, 2)
                    .text(MmsField.MESSAGE_ID, id.value()).encoded(MmsField.TO, ALICE + "/TYPE=PLMN")
                    .add(MmsField.FROM, new HeaderValue.From(EncodedString.of(BOB + "/TYPE=PLMN")))
                    .token(MmsField.READ_STATUS, 0x80).build(), null));
            node.service.post(GATEWAY, msisdn(BOB), readRec).get();
            // Repeating the read report stores no second message.
            node.service.post(GATEWAY, msisdn(BOB), readRec).get();

            List<MessageId> others = node.store.messageIds(null, 10).stream().filter(x -> !x.equals(id)).toList();
            assertEquals(1, others.size(), "one read-report message");
            Message report = node.store.message(others.getFirst()).orElseThrow();
            assertEquals(BOB, report.originator().value());
            assertEquals(ALICE, report.recipients().getFirst().address().value());
            assertEquals(MessageClass.AUTO, report.messageClass());
            assertFalse(report.deliveryReportRequested() || report.readReportRequested(), "a report asks for no reports");
            RecipientDelivery toAlice = node.store.deliveries(report.id()).getFirst();
            assertEquals(RouteKind.LOCAL_MM1, toAlice.route().kind());

            // Alice's phone fetches it like any message.
            MmsPdu.RetrieveConf conf = (MmsPdu.RetrieveConf) new MmsDecoder().decode(
                    node.service.get(GATEWAY, msisdn(ALICE), "/" + node.tokens.token(toAlice.key())).get().pdu());
            assertEquals("Read: Holiday", conf.subject().text());
            assertEquals(0x83, conf.headers().token(MmsField.MESSAGE_CLASS), "Auto");
            String text = new String(((MessageBody.Opaque) conf.body()).data().toByteArray(), StandardCharsets.UTF_8);
            assertTrue(text.contains("Your message to " + BOB + " (subject: Holiday) was read on 2026-11-28 12:00:00 UTC."), text);
            assertTrue(text.contains("Message-ID: " + id.value()), text);
        }
    }

    @Test
    void aLegacyHandsetRecipientFailsClearlyAndTheSenderLearnsItWasUnreachable() throws Exception {
        recordReports();
        MessageId id = send(Mm1Fixture.sendReq("ra-7").to(LEGACY).deliveryReport(), ALICE);
        RecipientDelivery d = node.store.deliveries(id).getFirst();
        assertEquals(RouteKind.LEGACY_SMS, d.route().kind());
        pass(scheduler(new LegacyHandsetAgent()));
        RecipientDelivery failed = node.store.delivery(d.key()).orElseThrow();
        assertEquals(DeliveryState.FAILED, failed.state());
        assertTrue(failed.lastError().startsWith("legacy handset path not available"), failed.lastError());
        assertEquals(List.of(Report.Status.UNREACHABLE), reports.stream().map(Report::status).toList());
        assertTrue(reports.getFirst().detail().contains("legacy handset path not available"), reports.getFirst().detail());
    }
}
