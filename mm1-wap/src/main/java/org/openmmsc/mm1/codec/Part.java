package org.openmmsc.mm1.codec;

import java.util.List;

/**
 * One entry of a WSP multipart body.
 *
 * @param contentType the entry's content type
 * @param headers     the entry's headers in wire order
 * @param data        the body octets; after decoding a slice of the input, not a copy
 * @param nested      the decoded entries when this part is itself a multipart, else null
 */
public record Part(ContentType contentType, List<WspHeader> headers, ByteSlice data, MessageBody.Multipart nested) {

    public Part {
        if (contentType == null || data == null) {
            throw new IllegalArgumentException("content type and data required");
        }
        headers = List.copyOf(headers);
    }

    public static Part of(ContentType contentType, ByteSlice data, WspHeader... headers) {
        return new Part(contentType, List.of(headers), data, null);
    }

    public String header(String name) {
        for (WspHeader header : headers) {
            if (header.name().equalsIgnoreCase(name)) {
                return header.value();
            }
        }
        return null;
    }

    public String contentId() {
        return header("Content-ID");
    }

    public String contentLocation() {
        return header("Content-Location");
    }

    /** A name for the part: Name, then Filename parameter, then Content-Location (as phones do). */
    public String name() {
        String name = contentType.parameter("Name");
        if (name == null) {
            name = contentType.parameter("Filename");
        }
        return name != null ? name : contentLocation();
    }
}
