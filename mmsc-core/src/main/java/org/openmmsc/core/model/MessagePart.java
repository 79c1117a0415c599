package org.openmmsc.core.model;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One body part: its content type, the other part headers in order (Content-ID,
 * Content-Location, Content-Disposition, …) and its bytes. The array is shared, not copied,
 * because parts can be hundreds of kilobytes; nobody mutates it after construction.
 */
public record MessagePart(ContentType contentType, List<Header> headers, byte[] content) {

    public record Header(String name, String value) {
        public Header {
            Objects.requireNonNull(name, "header name");
            Objects.requireNonNull(value, "header value");
            if (name.isBlank() || !name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
                throw new IllegalArgumentException("bad header name: " + name);
            }
        }
    }

    public MessagePart {
        Objects.requireNonNull(contentType, "part content type");
        headers = headers == null ? List.of() : List.copyOf(headers);
        Objects.requireNonNull(content, "part content");
    }

    public String header(String name) {
        for (Header h : headers) if (h.name().equalsIgnoreCase(name)) return h.value();
        return null;
    }

    public int size() {
        return content.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessagePart p && contentType.equals(p.contentType) && headers.equals(p.headers) && Arrays.equals(content, p.content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(contentType, headers, Arrays.hashCode(content));
    }

    @Override
    public String toString() {
        return "MessagePart[" + contentType + ", headers=" + headers + ", " + content.length + " bytes]";
    }
}
