package org.openmmsc.mm3.mime;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.openmmsc.core.model.ContentType;
import org.openmmsc.core.model.MessagePart;

/**
 * An RFC 5322 / MIME message as the MMSC handles it: the top-level headers in order (values
 * unfolded, not decoded), the content type without its boundary, and the leaf parts with their
 * transfer encoding undone. A single-part mail has one part.
 */
public record MailMessage(List<MessagePart.Header> headers, ContentType contentType, List<MessagePart> parts) {
    public MailMessage {
        headers = List.copyOf(headers);
        Objects.requireNonNull(contentType, "content type");
        parts = List.copyOf(parts);
    }

    /** The first header of that name (case-insensitive), or null. */
    public String header(String name) {
        for (MessagePart.Header h : headers) if (h.name().equalsIgnoreCase(name)) return h.value();
        return null;
    }

    /** The first header whose name matches any of the spellings given, or null. */
    public String header(String... spellings) {
        for (String s : spellings) {
            String v = header(s);
            if (v != null) return v;
        }
        return null;
    }

    public List<String> all(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(MessagePart.Header::value).toList();
    }

    public int count(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return (int) headers.stream().filter(h -> h.name().toLowerCase(Locale.ROOT).equals(lower)).count();
    }
}
