package org.openmmsc.mm7.codec;

import java.util.List;
import org.w3c.dom.Element;

/**
 * A decoded MM7 request or response: the namespace and MM7Version to answer in, the SOAP
 * TransactionID, the body element (by local name, e.g. "SubmitReq") and the attachments.
 * {@code body} is read through {@link Elements} by local name only.
 */
public record Mm7Envelope(String namespace, String version, String transactionId, String operation, Element body,
                          List<Attachment> attachments) {

    public Mm7Envelope {
        attachments = List.copyOf(attachments);
    }

    /**
     * The attachment a Content href names. Lenient where real peers are sloppy: a space after
     * "cid:", a Content-ID without brackets, and — when the reference matches nothing but there is
     * exactly one attachment — that one (the 23.140 annex example itself misspells its href).
     */
    public Attachment attachment(String href) {
        String id = Attachment.normalizeId(href);
        if (id != null) {
            for (Attachment a : attachments) if (id.equals(a.contentId())) return a;
        }
        return attachments.size() == 1 ? attachments.getFirst() : null;
    }
}
