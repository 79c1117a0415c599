package org.openmmsc.mm7.service;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import javax.xml.datatype.DatatypeConfigurationException;
import javax.xml.datatype.DatatypeFactory;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.ChargedParty;
import org.openmmsc.core.model.ContentType;
import org.openmmsc.core.model.EncodedText;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageClass;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.model.NumberNormalizer;
import org.openmmsc.core.model.Origin;
import org.openmmsc.core.model.Priority;
import org.openmmsc.core.model.Recipient;
import org.openmmsc.core.model.ReplyCharging;
import org.openmmsc.core.model.TimeSpec;
import org.openmmsc.mm7.VaspAccount;
import org.openmmsc.mm7.codec.Attachment;
import org.openmmsc.mm7.codec.Mm7Address;
import org.openmmsc.mm7.codec.Mm7Envelope;
import org.openmmsc.mm7.codec.Mm7Exception;
import org.openmmsc.mm7.codec.Mm7SoapCodec;
import org.openmmsc.mm7.codec.Mm7Status;
import org.openmmsc.mm7.codec.SubmitRequest;

/** SubmitReq → the core {@link Message}, checking what only the account can tell (VASP id, sender). */
public final class SubmitMapper {
    private static final DatatypeFactory XSD;

    static {
        try {
            XSD = DatatypeFactory.newInstance();
        } catch (DatatypeConfigurationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final NumberNormalizer numbers;

    public SubmitMapper(NumberNormalizer numbers) {
        this.numbers = numbers;
    }

    public Message toMessage(MessageId id, SubmitRequest req, Mm7Envelope env, VaspAccount vasp, Instant now) throws Mm7Exception {
        if (req.vaspId() != null && !req.vaspId().equals(vasp.id())) {
            throw new Mm7Exception(Mm7Status.IMPROPER_IDENTIFICATION, "VASPID '" + req.vaspId() + "' does not match the authenticated VASP '" + vasp.id() + "'");
        }
        Address originator = originator(req, vasp);
        List<Recipient> recipients = new ArrayList<>();
        Set<Address> seen = new HashSet<>();
        addAll(recipients, seen, req.to(), Recipient.Kind.TO);
        addAll(recipients, seen, req.cc(), Recipient.Kind.CC);
        addAll(recipients, seen, req.bcc(), Recipient.Kind.BCC);
        if (recipients.isEmpty()) throw new Mm7Exception(Mm7Status.VALIDATION_ERROR, "every recipient is displayOnly; nobody to deliver to");
        if (recipients.size() > Message.MAX_RECIPIENTS) {
            throw new Mm7Exception(Mm7Status.VALIDATION_ERROR, recipients.size() + " recipients; at most " + Message.MAX_RECIPIENTS + " per SubmitReq");
        }
        Content content = content(req.contentHref(), env);
        Instant date = req.timeStamp() == null ? now : absolute("TimeStamp", req.timeStamp());
        ReplyCharging replyCharging = req.replyChargingSize() == null && req.replyDeadline() == null ? null
                : new ReplyCharging(ReplyCharging.Mode.REQUESTED, req.replyDeadline() == null ? null : time("ReplyCharging replyDeadline", req.replyDeadline(), now),
                        req.replyChargingSize(), null);
        Origin origin = new Origin(Interface.MM7, vasp.id(), env.transactionId(), vasp.id(), req.vasId(), req.serviceCode(), req.linkedId(), null, null);
        try {
            return new Message(id, originator, recipients,
                    req.subject() == null ? null : EncodedText.utf8(req.subject()),
                    req.messageClass() == null ? null : MessageClass.valueOf(req.messageClass().toUpperCase(java.util.Locale.ROOT)),
                    req.priority() == null ? null : Priority.valueOf(req.priority().toUpperCase(java.util.Locale.ROOT)),
                    date,
                    req.expiryDate() == null ? null : time("ExpiryDate", req.expiryDate(), now),
                    req.earliestDeliveryTime() == null ? null : time("EarliestDeliveryTime", req.earliestDeliveryTime(), now),
                    Boolean.TRUE.equals(req.deliveryReport()), Boolean.TRUE.equals(req.readReply()), false,
                    replyCharging, content.type(), content.parts(), origin,
                    req.chargedParty() == null ? null : chargedParty(req.chargedParty()), req.distributionIndicator());
        } catch (IllegalArgumentException e) {
            throw new Mm7Exception(Mm7Status.VALIDATION_ERROR, e.getMessage());
        }
    }

    /** The message content a Content href names: its type (transport boundary dropped) and parts, a multipart split into its parts. */
    public record Content(ContentType type, List<MessagePart> parts) {}

    /** No href: an empty multipart/mixed (a SubmitReq may carry only a subject). */
    public static Content content(String href, Mm7Envelope env) throws Mm7Exception {
        if (href == null) return new Content(ContentType.of("multipart/mixed"), List.of());
        Attachment content = env.attachment(href);
        if (content == null) {
            throw new Mm7Exception(Mm7Status.VALIDATION_ERROR, "Content href '" + href + "' names no attachment; attachments carry Content-IDs "
                    + env.attachments().stream().map(Attachment::contentId).toList());
        }
        ContentType contentType = contentType(content.contentType());
        if (!contentType.isMultipart()) return new Content(contentType, List.of(new MessagePart(contentType, content.headers(), content.content())));
        List<MessagePart> ps = new ArrayList<>();
        for (Attachment a : Mm7SoapCodec.splitMultipart(content)) ps.add(part(a));
        return new Content(contentType, ps);
    }

    private static ChargedParty chargedParty(String schemaValue) {
        return switch (schemaValue) {
            case "Sender" -> ChargedParty.SENDER;
            case "Recipient" -> ChargedParty.RECIPIENT;
            case "Both" -> ChargedParty.BOTH;
            case "Neither" -> ChargedParty.NEITHER;
            case "ThirdParty" -> ChargedParty.THIRD_PARTY;
            default -> ChargedParty.OTHER;
        };
    }

    private Address originator(SubmitRequest req, VaspAccount vasp) throws Mm7Exception {
        List<Address> allowed = vasp.senders();
        if (req.senderAddress() == null) {
            if (allowed.isEmpty()) {
                throw new Mm7Exception(Mm7Status.OPERATION_RESTRICTED, "no SenderAddress given and VASP " + vasp.id() + " has no short code configured");
            }
            return allowed.getFirst();
        }
        Address sender = address(req.senderAddress());
        if (!allowed.contains(sender)) {
            throw new Mm7Exception(Mm7Status.OPERATION_RESTRICTED, "VASP " + vasp.id() + " may not send as " + sender.toMms()
                    + "; allowed: " + allowed.stream().map(Address::toMms).toList());
        }
        return sender;
    }

    private void addAll(List<Recipient> out, Set<Address> seen, List<Mm7Address> list, Recipient.Kind kind) throws Mm7Exception {
        for (Mm7Address a : list) {
            // displayOnly addresses are shown to recipients but not delivered to; the core model has no
            // display-only recipients, so they are left out.
            if (a.displayOnly()) continue;
            Address addr = address(a);
            if (seen.add(addr)) out.add(new Recipient(addr, kind));
        }
    }

    Address address(Mm7Address a) throws Mm7Exception {
        try {
            return switch (a.kind()) {
                case NUMBER -> numbers.normalizeMms(a.value());
                case SHORT_CODE -> Address.shortCode(a.value());
                case RFC2822 -> Address.email(a.value());
            };
        } catch (IllegalArgumentException e) {
            throw new Mm7Exception(Mm7Status.ADDRESS_ERROR, a.elementName() + " '" + a.value() + "' is not a valid address: " + e.getMessage());
        }
    }

    private static MessagePart part(Attachment a) throws Mm7Exception {
        List<MessagePart.Header> headers = new ArrayList<>(a.headers());
        return new MessagePart(contentType(a.contentType()), headers, a.content());
    }

    private static ContentType contentType(String text) throws Mm7Exception {
        try {
            ContentType ct = ContentType.parse(text);
            // The boundary belonged to the MM7 transport framing; the core re-frames parts itself.
            if (ct.parameter("boundary") != null) {
                var params = new LinkedHashMap<>(ct.parameters());
                params.remove("boundary");
                ct = new ContentType(ct.mediaType(), params);
            }
            return ct;
        } catch (IllegalArgumentException e) {
            throw new Mm7Exception(Mm7Status.MESSAGE_FORMAT_CORRUPT, "content type '" + text + "' is not valid: " + e.getMessage());
        }
    }

    /** relativeOrAbsoluteDateType: xs:dateTime or xs:duration (P2D, PT1H). */
    static TimeSpec time(String what, String text, Instant now) throws Mm7Exception {
        String t = text.strip();
        if (t.startsWith("P") || t.startsWith("-P")) {
            try {
                javax.xml.datatype.Duration d = XSD.newDuration(t);
                long millis = d.getTimeInMillis(java.util.Date.from(now));
                if (millis < 0) throw new IllegalArgumentException("negative");
                return TimeSpec.after(Duration.ofMillis(millis));
            } catch (IllegalArgumentException e) {
                throw new Mm7Exception(Mm7Status.VALIDATION_ERROR, what + " '" + text + "' is not a non-negative xs:duration such as P2D or PT1H");
            }
        }
        return TimeSpec.at(absolute(what, t));
    }

    static Instant absolute(String what, String text) throws Mm7Exception {
        String t = text.strip();
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            try {
                // xs:dateTime without a zone: read as UTC.
                return XSD.newXMLGregorianCalendar(t).toGregorianCalendar(java.util.TimeZone.getTimeZone("UTC"), null, null).toInstant();
            } catch (IllegalArgumentException e2) {
                throw new Mm7Exception(Mm7Status.VALIDATION_ERROR, what + " '" + text + "' is not an xs:dateTime such as 2026-01-02T10:00:00Z");
            }
        }
    }
}
