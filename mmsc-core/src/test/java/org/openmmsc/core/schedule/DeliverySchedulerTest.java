package org.openmmsc.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openmmsc.core.config.RelayConfig;
import org.openmmsc.core.config.RoutePolicy;
import org.openmmsc.core.config.RoutingConfig;
import org.openmmsc.core.config.SchedulerConfig;
import org.openmmsc.core.model.DeliveryKey;
import org.openmmsc.core.model.DeliveryState;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.RouteKind;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.core.relay.StaticRouteResolver;
import org.openmmsc.core.spi.DeliveryAgent;
import org.openmmsc.core.spi.DeliveryAgent.Outcome;
import org.openmmsc.core.spi.Report;
import org.openmmsc.core.spi.ReportSink;
import org.openmmsc.core.testing.InMemoryMessageStore;
import org.openmmsc.core.spi.MutableClock;
import org.openmmsc.core.testing.SampleMessages;

class DeliverySchedulerTest {
    private static final RoutePolicy POLICY = new RoutePolicy(2, 4, Duration.ofSeconds(10), Duration.ofSeconds(60), 0.2,
            Duration.ofMinutes(30), 3);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
    private final InMemoryMessageStore store = new InMemoryMessageStore(clock);
    private final List<Report> reports = new ArrayList<>();
    private final Relay relay = new Relay(store, new StaticRouteResolver(RoutingConfig.defaults()), RelayConfig.defaults(), clock,
            e -> {}, List.of(new ReportSink() {
                @Override public Interface iface() { return Interface.MM1; }
                @Override public CompletionStage<Void> send(Report r) {
                    synchronized (reports) { reports.add(r); }
                    return CompletableFuture.completedFuture(null);
                }
            }), new SimpleMeterRegistry());
    private final List<DeliveryScheduler> schedulers = new ArrayList<>();
    /** A relay whose originators came over MM4, for the report tests. */
    private final Relay relay4 = new Relay(store, new StaticRouteResolver(RoutingConfig.defaults()), RelayConfig.defaults(), clock,
            e -> {}, List.of(), new SimpleMeterRegistry());

    @AfterEach
    void stop() {
        schedulers.forEach(s -> s.stop(Duration.ofSeconds(2)));
    }

    private DeliveryScheduler scheduler(String node, DeliveryAgent... agents) {
        SchedulerConfig config = new SchedulerConfig(null, Duration.ofMinutes(5), 16, Duration.ofSeconds(5), POLICY, Map.of());
        DeliveryScheduler s = new DeliveryScheduler(store, relay, List.of(agents), config, clock, node, new SimpleMeterRegistry(), new Random(7));
        schedulers.add(s);
        return s;
    }

    private static DeliveryAgent agent(RouteKind kind, Function<RecipientDelivery, Outcome> behaviour) {
        return new DeliveryAgent() {
            @Override public RouteKind routeKind() { return kind; }
            @Override public CompletionStage<Outcome> deliver(Message m, RecipientDelivery d) {
                return CompletableFuture.completedFuture(behaviour.apply(d));
            }
        };
    }

    private MessageId accept(Message m) {
        return relay.accept(m, relay.route(m), null).join().id();
    }

    private RecipientDelivery pass(DeliveryScheduler s, MessageId id) throws InterruptedException {
        s.runOnce();
        assertTrue(s.awaitIdle(Duration.ofSeconds(5)));
        return store.delivery(new DeliveryKey(id, 0)).orElseThrow();
    }

    @Test
    void withEverySlotBusyTheSchedulerTakesMoreWorkAsAttemptsFinishNotAtTheNextPoll() throws Exception {
        // Four slots, attempts of 20 ms, and a poll interval of an hour: only finishing attempts can wake the poller.
        // Before the fix it slept the whole interval whenever the slots were full (batchSize per pollInterval).
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        DeliveryAgent slow = new DeliveryAgent() {
            @Override public RouteKind routeKind() { return RouteKind.LOCAL_MM1; }
            @Override public CompletionStage<Outcome> deliver(Message m, RecipientDelivery d) {
                return CompletableFuture.supplyAsync(() -> {
                    attempts.incrementAndGet();
                    return new Outcome.Notified(null, "pushed");
                }, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
            }
        };
        SchedulerConfig config = new SchedulerConfig(Duration.ofHours(1), Duration.ofMinutes(5), 4, Duration.ofSeconds(5), POLICY, Map.of());
        DeliveryScheduler s = new DeliveryScheduler(store, relay, List.of(slow), config, clock, "a", new SimpleMeterRegistry(), new Random(7));
        schedulers.add(s);
        for (int i = 0; i < 10; i++) accept(SampleMessages.textTo(clock, "+4790000002/TYPE=PLMN", "+4790000003/TYPE=PLMN"));
        s.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (attempts.get() < 20 && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(20, attempts.get(), "all 20 deliveries attempted without waiting for a poll");
    }

    @Test
    void aFetchNeverAnsweredCountsAsRetrievedAndIsReportedWhenTheGraceEnds() throws Exception {
        DeliveryScheduler s = scheduler("a", agent(RouteKind.LOCAL_MM1, d -> new Outcome.Notified(null, "push submitted")));
        MessageId id = accept(SampleMessages.withDeliveryReport(clock, "+4790000002/TYPE=PLMN"));
        pass(s, id);
        Instant answerBy = clock.instant().plus(Duration.ofMinutes(10));
        relay.record(new DeliveryKey(id, 0), new org.openmmsc.core.relay.RecipientEvent.Fetched(answerBy, "GET")).join();
        assertEquals(0, s.runOnce(), "nothing due while the phone may still answer");
        synchronized (reports) { assertEquals(List.of(), reports); }

        clock.set(answerBy);
        RecipientDelivery d = pass(s, id);
        assertEquals(DeliveryState.RETRIEVED, d.state());
        assertEquals(1, d.attempts(), "no notification was sent again");
        assertTrue(d.history().getLast().detail().contains("counted as retrieved"), d.history().getLast().detail());
        synchronized (reports) { assertEquals(List.of(Report.Status.RETRIEVED), reports.stream().map(Report::status).toList()); }
    }

    @Test
    void aFetchWhoseGraceEndsAfterExpiryStillCountsAsRetrieved() throws Exception {
        DeliveryScheduler s = scheduler("a", agent(RouteKind.LOCAL_MM1, d -> new Outcome.Notified(null, "push submitted")));
        MessageId id = accept(SampleMessages.withDeliveryReport(clock, "+4790000002/TYPE=PLMN"));
        RecipientDelivery notified = pass(s, id);
        Instant answerBy = notified.expiresAt().plusSeconds(30);
        relay.record(new DeliveryKey(id, 0), new org.openmmsc.core.relay.RecipientEvent.Fetched(answerBy, "GET")).join();
        clock.set(answerBy);
        assertEquals(DeliveryState.RETRIEVED, pass(s, id).state());
    }

    @Test
    void notifiesThenRenotifiesThenWaitsForTheFetchUntilExpiry() throws Exception {
        DeliveryScheduler s = scheduler("a", agent(RouteKind.LOCAL_MM1, d -> new Outcome.Notified(null, "push submitted")));
        MessageId id = accept(SampleMessages.withDeliveryReport(clock, "+4790000002/TYPE=PLMN"));
        RecipientDelivery d = pass(s, id);
        assertEquals(DeliveryState.NOTIFIED, d.state());
        assertEquals(1, d.attempts());
        assertEquals(clock.instant().plus(POLICY.renotifyInterval()), d.nextAttemptAt());
        assertEquals(0, s.runOnce(), "nothing is due before the re-notify time");

        clock.advance(POLICY.renotifyInterval());
        d = pass(s, id);
        assertEquals(2, d.attempts());
        clock.advance(POLICY.renotifyInterval());
        d = pass(s, id);
        assertEquals(3, d.attempts());
        assertEquals(d.expiresAt(), d.nextAttemptAt(), "after maxNotifications it only waits for the fetch or expiry");

        clock.set(d.expiresAt());
        d = pass(s, id);
        assertEquals(DeliveryState.EXPIRED, d.state());
        assertEquals(3, d.attempts(), "expiry is not an attempt");
        assertEquals(List.of(Report.Status.EXPIRED), reports.stream().map(Report::status).toList());
    }

    @Test
    void transientFailuresBackOffExponentiallyWithJitterThenGiveUp() throws Exception {
        DeliveryScheduler s = scheduler("a", agent(RouteKind.LOCAL_MM1, d -> new Outcome.TransientFailure("PPG busy", null)));
        MessageId id = accept(SampleMessages.textTo(clock, "+4790000002/TYPE=PLMN"));
        long[] expectedBaseSeconds = {10, 20, 40};
        for (long base : expectedBaseSeconds) {
            Instant before = clock.instant();
            RecipientDelivery d = pass(s, id);
            assertEquals(DeliveryState.WAITING_FOR_RETRY, d.state());
            assertEquals("PPG busy", d.lastError());
            long waited = Duration.between(before, d.nextAttemptAt()).toMillis();
            assertTrue(waited >= base * 800 && waited <= base * 1200, "wait " + waited + " ms for base " + base + " s");
            clock.set(d.nextAttemptAt());
        }
        RecipientDelivery d = pass(s, id);
        assertEquals(DeliveryState.FAILED, d.state());
        assertEquals(4, d.attempts());
        assertTrue(d.lastError().startsWith("gave up after 4 attempts"), d.lastError());
    }

    @Test
    void aPeerThatSaysWhenToRetryIsHeard() throws Exception {
        DeliveryScheduler s = scheduler("a", agent(RouteKind.LOCAL_MM1, d -> new Outcome.TransientFailure("throttled", Duration.ofSeconds(3))));
        MessageId id = accept(SampleMessages.textTo(clock, "+4790000002/TYPE=PLMN"));
        assertEquals(clock.instant().plusSeconds(3), pass(s, id).nextAttemptAt());
    }

    @Test
    void aRouteWithoutAnAgentWaitsAndSaysWhy() throws Exception {
        DeliveryScheduler s = scheduler("a");
        MessageId id = accept(SampleMessages.textTo(clock, "+4790000002/TYPE=PLMN"));
        RecipientDelivery d = pass(s, id);
        assertEquals(DeliveryState.WAITING_FOR_RETRY, d.state());
        assertEquals("no delivery agent for route LOCAL_MM1 on this node", d.lastError());
    }

    @Test
    void permanentOutcomesSettleAtOnce() throws Exception {
        DeliveryScheduler s = scheduler("a", agent(RouteKind.LOCAL_MM1, d -> d.recipient().address().value().endsWith("2")
                ? new Outcome.Rejected("unknown subscriber") : new Outcome.HandedOff("legacy SMS sent")));
        MessageId id = accept(SampleMessages.textTo(clock, "+4790000002/TYPE=PLMN", "+4790000003/TYPE=PLMN"));
        s.runOnce();
        assertTrue(s.awaitIdle(Duration.ofSeconds(5)));
        List<RecipientDelivery> ds = store.deliveries(id);
        assertEquals(DeliveryState.REJECTED, ds.get(0).state());
        assertEquals(DeliveryState.HANDED_OFF, ds.get(1).state());
        assertEquals(0, store.pendingDeliveries());
    }

    @Test
    void theRouteConcurrencyLimitHolds() throws Exception {
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        DeliveryAgent slow = new DeliveryAgent() {
            @Override public RouteKind routeKind() { return RouteKind.LOCAL_MM1; }
            @Override public CompletionStage<Outcome> deliver(Message m, RecipientDelivery d) {
                peak.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                concurrent.decrementAndGet();
                return CompletableFuture.completedFuture(new Outcome.Delivered("ok"));
            }
        };
        DeliveryScheduler s = scheduler("a", slow);
        for (int i = 0; i < 6; i++) accept(SampleMessages.textTo(clock, "+479000001" + i + "/TYPE=PLMN"));
        assertEquals(6, s.runOnce());
        Thread.sleep(200);
        assertEquals(2, peak.get(), "route LOCAL_MM1 allows 2 at once");
        release.countDown();
        assertTrue(s.awaitIdle(Duration.ofSeconds(5)));
        assertEquals(0, store.pendingDeliveries());
    }

    @Test
    void earliestDeliveryTimeIsHonoured() throws Exception {
        DeliveryScheduler s = scheduler("a", agent(RouteKind.LOCAL_MM1, d -> new Outcome.Delivered("ok")));
        Message m = SampleMessages.textTo(clock, "+4790000002/TYPE=PLMN");
        Message deferred = new Message(m.id(), m.originator(), m.recipients(), m.subject(), m.messageClass(), m.priority(), m.date(),
                m.expiry(), org.openmmsc.core.model.TimeSpec.after(Duration.ofHours(1)), false, false, false, null, m.contentType(),
                m.parts(), m.origin());
        MessageId id = accept(deferred);
        assertEquals(0, s.runOnce());
        clock.advance(Duration.ofHours(1));
        assertEquals(DeliveryState.RETRIEVED, pass(s, id).state());
    }

    @Test
    void aNodeThatLostItsLeaseCannotOverwriteTheNewOwner() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        DeliveryAgent hanging = new DeliveryAgent() {
            @Override public RouteKind routeKind() { return RouteKind.LOCAL_MM1; }
            @Override public CompletionStage<Outcome> deliver(Message m, RecipientDelivery d) {
                return CompletableFuture.supplyAsync(() -> {
                    try {
                        stuck.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return new Outcome.TransientFailure("old node's late answer", null);
                });
            }
        };
        DeliveryScheduler nodeA = scheduler("a", hanging);
        DeliveryScheduler nodeB = scheduler("b", agent(RouteKind.LOCAL_MM1, d -> new Outcome.Delivered("node b delivered")));
        MessageId id = accept(SampleMessages.textTo(clock, "+4790000002/TYPE=PLMN"));
        assertEquals(1, nodeA.runOnce());
        assertEquals(0, nodeB.runOnce(), "leased by node a");
        clock.advance(Duration.ofMinutes(6));
        RecipientDelivery d = pass(nodeB, id);
        assertEquals(DeliveryState.RETRIEVED, d.state());
        stuck.countDown();
        assertTrue(nodeA.awaitIdle(Duration.ofSeconds(5)));
        assertEquals(DeliveryState.RETRIEVED, store.delivery(new DeliveryKey(id, 0)).orElseThrow().state(), "node a's stale write was refused");
    }

    @Test
    void thePollerDeliversNewAcceptsWithoutBeingAsked() throws Exception {
        CountDownLatch delivered = new CountDownLatch(1);
        DeliveryScheduler s = scheduler("a", agent(RouteKind.LOCAL_MM1, d -> {
            delivered.countDown();
            return new Outcome.Delivered("ok");
        }));
        s.start();
        accept(SampleMessages.textTo(clock, "+4790000002/TYPE=PLMN"));
        assertTrue(delivered.await(5, TimeUnit.SECONDS));
    }

    @Test
    void aReportTheInterfaceRefusedIsHandedOverAgainByTheSchedulerUntilItGoesThrough() throws Exception {
        List<Report> handed = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        relay4.registerReportSink(new ReportSink() {
            @Override public Interface iface() { return Interface.MM4; }
            @Override public CompletionStage<Void> send(Report r) {
                if (calls.incrementAndGet() <= 2) return CompletableFuture.failedFuture(new java.io.IOException("peer down"));
                handed.add(r);
                return CompletableFuture.completedFuture(null);
            }
        });
        DeliveryScheduler s = new DeliveryScheduler(store, relay4, List.of(), new SchedulerConfig(null, Duration.ofMinutes(5), 16,
                Duration.ofSeconds(5), POLICY, Map.of()), clock, "a", new SimpleMeterRegistry(), new Random(7));
        schedulers.add(s);
        Message m = SampleMessages.withDeliveryReport(clock, "+4790000002/TYPE=PLMN");
        Message fromPeer = new Message(m.id(), m.originator(), m.recipients(), m.subject(), m.messageClass(), m.priority(), m.date(),
                null, null, true, false, false, null, m.contentType(), m.parts(),
                org.openmmsc.core.model.Origin.of(Interface.MM4, "mms.peer.se", "peer-tx-1"));
        MessageId id = relay4.accept(fromPeer, relay4.route(fromPeer), null).join().id();
        relay4.record(new DeliveryKey(id, 0), new org.openmmsc.core.relay.RecipientEvent.Retrieved("GET")).join();
        assertEquals(1, calls.get(), "first hand-over refused");

        // The queued report is a delivery on the REPORT route: the scheduler retries it with backoff.
        MessageId queued = store.messageIds(null, 10).stream().filter(x -> !x.equals(id)).findFirst().orElseThrow();
        DeliveryKey reportKey = new DeliveryKey(queued, 0);
        s.runOnce();
        assertTrue(s.awaitIdle(Duration.ofSeconds(5)));
        RecipientDelivery waiting = store.delivery(reportKey).orElseThrow();
        assertEquals(DeliveryState.WAITING_FOR_RETRY, waiting.state());
        assertTrue(waiting.lastError().startsWith("MM4 refused the report"), waiting.lastError());

        clock.set(waiting.nextAttemptAt());
        s.runOnce();
        assertTrue(s.awaitIdle(Duration.ofSeconds(5)));
        assertEquals(DeliveryState.RETRIEVED, store.delivery(reportKey).orElseThrow().state());
        assertEquals(3, calls.get());
        assertEquals(1, handed.size());
        assertEquals(Report.Status.RETRIEVED, handed.getFirst().status());
        assertEquals(id, handed.getFirst().message().id(), "the report names the original message");
        assertEquals(fromPeer.recipients().getFirst(), handed.getFirst().recipient());
    }
}
