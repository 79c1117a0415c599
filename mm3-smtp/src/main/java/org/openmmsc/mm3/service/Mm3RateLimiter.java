package org.openmmsc.mm3.service;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts accepted e-mails per sender address and per sender domain in fixed one-hour windows:
 * every accepted e-mail costs a subscriber a notification, so one sender (or one domain of
 * senders) must not be able to flood subscribers.
 */
public final class Mm3RateLimiter {
    private static final long WINDOW_MILLIS = Duration.ofHours(1).toMillis();
    /** Keys tracked at most; beyond it old windows are dropped first. */
    private static final int MAX_KEYS = 100_000;

    private record Window(long start, int count) {}

    private final int perSender;
    private final int perDomain;
    private final Clock clock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    public Mm3RateLimiter(int perSenderPerHour, int perDomainPerHour, Clock clock) {
        this.perSender = perSenderPerHour;
        this.perDomain = perDomainPerHour;
        this.clock = clock;
    }

    /** Takes one e-mail from {@code sender} if both its limits allow; false (and nothing taken) otherwise. */
    public synchronized boolean tryAcquire(String sender) {
        long now = clock.millis();
        if (windows.size() > MAX_KEYS) windows.values().removeIf(w -> now - w.start() >= WINDOW_MILLIS);
        String address = "s:" + sender.toLowerCase(Locale.ROOT);
        String domain = "d:" + sender.substring(sender.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        if (current(address, now) >= perSender || current(domain, now) >= perDomain) return false;
        windows.merge(address, new Window(now, 1), (old, one) -> new Window(old.start(), old.count() + 1));
        windows.merge(domain, new Window(now, 1), (old, one) -> new Window(old.start(), old.count() + 1));
        return true;
    }

    private int current(String key, long now) {
        Window w = windows.get(key);
        if (w == null || now - w.start() >= WINDOW_MILLIS) {
            windows.remove(key);
            return 0;
        }
        return w.count();
    }
}
