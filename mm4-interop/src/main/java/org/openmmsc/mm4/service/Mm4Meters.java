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

    /** An outbound forward attempt's outcome: handed-off, retry, rejected, failed. */
    void outbound(String peer, String outcome) {
        Counter.builder("mmsc.mm4.outbound").tag("peer", peer).tag("outcome", outcome)
                .description("MM4_forward.REQ attempts to peers, by peer and outcome").register(registry).increment();
    }
}
