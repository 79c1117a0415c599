package org.openmmsc.mm1.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.DeliveryKey;
import org.openmmsc.core.model.DeliveryState;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.model.NumberNormalizer;
import org.openmmsc.core.model.Origin;
import org.openmmsc.core.model.Recipient;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.RecipientStatus;
import org.openmmsc.core.model.RouteKind;
import org.openmmsc.core.relay.RecipientEvent;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.core.relay.Routing;
import org.openmmsc.core.spi.IdempotencyKey;
import org.openmmsc.core.spi.MessageStore;
import org.openmmsc.mm1.Mm1Config;
import org.openmmsc.mm1.codec.ContentType;
import org.openmmsc.mm1.codec.DecodeException;
import org.openmmsc.mm1.codec.EncodedString;
import org.openmmsc.mm1.codec.HeaderValue;
import org.openmmsc.mm1.codec.MessageBody;
import org.openmmsc.mm1.codec.MmsDecoder;
import org.openmmsc.mm1.codec.MmsEncoder;
import org.openmmsc.mm1.codec.MmsField;
import org.openmmsc.mm1.codec.MmsHeaders;
import org.openmmsc.mm1.codec.MmsPdu;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MM1 without the transport: what a phone's POST or GET means and what it gets back. Every
 * failure becomes an MMS status PDU; nothing here answers HTTP 500. Calls read the store
 * synchronously, so the listener runs them off its event loops.
 */
public final class Mm1Service {
    private static final Logger log = LoggerFactory.getLogger(Mm1Service.class);

    /** Where m-send-conf is built once the store completed (a virtual thread each: cheap, and never the store's thread). */
    private static final java.util.concurrent.Executor REPLIES = task -> Thread.ofVirtual().name("mm1-reply").start(task);

    private final Mm1Config config;
    private final Relay relay;
    private final MessageStore store;
    private final NumberNormalizer numbers;
    private final ContentTokens tokens;
    private final SubscriberIdentity identity;
    private final MmsDecoder decoder = new MmsDecoder();
    private final MmsEncoder encoder = new MmsEncoder();
    private final MeterRegistry meters;
    private volatile String baseUrl;

    public Mm1Service(Mm1Config config, Relay relay, MessageStore store, NumberNormalizer numbers, ContentTokens tokens) {
        this(config, relay, store, numbers, tokens, new SimpleMeterRegistry());
    }

    public Mm1Service(Mm1Config config, Relay relay, MessageStore store, NumberNormalizer numbers, ContentTokens tokens, MeterRegistry meters) {
        this.meters = meters;
        this.retrievalLatency = Timer.builder("mmsc.mm1.retrieval.latency").publishPercentiles(0.5, 0.99)
                .description("Time to answer a phone's GET of its message with m-retrieve-conf").register(meters);
        this.retrievalWait = Timer.builder("mmsc.mm1.retrieval.wait").publishPercentiles(0.5, 0.99)
                .description("Time from a message's submission to its recipient's first fetch").register(meters);
        this.config = config;
        this.relay = relay;
        this.store = store;
        this.numbers = numbers;
        this.tokens = tokens;
        this.identity = new SubscriberIdentity(config.msisdnHeaders(), config.trustedGateways(), numbers);
        this.baseUrl = config.baseUrl(config.port());
    }

    /** Set once the listener knows its port (relevant when the configured port is 0). */
    public void baseUrl(String url) {
        this.baseUrl = url;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public ContentTokens tokens() {
        return tokens;
    }

    /** The URL a recipient fetches its copy from. */
    public String contentLocation(DeliveryKey key) {
        return baseUrl + "/" + tokens.token(key);
    }

    // ---------------------------------------------------------------- POST

    public CompletableFuture<Mm1Response> post(InetAddress source, Function<String, String> headers, byte[] body) {
        MmsPdu pdu;
        try {
            pdu = decoder.decode(body);
        } catch (DecodeException e) {
            log.info("MM1 POST from {}: undecodable PDU ({} octets): {}", source, body.length, e.getMessage());
            int status = body.length > config.maxMessageBytes() ? MmsStatus.PERMANENT_CONTENT_NOT_ACCEPTED : MmsStatus.PERMANENT_MESSAGE_FORMAT_CORRUPT;
            String text = status == MmsStatus.PERMANENT_MESSAGE_FORMAT_CORRUPT ? "message format corrupt" : "message larger than " + config.maxMessageBytes() + " octets";
            return done(sendConf(bestEffortTransactionId(body), null, status, text, null));
        }
        Optional<Address> subscriber = identity.resolve(source, headers);
        return switch (pdu) {
            case MmsPdu.SendReq req -> send(req, subscriber, body.length);
            case MmsPdu.NotifyRespInd ind -> notifyResp(ind, subscriber);
            case MmsPdu.AcknowledgeInd ind -> acknowledge(ind, subscriber);
            case MmsPdu.ReadRecInd ind -> readReport(ind, subscriber);
            default -> {
                log.info("MM1 POST from {}: {} is not handled here", source, pdu.messageType().wireName());
                yield done(Mm1Response.empty(400));
            }
        };
    }

    private CompletableFuture<Mm1Response> send(MmsPdu.SendReq req, Optional<Address> subscriber, int size) {
        String tid = req.transactionId();
        HeaderValue.Version version = req.version();
        if (version == null || version.major() != 1) {
            return done(sendConf(tid, new HeaderValue.Version(1, 3), MmsStatus.UNSUPPORTED_MESSAGE, "MMS version " + version + " not supported", null));
        }
        if (subscriber.isEmpty()) {
            return refuse(tid, version, MmsStatus.PERMANENT_SERVICE_DENIED, "subscriber not identified");
        }
        Address msisdn = subscriber.get();
        if (size > config.maxMessageBytes()) {
            return refuse(tid, version, MmsStatus.PERMANENT_CONTENT_NOT_ACCEPTED, "message larger than " + config.maxMessageBytes() + " octets");
        }
        HeaderValue.From from = req.from();
        if (from != null && !from.insertAddress()) {
            Address claimed;
            try {
                claimed = numbers.normalizeMms(from.address().text());
            } catch (IllegalArgumentException e) {
                return refuse(tid, version, MmsStatus.PERMANENT_SERVICE_DENIED, "From is not an address");
            }
            if (!claimed.equals(msisdn) && !config.allowFromOverride()) {
                return refuse(tid, version, MmsStatus.PERMANENT_SERVICE_DENIED, "From names another subscriber");
            }
        }
        List<Recipient> recipients = new ArrayList<>();
        Set<Address> seen = new LinkedHashSet<>();
        try {
            addRecipients(recipients, seen, req.to(), Recipient.Kind.TO);
            addRecipients(recipients, seen, req.cc(), Recipient.Kind.CC);
            addRecipients(recipients, seen, req.bcc(), Recipient.Kind.BCC);
        } catch (IllegalArgumentException e) {
            return refuse(tid, version, MmsStatus.PERMANENT_SENDING_ADDRESS_UNRESOLVED, "recipient address not valid: " + e.getMessage());
        }
        if (recipients.isEmpty()) return refuse(tid, version, MmsStatus.PERMANENT_SENDING_ADDRESS_UNRESOLVED, "no recipient");
        if (recipients.size() > config.maxRecipients()) {
            return refuse(tid, version, MmsStatus.PERMANENT_SERVICE_DENIED, "more than " + config.maxRecipients() + " recipients");
        }
        ContentType contentType = req.contentType();
        if (contentType == null) return refuse(tid, version, MmsStatus.PERMANENT_MESSAGE_FORMAT_CORRUPT, "no Content-Type");
        List<MessagePart> parts = PduMapping.partsOf(contentType, req.body());
        for (MessagePart p : parts) {
            if (!config.allows(p.contentType().mediaType())) {
                return refuse(tid, version, MmsStatus.PERMANENT_CONTENT_NOT_ACCEPTED, "content type " + p.contentType().mediaType() + " not accepted");
            }
        }
        MmsHeaders h = req.headers();
        Message message;
        try {
            message = new Message(relay.newMessageId(), msisdn, recipients, PduMapping.text(req.subject()),
                    PduMapping.messageClass(h.first(MmsField.MESSAGE_CLASS)), PduMapping.priority(h.token(MmsField.PRIORITY)),
                    relay.clock().instant(), PduMapping.time(h.first(MmsField.EXPIRY)), PduMapping.time(h.first(MmsField.DELIVERY_TIME)),
                    h.token(MmsField.DELIVERY_REPORT) == MmsStatus.YES, h.token(MmsField.READ_REPORT) == MmsStatus.YES,
                    h.token(MmsField.SENDER_VISIBILITY) == MmsStatus.VISIBILITY_HIDE, null,
                    PduMapping.toCore(contentType), parts, Origin.of(Interface.MM1, msisdn.value(), tid).withInterfaceVersion(version.toString()));
        } catch (IllegalArgumentException e) {
            return refuse(tid, version, MmsStatus.PERMANENT_MESSAGE_FORMAT_CORRUPT, "message not valid: " + e.getMessage());
        }
        Routing routing = relay.route(message);
        if (routing.noneRouted()) {
            Routing.Refused first = routing.refused().getFirst();
            return refuse(tid, version, MmsStatus.PERMANENT_SENDING_ADDRESS_UNRESOLVED,
                    "recipient " + first.recipient().address() + " unreachable: " + first.reason());
        }
        String text = routing.allRouted() ? "Ok" : routing.refused().size() + " recipient(s) unreachable, e.g. " + routing.refused().getFirst().recipient().address();
        CompletableFuture<Mm1Response> answer;
        try {
            // The store completes every accept on its one completion thread: encode the m-send-conf and
            // write it (a Netty write plus an event-loop wake-up) on a virtual thread of our own, so that
            // thread only hands over (docs/performance.md).
            answer = relay.accept(message, routing, new IdempotencyKey(Interface.MM1, msisdn.value(), tid))
                    .thenApplyAsync(acceptance -> sendConf(tid, version, MmsStatus.OK, text, acceptance.id().value()), REPLIES);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.exceptionally(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            log.error("MM1 m-send-req {} from {} not stored: {}", tid, msisdn, cause.toString());
            return sendConf(tid, version, MmsStatus.TRANSIENT_FAILURE, "temporary failure, try again", null);
        });
    }

    private void addRecipients(List<Recipient> into, Set<Address> seen, List<String> written, Recipient.Kind kind) {
        for (String w : written) {
            Address a = numbers.normalizeMms(w);
            if (seen.add(a)) into.add(new Recipient(a, kind));
        }
    }

    private CompletableFuture<Mm1Response> refuse(String tid, HeaderValue.Version version, int status, String text) {
        log.info("MM1 m-send-req {} refused: 0x{} {}", tid, Integer.toHexString(status), text);
        return done(sendConf(tid, version, status, text, null));
    }

    private Mm1Response sendConf(String tid, HeaderValue.Version version, int status, String text, String messageId) {
        count("m-send-req", status);
        MmsHeaders.Builder b = MmsHeaders.builder()
                .text(MmsField.TRANSACTION_ID, tid == null || tid.isEmpty() ? "unknown" : tid)
                .add(MmsField.MMS_VERSION, replyVersion(version))
                .token(MmsField.RESPONSE_STATUS, status)
                .encoded(MmsField.RESPONSE_TEXT, text);
        if (messageId != null) b.text(MmsField.MESSAGE_ID, messageId);
        return Mm1Response.pdu(encoder.encode(new MmsPdu.SendConf(b.build(), null)));
    }

    private static HeaderValue.Version replyVersion(HeaderValue.Version asked) {
        if (asked == null || asked.major() != 1) return new HeaderValue.Version(1, 3);
        return asked.minor() > 3 && asked.minor() != 15 ? new HeaderValue.Version(1, 3) : asked;
    }

    /** The transaction id of a PDU too broken to decode, so the phone can still match the answer. */
    static String bestEffortTransactionId(byte[] body) {
        if (body.length < 4 || (body[0] & 0xFF) != 0x8C || (body[2] & 0xFF) != 0x98) return null;
        int end = 3;
        while (end < body.length && end < 3 + 100 && body[end] != 0) end++;
        if (end >= body.length || body[end] != 0) return null;
        String tid = new String(body, 3, end - 3, StandardCharsets.ISO_8859_1);
        return tid.chars().allMatch(c -> c >= 0x20 && c < 0x7F) ? tid : null;
    }

    /** m-send-conf for a body too large to read at all (its transaction id is unknown). */
    public Mm1Response oversize(int limit) {
        return sendConf(null, null, MmsStatus.PERMANENT_CONTENT_NOT_ACCEPTED, "message larger than " + limit + " octets", null);
    }

    /** m-send-conf for an internal error: the phone may retry; no detail leaves the MMSC. */
    public Mm1Response transientFailure(byte[] body) {
        return sendConf(bestEffortTransactionId(body), null, MmsStatus.TRANSIENT_FAILURE, "temporary failure, try again", null);
    }

    // ------------------------------------------------- notification answers

    private CompletableFuture<Mm1Response> notifyResp(MmsPdu.NotifyRespInd ind, Optional<Address> subscriber) {
        RecipientStatus status = switch (ind.status()) {
            case MmsStatus.STATUS_RETRIEVED -> RecipientStatus.RETRIEVED;
            case MmsStatus.STATUS_REJECTED -> RecipientStatus.REJECTED;
            case MmsStatus.STATUS_DEFERRED -> RecipientStatus.DEFERRED;
            default -> RecipientStatus.UNRECOGNISED;
        };
        return answer(ind.transactionId(), subscriber,
                new RecipientEvent.Answered(status, reportAllowed(ind.headers()), "m-notifyresp-ind"), "m-notifyresp-ind");
    }

    /** m-acknowledge-ind confirms a deferred retrieval: the message is retrieved, and the phone says whether the sender may know. */
    private CompletableFuture<Mm1Response> acknowledge(MmsPdu.AcknowledgeInd ind, Optional<Address> subscriber) {
        return answer(ind.transactionId(), subscriber,
                new RecipientEvent.Answered(RecipientStatus.RETRIEVED, reportAllowed(ind.headers()), "m-acknowledge-ind"), "m-acknowledge-ind");
    }

    /** X-Mms-Report-Allowed: only an explicit No forbids the delivery report (absent means Yes, OMA MMS ENC). */
    static boolean reportAllowed(MmsHeaders headers) {
        return headers.token(MmsField.REPORT_ALLOWED) != MmsStatus.NO;
    }

    /** m-read-rec-ind names the original Message-ID; the reader is the trusted MSISDN. The relay turns it into m-read-orig-ind. */
    private CompletableFuture<Mm1Response> readReport(MmsPdu.ReadRecInd ind, Optional<Address> subscriber) {
        RecipientStatus status = ind.readStatus() == 0x80 ? RecipientStatus.READ : RecipientStatus.DELETED_WITHOUT_READ;
        Optional<MessageId> id;
        try {
            id = Optional.of(MessageId.parse(ind.messageId()));
        } catch (RuntimeException e) {
            id = Optional.empty();
        }
        return record(id, subscriber, new RecipientEvent.ReadReport(status, "m-read-rec-ind"), "m-read-rec-ind " + ind.messageId());
    }

    /** Records what the phone said; the phone gets an empty 200 whatever happens (neither PDU has a reply). */
    private CompletableFuture<Mm1Response> answer(String tid, Optional<Address> subscriber, RecipientEvent event, String what) {
        return record(tokens.messageIdOfTransaction(tid), subscriber, event, what + " " + tid);
    }

    private CompletableFuture<Mm1Response> record(Optional<MessageId> messageId, Optional<Address> subscriber, RecipientEvent event, String what) {
        Optional<RecipientDelivery> delivery = subscriber.flatMap(s -> messageId
                .flatMap(id -> store.deliveries(id).stream()
                        .filter(d -> d.route().kind() == RouteKind.LOCAL_MM1 && d.recipient().address().equals(s))
                        .findFirst()));
        if (delivery.isEmpty()) {
            log.info("MM1 {} from {} matches no delivery", what, subscriber.map(Address::toString).orElse("an unidentified subscriber"));
            count(what.substring(0, what.indexOf(' ')), -1);
            return done(Mm1Response.empty(200));
        }
        DeliveryKey key = delivery.get().key();
        count(what.substring(0, what.indexOf(' ')), 0);
        return relay.record(key, event).handle((r, e) -> {
            if (e != null) log.info("MM1 {} for {} not recorded: {}", what, key, e.toString());
            return Mm1Response.empty(200);
        });
    }

    // ------------------------------------------------- read report to MMS 1.0

    /** Who the MMSC names as the authenticated sender of read-report messages it composes for 1.0 phones. */
    static final String READ_REPORT_SENDER = "openmmsc-read-report";

    /**
     * A read report for a sender whose phone speaks MMS 1.0, which has no m-read-orig-ind: an ordinary
     * message from the reader to the sender, class Auto, asking for no reports of its own (a report
     * about a report would loop), whose text says which message was read (or deleted unread) and when.
     * It goes through the relay like any message, so the sender's phone is notified and fetches it.
     * Completes once it is stored; a retried hand-over of the same report stores nothing new.
     */
    public CompletableFuture<Void> sendReadReportMessage(org.openmmsc.core.spi.Report report) {
        Message original = report.message();
        boolean read = report.status() == org.openmmsc.core.spi.Report.Status.READ;
        String when = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
                .withZone(java.time.ZoneOffset.UTC).format(report.at());
        StringBuilder text = new StringBuilder()
                .append("Read report\r\n")
                .append("Your message to ").append(report.recipient().address().value());
        if (original.subject() != null) text.append(" (subject: ").append(original.subject().text()).append(')');
        text.append(read ? " was read on " : " was deleted without being read on ").append(when).append(".\r\n")
                .append("Message-ID: ").append(original.id().value()).append("\r\n");
        org.openmmsc.core.model.ContentType plain = new org.openmmsc.core.model.ContentType("text/plain", java.util.Map.of("charset", "utf-8"));
        String subjectText = (read ? "Read: " : "Not read: ") + (original.subject() == null ? "your message" : original.subject().text());
        Message message;
        try {
            message = new Message(relay.newMessageId(), report.recipient().address(), List.of(Recipient.to(original.originator())),
                    new org.openmmsc.core.model.EncodedText(subjectText, "UTF-8"), org.openmmsc.core.model.MessageClass.AUTO, null,
                    report.at(), null, null, false, false, false, null, plain,
                    List.of(new MessagePart(plain, List.of(), text.toString().getBytes(StandardCharsets.UTF_8))),
                    Origin.of(Interface.MM1, READ_REPORT_SENDER, null).withInterfaceVersion("1.0"));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        Routing routing = relay.route(message);
        if (routing.noneRouted()) {
            return CompletableFuture.failedFuture(new IllegalStateException("read report to " + original.originator() + " is not routable: "
                    + routing.refused().getFirst().detail()));
        }
        IdempotencyKey key = new IdempotencyKey(Interface.MM1, READ_REPORT_SENDER,
                original.id().value() + "/" + report.recipient().address().value() + "/" + report.status());
        return relay.accept(message, routing, key).thenAccept(acceptance ->
                log.info("read report ({}) from {} to MMS 1.0 sender {} sent as message {}", report.status(),
                        report.recipient().address(), original.originator(), acceptance.id()));
    }

    // ---------------------------------------------------------------- GET

    public CompletableFuture<Mm1Response> get(InetAddress source, Function<String, String> headers, String path) {
        long started = System.nanoTime();
        String token = path;
        int q = token.indexOf('?');
        if (q >= 0) token = token.substring(0, q);
        token = token.substring(token.lastIndexOf('/') + 1);
        Optional<ContentTokens.Parsed> parsed = tokens.parse(token);
        Optional<Message> message = parsed.flatMap(p -> store.message(p.messageId()));
        if (message.isEmpty()) {
            log.info("MM1 GET {} from {}: unknown token", path, source);
            return done(retrieveError(MmsStatus.RETRIEVE_PERMANENT_MESSAGE_NOT_FOUND, "message not found"));
        }
        Optional<RecipientDelivery> delivery = store.deliveries(message.get().id()).stream()
                .filter(d -> d.route().kind() == RouteKind.LOCAL_MM1 && tokens.matches(parsed.get(), d.recipientIndex()))
                .findFirst();
        if (delivery.isEmpty()) {
            log.info("MM1 GET from {}: token of {} names no recipient (guessed or forged)", source, message.get().id());
            return done(retrieveError(MmsStatus.RETRIEVE_PERMANENT_MESSAGE_NOT_FOUND, "message not found"));
        }
        RecipientDelivery d = delivery.get();
        Optional<Address> subscriber = identity.resolve(source, headers);
        if (subscriber.isPresent() && !subscriber.get().equals(d.recipient().address())) {
            log.info("MM1 GET of {} by {}, who is not its recipient", d.key(), subscriber.get());
            return done(retrieveError(MmsStatus.RETRIEVE_PERMANENT_SERVICE_DENIED, "not your message"));
        }
        if (d.state().isFinal() && d.state() != DeliveryState.RETRIEVED) {
            return done(retrieveError(MmsStatus.RETRIEVE_PERMANENT_MESSAGE_NOT_FOUND, "message " + d.state().name().toLowerCase(java.util.Locale.ROOT)));
        }
        // The delivery report waits for the phone's m-notifyresp-ind / m-acknowledge-ind (Report-Allowed), at most answerGrace.
        Instant answerBy = relay.clock().instant().plus(config.answerGrace());
        return relay.record(d.key(), new RecipientEvent.Fetched(answerBy, "fetched over MM1")).handle((r, e) -> {
            if (e != null) {
                log.info("MM1 GET of {}: {}", d.key(), e.toString());
                return retrieveError(MmsStatus.RETRIEVE_PERMANENT_MESSAGE_NOT_FOUND, "message no longer available");
            }
            count("retrieve", MmsStatus.RETRIEVE_OK);
            Mm1Response conf = Mm1Response.pdu(encoder.encode(retrieveConf(message.get())));
            retrievalLatency.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            if (d.state() != DeliveryState.FETCHED && d.state() != DeliveryState.RETRIEVED) {
                Duration waited = Duration.between(message.get().date(), relay.clock().instant());
                if (!waited.isNegative()) retrievalWait.record(waited);
            }
            return conf;
        });
    }

    /** The message as a recipient sees it: Bcc never shown, the sender hidden when asked. */
    MmsPdu.RetrieveConf retrieveConf(Message m) {
        MmsHeaders.Builder b = MmsHeaders.builder()
                .text(MmsField.TRANSACTION_ID, tokens.transactionId(m.id()))
                .version(1, 2)
                .text(MmsField.MESSAGE_ID, m.id().value())
                .add(MmsField.DATE, new HeaderValue.Date(m.date().getEpochSecond()));
        if (!m.senderHidden()) b.add(MmsField.FROM, new HeaderValue.From(EncodedString.of(m.originator().toMms())));
        for (Recipient r : m.recipients()) {
            if (r.kind() == Recipient.Kind.TO) b.encoded(MmsField.TO, r.address().toMms());
        }
        for (Recipient r : m.recipients()) {
            if (r.kind() == Recipient.Kind.CC) b.encoded(MmsField.CC, r.address().toMms());
        }
        if (m.subject() != null) b.encoded(MmsField.SUBJECT, m.subject().text());
        b.token(MmsField.MESSAGE_CLASS, PduMapping.messageClassToken(m.messageClass()));
        b.token(MmsField.PRIORITY, PduMapping.priorityToken(m.priority()));
        if (m.readReportRequested()) b.token(MmsField.READ_REPORT, MmsStatus.YES);
        // MM7 DistributionIndicator=false: the handset is told the content must not be forwarded (MMS 1.2).
        if (m.distributionIndicator() != null) {
            b.token(MmsField.DISTRIBUTION_INDICATOR, m.distributionIndicator() ? MmsStatus.YES : MmsStatus.NO);
        }
        b.add(MmsField.CONTENT_TYPE, new HeaderValue.ContentTypeValue(PduMapping.toWire(m.contentType())));
        return new MmsPdu.RetrieveConf(b.build(), PduMapping.bodyOf(m.contentType(), m.parts()));
    }

    private Mm1Response retrieveError(int status, String text) {
        count("retrieve", status);
        MmsHeaders headers = MmsHeaders.builder()
                .version(1, 2)
                .add(MmsField.DATE, new HeaderValue.Date(relay.clock().instant().getEpochSecond()))
                .token(MmsField.RETRIEVE_STATUS, status)
                .encoded(MmsField.RETRIEVE_TEXT, text)
                .add(MmsField.CONTENT_TYPE, new HeaderValue.ContentTypeValue(ContentType.of("text/plain")))
                .build();
        return Mm1Response.pdu(encoder.encode(new MmsPdu.RetrieveConf(headers,
                new MessageBody.Opaque(org.openmmsc.mm1.codec.ByteSlice.wrap(text.getBytes(StandardCharsets.US_ASCII))))));
    }

    // ---------------------------------------------------------- notification

    /**
     * The m-notification-ind for one local recipient, kept small so it fits one SMS through a PPG:
     * a relative expiry, the short token URL, and From and Subject only when
     * {@code mm1.notification} asks for them (then it may take several SMS).
     */
    public byte[] notification(Message m, RecipientDelivery d) {
        Instant now = relay.clock().instant();
        long expirySeconds = Math.max(1, Duration.between(now, d.expiresAt()).toSeconds());
        MmsHeaders.Builder builder = MmsHeaders.builder()
                .text(MmsField.TRANSACTION_ID, tokens.transactionId(m.id()))
                .version(1, 2);
        if (config.notification().includeFrom() && !m.senderHidden()) {
            builder.add(MmsField.FROM, new HeaderValue.From(EncodedString.of(m.originator().toMms())));
        }
        if (config.notification().includeSubject() && m.subject() != null) builder.encoded(MmsField.SUBJECT, m.subject().text());
        MmsHeaders headers = builder
                .token(MmsField.MESSAGE_CLASS, PduMapping.messageClassToken(m.messageClass()))
                .add(MmsField.MESSAGE_SIZE, new HeaderValue.Number(Math.max(1, m.contentSize())))
                .add(MmsField.EXPIRY, new HeaderValue.Time(false, expirySeconds))
                .text(MmsField.CONTENT_LOCATION, contentLocation(d.key()))
                .build();
        return encoder.encode(new MmsPdu.NotificationInd(headers, null));
    }

    /** Requests by PDU and answer: the status octet in hex, "matched" / "unmatched" for answers without a reply PDU. */
    private void count(String pdu, int status) {
        // Looked up once per (PDU, status): building and registering a meter per request was a visible
        // share of the accept path's CPU (docs/performance.md).
        requestCounters.computeIfAbsent(pdu + '|' + status, k -> {
            String outcome = status < 0 ? "unmatched" : status == 0 ? "matched" : String.format("0x%02X", status);
            return Counter.builder("mmsc.mm1.requests").tag("pdu", pdu).tag("status", outcome)
                    .description("MM1 requests by PDU type and answer").register(meters);
        }).increment();
    }

    private final java.util.concurrent.ConcurrentHashMap<String, Counter> requestCounters = new java.util.concurrent.ConcurrentHashMap<>();
    private final Timer retrievalLatency;
    private final Timer retrievalWait;

    private static CompletableFuture<Mm1Response> done(Mm1Response r) {
        return CompletableFuture.completedFuture(r);
    }
}
