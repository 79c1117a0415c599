package org.openmmsc.mm3.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.openmmsc.core.model.DeliveryKey;
import org.openmmsc.core.model.IllegalTransitionException;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.RouteKind;
import org.openmmsc.core.relay.RecipientEvent;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.mm3.mime.DeliveryStatus;
import org.openmmsc.mm3.mime.MailMessage;
import org.openmmsc.mm3.mime.MimeException;
import org.openmmsc.mm3.smtp.Envelope;
import org.openmmsc.mm3.smtp.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Bounces of MM3 out: a DSN (RFC 3464) that comes back to an e-mail's VERP return path
 * ({@link BounceAddress}) fails the delivery it names, and the relay reports that to the MMS
 * sender. Every bounce is answered 250 — one naming nothing of ours, a forged one, or one that is
 * not a DSN is dropped with a log line, never answered with a bounce of our own (no backscatter).
 * Only a store failure answers 451, so the reporting MTA tries again.
 *
 * <p>Why FAILED (reported as "Unreachable") and not REJECTED: in TS 23.140 "Rejected" is the
 * recipient's (or its MMS Relay/Server's) decision about the message, while a DSN's "failed"
 * says the mail system could not deliver it — the recipient was not reached, which is what the
 * MMS status Unreachable says. A DSN status x.4.7 ("delivery time expired", RFC 3463) is the mail
 * system's expiry and becomes EXPIRED ("Expired"), the status the MMSC itself gives an expired
 * message.
 */
public final class Mm3Bounces {
    private static final Logger log = LoggerFactory.getLogger(Mm3Bounces.class);

    private final Relay relay;
    private final String returnPathDomain;
    private final MeterRegistry meters;

    public Mm3Bounces(Relay relay, String returnPathDomain, MeterRegistry meters) {
        this.relay = relay;
        this.returnPathDomain = returnPathDomain;
        this.meters = meters;
    }

    /** RCPT: whether this forward path is one of our return paths (accepted from any source). */
    public boolean isBounceRecipient(String forwardPath) {
        return BounceAddress.isBounceAddress(forwardPath, returnPathDomain);
    }

    /**
     * A mail to our return paths (every envelope recipient is one). {@code mail} is null when it was
     * not readable as MIME.
     */
    public CompletableFuture<SmtpReply> accept(Envelope envelope, MailMessage mail) {
        List<CompletableFuture<SmtpReply>> outcomes = envelope.recipients().stream().map(rcpt -> one(envelope, rcpt, mail)).toList();
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).thenApply(v -> {
            for (CompletableFuture<SmtpReply> o : outcomes) if (!o.join().isPositive()) return o.join();
            return outcomes.getFirst().join();
        });
    }

    private CompletableFuture<SmtpReply> one(Envelope envelope, String rcpt, MailMessage mail) {
        String source = envelope.client().getAddress().getHostAddress();
        DeliveryKey key = BounceAddress.parse(rcpt, returnPathDomain);
        if (key == null) return dropped("unknown", "bounce to {} from {} names no delivery: dropped", rcpt, source);
        try (var ignored = MDC.putCloseable("messageId", key.messageId().value())) {
            Optional<RecipientDelivery> found = relay.delivery(key);
            if (found.isEmpty()) return dropped("unknown", "bounce for unknown delivery {} from {}: dropped", key, source);
            RecipientDelivery delivery = found.get();
            if (delivery.route().kind() != RouteKind.EMAIL_MM3) {
                return dropped("forged", "bounce for delivery {} from {} dropped: that delivery went by {}, not e-mail", key, source, delivery.route());
            }
            if (mail == null || !DeliveryStatus.isReport(mail)) {
                return dropped("not-a-dsn", "bounce for delivery {} from {} dropped: not a delivery status notification", key, source);
            }
            DeliveryStatus dsn;
            try {
                dsn = DeliveryStatus.parse(mail);
            } catch (MimeException e) {
                return dropped("not-a-dsn", "bounce for delivery {} from {} dropped: {}", key, source, e.getMessage());
            }
            String address = delivery.recipient().address().value();
            // The block about our recipient; a DSN with one block is about the one mail this return path went with,
            // even when an alias made its Final-Recipient another address.
            DeliveryStatus.Recipient about = dsn.recipients().stream().filter(r -> r.names(address)).findFirst()
                    .orElse(dsn.recipients().size() == 1 ? dsn.recipients().getFirst() : null);
            if (about == null) {
                return dropped("forged", "bounce for delivery {} from {} dropped: no status names {}", key, source, address);
            }
            if (!about.failed()) {
                // delayed: still trying; delivered/relayed/expanded: in a mailbox, which is still not "retrieved".
                log.info("DSN for delivery {} to {}: {} {} — nothing changes", key, address, about.action(), about.status());
                count(about.action().equals("delayed") ? "delayed" : "delivered");
                return CompletableFuture.completedFuture(SmtpReply.of(250, "2.0.0", "report noted"));
            }
            boolean expired = about.status().endsWith(".4.7");
            String detail = "bounced by " + (dsn.reportingMta() == null ? "mail system" : dsn.reportingMta()) + ": " + about.status()
                    + (about.diagnosticCode() == null ? "" : " (" + about.diagnosticCode() + ")");
            return relay.record(key, new RecipientEvent.NextHopFailed(expired, detail)).handle((stored, error) -> {
                try (var mdc = MDC.putCloseable("messageId", key.messageId().value())) {
                    return recorded(key, address, detail, expired, error);
                }
            });
        }
    }

    private SmtpReply recorded(DeliveryKey key, String address, String detail, boolean expired, Throwable error) {
        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
        if (cause instanceof IllegalTransitionException) {
            log.info("bounce for delivery {} no longer applies: {}", key, cause.getMessage());
            count("already-final");
            return SmtpReply.of(250, "2.0.0", "report noted; the delivery had already ended");
        }
        if (cause != null) throw new CompletionException(cause); // the session answers 451: the MTA retries
        log.info("bounce for delivery {} to {} recorded: {}", key, address, detail);
        count(expired ? "expired" : "failed");
        return SmtpReply.of(250, "2.0.0", "report recorded");
    }

    private CompletableFuture<SmtpReply> dropped(String outcome, String format, Object... args) {
        log.warn(format, args);
        count(outcome);
        return CompletableFuture.completedFuture(SmtpReply.of(250, "2.0.0", "report noted"));
    }

    private void count(String outcome) {
        Counter.builder("mmsc.mm3.bounces").tag("outcome", outcome)
                .description("Bounces (DSNs) to MM3 return paths, by what became of them").register(meters).increment();
    }
}
