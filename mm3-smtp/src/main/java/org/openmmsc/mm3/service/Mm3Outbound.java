package org.openmmsc.mm3.service;

import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.ContentType;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.RouteKind;
import org.openmmsc.core.spi.DeliveryAgent;
import org.openmmsc.mm3.mime.MimeCodec;
import org.openmmsc.mm3.mime.MimeException;
import org.openmmsc.mm3.smtp.SmtpClient;

/**
 * MM3 out: an MMS to an e-mail recipient becomes a standard MIME e-mail (text parts as text, media
 * as attachments, SMIL dropped unless configured) handed to the configured mail relay. A 250 is a
 * hand-off (the relay tells the sender "indeterminate"); 4xx or no connection retries; 5xx rejects.
 */
public final class Mm3Outbound implements DeliveryAgent {
    private static final DateTimeFormatter RFC_5322 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final String ownDomain;
    private final String relayHost;
    private final int relayPort;
    private final boolean keepSmil;
    private final SmtpClient client;
    private final MimeCodec mime;

    /** @param smarthost "host" or "host:port" (port 25 by default) */
    public Mm3Outbound(String ownDomain, String smarthost, boolean keepSmil, SmtpClient client, MimeCodec mime) {
        int colon = smarthost.lastIndexOf(':');
        this.relayHost = colon < 0 ? smarthost : smarthost.substring(0, colon);
        this.relayPort = colon < 0 ? 25 : Integer.parseInt(smarthost.substring(colon + 1));
        this.ownDomain = ownDomain;
        this.keepSmil = keepSmil;
        this.client = client;
        this.mime = mime;
    }

    @Override
    public RouteKind routeKind() {
        return RouteKind.EMAIL_MM3;
    }

    @Override
    public CompletionStage<Outcome> deliver(Message message, RecipientDelivery delivery) {
        Address to = delivery.recipient().address();
        if (to.type() != Address.Type.EMAIL) return CompletableFuture.completedFuture(new Outcome.PermanentFailure("not an e-mail recipient: " + to));
        byte[] mail;
        try {
            mail = email(message, delivery);
        } catch (MimeException | IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Outcome.PermanentFailure("cannot write the e-mail: " + e.getMessage()));
        }
        return client.send(relayHost, relayPort, "postmaster@" + ownDomain, to.value(), mail).handle((result, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                return new Outcome.TransientFailure("mail relay " + relayHost + " unreachable: " + (cause instanceof IOException ? cause.getMessage() : cause), null);
            }
            if (result.accepted()) return new Outcome.HandedOff("mail relay " + relayHost + " accepted: " + result.reply().line());
            String why = "mail relay " + relayHost + " answered " + result.reply().line() + " to " + result.step();
            return result.reply().isPermanent() ? new Outcome.Rejected(why) : new Outcome.TransientFailure(why, null);
        });
    }

    private byte[] email(Message m, RecipientDelivery d) throws MimeException {
        List<MessagePart.Header> headers = new ArrayList<>();
        headers.add(new MessagePart.Header("From", m.senderHidden() ? "anonymous@" + ownDomain : fromAddress(m.originator())));
        headers.add(new MessagePart.Header("To", d.recipient().address().value()));
        headers.add(new MessagePart.Header("Subject", MimeCodec.encodeWords(m.subject() == null ? "MMS message" : m.subject().text())));
        headers.add(new MessagePart.Header("Date", RFC_5322.format(m.date())));
        headers.add(new MessagePart.Header("Message-ID", "<" + m.id() + "." + d.recipientIndex() + "@" + ownDomain + ">"));
        List<MessagePart> parts = new ArrayList<>();
        for (MessagePart p : m.parts()) {
            if (!keepSmil && p.contentType().mediaType().equals("application/smil")) continue;
            parts.add(attachmentIfMedia(p));
        }
        if (parts.isEmpty()) parts.add(new MessagePart(ContentType.parse("text/plain; charset=us-ascii"), List.of(), new byte[0]));
        ContentType type = parts.size() == 1 ? parts.getFirst().contentType() : ContentType.of("multipart/mixed");
        return mime.write(headers, type, parts);
    }

    /** Media parts become attachments with a file name; text stays inline. */
    private static MessagePart attachmentIfMedia(MessagePart p) {
        if (p.contentType().mediaType().startsWith("text/") || p.header("Content-Disposition") != null) return p;
        String name = p.header("Content-Location");
        if (name == null) name = p.contentType().parameter("name");
        List<MessagePart.Header> headers = new ArrayList<>(p.headers());
        headers.add(new MessagePart.Header("Content-Disposition", name == null ? "attachment" : "attachment; filename=\"" + name.replace("\"", "") + "\""));
        return new MessagePart(p.contentType(), headers, p.content());
    }

    /** An MMS originator as an e-mail From: numbers get the MMSC's domain. */
    private String fromAddress(Address originator) {
        return originator.type() == Address.Type.EMAIL ? originator.value() : originator.value() + "@" + ownDomain;
    }
}
