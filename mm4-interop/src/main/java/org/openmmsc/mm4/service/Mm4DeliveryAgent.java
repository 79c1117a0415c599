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
import org.openmmsc.mm3.smtp.SmtpClient;
import org.openmmsc.mm4.codec.Mm4Codec;
import org.openmmsc.mm4.codec.Mm4DecodeException;
import org.openmmsc.mm4.codec.Mm4Pdu;

/**
 * Delivers to a peer carrier's subscriber: one MM4_forward.REQ per recipient delivery over SMTP
 * to the peer domain's configured host. 250 → handed off (the peer's delivery report moves it on),
 * 4xx or no connection → retry later, 5xx → rejected. The ids carry the delivery key, so the RES and
 * reports find it again; a repeat after a crash is suppressed by the peer (same transaction id).
 */
public final class Mm4DeliveryAgent implements DeliveryAgent {
    private final String ownDomain;
    private final Mm4Sender sender;
    private final Mm4Codec codec;
    private final Mm4Meters meters;

    Mm4DeliveryAgent(String ownDomain, Mm4Sender sender, Mm4Codec codec, Mm4Meters meters) {
        this.meters = meters;
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
        if (message.origin().iface() == Interface.MM4) {
            // The router already refuses this; kept here because a hub-less MMSC must never relay between peers.
            return CompletableFuture.completedFuture(new Outcome.Rejected("message arrived over MM4; not relaying between peers"));
        }
        byte[] mail;
        try {
            mail = codec.encodeForward(forwardOf(message, delivery));
        } catch (Mm4DecodeException | IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Outcome.PermanentFailure("cannot write MM4_forward.REQ: " + e.getMessage()));
        }
        String mailFrom = Mm4Addresses.withDomain(message.originator(), ownDomain);
        String rcptTo = Mm4Addresses.withDomain(delivery.recipient().address(), peer);
        return sender.send(peer, mailFrom, rcptTo, mail).handle((result, error) -> {
            Outcome outcome = outcome(peer, result, error);
            meters.outbound(peer, switch (outcome) {
                case Outcome.HandedOff h -> "handed-off";
                case Outcome.TransientFailure t -> "retry";
                case Outcome.Rejected r -> "rejected";
                default -> "failed";
            });
            return outcome;
        });
    }

    private static Outcome outcome(String peer, SmtpClient.Result result, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
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
