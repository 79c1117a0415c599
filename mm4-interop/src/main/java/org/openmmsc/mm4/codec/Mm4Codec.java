package org.openmmsc.mm4.codec;

import static org.openmmsc.mm4.codec.Mm4Headers.*;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.field.DateTimeField;
import org.apache.james.mime4j.field.DateTimeFieldLenientImpl;
import org.apache.james.mime4j.stream.RawField;
import org.openmmsc.core.model.ContentType;
import org.openmmsc.core.model.MessageClass;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.model.Priority;
import org.openmmsc.core.model.TimeSpec;
import org.openmmsc.mm3.mime.MailMessage;
import org.openmmsc.mm3.mime.MimeCodec;
import org.openmmsc.mm3.mime.MimeException;

/**
 * MM4 over RFC 5322/MIME: bytes → {@link Mm4Pdu} and back. Pure; MIME itself is Mime4j's job
 * ({@link MimeCodec}). Reading is lenient where real operators differ (header capitalisation,
 * quoted ids, "Unrecognized"/"Unrecognised", read-status header names) and strict where a wrong
 * guess would misroute (unknown message type, missing transaction id).
 */
public final class Mm4Codec {
    public static final String VERSION_WRITTEN = "6.10.0";
    private static final DateTimeFormatter RFC_5322 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final MimeCodec mime;

    public Mm4Codec(MimeCodec mime) {
        this.mime = mime;
    }

    public Mm4Codec() {
        this(new MimeCodec());
    }

    public Mm4Pdu decode(byte[] bytes) throws Mm4DecodeException {
        MailMessage mail;
        try {
            mail = mime.parse(bytes);
        } catch (MimeException e) {
            throw new Mm4DecodeException(e.getMessage(), e);
        }
        return decode(mail);
    }

    public Mm4Pdu decode(MailMessage mail) throws Mm4DecodeException {
        String typeText = mail.header(MESSAGE_TYPE);
        if (typeText == null) throw new Mm4DecodeException("no " + MESSAGE_TYPE + " header: not an MM4 message");
        Mm4Type type = Mm4Type.parse(typeText);
        if (type == null) throw new Mm4DecodeException("unknown MM4 message type '" + typeText + "'");
        String transactionId = unquote(mail.header(TRANSACTION_ID));
        if (transactionId == null || transactionId.isEmpty()) throw new Mm4DecodeException("no " + TRANSACTION_ID + " header");
        String version = mail.header(VERSION);
        String messageId = unquote(mail.header(MESSAGE_ID));
        try {
            return switch (type) {
                case FORWARD_REQ -> forward(mail, version, transactionId, messageId);
                case FORWARD_RES, DELIVERY_REPORT_RES, READ_REPLY_REPORT_RES -> new Mm4Pdu.Response(type, version, transactionId, messageId,
                        mail.header(REQUEST_STATUS_CODE), unquote(mail.header(STATUS_TEXT)), mail.header(ORIGINATOR_SYSTEM),
                        addresses(mail.header(REQUEST_RECIPIENTS)));
                case DELIVERY_REPORT_REQ -> {
                    if (messageId == null) throw new Mm4DecodeException("delivery report without " + MESSAGE_ID);
                    String status = mail.header(MM_STATUS_CODE);
                    if (status == null) throw new Mm4DecodeException("delivery report without " + MM_STATUS_CODE);
                    yield new Mm4Pdu.DeliveryReport(version, transactionId, messageId, mail.header("From"), mail.header("To"),
                            date(mail.header("Date")), yes(mail.header(ACK_REQUEST)), yesNo(mail.header(FORWARD_TO_ORIGINATOR_UA)),
                            status.strip(), mail.header(MM_STATUS_EXTENSION), unquote(mail.header(STATUS_TEXT)),
                            mail.header(ORIGINATOR_SYSTEM), mail.header(APPLIC_ID), mail.header(AUX_APPLIC_INFO));
                }
                case READ_REPLY_REPORT_REQ -> {
                    if (messageId == null) throw new Mm4DecodeException("read-reply report without " + MESSAGE_ID);
                    String status = mail.header(READ_STATUS, READ_STATUS_VARIANT);
                    if (status == null) throw new Mm4DecodeException("read-reply report without " + READ_STATUS);
                    yield new Mm4Pdu.ReadReplyReport(version, transactionId, messageId, mail.header("From"), mail.header("To"),
                            date(mail.header("Date")), yes(mail.header(ACK_REQUEST)), status.strip(), unquote(mail.header(STATUS_TEXT)),
                            mail.header(ORIGINATOR_SYSTEM));
                }
            };
        } catch (IllegalArgumentException e) {
            throw new Mm4DecodeException("bad " + type.wire() + ": " + e.getMessage(), e);
        }
    }

    private Mm4Pdu.ForwardRequest forward(MailMessage mail, String version, String transactionId, String messageId) throws Mm4DecodeException {
        Map<String, String> mmsHeaders = new LinkedHashMap<>();
        for (MessagePart.Header h : mail.headers()) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (name.startsWith("x-mms-")) mmsHeaders.putIfAbsent(name, h.value());
        }
        String forwardCounter = mail.header(FORWARD_COUNTER);
        Integer counter = null;
        if (forwardCounter != null) {
            try {
                counter = Integer.valueOf(forwardCounter.strip());
            } catch (NumberFormatException e) {
                throw new Mm4DecodeException(FORWARD_COUNTER + " is not a number: " + forwardCounter);
            }
        }
        List<String> sentBy = new ArrayList<>(mail.all(PREVIOUSLY_SENT_BY));
        if (sentBy.isEmpty()) sentBy.addAll(mail.all(PREVIOUSLY_SENT_BY_VARIANT));
        List<String> sentDate = new ArrayList<>(mail.all(PREVIOUSLY_SENT_DATE));
        if (sentDate.isEmpty()) sentDate.addAll(mail.all(PREVIOUSLY_SENT_DATE_VARIANT));
        String visibility = mail.header(SENDER_VISIBILITY);
        return new Mm4Pdu.ForwardRequest(version, transactionId, messageId,
                mail.header("From"), addresses(mail.header("To")), addresses(mail.header("Cc")),
                MimeCodec.decodeWords(mail.header("Subject")), date(mail.header("Date")), mail.header("Sender"),
                yes(mail.header(ACK_REQUEST)), mail.header(ORIGINATOR_SYSTEM),
                messageClass(mail.header(MESSAGE_CLASS)), priority(mail.header(PRIORITY)), expiry(mail.header(EXPIRY)),
                yesNo(mail.header(DELIVERY_REPORT)), yesNo(mail.header(ORIGINATOR_RS_DELIVERY_REPORT)),
                visibility == null ? null : visibility.strip().equalsIgnoreCase("Hide"), yesNo(mail.header(READ_REPLY)),
                counter, sentBy, sentDate,
                mail.header(VASP_ID), mail.header(VAS_ID), mail.header(SERVICE_CODE), mail.header(CHARGED_PARTY_ID), mail.header(LINKED_ID),
                yesNo(mail.header(ADAPTATION_ALLOWED)), mail.header(CONTENT_CLASS), yesNo(mail.header(DRM_CONTENT)),
                mail.header(APPLIC_ID), mail.header(REPLY_APPLIC_ID), mail.header(AUX_APPLIC_INFO),
                mail.header("Message-ID"), mail.count("Received"),
                mail.contentType(), mail.parts(), mmsHeaders);
    }

    /** Splits an address list on commas outside quotes and angle brackets; takes the addr-spec out of "Name <addr>". */
    static List<String> addresses(String header) {
        if (header == null || header.isBlank()) return List.of();
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        int angle = 0;
        for (char c : header.toCharArray()) {
            if (c == '"') quoted = !quoted;
            if (!quoted && c == '<') angle++;
            if (!quoted && c == '>') angle = Math.max(0, angle - 1);
            if (c == ',' && !quoted && angle == 0) {
                add(out, current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        add(out, current.toString());
        return out;
    }

    private static void add(List<String> out, String entry) {
        String s = entry.strip();
        int open = s.lastIndexOf('<');
        int close = s.lastIndexOf('>');
        if (open >= 0 && close > open) s = s.substring(open + 1, close).strip();
        if (!s.isEmpty()) out.add(s);
    }

    static String unquote(String value) {
        if (value == null) return null;
        String s = value.strip();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) s = s.substring(1, s.length() - 1);
        return s;
    }

    private static boolean yes(String value) {
        return Boolean.TRUE.equals(yesNo(value));
    }

    private static Boolean yesNo(String value) {
        if (value == null) return null;
        String v = value.strip();
        if (v.equalsIgnoreCase("Yes")) return true;
        if (v.equalsIgnoreCase("No")) return false;
        return null;
    }

    private static MessageClass messageClass(String value) {
        if (value == null) return null;
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "personal" -> MessageClass.PERSONAL;
            case "advertisement" -> MessageClass.ADVERTISEMENT;
            case "informational" -> MessageClass.INFORMATIONAL;
            case "auto" -> MessageClass.AUTO;
            default -> null; // regional values ("Test") fall back to the default class
        };
    }

    private static Priority priority(String value) {
        if (value == null) return null;
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "low" -> Priority.LOW;
            case "high" -> Priority.HIGH;
            default -> Priority.NORMAL;
        };
    }

    /** Relative seconds (drivefast/mmsgw, Play) or an RFC 5322 date (Hot Mobile). */
    private static TimeSpec expiry(String value) throws Mm4DecodeException {
        if (value == null || value.isBlank()) return null;
        String v = unquote(value);
        if (v.matches("[0-9]{1,10}")) return TimeSpec.after(Duration.ofSeconds(Long.parseLong(v)));
        Instant at = date(v);
        if (at == null) throw new Mm4DecodeException(EXPIRY + " is neither seconds nor a date: " + value);
        return TimeSpec.at(at);
    }

    private static Instant date(String value) {
        if (value == null || value.isBlank()) return null;
        DateTimeField field = DateTimeFieldLenientImpl.PARSER.parse(new RawField("Date", value.strip()), DecodeMonitor.SILENT);
        Date date = field.getDate();
        return date == null ? null : date.toInstant();
    }

    // ----------------------------------------------------------------------------------- encoding

    /** Writes an MM4_forward.REQ. {@code to}/{@code cc} are the header lists (never Bcc: the envelope carries those). */
    public byte[] encodeForward(Mm4Pdu.ForwardRequest r) throws Mm4DecodeException {
        List<MessagePart.Header> h = new ArrayList<>();
        h.add(header("From", r.from()));
        if (!r.to().isEmpty()) h.add(header("To", String.join(", ", r.to())));
        if (!r.cc().isEmpty()) h.add(header("Cc", String.join(", ", r.cc())));
        if (r.subject() != null) h.add(header("Subject", MimeCodec.encodeWords(r.subject())));
        h.add(header("Date", RFC_5322.format(r.date() == null ? Instant.now() : r.date())));
        if (r.sender() != null) h.add(header("Sender", r.sender()));
        if (r.rfcMessageId() != null) h.add(header("Message-ID", r.rfcMessageId()));
        common(h, Mm4Type.FORWARD_REQ, r.transactionId(), r.messageId());
        h.add(header(ACK_REQUEST, r.ackRequested() ? "Yes" : "No"));
        if (r.originatorSystem() != null) h.add(header(ORIGINATOR_SYSTEM, r.originatorSystem()));
        if (r.messageClass() != null) h.add(header(MESSAGE_CLASS, capitalised(r.messageClass().name())));
        if (r.priority() != null) h.add(header(PRIORITY, capitalised(r.priority().name())));
        switch (r.expiry()) {
            case TimeSpec.Relative rel -> h.add(header(EXPIRY, Long.toString(rel.after().toSeconds())));
            case TimeSpec.Absolute abs -> h.add(header(EXPIRY, RFC_5322.format(abs.at())));
            case null -> { }
        }
        yesNoHeader(h, DELIVERY_REPORT, r.deliveryReport());
        yesNoHeader(h, ORIGINATOR_RS_DELIVERY_REPORT, r.originatorRsDeliveryReport());
        if (r.senderHidden() != null) h.add(header(SENDER_VISIBILITY, r.senderHidden() ? "Hide" : "Show"));
        yesNoHeader(h, READ_REPLY, r.readReply());
        if (r.forwardCounter() != null) h.add(header(FORWARD_COUNTER, r.forwardCounter().toString()));
        for (String s : r.previouslySentBy()) h.add(header(PREVIOUSLY_SENT_BY, s));
        for (String s : r.previouslySentDateAndTime()) h.add(header(PREVIOUSLY_SENT_DATE, s));
        optional(h, VASP_ID, r.vaspId());
        optional(h, VAS_ID, r.vasId());
        optional(h, SERVICE_CODE, r.serviceCode());
        optional(h, CHARGED_PARTY_ID, r.chargedPartyId());
        optional(h, LINKED_ID, r.linkedId());
        yesNoHeader(h, ADAPTATION_ALLOWED, r.adaptationAllowed());
        optional(h, CONTENT_CLASS, r.contentClass());
        yesNoHeader(h, DRM_CONTENT, r.drmContent());
        optional(h, APPLIC_ID, r.applicId());
        optional(h, REPLY_APPLIC_ID, r.replyApplicId());
        optional(h, AUX_APPLIC_INFO, r.auxApplicInfo());
        return write(h, r.contentType(), r.parts());
    }

    /** Writes a response (.RES) to a request. */
    public byte[] encodeResponse(Mm4Pdu.Response r, String from, String to) throws Mm4DecodeException {
        List<MessagePart.Header> h = new ArrayList<>();
        h.add(header("From", from));
        h.add(header("Sender", from));
        h.add(header("To", to));
        h.add(header("Date", RFC_5322.format(Instant.now())));
        common(h, r.type(), r.transactionId(), r.messageId());
        h.add(header(REQUEST_STATUS_CODE, r.requestStatusCode()));
        if (r.statusText() != null) h.add(header(STATUS_TEXT, quote(r.statusText())));
        return write(h, ContentType.parse("text/plain; charset=us-ascii"), List.of(new MessagePart(ContentType.parse("text/plain"), List.of(), new byte[0])));
    }

    /** Writes an MM4_delivery_report.REQ. */
    public byte[] encodeDeliveryReport(Mm4Pdu.DeliveryReport r) throws Mm4DecodeException {
        List<MessagePart.Header> h = new ArrayList<>();
        h.add(header("From", r.from()));
        h.add(header("To", r.to()));
        if (r.originatorSystem() != null) h.add(header("Sender", r.originatorSystem()));
        h.add(header("Date", RFC_5322.format(r.date() == null ? Instant.now() : r.date())));
        common(h, Mm4Type.DELIVERY_REPORT_REQ, r.transactionId(), r.messageId());
        h.add(header(ACK_REQUEST, r.ackRequested() ? "Yes" : "No"));
        if (r.originatorSystem() != null) h.add(header(ORIGINATOR_SYSTEM, r.originatorSystem()));
        yesNoHeader(h, FORWARD_TO_ORIGINATOR_UA, r.forwardToOriginatorUa());
        h.add(header(MM_STATUS_CODE, r.mmStatusCode()));
        optional(h, MM_STATUS_EXTENSION, r.mmStatusExtension());
        if (r.statusText() != null) h.add(header(STATUS_TEXT, quote(r.statusText())));
        return write(h, ContentType.parse("text/plain; charset=us-ascii"), List.of(new MessagePart(ContentType.parse("text/plain"), List.of(), new byte[0])));
    }

    /** Writes an MM4_read_reply_report.REQ. */
    public byte[] encodeReadReply(Mm4Pdu.ReadReplyReport r) throws Mm4DecodeException {
        List<MessagePart.Header> h = new ArrayList<>();
        h.add(header("From", r.from()));
        h.add(header("To", r.to()));
        if (r.originatorSystem() != null) h.add(header("Sender", r.originatorSystem()));
        h.add(header("Date", RFC_5322.format(r.date() == null ? Instant.now() : r.date())));
        common(h, Mm4Type.READ_REPLY_REPORT_REQ, r.transactionId(), r.messageId());
        h.add(header(ACK_REQUEST, r.ackRequested() ? "Yes" : "No"));
        if (r.originatorSystem() != null) h.add(header(ORIGINATOR_SYSTEM, r.originatorSystem()));
        h.add(header(READ_STATUS, r.readStatus()));
        if (r.statusText() != null) h.add(header(STATUS_TEXT, quote(r.statusText())));
        return write(h, ContentType.parse("text/plain; charset=us-ascii"), List.of(new MessagePart(ContentType.parse("text/plain"), List.of(), new byte[0])));
    }

    private byte[] write(List<MessagePart.Header> headers, ContentType type, List<MessagePart> parts) throws Mm4DecodeException {
        try {
            return mime.write(headers, type, parts);
        } catch (MimeException e) {
            throw new Mm4DecodeException(e.getMessage(), e);
        }
    }

    private static void common(List<MessagePart.Header> h, Mm4Type type, String transactionId, String messageId) {
        h.add(header(VERSION, VERSION_WRITTEN));
        h.add(header(MESSAGE_TYPE, type.wire()));
        h.add(header(TRANSACTION_ID, quote(transactionId)));
        if (messageId != null) h.add(header(MESSAGE_ID, quote(messageId)));
    }

    private static void yesNoHeader(List<MessagePart.Header> h, String name, Boolean value) {
        if (value != null) h.add(header(name, value ? "Yes" : "No"));
    }

    private static void optional(List<MessagePart.Header> h, String name, String value) {
        if (value != null) h.add(header(name, value));
    }

    private static MessagePart.Header header(String name, String value) {
        if (value == null) throw new IllegalArgumentException(name + " has no value");
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) throw new IllegalArgumentException(name + " holds a line break");
        return new MessagePart.Header(name, value);
    }

    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String capitalised(String enumName) {
        return enumName.charAt(0) + enumName.substring(1).toLowerCase(Locale.ROOT);
    }
}
