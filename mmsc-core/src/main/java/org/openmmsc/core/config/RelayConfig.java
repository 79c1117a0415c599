package org.openmmsc.core.config;

import java.time.Duration;

/**
 * Operator rules the relay applies to every interface.
 *
 * @param idempotencyWindow        how long a (interface, sender, transaction id) is remembered to suppress retried submissions
 * @param defaultExpiry            expiry of a message whose sender asked for none
 * @param maxExpiry                cap on any expiry a sender asks for (a sender cannot make us keep content for a year)
 * @param maxEarliestDeliveryDelay cap on how far ahead a sender may defer delivery
 */
public record RelayConfig(Duration idempotencyWindow, Duration defaultExpiry, Duration maxExpiry, Duration maxEarliestDeliveryDelay) {

    public static final Duration DEFAULT_IDEMPOTENCY_WINDOW = Duration.ofHours(24);
    public static final Duration DEFAULT_EXPIRY = Duration.ofDays(3);
    public static final Duration DEFAULT_MAX_EXPIRY = Duration.ofDays(7);
    public static final Duration DEFAULT_MAX_EARLIEST_DELIVERY_DELAY = Duration.ofDays(2);

    public RelayConfig {
        idempotencyWindow = Checks.positive("idempotencyWindow", idempotencyWindow, DEFAULT_IDEMPOTENCY_WINDOW);
        defaultExpiry = Checks.positive("defaultExpiry", defaultExpiry, DEFAULT_EXPIRY);
        maxExpiry = Checks.positive("maxExpiry", maxExpiry, DEFAULT_MAX_EXPIRY);
        maxEarliestDeliveryDelay = Checks.notNegative("maxEarliestDeliveryDelay", maxEarliestDeliveryDelay, DEFAULT_MAX_EARLIEST_DELIVERY_DELAY);
        if (defaultExpiry.compareTo(maxExpiry) > 0) {
            throw new ConfigException("defaultExpiry", "must not exceed maxExpiry (" + maxExpiry + ")");
        }
    }

    public static RelayConfig defaults() {
        return new RelayConfig(null, null, null, null);
    }
}
