package org.openmmsc.mm7.codec;

import org.w3c.dom.Element;

/**
 * A ReplaceReq (Rel-5 on) or extendedReplaceReq (Rel-6) as the VASP wrote it, checked for form:
 * the message to replace and the fields a replace may carry. Null means "not given, keep what was
 * submitted". The extended form names its target ReplaceID and may also carry ExpiryDate and
 * DeliveryReport, which {@code Mm7Service} refuses to change (deliveries were scheduled from them).
 */
public record ReplaceRequest(
        boolean extended,
        String mm7Version,
        String vaspId,
        String messageId,
        String serviceCode,
        String timeStamp,
        Boolean readReply,
        String earliestDeliveryTime,
        Boolean distributionIndicator,
        String expiryDate,
        Boolean deliveryReport,
        String contentHref,
        Boolean allowAdaptations) {

    public static ReplaceRequest parse(Element req) throws Mm7Exception {
        boolean extended = "extendedReplaceReq".equals(Elements.localName(req));
        String version = SubmitRequest.required(req, "MM7Version");
        // ReplaceReq identifies the VASP in SenderIdentification; extendedReplaceReq carries VASPID directly.
        Element sender = Elements.child(req, "SenderIdentification");
        String vaspId = sender != null ? Elements.text(sender, "VASPID") : Elements.text(req, "VASPID");
        String target = SubmitRequest.required(req, extended ? "ReplaceID" : "MessageID");
        Element content = Elements.child(req, "Content");
        String href = null;
        Boolean adapt = null;
        if (content != null) {
            href = Elements.attribute(content, "href");
            if (href == null || href.isBlank()) throw new Mm7Exception(Mm7Status.VALIDATION_ERROR, "Content has no href attribute (expected href=\"cid:…\")");
            String a = Elements.attribute(content, "allowAdaptations");
            adapt = a == null ? null : SubmitRequest.bool("Content allowAdaptations", a);
        }
        return new ReplaceRequest(extended, version, vaspId, target,
                Elements.text(req, "ServiceCode"),
                Elements.text(req, "TimeStamp"),
                bool(req, "ReadReply"),
                Elements.text(req, "EarliestDeliveryTime"),
                bool(req, "DistributionIndicator"),
                Elements.text(req, "ExpiryDate"),
                bool(req, "DeliveryReport"),
                href, adapt);
    }

    private static Boolean bool(Element parent, String name) throws Mm7Exception {
        String v = Elements.text(parent, name);
        return v == null ? null : SubmitRequest.bool(name, v);
    }
}
