package org.openmmsc.mm3.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * as attachments, SMIL dropped unless configured, the operator's footer as a last text part) handed
 * to the configured mail relay. A 250 is a hand-off (the relay tells the sender "indeterminate");
 * 4xx or no connection retries; 5xx rejects. The envelope sender is a VERP return path naming the
 * delivery ({@link BounceAddress}), so a later bounce finds it.
 */
public final class Mm3Outbound implements DeliveryAgent {
    private static final DateTimeFormatter RFC_5322 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final String ownDomain;
    private final String relayHost;
    private final int relayPort;
    private final boolean keepSmil;
    private final SmtpClient client;
    private final MimeCodec mime;
    private final String footer;
    private final String returnPathDomain;

    /**
     * @param smarthost        "host" or "host:port" (port 25 by default)
     * @param footer           plain text added as the e-mail's last text part, or null
     * @param returnPathDomain domain of the VERP return path (where bounces come back)
     */
    public Mm3Outbound(String ownDomain, String smarthost, boolean keepSmil, String footer, String returnPathDomain, SmtpClient client, MimeCodec mime) {
        this.footer = footer;
        this.returnPathDomain = returnPathDomain;
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
        String returnPath = BounceAddress.of(delivery.key(), returnPathDomain);
        return client.send(relayHost, relayPort, returnPath, to.value(), mail).handle((result, error) -> {
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
        // The footer is a part of its own, never appended into the sender's text: that text may be in
        // any charset (appending UTF-8 to a Shift_JIS part corrupts it), a kept SMIL may reference it,
        // and the sender's words stay exactly theirs. Mail clients show inline text parts in order.
        if (footer != null) {
            parts.add(new MessagePart(ContentType.parse("text/plain; charset=utf-8"),
                    List.of(new MessagePart.Header("Content-Disposition", "inline")), footer.getBytes(StandardCharsets.UTF_8)));
        }
        ContentType type = parts.size() == 1 ? parts.getFirst().contentType() : ContentType.of("multipart/mixed");
        return mime.write(headers, type, parts);
    }

    /** Part headers an e-mail keeps from the MMS; the rest (X-Mms-*, Content-Disposition as sent by a handset …) is dropped. */
    private static final java.util.Set<String> KEPT_PART_HEADERS = java.util.Set.of("content-id", "content-location", "content-description");

    /**
     * Media parts become attachments with a file name; text stays inline. Only well-known part
     * headers are copied, and only when their value is one printable line: an MMS part header
     * carrying CR/LF or control characters could otherwise start new headers in the e-mail.
     */
    private static MessagePart attachmentIfMedia(MessagePart p) {
        List<MessagePart.Header> headers = new ArrayList<>();
        for (MessagePart.Header h : p.headers()) {
            if (KEPT_PART_HEADERS.contains(h.name().toLowerCase(java.util.Locale.ROOT)) && h.value().chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                headers.add(h);
            }
        }
        if (p.contentType().mediaType().startsWith("text/")) {
            headers.add(new MessagePart.Header("Content-Disposition", "inline"));
            return new MessagePart(p.contentType(), headers, p.content());
        }
        String name = p.header("Content-Location");
        if (name == null) name = p.contentType().parameter("name");
        headers.add(new MessagePart.Header("Content-Disposition", name == null ? "attachment" : "attachment; " + filenameParameter(name)));
        return new MessagePart(p.contentType(), headers, p.content());
    }

    /** filename="…" for a plain ASCII name, else the RFC 2231 form filename*=utf-8''…; never a quote, CR or LF. */
    static String filenameParameter(String name) {
        String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        if (base.isEmpty()) base = "attachment";
        if (base.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != '\\' && c != ';')) return "filename=\"" + base + "\"";
        StringBuilder sb = new StringBuilder("filename*=utf-8''");
        for (byte b : base.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0) sb.append((char) c);
            else sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
        }
        return sb.toString();
    }

    /** An MMS originator as an e-mail From: numbers get the MMSC's domain. */
    private String fromAddress(Address originator) {
        return originator.type() == Address.Type.EMAIL ? originator.value() : originator.value() + "@" + ownDomain;
    }
}
