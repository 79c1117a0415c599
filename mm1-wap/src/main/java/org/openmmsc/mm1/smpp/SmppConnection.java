package org.openmmsc.mm1.smpp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.openmmsc.mm1.Mm1Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One transceiver bind to the SMSC, kept up: binds at start, and after a failed bind or a lost
 * link binds again after a delay that doubles (with jitter) from {@code reconnectDelay} up to
 * {@code reconnectMaxDelay}. jSMPP sends enquire_link when the link is idle and closes the
 * session when it goes unanswered, which brings us back here.
 *
 * <p>States: CONNECTING (no session) → BOUND (a session) → CONNECTING … → CLOSED.
 */
final class SmppConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmppConnection.class);

    private final Mm1Config.Smpp config;
    private final MessageReceiverListener deliverSmHandler;
    private final MeterRegistry meters;
    // A lock, not a monitor: notifications wait here on virtual threads, which a monitor wait would pin on Java 21.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition boundChanged = lock.newCondition();
    private volatile SMPPSession bound;
    /** The session the keeper works with now, bound or not; only the keeper thread sets it. */
    private volatile SMPPSession current;
    private volatile boolean closed;
    private Thread keeper;

    SmppConnection(Mm1Config.Smpp config, MessageReceiverListener deliverSmHandler, MeterRegistry meters) {
        this.config = config;
        this.deliverSmHandler = deliverSmHandler;
        this.meters = meters;
        Gauge.builder("mmsc.mm1.smpp.bound", this, c -> c.bound != null ? 1 : 0)
                .description("1 while the SMPP transceiver bind to the SMSC is up").register(meters);
    }

    /** Starts binding in the background; returns at once (the SMSC may be down). */
    synchronized void start() {
        if (keeper == null) keeper = Thread.ofVirtual().name("smpp-bind-" + config.host() + ":" + config.port()).start(this::keepBound);
    }

    /** The bound session, waiting up to {@code patience} for one; null when there is none by then. */
    SMPPSession awaitBound(Duration patience) throws InterruptedException {
        long left = patience.toNanos();
        lock.lock();
        try {
            while (bound == null && !closed) {
                if (left <= 0) return null;
                left = boundChanged.awaitNanos(left);
            }
            return bound;
        } finally {
            lock.unlock();
        }
    }

    private void keepBound() {
        Duration delay = config.reconnectDelay();
        while (!closed) {
            SMPPSession session = new SMPPSession();
            session.setEnquireLinkTimer((int) Math.min(Integer.MAX_VALUE, config.enquireLinkInterval().toMillis()));
            session.setTransactionTimer(config.responseTimeout().toMillis());
            session.setMessageReceiverListener(deliverSmHandler);
            CountDownLatch ended = new CountDownLatch(1);
            session.addSessionStateListener((newState, oldState, source) -> {
                if (newState == SessionState.CLOSED) ended.countDown();
            });
            current = session;
            try {
                String smsc = session.connectAndBind(config.host(), config.port(), new BindParameter(BindType.BIND_TRX, config.systemId(),
                        config.password(), config.systemType(), TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null),
                        config.responseTimeout().toMillis());
                count("bound");
                log.info("SMPP bound as transceiver to {}:{} (SMSC system id {})", config.host(), config.port(), smsc);
                setBound(session);
                delay = config.reconnectDelay();
                ended.await();
                setBound(null);
                if (closed) break;
                Counter.builder("mmsc.mm1.smpp.reconnects").description("SMPP links lost while bound (each is bound again)")
                        .register(meters).increment();
                log.warn("SMPP link to {}:{} lost; binding again in {} ms", config.host(), config.port(), delay.toMillis());
            } catch (IOException e) {
                String why = e.getCause() instanceof NegativeResponseException refused
                        ? "refused with " + SmppStatus.name(refused.getCommandStatus()) : e.toString();
                count(e.getCause() instanceof NegativeResponseException ? "refused" : "failed");
                log.warn("SMPP bind to {}:{} failed ({}); trying again in {} ms", config.host(), config.port(), why, delay.toMillis());
                session.close();
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                // Never let the keeper die: without it the SMPP path would stay down for good.
                count("failed");
                log.warn("SMPP bind to {}:{} failed ({}); trying again in {} ms", config.host(), config.port(), e, delay.toMillis());
                session.close();
            }
            if (!sleep(jittered(delay))) break;
            delay = delay.multipliedBy(2).compareTo(config.reconnectMaxDelay()) > 0 ? config.reconnectMaxDelay() : delay.multipliedBy(2);
        }
        setBound(null);
        // The keeper owns the session: whichever one it holds at the end is unbound here, even one bound while close() ran.
        SMPPSession last = current;
        if (last != null) last.unbindAndClose();
    }

    private void count(String outcome) {
        Counter.builder("mmsc.mm1.smpp.binds").tag("outcome", outcome).description("SMPP bind attempts by outcome (bound, refused, failed)")
                .register(meters).increment();
    }

    /** Between 75 % and 100 % of the delay, so many nodes do not rebind in step after an SMSC restart. */
    private static Duration jittered(Duration delay) {
        long ms = delay.toMillis();
        return Duration.ofMillis(ms - ThreadLocalRandom.current().nextLong(ms / 4 + 1));
    }

    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d);
            return !closed;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void setBound(SMPPSession session) {
        lock.lock();
        try {
            bound = session;
            boundChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isBound() {
        return bound != null;
    }

    /** Unbinds (politely, within the response timeout) and stops binding again. */
    @Override
    public void close() {
        Thread k;
        synchronized (this) {
            closed = true;
            k = keeper;
        }
        setBound(null);
        if (k != null) {
            k.interrupt();
            try {
                k.join(config.responseTimeout().toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
