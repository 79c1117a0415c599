package org.openmmsc.mm1.smpp;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The throughput cap: hands out submit slots no closer than 1/rate apart, and holds every slot
 * back while the SMSC has asked us to pause. Callers block (on virtual threads) until their slot.
 */
final class SubmitPacer {
    private final long intervalNanos;
    private long nextSlot = System.nanoTime();
    private long pausedUntil = Long.MIN_VALUE;

    SubmitPacer(int perSecond) {
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
    }

    /** Blocks until the caller may send one PDU. */
    void acquire() throws InterruptedException {
        long slot;
        synchronized (this) {
            long now = System.nanoTime();
            slot = Math.max(now, nextSlot);
            if (pausedUntil != Long.MIN_VALUE && slot - pausedUntil < 0) slot = pausedUntil;
            nextSlot = slot + intervalNanos;
        }
        long wait;
        while ((wait = slot - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) throw new InterruptedException();
        }
    }

    /** No slot before {@code nanos} from now (the SMSC throttled us). */
    synchronized void pause(long nanos) {
        long until = System.nanoTime() + nanos;
        if (pausedUntil == Long.MIN_VALUE || until - pausedUntil > 0) pausedUntil = until;
    }
}
