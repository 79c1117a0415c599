package org.openmmsc.core.config;

import java.time.Duration;

/**
 * How the scheduler treats deliveries on one route.
 *
 * @param maxConcurrency    attempts under way at once on this route (per node)
 * @param maxAttempts       attempts before a transiently failing delivery is given up (FAILED)
 * @param initialBackoff    wait after the first failure; doubles per failure
 * @param maxBackoff        cap on that wait
 * @param jitter            +/- fraction of randomness on each wait, so retries of many deliveries spread out
 * @param renotifyInterval  for notify-then-fetch routes: when to notify again if the recipient has not answered
 * @param maxNotifications  notifications sent at most; after that the delivery waits for the fetch or expiry
 */
public record RoutePolicy(Integer maxConcurrency, Integer maxAttempts, Duration initialBackoff, Duration maxBackoff,
                          Double jitter, Duration renotifyInterval, Integer maxNotifications) {

    public RoutePolicy {
        maxConcurrency = Checks.range("maxConcurrency", maxConcurrency, 64, 1, 10_000);
        maxAttempts = Checks.range("maxAttempts", maxAttempts, 12, 1, 1_000);
        initialBackoff = Checks.positive("initialBackoff", initialBackoff, Duration.ofSeconds(30));
        maxBackoff = Checks.positive("maxBackoff", maxBackoff, Duration.ofHours(1));
        jitter = Checks.range("jitter", jitter, 0.2, 0.0, 0.9);
        renotifyInterval = Checks.positive("renotifyInterval", renotifyInterval, Duration.ofHours(2));
        maxNotifications = Checks.range("maxNotifications", maxNotifications, 4, 1, 100);
        if (initialBackoff.compareTo(maxBackoff) > 0) {
            throw new ConfigException("initialBackoff", "must not exceed maxBackoff (" + maxBackoff + ")");
        }
    }

    public static RoutePolicy defaults() {
        return new RoutePolicy(null, null, null, null, null, null, null);
    }
}
