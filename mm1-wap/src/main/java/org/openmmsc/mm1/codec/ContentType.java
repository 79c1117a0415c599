package org.openmmsc.mm1.codec;

import java.util.List;
import java.util.Locale;

/**
 * A WSP Content-type-value (wsp-encoding.md §2).
 *
 * @param mediaType  e.g. "application/vnd.wap.multipart.related"
 * @param code       well-known number sent on the wire, or -1 to send the media type as text
 * @param parameters in wire order
 */
public record ContentType(String mediaType, int code, List<Parameter> parameters) {
    public static final String MULTIPART_RELATED = "application/vnd.wap.multipart.related";
    public static final String MULTIPART_MIXED = "application/vnd.wap.multipart.mixed";
    public static final String MULTIPART_ALTERNATIVE = "application/vnd.wap.multipart.alternative";
    public static final String MMS_MESSAGE = "application/vnd.wap.mms-message";

    public ContentType {
        if (mediaType == null || mediaType.isEmpty()) {
            throw new IllegalArgumentException("media type required");
        }
        parameters = List.copyOf(parameters);
    }

    /** The well-known number is used whenever the table has one: the compact form phones expect. */
    public static ContentType of(String mediaType, Parameter... parameters) {
        return new ContentType(mediaType, WspTables.contentTypeCode(mediaType), List.of(parameters));
    }

    public boolean isMultipart() {
        return WspTables.isMultipart(mediaType);
    }

    /** First parameter with this name (case-insensitive), or null. */
    public String parameter(String name) {
        for (Parameter parameter : parameters) {
            if (parameter.name().equalsIgnoreCase(name)) {
                return parameter.value();
            }
        }
        return null;
    }

    public String charset() {
        return parameter("Charset");
    }

    public boolean hasMediaType(String other) {
        return mediaType.toLowerCase(Locale.ROOT).equals(other.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(mediaType);
        for (Parameter parameter : parameters) {
            text.append("; ").append(parameter);
        }
        return text.toString();
    }
}
