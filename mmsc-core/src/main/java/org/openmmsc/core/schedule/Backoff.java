package org.openmmsc.core.schedule;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.openmmsc.core.config.RoutePolicy;

/** Exponential backoff with jitter: initial × 2^(failures−1), capped, then spread by ± jitter. */
final class Backoff {
    private Backoff() {}

    static Duration after(int failures, RoutePolicy policy, RandomGenerator random) {
        long initial = policy.initialBackoff().toMillis();
        long cap = policy.maxBackoff().toMillis();
        int shift = Math.min(Math.max(failures - 1, 0), 40);
        long base = initial > (cap >> shift) ? cap : Math.min(cap, initial << shift);
        double spread = policy.jitter() * (2 * random.nextDouble() - 1);
        return Duration.ofMillis(Math.max(1, Math.round(base * (1 + spread))));
    }
}
