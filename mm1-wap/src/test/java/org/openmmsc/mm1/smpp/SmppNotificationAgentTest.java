package org.openmmsc.mm1.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openmmsc.mm1.service.Mm1Fixture.ALICE;
import static org.openmmsc.mm1.service.Mm1Fixture.BOB;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.MessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openmmsc.core.config.RoutePolicy;
import org.openmmsc.core.config.SchedulerConfig;
import org.openmmsc.core.model.DeliveryState;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.RouteKind;
import org.openmmsc.core.schedule.DeliveryScheduler;
import org.openmmsc.mm1.Mm1Config;
import org.openmmsc.mm1.codec.HeaderValue;
import org.openmmsc.mm1.codec.MmsDecoder;
import org.openmmsc.mm1.codec.MmsEncoder;
import org.openmmsc.mm1.codec.MmsField;
import org.openmmsc.mm1.codec.MmsHeader;
import org.openmmsc.mm1.codec.MmsHeaders;
import org.openmmsc.mm1.codec.MmsPdu;
import org.openmmsc.mm1.codec.WapPushSms;
import org.openmmsc.mm1.codec.WspPush;
import org.openmmsc.mm1.codec.WspPushCodec;
import org.openmmsc.mm1.service.Mm1Fixture;
import org.openmmsc.mm1.service.MmsStatus;

/**
 * The SMPP notification path against a real SMPP peer: jSMPP's server side as the SMSC, the core
 * scheduler driving attempts. The test reassembles what the SMSC received and decodes it with the
 * project's codecs.
 */
class SmppNotificationAgentTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final InetAddress GATEWAY = InetAddress.getLoopbackAddress();
    private static final String BOB_DIGITS = BOB.substring(1);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) c.close();
    }

    /** MM1 on an in-memory store, notifying over SMPP to {@code smsc}, with a scheduler retrying within a second. */
    private final class Node {
        final Mm1Fixture mm1;
        final SmppNotificationAgent agent;
        final DeliveryScheduler scheduler;

        Node(LabSmsc smsc, Mm1Config.Notification notification, Mm1Config.Smpp smpp) {
            mm1 = new Mm1Fixture(Mm1Config.defaults().withNotification(notification, smpp));
            agent = new SmppNotificationAgent(mm1.service, smpp, meters);
            toClose.add(agent);
            RoutePolicy quickRetry = new RoutePolicy(null, 50, Duration.ofMillis(200), Duration.ofSeconds(1), 0.0, Duration.ofHours(1), null);
            scheduler = new DeliveryScheduler(mm1.store, mm1.relay, List.of(agent),
                    new SchedulerConfig(Duration.ofMillis(100), null, null, null, null, Map.of(RouteKind.LOCAL_MM1, quickRetry)),
                    mm1.clock, "smpp-test", meters, new Random(1));
            toClose.add(() -> scheduler.stop(Duration.ofSeconds(5)));
            scheduler.start();
        }

        Node(LabSmsc smsc) {
            this(smsc, new Mm1Config.Notification(null, null, "smpp", null), Mm1Config.Smpp.loopback(smsc.port(), LabSmsc.SYSTEM_ID, LabSmsc.PASSWORD));
        }

        MessageId send(byte[] sendReq) throws Exception {
            MmsPdu.SendConf conf = (MmsPdu.SendConf) new MmsDecoder().decode(mm1.service.post(GATEWAY, msisdn(ALICE), sendReq).get().pdu());
            assertEquals(MmsStatus.OK, conf.responseStatus());
            return MessageId.parse(conf.messageId());
        }

        RecipientDelivery delivery(MessageId id) {
            return mm1.store.deliveries(id).getFirst();
        }

        RecipientDelivery awaitState(MessageId id, DeliveryState state) throws InterruptedException {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (delivery(id).state() != state) {
                if (System.nanoTime() > deadline) throw new AssertionError("delivery not " + state + " within " + PATIENCE + ": " + delivery(id));
                Thread.sleep(20);
            }
            return delivery(id);
        }
    }

    private LabSmsc smsc() throws Exception {
        LabSmsc smsc = new LabSmsc(0);
        toClose.add(smsc);
        return smsc;
    }

    private static Function<String, String> msisdn(String number) {
        return name -> name.equalsIgnoreCase("X-MSISDN") ? number : null;
    }

    private static Predicate<List<LabSmsc.Submit>> atLeast(int n) {
        return submits -> submits.size() >= n;
    }

    private double count(String name, String tag, String value) {
        Counter c = meters.find(name).tag(tag, value).counter();
        return c == null ? 0 : c.count();
    }

    /** Reassembles the WAP Push SMS the SMSC received and decodes the m-notification-ind in them. */
    private static MmsPdu.NotificationInd decodeNotification(List<byte[]> userData) throws Exception {
        WspPush push = new WspPushCodec().decode(WapPushSms.reassemble(userData));
        assertTrue(push.isMms(), "pushed to the MMS user agent (x-wap-application:mms.ua)");
        return (MmsPdu.NotificationInd) new MmsDecoder().decode(push.data().toByteArray());
    }

    @Test
    void aTypicalNotificationIsOneWapPushSmsWithTheRightSmppFields() throws Exception {
        LabSmsc smsc = smsc().start();
        Node node = new Node(smsc);
        MessageId id = node.send(Mm1Fixture.sendReq("one-sms").to(BOB).encode());

        List<LabSmsc.Submit> submits = smsc.await(atLeast(1), PATIENCE);
        RecipientDelivery notified = node.awaitState(id, DeliveryState.NOTIFIED);
        assertEquals(1, submits.size(), "a typical notification is one SMS: " + smsc.describe());
        LabSmsc.Submit sms = submits.getFirst();
        assertEquals(BOB_DIGITS, sms.destination());
        assertEquals(1, sms.destTon(), "international");
        assertEquals(1, sms.destNpi(), "E.164");
        assertEquals(0x40, sms.esmClass(), "UDHI");
        assertEquals(0x04, sms.dataCoding(), "8-bit binary");
        assertEquals(0, sms.protocolId());
        assertEquals(1, sms.registeredDelivery(), "SMSC receipt on success or failure");
        long validFor = relativeSeconds(sms.validityPeriod());
        long expiresIn = Duration.between(java.time.Instant.now(), notified.expiresAt()).toSeconds();
        assertTrue(Math.abs(validFor - expiresIn) < 120, "the SMS is valid until the message expires: " + sms.validityPeriod() + " vs " + expiresIn + " s");

        WapPushSms.Segment segment = WapPushSms.parse(sms.shortMessage());
        assertEquals(2948, segment.destinationPort());
        assertEquals(9200, segment.sourcePort());
        assertEquals(-1, segment.total(), "not concatenated");
        MmsPdu.NotificationInd ind = decodeNotification(List.of(sms.shortMessage()));
        assertEquals(node.mm1.service.contentLocation(notified.key()), ind.contentLocation());
        assertEquals(node.mm1.tokens.transactionId(id), ind.transactionId());
        assertTrue(notified.history().getLast().detail().contains(sms.messageId()), "the SMSC's message id is on the delivery: " + notified.history());
        assertEquals(1, count("mmsc.mm1.smpp.submits", "status", "ESME_ROK"));
        assertEquals(1, count("mmsc.mm1.pushes", "path", "smpp"));
        assertEquals(1, count("mmsc.mm1.smpp.binds", "outcome", "bound"));
    }

    /** Seconds in an SMPP relative time "YYMMDDhhmmss000R" with years and months zero. */
    private static long relativeSeconds(String t) {
        assertTrue(t != null && t.length() == 16 && t.endsWith("000R") && t.startsWith("0000"), "relative validity_period: " + t);
        return Long.parseLong(t.substring(4, 6)) * 86_400 + Long.parseLong(t.substring(6, 8)) * 3600 + Long.parseLong(t.substring(8, 10)) * 60
                + Long.parseLong(t.substring(10, 12));
    }

    @Test
    void validityPeriodsStayInTheirFieldsRange() {
        assertEquals("000000000100000R", SmppNotificationAgent.validityPeriod(Duration.ofSeconds(5)), "at least a minute");
        assertEquals("000003000000000R", SmppNotificationAgent.validityPeriod(Duration.ofDays(3)));
        assertEquals("000001020304000R", SmppNotificationAgent.validityPeriod(Duration.ofSeconds(86_400 + 2 * 3600 + 3 * 60 + 4)));
        assertEquals("000099235959000R", SmppNotificationAgent.validityPeriod(Duration.ofDays(400)), "at most 99 days");
    }

    @Test
    void aNotificationTooLongForOneSmsGoesAsConcatenatedWapPush() throws Exception {
        LabSmsc smsc = smsc().start();
        Node node = new Node(smsc, new Mm1Config.Notification(true, true, "smpp", null),
                Mm1Config.Smpp.loopback(smsc.port(), LabSmsc.SYSTEM_ID, LabSmsc.PASSWORD));
        String subject = "Photos from the trip to Tromsø, the northern lights over Kvaløya and the whale safari on Saturday morning";
        MessageId id = node.send(new MmsEncoder().encode(withSubject(Mm1Fixture.sendReq("long").to(BOB).build(), subject)));

        node.awaitState(id, DeliveryState.NOTIFIED);
        List<byte[]> sms = smsc.shortMessagesTo(BOB_DIGITS);
        assertTrue(sms.size() >= 2, "several SMS: " + smsc.describe());
        int reference = WapPushSms.parse(sms.getFirst()).reference();
        for (int i = 0; i < sms.size(); i++) {
            byte[] userData = sms.get(i);
            assertTrue(userData.length <= 140, "SMS user data fits 140 octets");
            WapPushSms.Segment s = WapPushSms.parse(userData);
            assertEquals(2948, s.destinationPort());
            assertEquals(reference, s.reference(), "one concatenation reference");
            assertEquals(sms.size(), s.total());
            assertEquals(i + 1, s.sequence(), "submitted in order");
        }
        for (LabSmsc.Submit s : smsc.submits()) {
            assertEquals(0x40, s.esmClass());
            assertEquals(0x04, s.dataCoding());
        }

        List<byte[]> shuffled = new ArrayList<>(sms.reversed());
        MmsPdu.NotificationInd ind = decodeNotification(shuffled);
        assertEquals(subject, ind.headers().encoded(MmsField.SUBJECT).text());
        assertEquals(ALICE + "/TYPE=PLMN", ((HeaderValue.From) ind.headers().first(MmsField.FROM)).address().text());
        assertEquals(node.mm1.service.contentLocation(node.delivery(id).key()), ind.contentLocation());
        // What went out is exactly the notification the service builds (the relative expiry is the same to the second).
        MmsPdu.NotificationInd built = (MmsPdu.NotificationInd) new MmsDecoder().decode(
                node.mm1.service.notification(node.mm1.store.message(id).orElseThrow(), node.delivery(id)));
        assertEquals(built.headers().text(MmsField.TRANSACTION_ID), ind.transactionId());
        assertEquals(built.headers().list().stream().map(MmsHeader::name).toList(), ind.headers().list().stream().map(MmsHeader::name).toList());
    }

    private static MmsPdu.SendReq withSubject(MmsPdu.SendReq req, String subject) {
        MmsHeaders.Builder h = MmsHeaders.builder();
        for (MmsHeader header : req.headers().list()) {
            if (header.code() == MmsField.SUBJECT.code()) h.encoded(MmsField.SUBJECT, subject);
            else h.add(header);
        }
        return new MmsPdu.SendReq(h.build(), req.body());
    }

    @Test
    void aThrottledSubmitIsRetriedAfterTheBackoffAndThenSucceeds() throws Exception {
        LabSmsc smsc = smsc().start();
        smsc.answerNext(SmppStatus.ESME_RTHROTTLED);
        Node node = new Node(smsc);
        MessageId id = node.send(Mm1Fixture.sendReq("throttled").to(BOB).encode());

        RecipientDelivery d = node.awaitState(id, DeliveryState.NOTIFIED);
        assertEquals(1, smsc.refusedSubmits());
        assertEquals(1, smsc.submits().size());
        assertEquals(2, d.attempts(), "one throttled attempt, one accepted");
        assertTrue(d.history().stream().anyMatch(e -> e.to() == DeliveryState.WAITING_FOR_RETRY && e.detail().contains("ESME_RTHROTTLED")),
                "the throttled attempt shows on the delivery: " + d.history());
        assertEquals(1, count("mmsc.mm1.smpp.submits", "status", "ESME_RTHROTTLED"));
        decodeNotification(smsc.shortMessagesTo(BOB_DIGITS));
    }

    @Test
    void aFullSmscQueueIsTransientToo() throws Exception {
        LabSmsc smsc = smsc().start();
        smsc.answerNext(SmppStatus.ESME_RMSGQFUL, SmppStatus.ESME_RSYSERR);
        Node node = new Node(smsc);
        MessageId id = node.send(Mm1Fixture.sendReq("queue-full").to(BOB).encode());

        RecipientDelivery d = node.awaitState(id, DeliveryState.NOTIFIED);
        assertEquals(3, d.attempts());
        assertEquals(1, count("mmsc.mm1.smpp.submits", "status", "ESME_RMSGQFUL"));
        assertEquals(1, count("mmsc.mm1.smpp.submits", "status", "ESME_RSYSERR"));
    }

    @Test
    void anInvalidDestinationIsAPermanentFailure() throws Exception {
        LabSmsc smsc = smsc().start();
        smsc.answerNext(SmppStatus.ESME_RINVDSTADR);
        Node node = new Node(smsc);
        MessageId id = node.send(Mm1Fixture.sendReq("bad-destination").to(BOB).encode());

        RecipientDelivery d = node.awaitState(id, DeliveryState.FAILED);
        assertEquals(1, d.attempts(), "not retried");
        assertTrue(d.history().getLast().detail().contains("ESME_RINVDSTADR"), d.history().toString());
        assertEquals(0, smsc.submits().size());
        assertEquals(1, count("mmsc.mm1.smpp.submits", "status", "ESME_RINVDSTADR"));
    }

    @Test
    void anSmscDownAtStartIsBoundOnceItComesUpAndTheNotificationGoesOut() throws Exception {
        LabSmsc smsc = smsc(); // not listening yet
        Node node = new Node(smsc);
        MessageId id = node.send(Mm1Fixture.sendReq("smsc-down").to(BOB).encode());

        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (node.delivery(id).history().stream().noneMatch(e -> e.to() == DeliveryState.WAITING_FOR_RETRY)) {
            assertTrue(System.nanoTime() < deadline, "no failed attempt while the SMSC is down: " + node.delivery(id));
            Thread.sleep(20);
        }
        assertTrue(node.delivery(id).history().stream().anyMatch(e -> e.detail() != null && e.detail().contains("not bound")), node.delivery(id).toString());
        assertTrue(count("mmsc.mm1.smpp.binds", "outcome", "failed") >= 1, "failed binds are counted");
        assertEquals(0, count("mmsc.mm1.smpp.binds", "outcome", "bound"));

        smsc.start();
        RecipientDelivery d = node.awaitState(id, DeliveryState.NOTIFIED);
        assertTrue(d.attempts() >= 2, "retried: " + d.history());
        assertEquals(1, smsc.binds());
        decodeNotification(smsc.shortMessagesTo(BOB_DIGITS));
    }

    @Test
    void aLinkDroppedMidRunIsBoundAgainAndNotificationsContinue() throws Exception {
        LabSmsc smsc = smsc().start();
        Node node = new Node(smsc);
        MessageId first = node.send(Mm1Fixture.sendReq("before-drop").to(BOB).encode());
        node.awaitState(first, DeliveryState.NOTIFIED);
        assertEquals(1, smsc.binds());

        smsc.dropLinks();
        MessageId second = node.send(Mm1Fixture.sendReq("after-drop").to(Mm1Fixture.CAROL).encode());
        node.awaitState(second, DeliveryState.NOTIFIED);
        assertEquals(2, smsc.binds(), "bound again after the drop");
        assertEquals(1, meters.find("mmsc.mm1.smpp.reconnects").counter().count());
        assertEquals(1, smsc.shortMessagesTo(Mm1Fixture.CAROL.substring(1)).size());
        decodeNotification(smsc.shortMessagesTo(Mm1Fixture.CAROL.substring(1)));
    }

    @Test
    void aDeliveryReceiptIsAnsweredAndCountedButDoesNotMeanRetrieved() throws Exception {
        LabSmsc smsc = smsc().start();
        Node node = new Node(smsc);
        MessageId id = node.send(Mm1Fixture.sendReq("receipt").to(BOB).encode());
        node.awaitState(id, DeliveryState.NOTIFIED);

        // Returns only when the MMSC answered deliver_sm_resp with ESME_ROK (jSMPP throws on an error or no answer).
        smsc.sendReceipt(smsc.submits().getFirst(), "DELIVRD", 2);
        smsc.sendReceipt(smsc.submits().getFirst(), "UNDELIV", 5);
        assertEquals(1, count("mmsc.mm1.smpp.receipts", "state", "DELIVRD"));
        assertEquals(1, count("mmsc.mm1.smpp.receipts", "state", "UNDELIV"));
        assertEquals(2, count("mmsc.mm1.smpp.deliver_sm", "kind", "receipt"));
        assertEquals(DeliveryState.NOTIFIED, node.delivery(id).state(), "a receipt is not a retrieval: the phone has to fetch");
    }

    @Test
    void aReceiptWithoutTlvsIsReadFromItsText() throws Exception {
        DeliverSm sm = new DeliverSm();
        sm.setEsmClass(MessageType.SMSC_DEL_RECEIPT.value());
        sm.setShortMessage("id:lab42 sub:001 dlvrd:000 submit date:2611281530 done date:2611281531 stat:EXPIRED err:027 text:"
                .getBytes(StandardCharsets.US_ASCII));
        assertEquals(new DeliverSmHandler.Receipt("lab42", "EXPIRED", "027"), DeliverSmHandler.receipt(sm));

        sm.setShortMessage("not a receipt at all".getBytes(StandardCharsets.US_ASCII));
        assertEquals("UNREADABLE", DeliverSmHandler.receipt(sm).state());
    }

    @Test
    void withoutAnSmscTheAgentSaysSoAndDoesNotBlockForever() throws Exception {
        LabSmsc smsc = smsc(); // never started
        Mm1Fixture mm1 = new Mm1Fixture();
        Mm1Config.Smpp config = Mm1Config.Smpp.loopback(smsc.port(), LabSmsc.SYSTEM_ID, LabSmsc.PASSWORD);
        try (SmppNotificationAgent agent = new SmppNotificationAgent(mm1.service, config, meters)) {
            MmsPdu.SendConf conf = (MmsPdu.SendConf) new MmsDecoder().decode(mm1.service.post(GATEWAY, msisdn(ALICE),
                    Mm1Fixture.sendReq("no-smsc").to(BOB).encode()).get().pdu());
            MessageId id = MessageId.parse(conf.messageId());
            var outcome = agent.deliver(mm1.store.message(id).orElseThrow(), mm1.store.deliveries(id).getFirst()).toCompletableFuture().get();
            assertInstanceOf(org.openmmsc.core.spi.DeliveryAgent.Outcome.TransientFailure.class, outcome);
            assertFalse(agent.isBound());
        }
    }

    @Test
    void aWrongPasswordIsRefusedAndCountedAndNothingIsSent() throws Exception {
        LabSmsc smsc = smsc().start();
        Mm1Fixture mm1 = new Mm1Fixture();
        Mm1Config.Smpp config = Mm1Config.Smpp.loopback(smsc.port(), LabSmsc.SYSTEM_ID, "wrong");
        try (SmppNotificationAgent agent = new SmppNotificationAgent(mm1.service, config, meters)) {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (count("mmsc.mm1.smpp.binds", "outcome", "refused") < 1) {
                assertTrue(System.nanoTime() < deadline, "bind refusal not counted");
                Thread.sleep(20);
            }
            assertFalse(agent.isBound());
        }
        assertEquals(0, smsc.binds());
    }

    @Test
    void noMoreSubmitsAwaitTheirAnswerThanTheWindowAllows() throws Exception {
        LabSmsc smsc = smsc().start();
        smsc.holdAnswers();
        Mm1Config.Smpp loopback = Mm1Config.Smpp.loopback(smsc.port(), LabSmsc.SYSTEM_ID, LabSmsc.PASSWORD);
        Mm1Config.Smpp windowOfTwo = new Mm1Config.Smpp(loopback.host(), loopback.port(), loopback.systemId(), loopback.password(), null, 2, null,
                null, loopback.reconnectDelay(), loopback.reconnectMaxDelay(), Duration.ofSeconds(60), null, null, null, null, null, null);
        Node node = new Node(smsc, new Mm1Config.Notification(null, null, "smpp", null), windowOfTwo);
        List<MessageId> ids = new ArrayList<>();
        for (String to : List.of(BOB, Mm1Fixture.CAROL, "+4790000004", "+4790000005", "+4790000006")) {
            ids.add(node.send(Mm1Fixture.sendReq("window-" + to).to(to).encode()));
        }
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (smsc.inFlight() < 2) {
            assertTrue(System.nanoTime() < deadline, "two submits should be awaiting their answer");
            Thread.sleep(20);
        }
        Thread.sleep(500); // room for a third submit_sm, were the window not kept
        assertEquals(2, smsc.inFlight(), "the window holds the rest back");
        smsc.releaseAnswers();
        for (MessageId id : ids) node.awaitState(id, DeliveryState.NOTIFIED);
        assertEquals(5, smsc.submits().size());
        assertEquals(2, smsc.maxInFlight());
    }

    @Test
    void theThroughputCapSpacesSubmits() throws Exception {
        LabSmsc smsc = smsc().start();
        Mm1Config.Smpp loopback = Mm1Config.Smpp.loopback(smsc.port(), LabSmsc.SYSTEM_ID, LabSmsc.PASSWORD);
        Mm1Config.Smpp tenPerSecond = new Mm1Config.Smpp(loopback.host(), loopback.port(), loopback.systemId(), loopback.password(), null, null, 10,
                null, loopback.reconnectDelay(), loopback.reconnectMaxDelay(), loopback.responseTimeout(), null, null, null, null, null, null);
        Node node = new Node(smsc, new Mm1Config.Notification(null, null, "smpp", null), tenPerSecond);
        List<MessageId> ids = new ArrayList<>();
        for (int i = 0; i < 11; i++) ids.add(node.send(Mm1Fixture.sendReq("pace-" + i).to(String.format("+47900001%02d", i)).encode()));
        for (MessageId id : ids) node.awaitState(id, DeliveryState.NOTIFIED);
        List<LabSmsc.Submit> submits = smsc.submits();
        assertEquals(11, submits.size());
        long first = submits.stream().mapToLong(LabSmsc.Submit::receivedNanos).min().orElseThrow();
        long last = submits.stream().mapToLong(LabSmsc.Submit::receivedNanos).max().orElseThrow();
        // 11 submits at 10/s span at least 1 s (a slower machine only widens it); a little slack for clock reads.
        assertTrue(Duration.ofNanos(last - first).toMillis() >= 950, "11 submits within " + Duration.ofNanos(last - first).toMillis() + " ms");
    }

    @Test
    void anIdleLinkIsCheckedWithEnquireLink() throws Exception {
        LabSmsc smsc = smsc().start();
        Mm1Config.Smpp loopback = Mm1Config.Smpp.loopback(smsc.port(), LabSmsc.SYSTEM_ID, LabSmsc.PASSWORD);
        Mm1Config.Smpp everySecond = new Mm1Config.Smpp(loopback.host(), loopback.port(), loopback.systemId(), loopback.password(), null, null,
                null, Duration.ofSeconds(1), loopback.reconnectDelay(), loopback.reconnectMaxDelay(), loopback.responseTimeout(), null, null, null,
                null, null, null);
        Node node = new Node(smsc, new Mm1Config.Notification(null, null, "smpp", null), everySecond);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (smsc.enquireLinks() < 2) {
            assertTrue(System.nanoTime() < deadline, "no enquire_link on an idle link: " + smsc.enquireLinks());
            Thread.sleep(50);
        }
        assertTrue(node.agent.isBound());
        assertEquals(1, smsc.binds(), "answered enquire_links keep the one bind");
    }

    @Test
    void aHiddenSenderIsNotNamedEvenWhenNotificationsCarryFrom() throws Exception {
        LabSmsc smsc = smsc().start();
        Node node = new Node(smsc, new Mm1Config.Notification(true, true, "smpp", null),
                Mm1Config.Smpp.loopback(smsc.port(), LabSmsc.SYSTEM_ID, LabSmsc.PASSWORD));
        MessageId id = node.send(Mm1Fixture.sendReq("hidden").to(BOB).hideSender().encode());
        node.awaitState(id, DeliveryState.NOTIFIED);
        MmsPdu.NotificationInd ind = decodeNotification(smsc.shortMessagesTo(BOB_DIGITS));
        assertFalse(ind.headers().has(MmsField.FROM), "Sender-Visibility Hide");
        assertEquals("Holiday", ind.headers().encoded(MmsField.SUBJECT).text());
    }

    @Test
    void closingTheAgentUnbinds() throws Exception {
        LabSmsc smsc = smsc().start();
        Mm1Fixture mm1 = new Mm1Fixture();
        SmppNotificationAgent agent = new SmppNotificationAgent(mm1.service, Mm1Config.Smpp.loopback(smsc.port(), LabSmsc.SYSTEM_ID,
                LabSmsc.PASSWORD), meters);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!smsc.hasBoundSession()) {
            assertTrue(System.nanoTime() < deadline, "never bound");
            Thread.sleep(20);
        }
        agent.close();
        while (smsc.hasBoundSession()) {
            assertTrue(System.nanoTime() < deadline, "still bound after close");
            Thread.sleep(20);
        }
        assertFalse(agent.isBound());
        assertEquals(0, meters.find("mmsc.mm1.smpp.reconnects").counters().size(), "a close is not a lost link");
    }

    @Test
    void aLinkDroppedWhileASubmitAwaitsItsAnswerIsRetriedOnTheNewBind() throws Exception {
        LabSmsc smsc = smsc().start();
        Node node = new Node(smsc);
        smsc.holdAnswers();
        MessageId id = node.send(Mm1Fixture.sendReq("mid-submit").to(BOB).encode());
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (smsc.inFlight() < 1) {
            assertTrue(System.nanoTime() < deadline, "the submit_sm never arrived");
            Thread.sleep(20);
        }
        smsc.dropLinks();
        smsc.releaseAnswers(); // the held answer goes nowhere: its link is gone

        RecipientDelivery d = node.awaitState(id, DeliveryState.NOTIFIED);
        assertTrue(d.attempts() >= 2, "the unanswered attempt was retried: " + d.history());
        assertTrue(d.history().stream().anyMatch(e -> e.to() == DeliveryState.WAITING_FOR_RETRY), d.history().toString());
        assertEquals(2, smsc.binds(), "bound again");
        assertTrue(count("mmsc.mm1.smpp.submits", "status", "timeout") + count("mmsc.mm1.smpp.submits", "status", "link-error") >= 1);
        decodeNotification(List.of(smsc.shortMessagesTo(BOB_DIGITS).getLast()));
    }
}
