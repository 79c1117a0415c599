package org.openmmsc.mm3.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.Header;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.openmmsc.core.model.MessagePart;

/**
 * A delivery status notification (RFC 3464): a {@code multipart/report; report-type=delivery-status}
 * whose {@code message/delivery-status} part holds one block of per-message fields, then one block
 * per recipient, blocks separated by empty lines (RFC 3464 §2.1). Each block is a header section,
 * read by Mime4j's header parser (folding, comments and odd spacing as real MTAs write them).
 * RFC 6533's {@code message/global-delivery-status} (UTF-8 fields) reads the same way.
 *
 * @param envelopeId   Original-Envelope-Id (RFC 3461 ENVID), or null
 * @param reportingMta Reporting-MTA's name, or null
 * @param recipients   the per-recipient blocks
 */
public record DeliveryStatus(String envelopeId, String reportingMta, List<Recipient> recipients) {

    /**
     * One per-recipient block.
     *
     * @param finalRecipient    the address the reporting MTA tried (address part of Final-Recipient), or null
     * @param originalRecipient the address as first given (Original-Recipient, RFC 3461 ORCPT), or null
     * @param action            failed, delayed, delivered, relayed or expanded (lower case)
     * @param status            the RFC 3463 status code, e.g. 5.1.1
     * @param diagnosticCode    Diagnostic-Code as written (e.g. "smtp; 550 5.1.1 no such user"), or null
     */
    public record Recipient(String finalRecipient, String originalRecipient, String action, String status, String diagnosticCode) {
        /** Action "failed": the reporting MTA gave up on this recipient for good (RFC 3464 §2.3.3). */
        public boolean failed() {
            return "failed".equals(action);
        }

        /** Whether this block is about that address (Final- or Original-Recipient, domain case-insensitive). */
        public boolean names(String address) {
            return sameAddress(finalRecipient, address) || sameAddress(originalRecipient, address);
        }

        // Local parts are case-sensitive by the letter of RFC 5321, but MTAs re-case them and no real mailbox relies on it.
        private static boolean sameAddress(String a, String b) {
            return a != null && b != null && a.equalsIgnoreCase(b);
        }
    }

    private static final MimeConfig FIELDS = new MimeConfig.Builder().setStrictParsing(false).setMaxHeaderCount(200).setMaxHeaderLen(10_000)
            .setMaxLineLen(-1).build();

    /** Whether the mail says it is a DSN (RFC 3462/6522 multipart/report with report-type delivery-status). */
    public static boolean isReport(MailMessage mail) {
        String reportType = mail.contentType().parameter("report-type");
        return mail.contentType().mediaType().equals("multipart/report") && reportType != null
                && (reportType.equalsIgnoreCase("delivery-status") || reportType.equalsIgnoreCase("global-delivery-status"));
    }

    /** The DSN in a mail; MimeException when it is not one or its status part cannot be read. */
    public static DeliveryStatus parse(MailMessage mail) throws MimeException {
        if (!isReport(mail)) throw new MimeException("not a delivery status notification: " + mail.contentType());
        MessagePart status = null;
        for (MessagePart p : mail.parts()) {
            String type = p.contentType().mediaType();
            if (type.equals("message/delivery-status") || type.equals("message/global-delivery-status")) {
                status = p;
                break;
            }
        }
        if (status == null) throw new MimeException("the report has no message/delivery-status part");
        List<Header> blocks = new ArrayList<>();
        for (String block : blocks(new String(status.content(), StandardCharsets.UTF_8))) blocks.add(header(block));
        if (blocks.size() < 2) throw new MimeException("the delivery status names no recipient");
        Header perMessage = blocks.getFirst();
        List<Recipient> recipients = new ArrayList<>();
        for (Header h : blocks.subList(1, blocks.size())) {
            String action = value(h, "Action");
            String code = value(h, "Status");
            if (action == null || code == null) throw new MimeException("a per-recipient block lacks Action or Status");
            recipients.add(new Recipient(address(value(h, "Final-Recipient")), address(value(h, "Original-Recipient")),
                    action.strip().toLowerCase(Locale.ROOT), statusCode(code), value(h, "Diagnostic-Code")));
        }
        return new DeliveryStatus(strip(value(perMessage, "Original-Envelope-Id")), address(value(perMessage, "Reporting-MTA")), recipients);
    }

    /** RFC 3464 §2.1: blocks of fields separated by an empty line; blank runs and a trailing CRLF are tolerated. */
    private static List<String> blocks(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\r?\n", -1)) {
            if (line.isBlank()) {
                if (!current.isEmpty()) out.add(current.toString());
                current.setLength(0);
            } else {
                current.append(line).append("\r\n");
            }
        }
        if (!current.isEmpty()) out.add(current.toString());
        return out;
    }

    private static Header header(String block) throws MimeException {
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(FIELDS);
        builder.setDecodeMonitor(DecodeMonitor.SILENT);
        try {
            return builder.parseHeader(new ByteArrayInputStream((block + "\r\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            throw new MimeException("unreadable delivery status fields: " + e.getMessage(), e);
        }
    }

    private static String value(Header h, String name) {
        Field f = h.getField(name);
        if (f == null || f.getBody() == null) return null;
        return f.getBody().replaceAll("\\s+", " ").strip(); // unfolded, white space runs as one space
    }

    /** "rfc822; user@example.com" → user@example.com (the address-type is RFC 3464 §2.3.2's; angle brackets tolerated). */
    private static String address(String typed) {
        if (typed == null) return null;
        int semicolon = typed.indexOf(';');
        String a = (semicolon >= 0 ? typed.substring(semicolon + 1) : typed).strip();
        if (a.startsWith("<") && a.endsWith(">")) a = a.substring(1, a.length() - 1).strip();
        return a.isEmpty() ? null : a;
    }

    private static String statusCode(String field) throws MimeException {
        String code = field.strip().split("[\\s(]", 2)[0];
        if (!code.matches("[245]\\.\\d{1,3}\\.\\d{1,3}")) throw new MimeException("not an RFC 3463 status code: " + field);
        return code;
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }
}
