package org.openmmsc.mm4.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** MM4 meters, per peer and outcome: what peers sent us and what we sent them. */
final class Mm4Meters {
    private final MeterRegistry registry;

    Mm4Meters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** An inbound MM4 mail: {@code type} is the MM4 message type or "invalid", the outcome follows the SMTP reply. */
    void inbound(String peer, String type, int smtpCode) {
        String outcome = smtpCode < 400 ? "accepted" : smtpCode < 500 ? "temporary-failure" : "refused";
        Counter.builder("mmsc.mm4.inbound").tag("peer", peer).tag("type", type).tag("outcome", outcome)
                .description("MM4 mails received from peers, by peer, MM4 type and outcome").register(registry).increment();
    }

    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> queues = new java.util.concurrent.ConcurrentHashMap<>();

    /** Forwards under way to a peer, including those waiting for a free session: the peer's outbound queue. */
    void queued(String peer, int delta) {
        queues.computeIfAbsent(peer, p -> {
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            io.micrometer.core.instrument.Gauge.builder("mmsc.mm4.outbound.queue", n, java.util.concurrent.atomic.AtomicInteger::get).tag("peer", p)
                    .description("MM4 forwards to a peer under way or waiting for an SMTP session").register(registry);
            return n;
        }).addAndGet(delta);
    }

    /** An outbound forward attempt's outcome: handed-off, retry, tls-failed (retried), rejected, failed. */
    void outbound(String peer, String outcome) {
        Counter.builder("mmsc.mm4.outbound").tag("peer", peer).tag("outcome", outcome)
                .description("MM4_forward.REQ attempts to peers, by peer and outcome").register(registry).increment();
    }
}
