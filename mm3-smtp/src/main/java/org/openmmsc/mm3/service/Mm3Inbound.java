package org.openmmsc.mm3.service;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import org.openmmsc.mm3.mime.MimeException;
import org.openmmsc.mm3.smtp.Envelope;
import org.openmmsc.mm3.smtp.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MM3 in: an e-mail to {@code <number>@<local MM3 domain>} becomes an MMS to that subscriber, with
 * the e-mail's sender as originator and its MIME leaves as parts. Only local subscribers are
 * accepted: e-mail never reaches a peer carrier or another mail domain through us. Parts are held
 * to the configured size and type limits (refused with 552 5.3.4 / 554 5.6.1, nothing stored), and
 * text parts are converted to UTF-8, the one charset every MMS client must read.
 */
public final class Mm3Inbound {
    private static final Logger log = LoggerFactory.getLogger(Mm3Inbound.class);

    private final Relay relay;
    private final NumberNormalizer numbers;
    private final Set<String> domains;
    private final Mm3RateLimiter limiter;
    private final ContentLimits limits;
    private final MimeCodec mime;

    /**
     * What an e-mail may hold to become an MMS.
     *
     * @param maxPartSize    bytes of one part, transfer encoding undone
     * @param maxContentSize bytes of all parts together
     * @param allowedTypes   "type/subtype" or "type/*", lower case
     */
    public record ContentLimits(long maxPartSize, long maxContentSize, List<String> allowedTypes) {
        public ContentLimits {
            allowedTypes = List.copyOf(allowedTypes);
        }

        boolean allows(String mediaType) {
            for (String allowed : allowedTypes) {
                if (allowed.equals(mediaType)) return true;
                if (allowed.endsWith("/*") && mediaType.startsWith(allowed.substring(0, allowed.length() - 1))) return true;
            }
            return false;
        }
    }

    public Mm3Inbound(Relay relay, NumberNormalizer numbers, List<String> domains, Mm3RateLimiter limiter, ContentLimits limits, MimeCodec mime) {
        this.limits = limits;
        this.mime = mime;
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
        // Content is checked before the rate limiter counts the e-mail: a refused mail costs the sender no quota.
        List<MessagePart> parts = new ArrayList<>();
        SmtpReply refusal = checkContent(mail.parts(), 0);
        if (refusal != null) {
            log.warn("e-mail from {} refused: {}", originator, refusal.line());
            return CompletableFuture.completedFuture(refusal);
        }
        try {
            for (MessagePart p : mail.parts()) parts.add(toUtf8(p));
        } catch (UnsupportedCharset e) {
            log.warn("e-mail from {} refused: text in charset {} that this MMSC cannot convert", originator, e.charset);
            return done(554, "5.6.3", "cannot convert text from charset " + e.charset);
        }
        String retryOf = mail.header("Message-ID");
        IdempotencyKey retryKey = retryOf == null || retryOf.isBlank() ? null : new IdempotencyKey(Interface.MM3, originator.value(), retryOf.strip());
        // A mail server retrying an e-mail we already took (its 250 was lost) is answered with the first
        // message and costs no quota; counting it could turn one lost reply into a 450 loop.
        boolean retry = retryKey != null && relay.findSubmission(retryKey).isPresent();
        if (!retry && !limiter.tryAcquire(originator.value())) {
            log.warn("e-mail from {} refused: rate limit reached", originator);
            return done(450, "4.7.1", "too many messages from you or your domain, try later");
        }
        if (parts.isEmpty()) parts.add(new MessagePart(ContentType.parse("text/plain; charset=us-ascii"), List.of(), new byte[0]));
        ContentType type = parts.size() > 1 || mail.contentType().isMultipart()
                ? (mail.contentType().isMultipart() ? mail.contentType() : ContentType.of("multipart/mixed"))
                : parts.getFirst().contentType();
        String subject = MimeCodec.decodeWords(mail.header("Subject"));
        // A decoded encoded-word may carry CR/LF ("=?utf-8?q?a=0D=0AX-Evil:_1?="): a subject is one line.
        if (subject != null) subject = subject.replaceAll("[\\r\\n\\t]+", " ").strip();
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

    /**
     * Null when every part (nested multiparts opened up) has an allowed type and the sizes hold;
     * else the refusal: 552 5.3.4 for size (RFC 3463 "message too big for system"), 554 5.6.1 for a
     * type ("media not supported").
     */
    private SmtpReply checkContent(List<MessagePart> parts, int depth) {
        long total = 0;
        for (MessagePart p : parts) {
            String type = p.contentType().mediaType();
            if (!limits.allows(type)) return SmtpReply.of(554, "5.6.1", "media type " + type + " is not accepted for MMS");
            if (p.content().length > limits.maxPartSize()) {
                return SmtpReply.of(552, "5.3.4", "a part of " + p.content().length + " bytes exceeds the limit of " + limits.maxPartSize() + " bytes per part");
            }
            total += p.content().length;
            if (p.contentType().isMultipart() && p.contentType().parameter("boundary") != null) {
                // A nested multipart stays one MMS part; what it holds must pass the same checks.
                SmtpReply inner = checkContent(nestedParts(p), depth + 1);
                if (inner != null) return inner;
            }
        }
        if (depth == 0 && total > limits.maxContentSize()) {
            return SmtpReply.of(552, "5.3.4", "content of " + total + " bytes exceeds the limit of " + limits.maxContentSize() + " bytes");
        }
        return null;
    }

    private List<MessagePart> nestedParts(MessagePart nested) {
        byte[] head = ("Content-Type: " + nested.contentType() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] whole = new byte[head.length + nested.content().length];
        System.arraycopy(head, 0, whole, 0, head.length);
        System.arraycopy(nested.content(), 0, whole, head.length, nested.content().length);
        try {
            return mime.parse(whole).parts();
        } catch (MimeException e) {
            // Unreadable inside: it cannot be shown either, and nothing in it can be checked.
            return List.of(new MessagePart(ContentType.of("application/octet-stream"), List.of(), nested.content()));
        }
    }

    static final class UnsupportedCharset extends Exception {
        final String charset;

        UnsupportedCharset(String charset) {
            super(charset, null, false, false);
            this.charset = charset;
        }
    }

    /**
     * A text part re-encoded as UTF-8 and labelled so. E-mail arrives in whatever the sender's
     * client chose (ISO-8859-1, windows-1252, Shift_JIS, ISO-2022-JP, …); handsets are only
     * required to read UTF-8 and US-ASCII. Labels follow the WHATWG Encoding Standard where mail
     * clients are known to mislabel: "iso-8859-1" and "us-ascii" text with 8-bit octets is decoded
     * as windows-1252 (its superset, which is what such mail really is), and unlabelled 8-bit text
     * as UTF-8 when it is valid UTF-8, else windows-1252. Octets invalid in the charset become
     * U+FFFD rather than refusing the mail. Other parts pass unchanged.
     */
    static MessagePart toUtf8(MessagePart p) throws UnsupportedCharset {
        if (!p.contentType().mediaType().startsWith("text/")) return p;
        String label = p.contentType().parameter("charset");
        String normalized = label == null ? "" : label.strip().toLowerCase(Locale.ROOT);
        byte[] bytes = p.content();
        boolean ascii = isAscii(bytes);
        Charset from;
        if (normalized.equals("utf-8") || normalized.equals("utf8")) {
            from = StandardCharsets.UTF_8;
        } else if (normalized.isEmpty() || normalized.equals("us-ascii") || normalized.equals("ascii")) {
            if (ascii) return p;
            from = validUtf8(bytes) ? StandardCharsets.UTF_8 : Charset.forName("windows-1252");
        } else if (normalized.equals("iso-8859-1") || normalized.equals("latin1") || normalized.equals("iso_8859-1")) {
            from = Charset.forName("windows-1252");
        } else {
            try {
                from = Charset.forName(normalized);
            } catch (IllegalArgumentException e) {
                throw new UnsupportedCharset(label);
            }
        }
        if (from.equals(StandardCharsets.UTF_8) && "utf-8".equals(normalized)) return p;
        byte[] utf8 = from.equals(StandardCharsets.UTF_8) ? bytes : decode(bytes, from).getBytes(StandardCharsets.UTF_8);
        Map<String, String> params = new LinkedHashMap<>(p.contentType().parameters());
        params.put("charset", "utf-8");
        return new MessagePart(new ContentType(p.contentType().mediaType(), params), p.headers(), utf8);
    }

    private static String decode(byte[] bytes, Charset charset) {
        CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            return decoder.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("REPLACE never throws", e);
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) if (b < 0) return false;
        return true;
    }

    private static boolean validUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
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
