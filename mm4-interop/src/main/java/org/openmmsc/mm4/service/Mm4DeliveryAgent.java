package org.openmmsc.mm4.service;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.Recipient;
import org.openmmsc.core.model.RouteKind;
import org.openmmsc.core.model.TimeSpec;
import org.openmmsc.core.spi.DeliveryAgent;
import org.openmmsc.mm3.smtp.MxResolver;
import org.openmmsc.mm3.smtp.SmtpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.openmmsc.mm4.codec.Mm4Codec;
import org.openmmsc.mm4.codec.Mm4DecodeException;
import org.openmmsc.mm4.codec.Mm4Pdu;

/**
 * Delivers to a peer carrier's subscriber: one MM4_forward.REQ per recipient delivery over SMTP
 * to the peer domain's configured host or mail exchangers. A message that came over MM4 goes on
 * only from a hub, with the Received: lines it arrived with. 250 → handed off (the peer's delivery report moves it on),
 * 4xx or no connection → retry later, 5xx → rejected. The ids carry the delivery key, so the RES and
 * reports find it again; a repeat after a crash is suppressed by the peer (same transaction id).
 */
public final class Mm4DeliveryAgent implements DeliveryAgent {
    private static final Logger log = LoggerFactory.getLogger(Mm4DeliveryAgent.class);
    private final String ownDomain;
    private final Mm4Sender sender;
    private final Mm4Codec codec;
    private final Mm4Meters meters;
    private final boolean hub;
    private final HubTraces hubTraces;

    Mm4DeliveryAgent(String ownDomain, Mm4Sender sender, Mm4Codec codec, Mm4Meters meters, boolean hub, HubTraces hubTraces) {
        this.meters = meters;
        this.hub = hub;
        this.hubTraces = hubTraces;
        this.ownDomain = ownDomain;
        this.sender = sender;
        this.codec = codec;
    }

    @Override
    public RouteKind routeKind() {
        return RouteKind.PEER_MM4;
    }

    @Override
    public CompletionStage<Outcome> deliver(Message message, RecipientDelivery delivery) {
        String peer = delivery.route().target();
        boolean relayed = message.origin().iface() == Interface.MM4;
        if (relayed && !hub) {
            // The router already refuses this; kept here because a hub-less MMSC must never relay between peers.
            return CompletableFuture.completedFuture(new Outcome.Rejected("message arrived over MM4; not relaying between peers"));
        }
        byte[] mail;
        try {
            mail = codec.encodeForward(forwardOf(message, delivery));
        } catch (Mm4DecodeException | IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Outcome.PermanentFailure("cannot write MM4_forward.REQ: " + e.getMessage()));
        }
        if (relayed) mail = withTrace(hubTraces.of(message.id()), mail);
        String mailFrom = Mm4Addresses.withDomain(message.originator(), ownDomain);
        String rcptTo = Mm4Addresses.withDomain(delivery.recipient().address(), peer);
        meters.queued(peer, +1);
        return sender.send(peer, mailFrom, rcptTo, mail).handle((result, error) -> {
            meters.queued(peer, -1);
            Outcome outcome = outcome(peer, result, error);
            meters.outbound(peer, switch (outcome) {
                case Outcome.HandedOff h -> "handed-off";
                case Outcome.TransientFailure t -> unwrap(error) instanceof SmtpClient.TlsFailure ? "tls-failed" : "retry";
                case Outcome.Rejected r -> "rejected";
                default -> "failed";
            });
            return outcome;
        });
    }

    /** The Received: lines the relayed message arrived with, in their order, ahead of the forward's own headers. */
    private static byte[] withTrace(List<String> received, byte[] mail) {
        if (received.isEmpty()) return mail;
        StringBuilder trace = new StringBuilder();
        for (String value : received) trace.append("Received: ").append(value).append("\r\n");
        byte[] head = trace.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = java.util.Arrays.copyOf(head, head.length + mail.length);
        System.arraycopy(mail, 0, out, head.length, mail.length);
        return out;
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static Outcome outcome(String peer, SmtpClient.Result result, Throwable error) {
        if (error != null) {
            Throwable cause = unwrap(error);
            if (cause instanceof SmtpClient.TlsFailure) {
                // Nothing went out in clear; the peer's TLS may be repaired, so the scheduler tries again until expiry.
                log.warn("MM4 peer {}: {}", peer, cause.getMessage());
                return new Outcome.TransientFailure("MM4 peer " + peer + ": " + cause.getMessage(), null);
            }
            if (cause instanceof MxResolver.DnsFailure dns && dns.permanent()) {
                log.warn("MM4 peer {}: {}", peer, dns.getMessage());
                return new Outcome.PermanentFailure("MM4 peer " + peer + ": " + dns.getMessage());
            }
            return new Outcome.TransientFailure("MM4 peer " + peer + " unreachable: " + (cause instanceof IOException ? cause.getMessage() : cause.toString()), null);
        }
        if (result.accepted()) return new Outcome.HandedOff("MM4 peer " + peer + " accepted: " + result.reply().line());
        String why = "MM4 peer " + peer + " answered " + result.reply().line() + " to " + result.step();
        return result.reply().isPermanent() ? new Outcome.Rejected(why) : new Outcome.TransientFailure(why, null);
    }

    private Mm4Pdu.ForwardRequest forwardOf(Message m, RecipientDelivery d) {
        String id = Mm4Correlation.idOf(d.key());
        // Only To and Cc are named to the peer; Bcc recipients travel in the envelope alone.
        List<String> to = m.recipients().stream().filter(r -> r.kind() == Recipient.Kind.TO).map(r -> r.address().toMms()).toList();
        List<String> cc = m.recipients().stream().filter(r -> r.kind() == Recipient.Kind.CC).map(r -> r.address().toMms()).toList();
        Address originator = m.originator();
        String systemUser = "system-user@" + ownDomain;
        return new Mm4Pdu.ForwardRequest(Mm4Codec.VERSION_WRITTEN, id, id,
                originator.toMms(), to, cc, m.subject() == null ? null : m.subject().text(), m.date(),
                Mm4Addresses.withDomain(originator, ownDomain), true, systemUser,
                m.messageClass(), m.priority(), TimeSpec.at(d.expiresAt()),
                m.deliveryReportRequested(), null, m.senderHidden() ? Boolean.TRUE : null, m.readReportRequested(),
                null, List.of(), List.of(),
                m.origin().vaspId(), m.origin().vasId(), m.origin().serviceCode(), null, m.origin().linkedId(),
                null, null, null, null, null, null,
                "<" + id + "@" + ownDomain + ">", 0, m.contentType(), m.parts(), null);
    }
}
