package org.openmmsc.mm7.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.w3c.dom.Element;

/**
 * A SubmitReq as the VASP wrote it (values as text, checked for form): the input of
 * {@code SubmitMapper}, which turns it into the core message. Every Rel-5/Rel-6 element the
 * relay can use is here; unknown elements are ignored (later releases add optional ones).
 */
public record SubmitRequest(
        String mm7Version,
        String vaspId,
        String vasId,
        Mm7Address senderAddress,
        List<Mm7Address> to,
        List<Mm7Address> cc,
        List<Mm7Address> bcc,
        String serviceCode,
        String linkedId,
        String messageClass,
        String timeStamp,
        Long replyChargingSize,
        String replyDeadline,
        String earliestDeliveryTime,
        String expiryDate,
        Boolean deliveryReport,
        Boolean readReply,
        String priority,
        String subject,
        String chargedParty,
        Boolean distributionIndicator,
        String contentHref,
        Boolean allowAdaptations) {

    public static SubmitRequest parse(Element req) throws Mm7Exception {
        String version = required(req, "MM7Version");
        Element sender = Elements.child(req, "SenderIdentification");
        Element senderAddress = sender == null ? null : Elements.child(sender, "SenderAddress");
        Element recipients = Elements.child(req, "Recipients");
        if (recipients == null) throw missing("Recipients");
        List<Mm7Address> to = addresses(Elements.child(recipients, "To"));
        List<Mm7Address> cc = addresses(Elements.child(recipients, "Cc"));
        List<Mm7Address> bcc = addresses(Elements.child(recipients, "Bcc"));
        if (to.isEmpty() && cc.isEmpty() && bcc.isEmpty()) {
            throw new Mm7Exception(Mm7Status.VALIDATION_ERROR, "Recipients has no To, Cc or Bcc address (Number, ShortCode or RFC2822Address)");
        }
        Element replyCharging = Elements.child(req, "ReplyCharging");
        Long rcSize = null;
        String rcDeadline = null;
        if (replyCharging != null) {
            String size = Elements.attribute(replyCharging, "replyChargingSize");
            if (size != null && !size.isBlank()) {
                try {
                    rcSize = Long.parseLong(size.strip());
                    if (rcSize < 0) throw new NumberFormatException();
                } catch (NumberFormatException e) {
                    throw new Mm7Exception(Mm7Status.VALIDATION_ERROR, "ReplyCharging replyChargingSize must be a non-negative integer, got '" + size + "'");
                }
            }
            rcDeadline = Elements.attribute(replyCharging, "replyDeadline");
        }
        Element content = Elements.child(req, "Content");
        String href = null;
        Boolean adapt = null;
        if (content != null) {
            href = Elements.attribute(content, "href");
            if (href == null || href.isBlank()) throw new Mm7Exception(Mm7Status.VALIDATION_ERROR, "Content has no href attribute (expected href=\"cid:…\")");
            String a = Elements.attribute(content, "allowAdaptations");
            adapt = a == null ? null : bool("Content allowAdaptations", a);
        }
        return new SubmitRequest(version,
                sender == null ? null : Elements.text(sender, "VASPID"),
                sender == null ? null : Elements.text(sender, "VASID"),
                senderAddress == null ? null : single(senderAddress, "SenderAddress"),
                to, cc, bcc,
                Elements.text(req, "ServiceCode"),
                Elements.text(req, "LinkedID"),
                oneOf(req, "MessageClass", "Personal", "Informational", "Advertisement", "Auto"),
                Elements.text(req, "TimeStamp"),
                rcSize, rcDeadline,
                Elements.text(req, "EarliestDeliveryTime"),
                Elements.text(req, "ExpiryDate"),
                bool(req, "DeliveryReport"),
                bool(req, "ReadReply"),
                oneOf(req, "Priority", "Normal", "High", "Low"),
                Elements.child(req, "Subject") == null ? null : Elements.child(req, "Subject").getTextContent(),
                oneOf(req, "ChargedParty", "Sender", "Recipient", "Both", "Neither", "ThirdParty", "Other"),
                bool(req, "DistributionIndicator"),
                href, adapt);
    }

    static String required(Element parent, String name) throws Mm7Exception {
        String v = Elements.text(parent, name);
        if (v == null || v.isEmpty()) throw missing(name);
        return v;
    }

    private static Mm7Exception missing(String name) {
        return new Mm7Exception(Mm7Status.VALIDATION_ERROR, "mandatory element " + name + " is missing");
    }

    /** All address elements under To/Cc/Bcc, in order. */
    static List<Mm7Address> addresses(Element list) throws Mm7Exception {
        List<Mm7Address> out = new ArrayList<>();
        if (list == null) return out;
        for (Element e : Elements.children(list)) {
            Mm7Address a = address(e);
            if (a != null) out.add(a);
        }
        return out;
    }

    /** The one address inside Sender/SenderAddress/Recipient. */
    static Mm7Address single(Element holder, String what) throws Mm7Exception {
        for (Element e : Elements.children(holder)) {
            Mm7Address a = address(e);
            if (a != null) return a;
        }
        throw new Mm7Exception(Mm7Status.ADDRESS_ERROR, what + " holds no Number, ShortCode or RFC2822Address");
    }

    private static Mm7Address address(Element e) throws Mm7Exception {
        Mm7Address.Kind kind = switch (Elements.localName(e)) {
            case "Number" -> Mm7Address.Kind.NUMBER;
            case "ShortCode" -> Mm7Address.Kind.SHORT_CODE;
            case "RFC2822Address" -> Mm7Address.Kind.RFC2822;
            default -> null;
        };
        if (kind == null) return null;
        String value = e.getTextContent().strip();
        if (value.isEmpty()) throw new Mm7Exception(Mm7Status.ADDRESS_ERROR, "empty " + Elements.localName(e) + " element");
        String displayOnly = Elements.attribute(e, "displayOnly");
        return new Mm7Address(kind, value, displayOnly != null && bool(Elements.localName(e) + " displayOnly", displayOnly));
    }

    private static Boolean bool(Element parent, String name) throws Mm7Exception {
        String v = Elements.text(parent, name);
        return v == null ? null : bool(name, v);
    }

    /** xs:boolean: true/false/1/0 (Eyeline and others send the digits). */
    static boolean bool(String what, String v) throws Mm7Exception {
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new Mm7Exception(Mm7Status.VALIDATION_ERROR, what + " must be true or false, got '" + v + "'");
        };
    }

    /** An enumerated value, matched case-insensitively (VASPs write "normal" too) and returned in its schema spelling. */
    private static String oneOf(Element parent, String name, String... allowed) throws Mm7Exception {
        String v = Elements.text(parent, name);
        if (v == null) return null;
        for (String a : allowed) if (a.equalsIgnoreCase(v)) return a;
        throw new Mm7Exception(Mm7Status.VALIDATION_ERROR, name + " must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
    }
}
