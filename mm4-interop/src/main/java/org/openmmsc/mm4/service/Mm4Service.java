package org.openmmsc.mm4.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.ContentType;
import org.openmmsc.core.model.DeliveryKey;
import org.openmmsc.core.model.EncodedText;
import org.openmmsc.core.model.IllegalTransitionException;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.NumberNormalizer;
import org.openmmsc.core.model.Origin;
import org.openmmsc.core.model.Recipient;
import org.openmmsc.core.model.RecipientStatus;
import org.openmmsc.core.model.RouteKind;
import org.openmmsc.core.relay.RecipientEvent;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.core.relay.Routing;
import org.openmmsc.core.spi.IdempotencyKey;
import org.openmmsc.core.spi.RouteResolver;
import org.openmmsc.mm3.SmtpConfig;
import org.openmmsc.mm3.smtp.ClientInfo;
import org.openmmsc.mm3.smtp.Envelope;
import org.openmmsc.mm3.smtp.SmtpPolicy;
import org.openmmsc.mm3.smtp.SmtpReply;
import org.openmmsc.mm4.codec.Mm4Codec;
import org.openmmsc.mm4.codec.Mm4DecodeException;
import org.openmmsc.mm4.codec.Mm4Headers;
import org.openmmsc.mm3.mime.MailMessage;
import org.openmmsc.mm3.mime.MimeCodec;
import org.openmmsc.mm3.mime.MimeException;
import org.openmmsc.mm3.service.Mm3Bounces;
import org.openmmsc.mm3.service.Mm3Inbound;
import org.openmmsc.mm4.codec.Mm4Pdu;
import org.openmmsc.mm4.codec.Mm4Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Inbound MM4: relay control for the SMTP listener (MM4 only from configured peers, by source
 * address and/or TLS client certificate; recipients only this MMSC's subscribers or its system mailbox), and what each MM4
 * message does — a forward is routed and accepted (the 250 follows durability; duplicates by
 * originator system and transaction id are answered with the first message), responses and
 * delivery/read reports move the deliveries they name.
 */
public final class Mm4Service implements SmtpPolicy {
    private static final Logger log = LoggerFactory.getLogger(Mm4Service.class);
    /** Local parts that name the MMSC itself (where peers send RES and reports). */
    private static final Set<String> SYSTEM_USERS = Set.of("system-user", "postmaster", "mmsc");

    private final SmtpConfig config;
    private final Relay relay;
    private final NumberNormalizer numbers;
    private final Mm4Peers peers;
    private final Mm4Sender sender;
    private final Mm4Codec codec;
    private final Executor executor;
    private final Mm4Meters meters;
    private final MimeCodec mime;
    private final Mm3Inbound mm3;
    /** Bounces to MM3 out's return paths; null when there is no MM3 out. */
    private final Mm3Bounces bounces;
    private final Function<DeliveryKey, Optional<RecipientDelivery>> deliveries;
    private final HubTraces hubTraces;

    Mm4Service(SmtpConfig config, Relay relay, NumberNormalizer numbers, Mm4Peers peers, Mm4Sender sender, MimeCodec mime, Mm4Codec codec,
               Executor executor, Mm4Meters meters, Mm3Inbound mm3, Mm3Bounces bounces, Function<DeliveryKey, Optional<RecipientDelivery>> deliveries,
               HubTraces hubTraces) {
        this.bounces = bounces;
        this.deliveries = deliveries;
        this.hubTraces = hubTraces;
        this.meters = meters;
        this.mime = mime;
        this.mm3 = mm3;
        this.config = config;
        this.relay = relay;
        this.numbers = numbers;
        this.peers = peers;
        this.sender = sender;
        this.codec = codec;
        this.executor = executor;
    }

    String systemAddress() {
        return "system-user@" + config.domain();
    }

    @Override
    public SmtpReply onMail(ClientInfo client, String reversePath) {
        // With MM3 out, bounces may come from any mail system (they are only accepted for our return paths).
        if (peers.identify(client).isEmpty() && config.mm3Domains().isEmpty() && bounces == null) {
            log.warn("SMTP MAIL from {} refused: not a configured MM4 peer ({})", client.address().getAddress().getHostAddress(), describe(client));
            return SmtpReply.of(550, "5.7.1", "relay access denied: you are not a configured MM4 peer");
        }
        return null;
    }

    /** For log lines: what the client showed of itself beyond its address. */
    private static String describe(ClientInfo client) {
        return client.certificates().isEmpty() ? "no TLS client certificate"
                : "certificate " + client.certificates().getFirst().getSubjectX500Principal().getName()
                + " sha256 " + Mm4Peers.fingerprint(client.certificates().getFirst());
    }

    @Override
    public SmtpReply onRcpt(ClientInfo client, String reversePath, List<String> acceptedSoFar, String forwardPath) {
        String domain = Mm4Addresses.domainOf(forwardPath);
        if (bounces != null) {
            boolean bounce = bounces.isBounceRecipient(forwardPath);
            // A bounce goes through its own path (always 250, never stored as a message): never mixed with mail for subscribers.
            if (!acceptedSoFar.isEmpty() && bounces.isBounceRecipient(acceptedSoFar.getFirst()) != bounce) {
                return SmtpReply.of(452, "4.5.3", "send this recipient in a separate transaction");
            }
            if (bounce) return null;
        }
        // E-mail (MM3) may come from anywhere, but only to a local subscriber at a local MM3 domain.
        if (mm3.servesDomain(domain)) return mm3.checkRecipient(forwardPath);
        if (!domain.equals(config.domain())) return SmtpReply.of(550, "5.7.1", "relay access denied: " + domain + " is not served here");
        Optional<SmtpConfig.Peer> peer = peers.identify(client);
        if (peer.isEmpty()) {
            log.warn("SMTP RCPT {} from {} refused: MM4 only from configured peers ({})", forwardPath,
                    client.address().getAddress().getHostAddress(), describe(client));
            return SmtpReply.of(550, "5.7.1", "relay access denied: MM4 only from configured peers");
        }
        String local = Mm4Addresses.localPartOf(forwardPath);
        if (SYSTEM_USERS.contains(local.toLowerCase(Locale.ROOT))) return null;
        Address address;
        try {
            address = Mm4Addresses.parse(local, numbers);
        } catch (IllegalArgumentException e) {
            return SmtpReply.of(550, "5.1.3", "not an MMS address: " + local);
        }
        if (!address.isNumber()) return SmtpReply.of(550, "5.1.3", "not an MMS address: " + local);
        // Route a probe exactly as the real message will be routed: the core refuses onward MM4.
        Message probe = new Message(relay.newMessageId(), address, List.of(Recipient.to(address)), null, null, null, Instant.EPOCH,
                null, null, false, false, false, null, ContentType.of("text/plain"), List.of(), Origin.of(Interface.MM4, "probe", "probe"));
        Routing routing = relay.route(probe);
        if (!routing.refused().isEmpty()) {
            Routing.Refused r = routing.refused().getFirst();
            return r.reason() == RouteResolver.Reason.NOT_ALLOWED
                    ? SmtpReply.of(550, "5.7.1", "relay access denied: " + address + " is not a subscriber here")
                    : SmtpReply.of(550, "5.1.1", "no such subscriber: " + address);
        }
        if (routing.routed().getFirst().route().kind() == RouteKind.PEER_MM4) {
            // Only a hub relays between peers (the router refuses it otherwise), and never straight back to the sender.
            if (!config.hub()) return SmtpReply.of(550, "5.7.1", "relay access denied: " + address + " is not a subscriber here");
            if (routing.routed().getFirst().route().target().equalsIgnoreCase(peer.get().domain())) {
                return SmtpReply.of(550, "5.4.6", "routing loop: " + address + " is routed back to " + peer.get().domain());
            }
        }
        return null;
    }

    @Override
    public CompletionStage<SmtpReply> onMessage(Envelope envelope, byte[] mail) {
        return CompletableFuture.supplyAsync(() -> decodeAndHandle(envelope, mail), executor).thenCompose(f -> f);
    }

    private CompletableFuture<SmtpReply> decodeAndHandle(Envelope envelope, byte[] mail) {
        Optional<SmtpConfig.Peer> peer = peers.identify(envelope.clientInfo());
        MailMessage parsed;
        if (bounces != null && envelope.recipients().stream().allMatch(bounces::isBounceRecipient)) {
            try {
                parsed = mime.parse(mail);
            } catch (MimeException e) {
                parsed = null; // dropped with a log line by the bounce handler, never refused: no backscatter
            }
            return bounces.accept(envelope, parsed);
        }
        try {
            parsed = mime.parse(mail);
        } catch (MimeException e) {
            if (peer.isPresent()) meters.inbound(peer.get().domain(), "invalid", 554);
            return done(554, "5.6.0", "not a MIME message: " + e.getMessage());
        }
        boolean allMm3 = envelope.recipients().stream().allMatch(r -> mm3.servesDomain(Mm4Addresses.domainOf(r)));
        if (peer.isEmpty() || (allMm3 && parsed.header(Mm4Headers.MESSAGE_TYPE) == null)) {
            // Not MM4: e-mail for subscribers (every recipient was checked at RCPT).
            return allMm3 ? mm3.accept(envelope, parsed) : done(550, "5.7.1", "relay access denied");
        }
        String peerDomain = peer.get().domain();
        Mm4Pdu pdu;
        try {
            pdu = codec.decode(parsed);
        } catch (Mm4DecodeException e) {
            log.warn("MM4 from {} refused: {}", peerDomain, e.getMessage());
            meters.inbound(peerDomain, "invalid", 554);
            return done(554, "5.6.0", "not a valid MM4 message: " + e.getMessage());
        }
        CompletableFuture<SmtpReply> reply = switch (pdu) {
            case Mm4Pdu.ForwardRequest f -> forward(peer.get(), envelope, f, parsed.all("Received"));
            case Mm4Pdu.Response r -> response(peer.get(), r);
            case Mm4Pdu.DeliveryReport d -> deliveryReport(peer.get(), d);
            case Mm4Pdu.ReadReplyReport r -> readReply(peer.get(), r);
        };
        return reply.whenComplete((r, e) -> meters.inbound(peerDomain, pdu.type().wire(), e != null ? 451 : r.code()));
    }

    private CompletableFuture<SmtpReply> forward(SmtpConfig.Peer peer, Envelope envelope, Mm4Pdu.ForwardRequest req, List<String> trace) {
        // The SMTP listener prepended its own Received: line, so a message that went round a loop collects them.
        if (req.receivedCount() > config.maxReceivedHeaders()) {
            log.warn("MM4 forward {} from {} refused: {} Received: headers, a mail loop", req.transactionId(), peer.domain(), req.receivedCount());
            return done(554, "5.4.6", "routing loop detected: too many Received headers");
        }
        Address originator;
        try {
            originator = Mm4Addresses.parse(req.from(), numbers);
        } catch (IllegalArgumentException e) {
            return refuseForward(peer, req, "Error-sending-address-unresolved", 554, "5.1.7", "bad From address");
        }
        List<Address> to = parseAll(req.to());
        List<Address> cc = parseAll(req.cc());
        List<Recipient> recipients = new ArrayList<>();
        for (String rcpt : envelope.recipients()) {
            String local = Mm4Addresses.localPartOf(rcpt);
            if (SYSTEM_USERS.contains(local.toLowerCase(Locale.ROOT))) continue;
            Address a = Mm4Addresses.parse(local, numbers); // checked at RCPT
            // Who was named in To/Cc stays visible; anyone only in the envelope was a Bcc recipient.
            Recipient.Kind kind = to.contains(a) ? Recipient.Kind.TO : cc.contains(a) ? Recipient.Kind.CC : Recipient.Kind.BCC;
            if (recipients.stream().noneMatch(r -> r.address().equals(a))) recipients.add(new Recipient(a, kind));
        }
        if (recipients.isEmpty()) return done(554, "5.5.1", "a forward needs a subscriber recipient");
        String originatorSystem = req.originatorSystem() != null ? req.originatorSystem() : "system-user@" + peer.domain();
        Message message;
        try {
            message = new Message(relay.newMessageId(), originator, recipients,
                    req.subject() == null ? null : EncodedText.utf8(req.subject()), req.messageClass(), req.priority(),
                    req.date() == null ? relay.clock().instant() : req.date(), req.expiry(), null,
                    Boolean.TRUE.equals(req.deliveryReport()), Boolean.TRUE.equals(req.readReply()), Boolean.TRUE.equals(req.senderHidden()),
                    null, req.contentType(), req.parts(),
                    new Origin(Interface.MM4, peer.domain(), req.transactionId(), req.vaspId(), req.vasId(), req.serviceCode(), req.linkedId(),
                            originatorSystem, req.messageId()));
        } catch (IllegalArgumentException e) {
            return refuseForward(peer, req, "Error-message-format-corrupt", 554, "5.6.0", "cannot take this message: " + e.getMessage());
        }
        Routing routing = relay.route(message);
        if (routing.noneRouted()) {
            return refuseForward(peer, req, "Error-service-denied", 550, "5.1.1", "no recipient is a subscriber here");
        }
        boolean relaying = routing.routed().stream().anyMatch(r -> r.route().kind() == RouteKind.PEER_MM4);
        if (relaying && req.receivedCount() > config.hubMaxHops()) {
            // Hub mode: each MMSC and MTA on the way adds a Received: line; past the bound this is a loop, not a route.
            log.warn("MM4 forward {} from {} refused: {} Received: headers, more than smtp.hubMaxHops {} for relaying",
                    req.transactionId(), peer.domain(), req.receivedCount(), config.hubMaxHops());
            return refuseForward(peer, req, "Error-network-problem", 554, "5.4.6", "routing loop detected: too many hops to relay");
        }
        IdempotencyKey key = new IdempotencyKey(Interface.MM4, originatorSystem, req.transactionId());
        // A relayed message keeps its trace, so the next hub can count the hops (RFC 5321 §4.4: relays keep Received: lines).
        // Remembered before the accept: the scheduler may forward the message the moment it is stored.
        if (relaying) hubTraces.remember(message.id(), trace);
        return relay.accept(message, routing, key).whenComplete((acceptance, error) -> {
            if (relaying && (error != null || acceptance.duplicate())) hubTraces.forget(message.id());
        }).thenApply(acceptance -> {
            try (var ignored = MDC.putCloseable("messageId", acceptance.id().value())) {
                // The relay logs the acceptance itself; this line only ties the peer's transaction to our id.
                log.debug("MM4 forward {} from {} {} as {}", req.transactionId(), peer.domain(), acceptance.duplicate() ? "was a repeat of" : "accepted",
                        acceptance.id());
            }
            if (req.ackRequested()) respond(peer, Mm4Type.FORWARD_RES, req.transactionId(), req.messageId(), originatorSystem, "Ok", null);
            return SmtpReply.of(250, "2.0.0", "queued as " + acceptance.id());
        });
    }

    private CompletableFuture<SmtpReply> refuseForward(SmtpConfig.Peer peer, Mm4Pdu.ForwardRequest req, String mm4Status, int code, String enhanced, String text) {
        log.warn("MM4 forward {} from {} refused: {}", req.transactionId(), peer.domain(), text);
        // MM4 tells the originator MMSC in a RES as well as in the SMTP reply, when it asked for one.
        if (req.ackRequested()) {
            String to = req.originatorSystem() != null ? req.originatorSystem() : "system-user@" + peer.domain();
            respond(peer, Mm4Type.FORWARD_RES, req.transactionId(), req.messageId(), to, mm4Status, text);
        }
        return done(code, enhanced, text);
    }

    private List<Address> parseAll(List<String> written) {
        List<Address> out = new ArrayList<>();
        for (String w : written) {
            try {
                out.add(Mm4Addresses.parse(w, numbers));
            } catch (IllegalArgumentException ignored) {
                // An address we cannot read in To/Cc only affects how our own recipients are labelled.
            }
        }
        return out;
    }

    private CompletableFuture<SmtpReply> response(SmtpConfig.Peer peer, Mm4Pdu.Response res) {
        DeliveryKey key = Mm4Correlation.parse(res.transactionId());
        if (key == null) {
            log.warn("{} from {} names no delivery of ours: transaction {}", res.type().wire(), peer.domain(), res.transactionId());
            return done(250, "2.0.0", "response noted");
        }
        if (res.type() != Mm4Type.FORWARD_RES || res.ok()) {
            log.info("{} from {} for {}: {}", res.type().wire(), peer.domain(), key, res.requestStatusCode());
            return done(250, "2.0.0", "response noted");
        }
        // The peer took the mail over SMTP but refused the message in its RES: the delivery failed there.
        String detail = "peer " + peer.domain() + " answered " + res.requestStatusCode() + (res.statusText() == null ? "" : " (" + res.statusText() + ")");
        return recordThen(peer, key, new RecipientEvent.NextHopFailed(false, detail), "response noted");
    }

    private CompletableFuture<SmtpReply> deliveryReport(SmtpConfig.Peer peer, Mm4Pdu.DeliveryReport report) {
        DeliveryKey key = Mm4Correlation.parse(report.messageId());
        CompletableFuture<SmtpReply> outcome;
        if (key == null) {
            log.warn("MM4 delivery report from {} names no message of ours: {}", peer.domain(), report.messageId());
            outcome = done(250, "2.0.0", "report noted");
        } else {
            outcome = recordThen(peer, key, eventFor(report.mmStatusCode(), "MM4 delivery report from " + peer.domain() + ": " + report.mmStatusCode()), "report recorded");
        }
        return outcome.thenApply(reply -> {
            if (report.ackRequested() && reply.isPositive()) {
                respond(peer, Mm4Type.DELIVERY_REPORT_RES, report.transactionId(), report.messageId(),
                        report.originatorSystem() != null ? report.originatorSystem() : "system-user@" + peer.domain(), "Ok", null);
            }
            return reply;
        });
    }

    private CompletableFuture<SmtpReply> readReply(SmtpConfig.Peer peer, Mm4Pdu.ReadReplyReport report) {
        DeliveryKey key = Mm4Correlation.parse(report.messageId());
        String status = report.readStatus().replaceAll("[\\s-]", "").toLowerCase(Locale.ROOT);
        RecipientStatus read = status.equals("read") ? RecipientStatus.READ : RecipientStatus.DELETED_WITHOUT_READ;
        CompletableFuture<SmtpReply> outcome = key == null ? done(250, "2.0.0", "report noted")
                : recordThen(peer, key, new RecipientEvent.ReadReport(read, "MM4 read-reply report from " + peer.domain()), "report recorded");
        return outcome.thenApply(reply -> {
            if (report.ackRequested() && reply.isPositive()) {
                respond(peer, Mm4Type.READ_REPLY_REPORT_RES, report.transactionId(), report.messageId(),
                        report.originatorSystem() != null ? report.originatorSystem() : "system-user@" + peer.domain(), "Ok", null);
            }
            return reply;
        });
    }

    /** X-Mms-MM-Status-Code → what the relay records. Unknown values are kept as "unrecognised" answers. */
    static RecipientEvent eventFor(String mmStatus, String detail) {
        return switch (mmStatus.strip().toLowerCase(Locale.ROOT)) {
            case "retrieved" -> new RecipientEvent.Retrieved(detail);
            case "rejected" -> new RecipientEvent.Answered(RecipientStatus.REJECTED, detail);
            case "deferred" -> new RecipientEvent.Answered(RecipientStatus.DEFERRED, detail);
            case "forwarded" -> new RecipientEvent.Answered(RecipientStatus.FORWARDED, detail);
            case "expired" -> new RecipientEvent.NextHopFailed(true, detail);
            case "unreachable" -> new RecipientEvent.NextHopFailed(false, detail);
            default -> new RecipientEvent.Answered(RecipientStatus.UNRECOGNISED, detail);
        };
    }

    private CompletableFuture<SmtpReply> recordThen(SmtpConfig.Peer peer, DeliveryKey key, RecipientEvent event, String okText) {
        // A peer may only speak for deliveries we handed to it, never for another peer's or a local one.
        Optional<RecipientDelivery> target = deliveries.apply(key);
        if (target.isPresent() && !(target.get().route().kind() == RouteKind.PEER_MM4
                && target.get().route().target().equalsIgnoreCase(peer.domain()))) {
            log.warn("MM4 event from {} for delivery {} ignored: that delivery went by {}", peer.domain(), key, target.get().route());
            return done(250, "2.0.0", "noted");
        }
        return relay.record(key, event).handle((stored, error) -> {
            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
            if (cause instanceof IllegalTransitionException) {
                log.info("MM4 event for {} no longer applies: {}", key, cause.getMessage());
                return SmtpReply.of(250, "2.0.0", "noted; the delivery had already ended");
            }
            if (cause != null) throw new CompletionException(cause); // the session answers 451: the peer retries
            if (stored.isEmpty()) log.warn("MM4 event for unknown delivery {}", key);
            return SmtpReply.of(250, "2.0.0", okText);
        });
    }

    /** Sends a .RES after the request is durable. Lost responses are repaired by the peer's retry (duplicates are suppressed). */
    private void respond(SmtpConfig.Peer peer, Mm4Type type, String transactionId, String messageId, String to, String status, String text) {
        byte[] mail;
        try {
            mail = codec.encodeResponse(new Mm4Pdu.Response(type, null, transactionId, messageId, status, text, null, null), systemAddress(), to);
        } catch (Mm4DecodeException | IllegalArgumentException e) {
            log.warn("cannot write {} for {}: {}", type.wire(), transactionId, e.getMessage());
            return;
        }
        sender.send(peer.domain(), systemAddress(), to, mail).whenComplete((result, error) -> {
            if (error != null) {
                log.warn("{} for {} to {} not sent: {}", type.wire(), transactionId, peer.domain(), error.getMessage());
            } else if (!result.accepted()) {
                log.warn("{} for {} refused by {}: {}", type.wire(), transactionId, peer.domain(), result.reply().line());
            }
        });
    }

    private static CompletableFuture<SmtpReply> done(int code, String enhanced, String text) {
        return CompletableFuture.completedFuture(SmtpReply.of(code, enhanced, text));
    }
}
