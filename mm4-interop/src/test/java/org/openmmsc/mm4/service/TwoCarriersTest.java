package org.openmmsc.mm4.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openmmsc.core.config.NumberingConfig;
import org.openmmsc.core.config.RelayConfig;
import org.openmmsc.core.config.RoutePolicy;
import org.openmmsc.core.config.RoutingConfig;
import org.openmmsc.core.config.SchedulerConfig;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.ContentType;
import org.openmmsc.core.model.DeliveryState;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.model.Origin;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.Recipient;
import org.openmmsc.core.model.RouteKind;
import org.openmmsc.core.relay.RecipientEvent;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.core.relay.StaticRouteResolver;
import org.openmmsc.core.schedule.DeliveryScheduler;
import org.openmmsc.core.spi.DeliveryAgent;
import org.openmmsc.core.spi.Report;
import org.openmmsc.core.spi.ReportSink;
import org.openmmsc.core.testing.InMemoryMessageStore;
import org.openmmsc.mm3.SmtpConfig;

/**
 * Two carriers in one JVM, each with its own store, relay, scheduler and MM4 interface on a
 * loopback port: A (mms.a.test, +47) and B (mms.b.test, +4690…). A's subscriber sends to B's; the
 * MM4 forward crosses real SMTP, B's phone side is played by hand (MM1 is another module), and
 * B's delivery report comes back over MM4 to A's originator.
 */
@Tag("integration")
class TwoCarriersTest {

    /** One carrier: everything but MM1, whose part (notify, then the phone fetches) the test plays. */
    static final class Carrier implements AutoCloseable {
        final InMemoryMessageStore store = new InMemoryMessageStore(Clock.systemUTC());
        final List<Report> reportsToMm1Senders = new CopyOnWriteArrayList<>();
        final Relay relay;
        final DeliveryScheduler scheduler;
        final Mm4Interface mm4;
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();

        Carrier(String domain, int port, List<String> localPrefixes, RoutingConfig.PeerRange peerRange, String peerDomain, int peerPort) throws Exception {
            this(new SmtpConfig("127.0.0.1", port, domain, domain, null, null, null, null, null, null, null, null,
                    Duration.ofSeconds(1), Duration.ofSeconds(5), List.of(new SmtpConfig.Peer(peerDomain, "127.0.0.1", peerPort, List.of("127.0.0.1/32"))),
                    null, null, null, null, null, null), localPrefixes, List.of(peerRange));
        }

        /** A carrier with its whole smtp section given (TLS, several peers, hub mode, DNS). */
        Carrier(SmtpConfig config, List<String> localPrefixes, List<RoutingConfig.PeerRange> peerRanges) throws Exception {
            String domain = config.domain();
            ReportSink mm1Sink = new ReportSink() {
                @Override public Interface iface() { return Interface.MM1; }
                @Override public CompletionStage<Void> send(Report r) {
                    reportsToMm1Senders.add(r);
                    return CompletableFuture.completedFuture(null);
                }
            };
            relay = new Relay(store, new StaticRouteResolver(new RoutingConfig(localPrefixes, peerRanges, null, null), config.hub()),
                    RelayConfig.defaults(), Clock.systemUTC(), e -> {}, List.of(mm1Sink), new SimpleMeterRegistry());
            RoutePolicy quickRetries = new RoutePolicy(null, 50, Duration.ofMillis(200), Duration.ofMillis(400), 0.0, null, null);
            DeliveryAgent phoneNotified = new DeliveryAgent() {
                @Override public RouteKind routeKind() { return RouteKind.LOCAL_MM1; }
                @Override public CompletionStage<Outcome> deliver(Message m, RecipientDelivery d) {
                    return CompletableFuture.completedFuture(new Outcome.Notified(Instant.now().plus(Duration.ofHours(1)), "push sent"));
                }
            };
            scheduler = new DeliveryScheduler(store, relay, List.of(phoneNotified),
                    new SchedulerConfig(Duration.ofMillis(50), null, null, Duration.ofSeconds(5), quickRetries, null),
                    Clock.systemUTC(), domain, new SimpleMeterRegistry(), new SplittableRandom(1));
            mm4 = new Mm4Interface(config, relay, NumberingConfig.defaults().normalizer(), meters, store::delivery);
            mm4.start(scheduler::registerAgent);
            scheduler.start();
        }

        RecipientDelivery delivery(MessageId id) {
            return store.deliveries(id).getFirst();
        }

        List<Message> messagesFrom(Interface iface) {
            List<Message> out = new ArrayList<>();
            for (MessageId id : store.messageIds(null, 1000)) store.message(id).filter(m -> m.origin().iface() == iface).ifPresent(out::add);
            return out;
        }

        @Override
        public void close() {
            scheduler.stop(Duration.ofSeconds(2));
            mm4.close();
        }
    }

    final List<Carrier> carriers = new ArrayList<>();
    private final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs = new ch.qos.logback.core.read.ListAppender<>();

    @org.junit.jupiter.api.BeforeEach
    void watchLogs() {
        logs.start();
        rootLogger().addAppender(logs);
    }

    @AfterEach
    void stop() {
        carriers.forEach(Carrier::close);
        rootLogger().detachAppender(logs);
        // As with every real neighbour: a run that logged an ERROR is a failed run, whatever it asserted.
        List<String> errors = logs.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR)
                .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
        assertEquals(List.of(), errors);
    }

    private static ch.qos.logback.classic.Logger rootLogger() {
        return (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Carrier carrierA(int portA, int portB) throws Exception {
        Carrier a = new Carrier("mms.a.test", portA, List.of("+47"), new RoutingConfig.PeerRange("+46", "mms.b.test"), "mms.b.test", portB);
        carriers.add(a);
        return a;
    }

    private Carrier carrierB(int portB, int portA) throws Exception {
        Carrier b = new Carrier("mms.b.test", portB, List.of("+4690"), new RoutingConfig.PeerRange("+47", "mms.a.test"), "mms.a.test", portA);
        carriers.add(b);
        return b;
    }

    static MessageId submitAtA(Carrier a, String to) {
        Message m = new Message(a.relay.newMessageId(), Address.plmn("+4790000001"), List.of(Recipient.to(Address.plmn(to))), null, null, null,
                Instant.now(), null, null, true, false, false, null, ContentType.of("text/plain"),
                List.of(new MessagePart(ContentType.parse("text/plain; charset=utf-8"), List.of(), "hei".getBytes(StandardCharsets.UTF_8))),
                Origin.of(Interface.MM1, "+4790000001", "tx-" + to));
        return a.relay.accept(m, a.relay.route(m), null).join().id();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void forwardIsHandedOffAndTheDeliveryReportComesBackToTheSender() throws Exception {
        int portA = freePort();
        int portB = freePort();
        Carrier a = carrierA(portA, portB);
        Carrier b = carrierB(portB, portA);
        MessageId sent = submitAtA(a, "+4690000002");

        await("A has handed the message to B", () -> a.delivery(sent).state() == DeliveryState.HANDED_OFF);
        await("B holds it as an MM4 message", () -> b.messagesFrom(Interface.MM4).size() == 1);
        Message atB = b.messagesFrom(Interface.MM4).getFirst();
        assertEquals("+4790000001", atB.originator().value());
        assertEquals("mms.a.test", atB.origin().authenticatedSender());
        assertTrue(atB.deliveryReportRequested());
        await("B has notified its subscriber", () -> b.delivery(atB.id()).state() == DeliveryState.NOTIFIED);

        // B's subscriber fetches the message over MM1.
        b.relay.record(b.delivery(atB.id()).key(), new RecipientEvent.Retrieved("fetched over MM1")).join();

        await("the delivery report reached A", () -> a.delivery(sent).state() == DeliveryState.RETRIEVED);
        await("A's sender got the report", () -> !a.reportsToMm1Senders.isEmpty());
        assertEquals(Report.Status.RETRIEVED, a.reportsToMm1Senders.getFirst().status());
        assertEquals(Report.Kind.DELIVERY, a.reportsToMm1Senders.getFirst().kind());
    }

    @Test
    void whileBIsDownAWaitsAndRetriesThenDelivers() throws Exception {
        int portA = freePort();
        int portB = freePort();
        Carrier a = carrierA(portA, portB);
        MessageId sent = submitAtA(a, "+4690000003");
        await("A has tried and is waiting to retry", () -> a.delivery(sent).attempts() >= 2
                && a.delivery(sent).state() == DeliveryState.WAITING_FOR_RETRY);
        carrierB(portB, portA);
        await("A has handed the message to B once B is up", () -> a.delivery(sent).state() == DeliveryState.HANDED_OFF);
    }

    @Test
    void whenBRefusesTheRecipientTheSenderGetsAFailureReport() throws Exception {
        int portA = freePort();
        int portB = freePort();
        Carrier a = carrierA(portA, portB);
        Carrier b = carrierB(portB, portA);
        MessageId sent = submitAtA(a, "+4699999999"); // +46 routes to B, but B serves only +4690…
        await("A's delivery is rejected", () -> a.delivery(sent).state() == DeliveryState.REJECTED);
        assertTrue(a.delivery(sent).lastError().contains("550"), a.delivery(sent).lastError());
        await("A's sender got the failure report", () -> !a.reportsToMm1Senders.isEmpty());
        assertEquals(Report.Status.REJECTED, a.reportsToMm1Senders.getFirst().status());
        assertEquals(0, b.store.messageCount());
    }
}
