package org.openmmsc.mm7.codec;

import java.util.List;
import java.util.Objects;
import org.openmmsc.core.model.MessagePart;

/**
 * One MIME part beside the SOAP envelope (or inside the content's own multipart): its Content-ID
 * without angle brackets (null if none), content type as written, other headers, and decoded bytes.
 */
public record Attachment(String contentId, String contentType, List<MessagePart.Header> headers, byte[] content) {
    public Attachment {
        Objects.requireNonNull(contentType, "content type");
        headers = List.copyOf(headers);
        Objects.requireNonNull(content, "content");
    }

    /** "cid:abc", "&lt;abc&gt;", " abc " → "abc": the forms VASPs and MMSCs write for the same id. */
    public static String normalizeId(String id) {
        if (id == null) return null;
        String s = id.strip();
        if (s.regionMatches(true, 0, "cid:", 0, 4)) s = s.substring(4).strip();
        if (s.startsWith("<") && s.endsWith(">")) s = s.substring(1, s.length() - 1).strip();
        return s.isEmpty() ? null : s;
    }

    @Override
    public String toString() {
        return "Attachment[" + contentId + ", " + contentType + ", " + content.length + " bytes]";
    }
}
