package org.openmmsc.core.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.openmmsc.core.config.RelayConfig;
import org.openmmsc.core.model.DeliveryKey;
import org.openmmsc.core.model.DeliveryState;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.RecipientStatus;
import org.openmmsc.core.model.Route;
import org.openmmsc.core.model.RouteKind;
import org.openmmsc.core.spi.ChargingEvents;
import org.openmmsc.core.spi.DeliveryAgent;
import org.openmmsc.core.spi.ChargingEvents.ChargingEvent;
import org.openmmsc.core.spi.IdempotencyKey;
import org.openmmsc.core.spi.MessageStore;
import org.openmmsc.core.spi.Report;
import org.openmmsc.core.spi.ReportSink;
import org.openmmsc.core.spi.RouteResolver;
import org.openmmsc.core.spi.StaleFenceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The relay: route before storing, accept only once durable, record what happens to each
 * recipient delivery, and raise the reports and charging events that follow. Interfaces call
 * it; the {@code DeliveryScheduler} drives deliveries through it.
 */
public final class Relay {
    private static final Logger log = LoggerFactory.getLogger(Relay.class);
    /** Concurrent writers to one delivery are rare (an inbound event racing a scheduled attempt); a few retries settle it. */
    private static final int MAX_CAS_RETRIES = 8;

    private final MessageStore store;
    private final RouteResolver resolver;
    private final RelayConfig config;
    private final Clock clock;
    private final ChargingEvents charging;
    private final Map<Interface, ReportSink> reportSinks;
    private final MeterRegistry meters;
    private final Timer storeWriteLatency;
    private volatile Runnable onAccepted = () -> {};

    public Relay(MessageStore store, RouteResolver resolver, RelayConfig config, Clock clock, ChargingEvents charging,
                 List<ReportSink> reportSinks, MeterRegistry meters) {
        this.store = store;
        this.resolver = resolver;
        this.config = config;
        this.clock = clock;
        this.charging = charging;
        this.reportSinks = new java.util.concurrent.ConcurrentHashMap<>();
        for (ReportSink sink : reportSinks) registerReportSink(sink);
        this.meters = meters;
        this.storeWriteLatency = Timer.builder("mmsc.store.write.latency")
                .description("Time from handing a message to the store until it is durable")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
    }

    /** Adds the report sink of an interface module (one per interface), before the node starts. */
    public void registerReportSink(ReportSink sink) {
        if (reportSinks.putIfAbsent(sink.iface(), sink) != null) {
            throw new IllegalArgumentException("a report sink for " + sink.iface() + " is already registered");
        }
    }

    /** Called after every new acceptance (the scheduler uses it to look for due work at once). */
    public void onAccepted(Runnable listener) {
        this.onAccepted = listener;
    }

    public MessageId newMessageId() {
        return MessageId.generate(clock);
    }

    public Clock clock() {
        return clock;
    }

    /** Step one: resolve every recipient, storing nothing, so the interface can refuse with its own status. */
    public Routing route(Message message) {
        List<Routing.Routed> routed = new ArrayList<>();
        List<Routing.Refused> refused = new ArrayList<>();
        for (int i = 0; i < message.recipients().size(); i++) {
            var recipient = message.recipients().get(i);
            switch (resolver.resolve(recipient.address(), message.origin().iface())) {
                case RouteResolver.RouteDecision.Routed r -> routed.add(new Routing.Routed(i, recipient, r.route()));
                case RouteResolver.RouteDecision.Refused r -> refused.add(new Routing.Refused(i, recipient, r.reason(), r.detail()));
            }
        }
        return new Routing(routed, refused);
    }

    /** The stored delivery, for an interface that must check an event against it before recording (e.g. an MM3 bounce). */
    public Optional<RecipientDelivery> delivery(DeliveryKey key) {
        return store.delivery(key);
    }

    /** An earlier submission with this key, if the window still remembers it. */
    public Optional<MessageId> findSubmission(IdempotencyKey key) {
        return store.findByIdempotencyKey(key, clock.instant());
    }

    /**
     * Step two: store the message with one delivery per routed recipient. Completes only when it
     * is durable. Refused recipients get no delivery; the interface decided to go ahead without them.
     */
    public CompletableFuture<Acceptance> accept(Message message, Routing routing, IdempotencyKey key) {
        if (routing.noneRouted()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no recipient of " + message.id() + " is routable"));
        }
        Instant now = clock.instant();
        Instant expiresAt = expiryOf(message, now);
        Instant firstAttempt = earliestDeliveryOf(message, now, expiresAt);
        List<RecipientDelivery> deliveries = new ArrayList<>(routing.routed().size());
        for (Routing.Routed r : routing.routed()) {
            deliveries.add(RecipientDelivery.accepted(message.id(), r.recipientIndex(), r.recipient(), r.route(), now, firstAttempt, expiresAt));
        }
        long started = System.nanoTime();
        return store.put(message, deliveries, key, key == null ? null : now.plus(config.idempotencyWindow()))
                .thenApply(put -> {
                    storeWriteLatency.record(Duration.ofNanos(System.nanoTime() - started));
                    String origin = message.origin().iface().name();
                    try (var ignored = MDC.putCloseable("messageId", put.id().value())) {
                        if (put.duplicate()) {
                            Counter.builder("mmsc.messages.duplicates").tag("origin", origin)
                                    .description("Retried submissions answered with the earlier message id").register(meters).increment();
                            log.info("duplicate submission {} from {} answered with the stored message", key == null ? "" : key.transactionId(), origin);
                            return new Acceptance(put.id(), true, deliveries.size());
                        }
                        Counter.builder("mmsc.messages.accepted").tag("origin", origin)
                                .description("Messages accepted (durable)").register(meters).increment();
                        log.info("accepted from {} by {}: {} recipients routed, {} refused, {} bytes, expires {}",
                                message.originator(), origin, deliveries.size(), routing.refused().size(), message.contentSize(), expiresAt);
                    }
                    for (RecipientDelivery d : deliveries) {
                        charge(ChargingEvent.Type.SUBMITTED, message, d, "accepted");
                    }
                    onAccepted.run();
                    return new Acceptance(put.id(), false, deliveries.size());
                });
    }

    private Instant expiryOf(Message message, Instant now) {
        Instant cap = now.plus(config.maxExpiry());
        Instant asked = message.expiry() == null ? now.plus(config.defaultExpiry()) : message.expiry().resolve(now);
        if (!asked.isAfter(now)) asked = now.plus(config.defaultExpiry());
        return asked.isAfter(cap) ? cap : asked;
    }

    private Instant earliestDeliveryOf(Message message, Instant now, Instant expiresAt) {
        if (message.earliestDelivery() == null) return now;
        Instant asked = message.earliestDelivery().resolve(now);
        Instant cap = now.plus(config.maxEarliestDeliveryDelay());
        if (asked.isBefore(now)) asked = now;
        if (asked.isAfter(cap)) asked = cap;
        return asked.isAfter(expiresAt) ? expiresAt : asked;
    }

    /**
     * Writes a delivery's next state (compare-and-set on its fence) and, once that is durable,
     * raises what follows from the change: log line, meters, report to the originator, charging.
     */
    public CompletableFuture<RecipientDelivery> commit(RecipientDelivery previous, RecipientDelivery next) {
        Instant now = clock.instant();
        Optional<Message> message;
        List<OwedReport> owed;
        try {
            // Stored reports owe no report and no charge of their own.
            boolean needsMessage = next.route().kind() != RouteKind.REPORT && (deliveryReportStatus(previous, next) != null || readReportStatus(previous, next) != null
                    || chargeType(previous, next) != null);
            message = needsMessage ? store.message(next.messageId()) : Optional.empty();
            owed = message.map(m -> reportsOwed(previous, next, m, now)).orElse(List.of());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        // The reports the change owes are stored in the same write, so a crash cannot keep the change and lose them.
        return store.update(next, owed.stream().map(OwedReport::stored).toList()).thenApply(stored -> {
            afterTransition(previous, stored, message);
            owed.forEach(this::handOverNow);
            if (!owed.isEmpty()) onAccepted.run();
            return stored;
        });
    }

    /**
     * A report a delivery's change owes its originator, with the copy stored on the REPORT route.
     * The stored copy is due only after {@link #IMMEDIATE_HAND_OVER_GRACE}: the relay hands the
     * report over at once and deletes the copy; the scheduler sends it only if that failed or
     * the node crashed in between (so after a crash a report may go twice, never not at all).
     */
    private record OwedReport(Report report, ReportSink sink, MessageStore.NewMessage stored) {}

    /** Longer than any interface takes to hand a report over; until then the stored copy waits for the immediate attempt. */
    static final Duration IMMEDIATE_HAND_OVER_GRACE = Duration.ofMinutes(5);

    private List<OwedReport> reportsOwed(RecipientDelivery before, RecipientDelivery after, Message m, Instant now) {
        Report.Status deliveryStatus = deliveryReportStatus(before, after);
        Report.Status readStatus = readReportStatus(before, after);
        if (deliveryStatus == null && readStatus == null) return List.of();
        ReportSink sink = reportSinks.get(m.origin().iface());
        List<OwedReport> owed = new ArrayList<>(2);
        String detail = after.history().isEmpty() ? "" : after.history().getLast().detail();
        if (deliveryStatus != null && m.deliveryReportRequested()) {
            // The recipient's last word (MM1 X-Mms-Report-Allowed) decides whether the originator may know.
            if (after.deliveryReportAllowed()) owed.add(owed(Report.Kind.DELIVERY, m, after, deliveryStatus, detail, sink, now));
            else log.info("{} delivery report to {} withheld: the recipient does not allow delivery reports", deliveryStatus, m.originator());
        }
        if (readStatus != null && m.readReportRequested()) owed.add(owed(Report.Kind.READ, m, after, readStatus, detail, sink, now));
        if (sink == null && !owed.isEmpty()) {
            log.debug("no report sink for {}; {} report(s) for {} not sent", m.origin().iface(), owed.size(), m.id());
            return List.of();
        }
        return owed;
    }

    private OwedReport owed(Report.Kind kind, Message message, RecipientDelivery delivery, Report.Status status, String detail,
                            ReportSink sink, Instant now) {
        Report report = new Report(kind, message, delivery.recipient(), status, now, detail);
        Message copy = StoredReport.toMessage(newMessageId(), report, delivery.recipientIndex(), now);
        Route route = new Route(RouteKind.REPORT, message.origin().iface().name());
        RecipientDelivery due = RecipientDelivery.accepted(copy.id(), 0, copy.recipients().getFirst(), route, now,
                now.plus(IMMEDIATE_HAND_OVER_GRACE), now.plus(config.defaultExpiry()));
        IdempotencyKey key = StoredReport.key(message.origin().iface(), report, delivery.recipientIndex());
        return new OwedReport(report, sink, new MessageStore.NewMessage(copy, List.of(due), key, now.plus(config.defaultExpiry())));
    }

    /**
     * Records what an interface learned about a delivery. Re-reads and retries when the delivery
     * changed underneath (a scheduled attempt raced it). Completes with the stored delivery, or
     * empty if the delivery is unknown; an event that no longer applies (e.g. a fetch after
     * expiry) completes exceptionally with IllegalTransitionException.
     */
    public CompletableFuture<Optional<RecipientDelivery>> record(DeliveryKey key, RecipientEvent event) {
        return recordAttempt(key, event, 0);
    }

    private CompletableFuture<Optional<RecipientDelivery>> recordAttempt(DeliveryKey key, RecipientEvent event, int attempt) {
        Optional<RecipientDelivery> current = store.delivery(key);
        if (current.isEmpty()) return CompletableFuture.completedFuture(Optional.empty());
        RecipientDelivery before = current.get();
        RecipientDelivery after;
        try {
            after = apply(before, event, clock.instant());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (after == before) return CompletableFuture.completedFuture(current);
        return commit(before, after).<CompletableFuture<Optional<RecipientDelivery>>>handle((stored, error) -> {
            if (error == null) return CompletableFuture.completedFuture(Optional.of(stored));
            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
            if (cause instanceof StaleFenceException && attempt < MAX_CAS_RETRIES) return recordAttempt(key, event, attempt + 1);
            return CompletableFuture.failedFuture(cause);
        }).thenCompose(f -> f);
    }

    private static RecipientDelivery apply(RecipientDelivery d, RecipientEvent event, Instant now) {
        return switch (event) {
            case RecipientEvent.Retrieved r -> d.state() == DeliveryState.RETRIEVED ? d
                    : d.moveTo(DeliveryState.RETRIEVED, now, null, r.detail());
            // A repeated GET, or one after the answer, changes nothing.
            case RecipientEvent.Fetched f -> d.state() == DeliveryState.FETCHED || d.state() == DeliveryState.RETRIEVED ? d
                    : d.moveTo(DeliveryState.FETCHED, now, f.answerBy(), f.detail());
            case RecipientEvent.Answered a -> {
                RecipientDelivery answered = switch (a.status()) {
                    case REJECTED -> d.withRecipientStatus(RecipientStatus.REJECTED, now, a.detail())
                            .moveTo(DeliveryState.REJECTED, now, null, "rejected by recipient: " + a.detail());
                    case FORWARDED -> d.withRecipientStatus(RecipientStatus.FORWARDED, now, a.detail())
                            .moveTo(DeliveryState.RETRIEVED, now, null, "forwarded by recipient: " + a.detail());
                    case RETRIEVED -> d.state() == DeliveryState.RETRIEVED ? d
                            : d.withRecipientStatus(RecipientStatus.RETRIEVED, now, a.detail()).moveTo(DeliveryState.RETRIEVED, now, null, a.detail());
                    case DEFERRED -> {
                        // The phone has the notification and will fetch later: stop re-notifying, keep it until expiry.
                        RecipientDelivery deferred = d.withRecipientStatus(RecipientStatus.DEFERRED, now, a.detail());
                        yield d.state().isSettled() || d.state() == DeliveryState.FETCHED ? deferred : deferred.withNextAttemptAt(d.expiresAt());
                    }
                    default -> d.withRecipientStatus(a.status(), now, a.detail());
                };
                // The recipient's say on delivery reports comes with the answer that would raise one.
                yield answered == d ? d : answered.withDeliveryReportAllowed(a.deliveryReportAllowed());
            }
            case RecipientEvent.NextHopFailed f -> d.moveTo(f.expired() ? DeliveryState.EXPIRED : DeliveryState.FAILED, now, null, f.detail());
            case RecipientEvent.ReadReport r -> d.withRecipientStatus(r.status(), now, r.detail());
            case RecipientEvent.Cancelled c -> d.moveTo(DeliveryState.CANCELLED, now, null, c.detail());
        };
    }

    /** Withdraws every delivery not yet settled. Answers how many were cancelled and how many were too late. */
    public CompletableFuture<CancelOutcome> cancel(MessageId id, String reason) {
        List<RecipientDelivery> deliveries = store.deliveries(id);
        if (deliveries.isEmpty()) return CompletableFuture.completedFuture(new CancelOutcome(false, 0, 0));
        List<CompletableFuture<Boolean>> writes = new ArrayList<>();
        for (RecipientDelivery d : deliveries) {
            if (d.state().isSettled()) {
                writes.add(CompletableFuture.completedFuture(false));
                continue;
            }
            writes.add(record(d.key(), new RecipientEvent.Cancelled(reason)).handle((r, e) -> e == null && r.isPresent() && r.get().state() == DeliveryState.CANCELLED));
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).thenApply(v -> {
            int cancelled = (int) writes.stream().filter(CompletableFuture::join).count();
            return new CancelOutcome(true, cancelled, writes.size() - cancelled);
        });
    }

    /** Result of {@link #cancel}: whether the message exists, deliveries cancelled, deliveries already settled. */
    public record CancelOutcome(boolean found, int cancelled, int tooLate) {}

    /**
     * Replaces a message's content (MM7 ReplaceReq) while some recipient can still get it.
     * Completes once the replacement is durable. A recipient already notified fetches the new
     * content (retrieval reads the stored message); those already served keep what they got.
     * {@code pending} counts deliveries that will see the new content, {@code settled} those that will not.
     */
    public CompletableFuture<ReplaceResult> replace(Message replacement, String reason) {
        return store.replaceContent(replacement).thenApply(outcome -> {
            List<RecipientDelivery> deliveries = store.deliveries(replacement.id());
            int settled = (int) deliveries.stream().filter(d -> d.state().isSettled()).count();
            try (var ignored = MDC.putCloseable("messageId", replacement.id().value())) {
                if (outcome == MessageStore.ReplaceOutcome.REPLACED) {
                    Counter.builder("mmsc.messages.replaced").tag("origin", replacement.origin().iface().name())
                            .description("Messages whose content was replaced before delivery").register(meters).increment();
                    log.info("content replaced ({}): {} bytes, {} deliveries still to see it, {} already settled", reason,
                            replacement.contentSize(), deliveries.size() - settled, settled);
                } else {
                    log.info("content replacement ({}) not done: {}", reason, outcome);
                }
            }
            return new ReplaceResult(outcome, deliveries.size() - settled, settled);
        });
    }

    /**
     * Moves the first attempt of deliveries nobody has tried yet (never notified or handed on) to
     * {@code earliest}, capped like an accepted message's earliest delivery time. A delivery the
     * scheduler is working on right now (fence moved) is left as it is. Completes with how many moved.
     */
    public CompletableFuture<Integer> postpone(MessageId id, Instant earliest) {
        Instant now = clock.instant();
        List<CompletableFuture<Boolean>> writes = new ArrayList<>();
        for (RecipientDelivery d : store.deliveries(id)) {
            if (d.state() != DeliveryState.ACCEPTED || d.attempts() > 0) continue;
            if (d.lease() != null && d.lease().until().isAfter(now)) continue;
            Instant at = earliest;
            Instant cap = now.plus(config.maxEarliestDeliveryDelay());
            if (at.isAfter(cap)) at = cap;
            if (at.isAfter(d.expiresAt())) at = d.expiresAt();
            if (!at.isAfter(d.nextAttemptAt())) continue;
            writes.add(store.update(d.withNextAttemptAt(at)).handle((stored, e) -> e == null));
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                .thenApply(v -> (int) writes.stream().filter(CompletableFuture::join).count());
    }

    /** Result of {@link #replace}: what the store did, and how many deliveries will and will not see the new content. */
    public record ReplaceResult(MessageStore.ReplaceOutcome outcome, int pending, int settled) {}

    private void afterTransition(RecipientDelivery before, RecipientDelivery after, Optional<Message> message) {
        boolean stateChanged = before.state() != after.state();
        boolean answerChanged = before.recipientStatus() != after.recipientStatus();
        if (!stateChanged && !answerChanged) return;
        try (var ignored = MDC.putCloseable("messageId", after.messageId().value())) {
            String detail = after.history().isEmpty() ? "" : after.history().getLast().detail();
            log.info("delivery {} to {} via {}: {} -> {} (recipient: {}) {}", after.recipientIndex(), after.recipient().address(),
                    after.route(), before.state(), after.state(), after.recipientStatus(), detail);
            if (stateChanged) {
                Counter.builder("mmsc.deliveries").tag("route", after.route().kind().name()).tag("state", after.state().name())
                        .description("Delivery state changes, by route and new state").register(meters).increment();
            }
            ChargingEvent.Type chargeType = chargeType(before, after);
            if (chargeType != null) message.ifPresent(m -> charge(chargeType, m, after, detail));
        }
    }

    private static ChargingEvent.Type chargeType(RecipientDelivery before, RecipientDelivery after) {
        // Reports the MMSC queued for itself are not charged to anyone.
        if (before.state() == after.state() || after.route().kind() == RouteKind.REPORT) return null;
        return chargingType(after.state());
    }

    private static Report.Status deliveryReportStatus(RecipientDelivery before, RecipientDelivery after) {
        if (before.state() != after.state()) {
            return switch (after.state()) {
                case RETRIEVED -> after.recipientStatus() == RecipientStatus.FORWARDED ? Report.Status.FORWARDED : Report.Status.RETRIEVED;
                case EXPIRED -> Report.Status.EXPIRED;
                case REJECTED -> Report.Status.REJECTED;
                case FAILED -> Report.Status.UNREACHABLE;
                // A mail exchanger never reports retrieval: tell the sender we cannot know.
                case HANDED_OFF -> after.route().kind() == RouteKind.EMAIL_MM3 ? Report.Status.INDETERMINATE : null;
                default -> null;
            };
        }
        return after.recipientStatus() == RecipientStatus.DEFERRED ? Report.Status.DEFERRED : null;
    }

    private static Report.Status readReportStatus(RecipientDelivery before, RecipientDelivery after) {
        if (before.recipientStatus() == after.recipientStatus()) return null;
        return switch (after.recipientStatus()) {
            case READ -> Report.Status.READ;
            case DELETED_WITHOUT_READ -> Report.Status.DELETED_WITHOUT_READ;
            default -> null;
        };
    }

    private static ChargingEvent.Type chargingType(DeliveryState state) {
        return switch (state) {
            case RETRIEVED -> ChargingEvent.Type.DELIVERED;
            case EXPIRED -> ChargingEvent.Type.EXPIRED;
            case REJECTED -> ChargingEvent.Type.REJECTED;
            case FAILED -> ChargingEvent.Type.FAILED;
            case CANCELLED -> ChargingEvent.Type.CANCELLED;
            default -> null;
        };
    }

    /**
     * Hands a report over at once. Its stored copy is then deleted; if the interface refused it
     * (peer or PPG down), the copy is made due now, and the scheduler retries it with backoff,
     * across restarts.
     */
    private void handOverNow(OwedReport owed) {
        Report report = owed.report();
        MessageId copy = owed.stored().message().id();
        handOver(owed.sink(), report).whenComplete((v, e) -> {
            try (var ignored = MDC.putCloseable("messageId", report.message().id().value())) {
                if (e == null) {
                    store.delete(copy).whenComplete((deleted, error) -> {
                        if (error != null) log.warn("stored copy {} of a sent report not deleted; it may be sent again: {}", copy, error.toString());
                    });
                    return;
                }
                log.warn("{} report ({}) for {} to {} not handed over, queued for retry as {}: {}", report.kind(), report.status(),
                        report.recipient().address(), owed.sink().iface(), copy, e.toString());
                makeDueNow(owed.stored().deliveries().getFirst());
            }
        });
    }

    private void makeDueNow(RecipientDelivery stored) {
        RecipientDelivery current = store.delivery(stored.key()).orElse(null);
        // Already taken by the scheduler (or gone): it owns the retry.
        if (current == null || current.fence() != stored.fence() || current.state().isSettled()) return;
        store.update(current.withNextAttemptAt(clock.instant())).whenComplete((d, e) -> {
            if (e == null) onAccepted.run();
            else log.debug("queued report {} not made due at once ({}); it is due after the grace", stored.key(), e.toString());
        });
    }

    private CompletionStage<Void> handOver(ReportSink sink, Report report) {
        CompletionStage<Void> sent;
        try {
            sent = sink.send(report);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.whenComplete((v, e) -> Counter.builder("mmsc.reports").tag("interface", sink.iface().name())
                .tag("kind", report.kind().name()).tag("outcome", e == null ? "sent" : "failed")
                .description("Attempts to hand reports to the originator's interface, by outcome").register(meters).increment());
    }

    /** The delivery agent for {@link RouteKind#REPORT}: hands queued reports to their interface's sink. */
    public DeliveryAgent reportAgent() {
        return new DeliveryAgent() {
            @Override
            public RouteKind routeKind() {
                return RouteKind.REPORT;
            }

            @Override
            public CompletionStage<Outcome> deliver(Message stored, RecipientDelivery delivery) {
                StoredReport.Contents contents;
                Interface iface;
                try {
                    contents = StoredReport.read(stored);
                    iface = Interface.valueOf(delivery.route().target());
                } catch (IllegalArgumentException e) {
                    return CompletableFuture.completedFuture(new Outcome.PermanentFailure(e.getMessage()));
                }
                ReportSink sink = reportSinks.get(iface);
                if (sink == null) return CompletableFuture.completedFuture(new Outcome.TransientFailure("no " + iface + " report sink on this node", null));
                Optional<Message> original = store.message(contents.originalId());
                if (original.isEmpty()) {
                    return CompletableFuture.completedFuture(new Outcome.PermanentFailure("original message " + contents.originalId() + " is gone"));
                }
                var recipient = original.get().recipients().get(contents.recipientIndex());
                Report report = new Report(contents.kind(), original.get(), recipient, contents.status(), contents.at(), contents.detail());
                return handOver(sink, report).handle((v, e) -> e == null
                        ? new Outcome.Delivered(contents.kind() + " report (" + contents.status() + ") handed to " + iface)
                        : new Outcome.TransientFailure(iface + " refused the report: " + e, null));
            }
        };
    }

    private void charge(ChargingEvent.Type type, Message message, RecipientDelivery delivery, String detail) {
        try {
            charging.record(new ChargingEvent(type, message.id(), message.origin().iface(), message.originator(),
                    delivery.recipient().address(), delivery.route().kind(), message.contentSize(), clock.instant(), detail,
                    message.chargedParty()));
        } catch (RuntimeException e) {
            log.error("charging event {} for {} failed: {}", type, message.id(), e.toString());
        }
    }
}
