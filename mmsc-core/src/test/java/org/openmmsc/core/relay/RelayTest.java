package org.openmmsc.core.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.openmmsc.core.config.RelayConfig;
import org.openmmsc.core.config.RoutingConfig;
import org.openmmsc.core.model.DeliveryKey;
import org.openmmsc.core.model.DeliveryState;
import org.openmmsc.core.model.IllegalTransitionException;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.Origin;
import org.openmmsc.core.model.Route;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.RecipientStatus;
import org.openmmsc.core.model.RouteKind;
import org.openmmsc.core.spi.ChargingEvents;
import org.openmmsc.core.spi.IdempotencyKey;
import org.openmmsc.core.spi.Report;
import org.openmmsc.core.spi.ReportSink;
import org.openmmsc.core.spi.RouteResolver;
import org.openmmsc.core.testing.InMemoryMessageStore;
import org.openmmsc.core.spi.MutableClock;
import org.openmmsc.core.testing.SampleMessages;

class RelayTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
    private final InMemoryMessageStore store = new InMemoryMessageStore(clock);
    private final List<Report> reports = new ArrayList<>();
    private final List<ChargingEvents.ChargingEvent> charges = new ArrayList<>();
    private final ReportSink mm1Reports = new ReportSink() {
        @Override public Interface iface() { return Interface.MM1; }
        @Override public CompletionStage<Void> send(Report report) {
            reports.add(report);
            return CompletableFuture.completedFuture(null);
        }
    };
    private final RoutingConfig routing = new RoutingConfig(List.of("+4790"), List.of(new RoutingConfig.PeerRange("+46", "mms.peer.se")),
            Map.of("2020", "news"), true);
    private final Relay relay = new Relay(store, new StaticRouteResolver(routing), RelayConfig.defaults(), clock, charges::add,
            List.of(mm1Reports), new SimpleMeterRegistry());

    @Test
    void routesEveryRecipientBeforeStoringAnything() {
        Message m = SampleMessages.textTo(clock, "+4790000002/TYPE=PLMN", "+46701234567/TYPE=PLMN", "2020/TYPE=PLMN",
                "9999/TYPE=PLMN", "a@example.com", "+4411111111/TYPE=PLMN");
        Routing routing = relay.route(m);
        assertEquals(List.of(RouteKind.LOCAL_MM1, RouteKind.PEER_MM4, RouteKind.VASP_MM7, RouteKind.EMAIL_MM3),
                routing.routed().stream().map(r -> r.route().kind()).toList());
        assertEquals(List.of(3, 5), routing.refused().stream().map(Routing.Refused::recipientIndex).toList());
        assertEquals(RouteResolver.Reason.UNROUTABLE, routing.refused().getFirst().reason());
        assertEquals(0, store.messageCount());
    }

    @Test
    void acceptStoresTheMessageWithOneDeliveryPerRoutedRecipient() {
        Message m = SampleMessages.textTo(clock, "+4790000002/TYPE=PLMN", "9999/TYPE=PLMN", "+4790000003/TYPE=PLMN");
        Acceptance a = relay.accept(m, relay.route(m), null).join();
        assertFalse(a.duplicate());
        List<RecipientDelivery> ds = store.deliveries(a.id());
        assertEquals(List.of(0, 2), ds.stream().map(RecipientDelivery::recipientIndex).toList());
        assertTrue(ds.stream().allMatch(d -> d.state() == DeliveryState.ACCEPTED && d.nextAttemptAt().equals(clock.instant())));
        assertEquals(clock.instant().plus(RelayConfig.DEFAULT_EXPIRY), ds.getFirst().expiresAt());
        assertEquals(2, charges.stream().filter(c -> c.type() == ChargingEvents.ChargingEvent.Type.SUBMITTED).count());
    }

    @Test
    void aRetriedSubmissionYieldsTheSameIdAndNoSecondMessage() {
        IdempotencyKey key = new IdempotencyKey(Interface.MM1, "+4790000001", "tx-1");
        Message first = SampleMessages.textTo(clock, "+4790000002/TYPE=PLMN");
        Message retry = SampleMessages.textTo(clock, "+4790000002/TYPE=PLMN");
        Acceptance a = relay.accept(first, relay.route(first), key).join();
        Acceptance b = relay.accept(retry, relay.route(retry), key).join();
        assertEquals(a.id(), b.id());
        assertTrue(b.duplicate());
        assertEquals(1, store.messageCount());
        Message otherSender = SampleMessages.textTo(clock, "+4790000002/TYPE=PLMN");
        Acceptance c = relay.accept(otherSender, relay.route(otherSender), new IdempotencyKey(Interface.MM1, "+4790000009", "tx-1")).join();
        assertFalse(c.duplicate());
        assertEquals(2, store.messageCount());
    }

    @Test
    void expiryAndEarliestDeliveryAreCappedByTheOperator() {
        Message m = SampleMessages.expiringAfter(clock, Duration.ofDays(365), "+4790000002/TYPE=PLMN");
        Acceptance a = relay.accept(m, relay.route(m), null).join();
        assertEquals(clock.instant().plus(RelayConfig.DEFAULT_MAX_EXPIRY), store.deliveries(a.id()).getFirst().expiresAt());
    }

    @Test
    void nothingRoutableIsRefused() {
        Message m = SampleMessages.textTo(clock, "9999/TYPE=PLMN");
        CompletionException e = assertThrows(CompletionException.class, () -> relay.accept(m, relay.route(m), null).join());
        assertTrue(e.getCause() instanceof IllegalArgumentException);
        assertEquals(0, store.messageCount());
    }

    @Test
    void retrievalIsRecordedAndReportedToTheOriginatorsInterface() {
        Message m = SampleMessages.withDeliveryReport(clock, "+4790000002/TYPE=PLMN");
        Acceptance a = relay.accept(m, relay.route(m), null).join();
        DeliveryKey key = new DeliveryKey(a.id(), 0);
        RecipientDelivery d = relay.record(key, new RecipientEvent.Retrieved("GET by phone")).join().orElseThrow();
        assertEquals(DeliveryState.RETRIEVED, d.state());
        assertEquals(1, reports.size());
        assertEquals(Report.Status.RETRIEVED, reports.getFirst().status());
        assertEquals(1, charges.stream().filter(c -> c.type() == ChargingEvents.ChargingEvent.Type.DELIVERED).count());
        // A repeated GET changes nothing and reports nothing more.
        relay.record(key, new RecipientEvent.Retrieved("again")).join();
        assertEquals(1, reports.size());
    }

    @Test
    void aFetchWaitsForThePhonesAnswerBeforeReportingAndHonoursReportAllowed() {
        Message m = SampleMessages.withDeliveryReport(clock, "+4790000002/TYPE=PLMN", "+4790000003/TYPE=PLMN");
        Acceptance a = relay.accept(m, relay.route(m), null).join();
        DeliveryKey allowed = new DeliveryKey(a.id(), 0);
        DeliveryKey forbidden = new DeliveryKey(a.id(), 1);
        Instant answerBy = clock.instant().plus(Duration.ofMinutes(10));
        RecipientDelivery fetched = relay.record(allowed, new RecipientEvent.Fetched(answerBy, "GET")).join().orElseThrow();
        relay.record(forbidden, new RecipientEvent.Fetched(answerBy, "GET")).join();
        assertEquals(DeliveryState.FETCHED, fetched.state());
        assertEquals(answerBy, fetched.nextAttemptAt());
        assertEquals(List.of(), reports, "no report before the phone answers");
        assertEquals(0, charges.stream().filter(c -> c.type() == ChargingEvents.ChargingEvent.Type.DELIVERED).count());
        // A second GET changes nothing.
        assertEquals(fetched.fence(), relay.record(allowed, new RecipientEvent.Fetched(answerBy.plusSeconds(60), "GET")).join().orElseThrow().fence());

        relay.record(allowed, new RecipientEvent.Answered(RecipientStatus.RETRIEVED, true, "m-notifyresp-ind")).join();
        RecipientDelivery no = relay.record(forbidden, new RecipientEvent.Answered(RecipientStatus.RETRIEVED, false, "m-notifyresp-ind")).join().orElseThrow();
        assertEquals(DeliveryState.RETRIEVED, no.state());
        assertFalse(no.deliveryReportAllowed());
        assertEquals(1, reports.size(), "only the recipient who allowed it is reported");
        assertEquals(m.recipients().getFirst(), reports.getFirst().recipient());
        assertEquals(Report.Status.RETRIEVED, reports.getFirst().status());
        assertEquals(2, charges.stream().filter(c -> c.type() == ChargingEvents.ChargingEvent.Type.DELIVERED).count());
    }

    @Test
    void deferredWithReportsForbiddenIsNotReportedAndALaterAllowingAcknowledgementIs() {
        Message m = SampleMessages.withDeliveryReport(clock, "+4790000002/TYPE=PLMN");
        Acceptance a = relay.accept(m, relay.route(m), null).join();
        DeliveryKey key = new DeliveryKey(a.id(), 0);
        relay.record(key, new RecipientEvent.Answered(RecipientStatus.DEFERRED, false, "m-notifyresp-ind")).join();
        assertEquals(List.of(), reports);
        relay.record(key, new RecipientEvent.Fetched(clock.instant().plusSeconds(600), "GET")).join();
        relay.record(key, new RecipientEvent.Answered(RecipientStatus.RETRIEVED, true, "m-acknowledge-ind")).join();
        assertEquals(List.of(Report.Status.RETRIEVED), reports.stream().map(Report::status).toList());
    }

    @Test
    void fetchedContentCanNoLongerBeCancelled() {
        Message m = SampleMessages.withDeliveryReport(clock, "+4790000002/TYPE=PLMN");
        Acceptance a = relay.accept(m, relay.route(m), null).join();
        relay.record(new DeliveryKey(a.id(), 0), new RecipientEvent.Fetched(clock.instant().plusSeconds(600), "GET")).join();
        Relay.CancelOutcome outcome = relay.cancel(a.id(), "operator").join();
        assertEquals(0, outcome.cancelled());
        assertEquals(1, outcome.tooLate());
    }

    @Test
    void deferredIsTheRecipientsAnswerNotAStateAndStopsRenotification() {
        Message m = SampleMessages.withDeliveryReport(clock, "+4790000002/TYPE=PLMN");
        Acceptance a = relay.accept(m, relay.route(m), null).join();
        DeliveryKey key = new DeliveryKey(a.id(), 0);
        RecipientDelivery d = relay.record(key, new RecipientEvent.Answered(RecipientStatus.DEFERRED, "m-notifyresp-ind")).join().orElseThrow();
        assertEquals(DeliveryState.ACCEPTED, d.state());
        assertEquals(RecipientStatus.DEFERRED, d.recipientStatus());
        assertEquals(d.expiresAt(), d.nextAttemptAt());
        assertEquals(Report.Status.DEFERRED, reports.getFirst().status());
    }

    @Test
    void aFetchAfterExpiryIsRefused() {
        Message m = SampleMessages.textTo(clock, "+4790000002/TYPE=PLMN");
        Acceptance a = relay.accept(m, relay.route(m), null).join();
        DeliveryKey key = new DeliveryKey(a.id(), 0);
        RecipientDelivery d = store.delivery(key).orElseThrow();
        relay.commit(d, d.moveTo(DeliveryState.EXPIRED, clock.instant(), null, "expired")).join();
        CompletionException e = assertThrows(CompletionException.class,
                () -> relay.record(key, new RecipientEvent.Retrieved("late GET")).join());
        assertTrue(e.getCause() instanceof IllegalTransitionException, e.toString());
    }

    @Test
    void cancelWithdrawsWhatIsNotSettledAndCountsWhatWasTooLate() {
        Message m = SampleMessages.textTo(clock, "+4790000002/TYPE=PLMN", "+4790000003/TYPE=PLMN");
        Acceptance a = relay.accept(m, relay.route(m), null).join();
        relay.record(new DeliveryKey(a.id(), 1), new RecipientEvent.Retrieved("fetched")).join();
        Relay.CancelOutcome outcome = relay.cancel(a.id(), "MM7 CancelReq").join();
        assertEquals(new Relay.CancelOutcome(true, 1, 1), outcome);
        assertEquals(DeliveryState.CANCELLED, store.delivery(new DeliveryKey(a.id(), 0)).orElseThrow().state());
        assertFalse(relay.cancel(relay.newMessageId(), "x").join().found());
    }

    @Test
    void theChargedPartyTheSenderNamedReachesEveryChargingEvent() {
        Message m = SampleMessages.textTo(clock, "+4790000002/TYPE=PLMN");
        Message charged = new Message(m.id(), m.originator(), m.recipients(), m.subject(), m.messageClass(), m.priority(), m.date(), m.expiry(),
                m.earliestDelivery(), m.deliveryReportRequested(), m.readReportRequested(), m.senderHidden(), m.replyCharging(), m.contentType(),
                m.parts(), m.origin(), org.openmmsc.core.model.ChargedParty.RECIPIENT, null);
        Acceptance a = relay.accept(charged, relay.route(charged), null).join();
        relay.record(new DeliveryKey(a.id(), 0), new RecipientEvent.Retrieved("fetched")).join();
        assertEquals(List.of(ChargingEvents.ChargingEvent.Type.SUBMITTED, ChargingEvents.ChargingEvent.Type.DELIVERED),
                charges.stream().map(ChargingEvents.ChargingEvent::type).toList());
        assertTrue(charges.stream().allMatch(c -> c.chargedParty() == org.openmmsc.core.model.ChargedParty.RECIPIENT), charges.toString());
    }

    @Test
    void replaceSwapsContentWhileSomeoneCanStillFetchItAndIsTooLateAfterwards() {
        Message m = SampleMessages.textTo(clock, "+4790000002/TYPE=PLMN", "+4790000003/TYPE=PLMN");
        Acceptance a = relay.accept(m, relay.route(m), null).join();
        relay.record(new DeliveryKey(a.id(), 1), new RecipientEvent.Retrieved("fetched")).join();
        Message stored = store.message(a.id()).orElseThrow();
        Message replacement = stored.replacedBy(clock.instant(), true, org.openmmsc.core.model.ContentType.of("text/plain"),
                List.of(new org.openmmsc.core.model.MessagePart(org.openmmsc.core.model.ContentType.of("text/plain"), List.of(),
                        "new text".getBytes(java.nio.charset.StandardCharsets.UTF_8))), stored.origin(), false);

        Relay.ReplaceResult result = relay.replace(replacement, "test").join();
        assertEquals(new Relay.ReplaceResult(org.openmmsc.core.spi.MessageStore.ReplaceOutcome.REPLACED, 1, 1), result);
        assertEquals(replacement, store.message(a.id()).orElseThrow());
        assertFalse(store.message(a.id()).orElseThrow().forwardable());

        relay.record(new DeliveryKey(a.id(), 0), new RecipientEvent.Retrieved("fetched")).join();
        assertEquals(org.openmmsc.core.spi.MessageStore.ReplaceOutcome.TOO_LATE, relay.replace(stored, "again").join().outcome());
        assertEquals(replacement, store.message(a.id()).orElseThrow());
        assertEquals(org.openmmsc.core.spi.MessageStore.ReplaceOutcome.NOT_FOUND,
                relay.replace(stored.withId(relay.newMessageId()), "unknown").join().outcome());
    }

    @Test
    void anEventRacingAnotherWriterIsReappliedOnTheFreshState() {
        Message m = SampleMessages.textTo(clock, "+4790000002/TYPE=PLMN");
        Acceptance a = relay.accept(m, relay.route(m), null).join();
        // A scheduler node leases the delivery (raising its fence) while the phone fetches.
        RecipientDelivery leased = store.leaseDue(clock.instant(), 10, "node-a", Duration.ofMinutes(5)).getFirst();
        RecipientDelivery fetched = relay.record(leased.key(), new RecipientEvent.Retrieved("GET")).join().orElseThrow();
        assertEquals(DeliveryState.RETRIEVED, fetched.state());
        // The lease holder's late write is refused: it cannot overwrite the retrieval.
        CompletionException e = assertThrows(CompletionException.class,
                () -> relay.commit(leased, leased.moveTo(DeliveryState.NOTIFIED, clock.instant(), clock.instant(), "pushed")).join());
        assertTrue(e.getCause() instanceof org.openmmsc.core.spi.StaleFenceException);
        assertEquals(DeliveryState.RETRIEVED, store.delivery(leased.key()).orElseThrow().state());
    }

    @Test
    void aReportTheInterfaceRefusesIsQueuedInTheStoreOnce() throws Exception {
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        ReportSink down = new ReportSink() {
            @Override public Interface iface() { return Interface.MM4; }
            @Override public CompletionStage<Void> send(Report report) {
                attempts.incrementAndGet();
                return CompletableFuture.failedFuture(new java.io.IOException("peer down"));
            }
        };
        Relay relay4 = new Relay(store, new StaticRouteResolver(routing), RelayConfig.defaults(), clock, charges::add, List.of(down),
                new SimpleMeterRegistry());
        Message m = SampleMessages.withDeliveryReport(clock, "+4790000002/TYPE=PLMN");
        Message fromPeer = new Message(m.id(), m.originator(), m.recipients(), m.subject(), m.messageClass(), m.priority(), m.date(),
                null, null, true, false, false, null, m.contentType(), m.parts(), Origin.of(Interface.MM4, "mms.peer.se", "peer-tx-1"));
        Acceptance a = relay4.accept(fromPeer, relay4.route(fromPeer), null).join();
        relay4.record(new DeliveryKey(a.id(), 0), new RecipientEvent.Retrieved("GET")).join();

        assertEquals(1, attempts.get());
        assertEquals(2, store.messageCount(), "the original and the queued report");
        MessageId queued = store.messageIds(null, 10).stream().filter(id -> !id.equals(a.id())).findFirst().orElseThrow();
        RecipientDelivery reportDelivery = store.deliveries(queued).getFirst();
        assertEquals(new Route(RouteKind.REPORT, "MM4"), reportDelivery.route());
        assertEquals(DeliveryState.ACCEPTED, reportDelivery.state());
        assertEquals(fromPeer.originator(), reportDelivery.recipient().address());
        StoredReport.Contents contents = StoredReport.read(store.message(queued).orElseThrow());
        assertEquals(new StoredReport.Contents(Report.Kind.DELIVERY, Report.Status.RETRIEVED, a.id(), 0, contents.at(), "GET"), contents);
        assertEquals(0, charges.stream().filter(c -> c.messageId().equals(queued)).count(), "a queued report is not charged");
    }

    @Test
    void aReportHandedOverAtOnceLeavesNoStoredCopy() {
        Message m = SampleMessages.withDeliveryReport(clock, "+4790000002/TYPE=PLMN");
        Acceptance a = relay.accept(m, relay.route(m), null).join();
        relay.record(new DeliveryKey(a.id(), 0), new RecipientEvent.Retrieved("GET")).join();
        assertEquals(1, reports.size());
        assertEquals(List.of(a.id()), store.messageIds(null, 10), "the stored copy went once the report was handed over");
        assertEquals(0, store.pendingDeliveries());
    }

    @Test
    void aReportOwedWhenTheNodeDiesBeforeHandingItOverIsSentAfterRestart() {
        // The node "dies" after the state change is durable: its sink never answers, nothing more runs.
        ReportSink hangs = new ReportSink() {
            @Override public Interface iface() { return Interface.MM1; }
            @Override public CompletionStage<Void> send(Report report) {
                return new CompletableFuture<>();
            }
        };
        Relay dying = new Relay(store, new StaticRouteResolver(routing), RelayConfig.defaults(), clock, charges::add, List.of(hangs),
                new SimpleMeterRegistry());
        Message m = SampleMessages.withDeliveryReport(clock, "+4790000002/TYPE=PLMN");
        Acceptance a = dying.accept(m, dying.route(m), null).join();
        dying.record(new DeliveryKey(a.id(), 0), new RecipientEvent.Retrieved("GET")).join();

        // The restarted node's scheduler finds the report on the REPORT route once the immediate attempt's grace is over.
        assertTrue(store.leaseDue(clock.instant(), 10, "node-b", Duration.ofMinutes(1)).isEmpty(), "not while the first attempt may run");
        clock.advance(Relay.IMMEDIATE_HAND_OVER_GRACE);
        List<RecipientDelivery> due = store.leaseDue(clock.instant(), 10, "node-b", Duration.ofMinutes(1));
        assertEquals(1, due.size());
        assertEquals(new Route(RouteKind.REPORT, "MM1"), due.getFirst().route());
        Message stored = store.message(due.getFirst().messageId()).orElseThrow();
        var outcome = relay.reportAgent().deliver(stored, due.getFirst()).toCompletableFuture().join();
        assertTrue(outcome instanceof org.openmmsc.core.spi.DeliveryAgent.Outcome.Delivered, outcome.toString());
        assertEquals(List.of(Report.Status.RETRIEVED), reports.stream().map(Report::status).toList());
        assertEquals(a.id(), reports.getFirst().message().id());
    }
}
