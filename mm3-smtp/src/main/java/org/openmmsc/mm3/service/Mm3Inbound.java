package org.openmmsc.mm3.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.ContentType;
import org.openmmsc.core.model.EncodedText;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.model.NumberNormalizer;
import org.openmmsc.core.model.Origin;
import org.openmmsc.core.model.Recipient;
import org.openmmsc.core.model.RouteKind;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.core.relay.Routing;
import org.openmmsc.core.spi.IdempotencyKey;
import org.openmmsc.mm3.mime.MailMessage;
import org.openmmsc.mm3.mime.MimeCodec;
import org.openmmsc.mm3.smtp.Envelope;
import org.openmmsc.mm3.smtp.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MM3 in: an e-mail to {@code <number>@<local MM3 domain>} becomes an MMS to that subscriber, with
 * the e-mail's sender as originator and its MIME leaves as parts. Only local subscribers are
 * accepted: e-mail never reaches a peer carrier or another mail domain through us.
 */
public final class Mm3Inbound {
    private static final Logger log = LoggerFactory.getLogger(Mm3Inbound.class);

    private final Relay relay;
    private final NumberNormalizer numbers;
    private final Set<String> domains;
    private final Mm3RateLimiter limiter;

    public Mm3Inbound(Relay relay, NumberNormalizer numbers, List<String> domains, Mm3RateLimiter limiter) {
        this.limiter = limiter;
        this.relay = relay;
        this.numbers = numbers;
        this.domains = Set.copyOf(domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList());
    }

    public boolean servesDomain(String domain) {
        return domains.contains(domain.toLowerCase(Locale.ROOT));
    }

    /** RCPT check: null to accept {@code <number>@<mm3 domain>} of a local subscriber, else the refusal. */
    public SmtpReply checkRecipient(String forwardPath) {
        Address number = numberOf(forwardPath);
        if (number == null) return SmtpReply.of(550, "5.1.1", "no such subscriber");
        Message probe = new Message(relay.newMessageId(), number, List.of(Recipient.to(number)), null, null, null, Instant.EPOCH, null, null,
                false, false, false, null, ContentType.of("text/plain"), List.of(), Origin.of(Interface.MM3, "probe", "probe"));
        Routing routing = relay.route(probe);
        if (routing.noneRouted() || routing.routed().getFirst().route().kind() != RouteKind.LOCAL_MM1) {
            return SmtpReply.of(550, "5.1.1", "no such subscriber");
        }
        return null;
    }

    /** The e-mail, already accepted at RCPT for these recipients, becomes an MMS; the reply follows durability. */
    public CompletableFuture<SmtpReply> accept(Envelope envelope, MailMessage mail) {
        Address originator = senderOf(mail, envelope.mailFrom());
        if (originator == null) return done(550, "5.1.7", "the sender needs a valid e-mail address");
        List<Recipient> recipients = new ArrayList<>();
        for (String rcpt : envelope.recipients()) {
            Address a = numberOf(rcpt);
            if (a != null && recipients.stream().noneMatch(r -> r.address().equals(a))) recipients.add(Recipient.to(a));
        }
        if (recipients.isEmpty()) return done(554, "5.5.1", "no subscriber recipient");
        if (!limiter.tryAcquire(originator.value())) {
            log.warn("e-mail from {} refused: rate limit reached", originator);
            return done(450, "4.7.1", "too many messages from you or your domain, try later");
        }
        List<MessagePart> parts = mail.parts().isEmpty()
                ? List.of(new MessagePart(ContentType.parse("text/plain; charset=us-ascii"), List.of(), new byte[0])) : mail.parts();
        ContentType type = parts.size() > 1 || mail.contentType().isMultipart()
                ? (mail.contentType().isMultipart() ? mail.contentType() : ContentType.of("multipart/mixed"))
                : parts.getFirst().contentType();
        String subject = MimeCodec.decodeWords(mail.header("Subject"));
        String messageIdHeader = mail.header("Message-ID");
        Message message;
        try {
            message = new Message(relay.newMessageId(), originator, recipients, subject == null ? null : EncodedText.utf8(subject), null, null,
                    relay.clock().instant(), null, null, false, false, false, null, type, parts,
                    new Origin(Interface.MM3, originator.value(), messageIdHeader, null, null, null, null, null, messageIdHeader));
        } catch (IllegalArgumentException e) {
            return done(554, "5.6.0", "cannot take this e-mail as MMS: " + e.getMessage());
        }
        Routing routing = relay.route(message);
        if (routing.noneRouted()) return done(550, "5.1.1", "no such subscriber");
        IdempotencyKey key = messageIdHeader == null || messageIdHeader.isBlank() ? null
                : new IdempotencyKey(Interface.MM3, originator.value(), messageIdHeader.strip());
        return relay.accept(message, routing, key).thenApply(a -> {
            log.debug("e-mail {} from {} taken as {}", messageIdHeader, originator, a.id());
            return SmtpReply.of(250, "2.0.0", "queued as " + a.id());
        });
    }

    private Address numberOf(String forwardPath) {
        int at = forwardPath.lastIndexOf('@');
        if (at <= 0 || !servesDomain(forwardPath.substring(at + 1))) return null;
        try {
            Address a = numbers.normalizeMms(forwardPath.substring(0, at));
            return a.isNumber() ? a : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The From header's addr-spec, else the envelope sender; null if neither is an e-mail address. */
    private static Address senderOf(MailMessage mail, String reversePath) {
        for (String candidate : new String[] {fromHeader(mail.header("From")), reversePath}) {
            if (candidate == null || candidate.isBlank()) continue;
            try {
                return Address.email(candidate.strip());
            } catch (IllegalArgumentException ignored) {
                // try the next candidate
            }
        }
        return null;
    }

    private static String fromHeader(String from) {
        if (from == null) return null;
        int open = from.lastIndexOf('<');
        int close = from.lastIndexOf('>');
        return open >= 0 && close > open ? from.substring(open + 1, close) : from.strip();
    }

    private static CompletableFuture<SmtpReply> done(int code, String enhanced, String text) {
        return CompletableFuture.completedFuture(SmtpReply.of(code, enhanced, text));
    }
}
