package org.openmmsc.core.schedule;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.openmmsc.core.config.RoutePolicy;
import org.openmmsc.core.config.SchedulerConfig;
import org.openmmsc.core.model.DeliveryState;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.RouteKind;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.core.spi.DeliveryAgent;
import org.openmmsc.core.spi.DeliveryAgent.Outcome;
import org.openmmsc.core.spi.MessageStore;
import org.openmmsc.core.spi.StaleFenceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Owns time: takes due deliveries from the store under a lease, runs each on its route's agent
 * within the route's concurrency limit, and writes the outcome back — retry with backoff and
 * jitter, re-notify, expire, give up. All of its state is in the store, so a restart (or another
 * node, once a lease lapses) carries on where it stopped.
 */
public final class DeliveryScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryScheduler.class);
    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);
    private static final int PURGE_BATCH = 1000;

    private final MessageStore store;
    private final Relay relay;
    private final Map<RouteKind, DeliveryAgent> agents = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<RouteKind, Semaphore> routeSlots = new EnumMap<>(RouteKind.class);
    private final SchedulerConfig config;
    private final Clock clock;
    private final String nodeId;
    private final RandomGenerator random;
    private final Semaphore inFlight;
    private final AtomicInteger running = new AtomicInteger();
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("delivery-", 0).factory());
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Timer lag;
    private volatile boolean woken;
    /** The poller sleeps because every attempt slot is taken; finishing attempts wake it once enough are free. */
    private volatile boolean starved;
    private final int resumeAt;
    private volatile boolean stopping;
    private Thread poller;
    private Instant nextPurge = Instant.EPOCH;

    public DeliveryScheduler(MessageStore store, Relay relay, List<DeliveryAgent> agentList, SchedulerConfig config, Clock clock,
                             String nodeId, MeterRegistry meters, RandomGenerator random) {
        this.store = store;
        this.relay = relay;
        this.config = config;
        this.clock = clock;
        this.nodeId = nodeId;
        this.random = random;
        for (DeliveryAgent agent : agentList) registerAgent(agent);
        // Reports an interface refused are queued in the store; this node hands them over again.
        registerAgent(relay.reportAgent());
        for (RouteKind kind : RouteKind.values()) routeSlots.put(kind, new Semaphore(config.policy(kind).maxConcurrency()));
        this.inFlight = new Semaphore(config.batchSize());
        // A quarter of the slots free before the poller looks again: one look leases many, not one per finished attempt.
        this.resumeAt = Math.max(1, config.batchSize() / 4);
        this.lag = Timer.builder("mmsc.scheduler.lag").description("How late a due delivery was taken, behind its due time")
                .publishPercentiles(0.5, 0.99).register(meters);
        Gauge.builder("mmsc.scheduler.inflight", running, AtomicInteger::get).description("Delivery attempts under way").register(meters);
        Gauge.builder("mmsc.deliveries.pending", store, MessageStore::pendingDeliveries)
                .description("Deliveries not yet settled (the queue depth)").register(meters);
        relay.onAccepted(this::wakeUp);
    }

    /** Adds the delivery agent of an interface module (one per route kind), before {@link #start}. */
    public void registerAgent(DeliveryAgent agent) {
        if (agents.putIfAbsent(agent.routeKind(), agent) != null) {
            throw new IllegalArgumentException("two delivery agents for " + agent.routeKind());
        }
    }

    public synchronized void start() {
        if (poller != null) return;
        poller = Thread.ofPlatform().name("delivery-scheduler").daemon(true).start(this::pollLoop);
    }

    /** Look for due work now rather than at the next poll. */
    public void wakeUp() {
        woken = true;
        lock.lock();
        try {
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    private void pollLoop() {
        while (!stopping) {
            int dispatched = 0;
            try {
                housekeeping();
                dispatched = runOnce();
            } catch (RuntimeException e) {
                log.error("scheduler pass failed; retrying after {}", config.pollInterval(), e);
            }
            if (dispatched < config.batchSize() || inFlight.availablePermits() == 0) waitForWork();
        }
    }

    private void waitForWork() {
        Instant now = clock.instant();
        Duration wait = config.pollInterval();
        if (inFlight.availablePermits() > 0) {
            Optional<Instant> due = store.nextDueTime();
            if (due.isPresent()) {
                Duration untilDue = Duration.between(now, due.get());
                if (untilDue.compareTo(wait) < 0) wait = untilDue.isNegative() ? Duration.ZERO : untilDue;
            }
        } else {
            // Without this the poller slept a whole poll interval whenever the slots were full, which capped
            // throughput at batchSize per pollInterval. Flag first, then look again: an attempt finishing in
            // between either sees the flag or leaves its slot for this look.
            starved = true;
            if (inFlight.availablePermits() >= resumeAt) {
                starved = false;
                return;
            }
        }
        if (wait.isZero()) return;
        lock.lock();
        try {
            if (!woken && !stopping) wake.await(wait.toNanos(), TimeUnit.NANOSECONDS);
            woken = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        } finally {
            lock.unlock();
        }
    }

    private void housekeeping() {
        Instant now = clock.instant();
        if (now.isBefore(nextPurge)) return;
        nextPurge = now.plus(PURGE_INTERVAL);
        int purged = store.purgeExpired(now, PURGE_BATCH);
        if (purged > 0) log.info("purged {} expired messages", purged);
    }

    /** Leases one batch of due deliveries and starts them. Returns how many it started. */
    public int runOnce() {
        int capacity = inFlight.availablePermits();
        if (capacity == 0) return 0;
        Instant now = clock.instant();
        List<RecipientDelivery> due = store.leaseDue(now, capacity, nodeId, config.leaseDuration());
        for (RecipientDelivery delivery : due) {
            inFlight.acquireUninterruptibly();
            running.incrementAndGet();
            lag.record(Duration.between(delivery.nextAttemptAt(), now).isNegative() ? Duration.ZERO : Duration.between(delivery.nextAttemptAt(), now));
            workers.execute(() -> {
                try (var ignored = MDC.putCloseable("messageId", delivery.messageId().value())) {
                    attempt(delivery);
                } catch (RuntimeException e) {
                    log.error("delivery {} attempt failed unexpectedly; its lease will lapse and it will be retried", delivery.key(), e);
                } finally {
                    running.decrementAndGet();
                    inFlight.release();
                    if (starved && inFlight.availablePermits() >= resumeAt) {
                        starved = false;
                        wakeUp();
                    }
                }
            });
        }
        return due.size();
    }

    private void attempt(RecipientDelivery delivery) {
        Instant now = clock.instant();
        Optional<Message> message = store.message(delivery.messageId());
        if (message.isEmpty()) {
            log.warn("delivery {} has no message (deleted meanwhile); leaving it", delivery.key());
            return;
        }
        RecipientDelivery next;
        if (delivery.state() == DeliveryState.FETCHED) {
            // The phone fetched the content but never said whether the sender may know: the content was
            // handed over, so it counts as retrieved (and reported, unless the recipient forbade reports earlier).
            next = delivery.moveTo(DeliveryState.RETRIEVED, now, null,
                    "fetched; no m-notifyresp-ind or m-acknowledge-ind by " + delivery.nextAttemptAt() + ", counted as retrieved");
        } else if (!now.isBefore(delivery.expiresAt())) {
            next = delivery.moveTo(DeliveryState.EXPIRED, now, null, "expired at " + delivery.expiresAt() + " before it was retrieved");
        } else {
            Outcome outcome = runAgent(message.get(), delivery);
            next = nextState(delivery, outcome, clock.instant());
        }
        try {
            relay.commit(delivery, next).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof StaleFenceException stale) {
                log.info("delivery {} changed while it was being attempted; keeping the newer state ({})", delivery.key(), stale.getMessage());
            } else {
                throw e;
            }
        }
    }

    private Outcome runAgent(Message message, RecipientDelivery delivery) {
        RouteKind kind = delivery.route().kind();
        DeliveryAgent agent = agents.get(kind);
        if (agent == null) {
            return new Outcome.TransientFailure("no delivery agent for route " + kind + " on this node", null);
        }
        Semaphore slots = routeSlots.get(kind);
        slots.acquireUninterruptibly();
        try {
            return agent.deliver(message, delivery).toCompletableFuture()
                    .get(config.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new Outcome.TransientFailure("attempt timed out after " + config.attemptTimeout(), null);
        } catch (ExecutionException e) {
            log.error("{} agent failed on delivery {}", kind, delivery.key(), e.getCause());
            return new Outcome.TransientFailure("agent error: " + e.getCause(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.TransientFailure("interrupted (node stopping)", null);
        } catch (RuntimeException e) {
            log.error("{} agent failed on delivery {}", kind, delivery.key(), e);
            return new Outcome.TransientFailure("agent error: " + e, null);
        } finally {
            slots.release();
        }
    }

    /** The delivery after an attempt with this outcome. Pure, so the rules are testable on their own. */
    RecipientDelivery nextState(RecipientDelivery d, Outcome outcome, Instant now) {
        RoutePolicy policy = config.policy(d.route().kind());
        int attempts = d.attempts() + 1;
        RecipientDelivery counted = d.withAttempts(attempts);
        return switch (outcome) {
            case Outcome.Notified n -> {
                Instant recheck = attempts >= policy.maxNotifications() ? d.expiresAt()
                        : n.recheckAt() != null ? n.recheckAt() : now.plus(policy.renotifyInterval());
                yield counted.moveTo(DeliveryState.NOTIFIED, now, notAfter(recheck, d.expiresAt()), n.detail());
            }
            case Outcome.HandedOff h -> counted.moveTo(DeliveryState.HANDED_OFF, now, null, h.detail());
            case Outcome.Delivered r -> counted.moveTo(DeliveryState.RETRIEVED, now, null, r.detail());
            case Outcome.PermanentFailure f -> counted.moveTo(DeliveryState.FAILED, now, null, f.reason());
            case Outcome.Rejected r -> counted.moveTo(DeliveryState.REJECTED, now, null, r.reason());
            case Outcome.TransientFailure f -> {
                if (attempts >= policy.maxAttempts()) {
                    yield counted.moveTo(DeliveryState.FAILED, now, null, "gave up after " + attempts + " attempts: " + f.reason());
                }
                Duration wait = f.retryAfter() != null ? f.retryAfter() : Backoff.after(attempts, policy, random);
                yield counted.moveTo(DeliveryState.WAITING_FOR_RETRY, now, notAfter(now.plus(wait), d.expiresAt()), f.reason());
            }
        };
    }

    private static Instant notAfter(Instant t, Instant limit) {
        return t.isAfter(limit) ? limit : t;
    }

    /** Waits until no attempt is under way; true if that happened within {@code timeout}. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running.get() > 0) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(1);
        }
        return true;
    }

    /** Stops taking work and waits up to {@code grace} for attempts under way; unfinished ones are retried after their lease. */
    public void stop(Duration grace) {
        stopping = true;
        wakeUp();
        Thread p;
        synchronized (this) {
            p = poller;
        }
        if (p != null) {
            try {
                p.join(grace.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} delivery attempts still running at shutdown; they will be retried after their lease", running.get());
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
