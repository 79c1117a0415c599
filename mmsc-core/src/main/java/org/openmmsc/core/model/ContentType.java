package org.openmmsc.core.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** A media type with its parameters in their original order (type, start, charset, name …). */
public record ContentType(String mediaType, Map<String, String> parameters) {
    private static final Pattern MEDIA_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9*][A-Za-z0-9!#$&^_.+*-]*");

    public ContentType {
        Objects.requireNonNull(mediaType, "media type");
        if (!MEDIA_TYPE.matcher(mediaType).matches()) throw new IllegalArgumentException("not a media type: " + mediaType);
        mediaType = mediaType.toLowerCase(Locale.ROOT);
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    public static ContentType of(String mediaType) {
        return new ContentType(mediaType, Map.of());
    }

    /** Parses "type/sub; name=value; name2=\"quoted\"" leniently about white space and quoting. */
    public static ContentType parse(String text) {
        Objects.requireNonNull(text, "content type");
        String[] pieces = text.split(";");
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 1; i < pieces.length; i++) {
            String piece = pieces[i].strip();
            if (piece.isEmpty()) continue;
            int eq = piece.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("content type parameter without value: " + piece);
            String value = piece.substring(eq + 1).strip();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) value = value.substring(1, value.length() - 1);
            params.put(piece.substring(0, eq).strip().toLowerCase(Locale.ROOT), value);
        }
        return new ContentType(pieces[0].strip(), params);
    }

    public boolean isMultipart() {
        return mediaType.startsWith("multipart/") || mediaType.startsWith("application/vnd.wap.multipart.");
    }

    public String parameter(String name) {
        return parameters.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(mediaType);
        parameters.forEach((k, v) -> sb.append("; ").append(k).append('=').append(v.matches("[A-Za-z0-9!#$&^_.+-]+") ? v : '"' + v.replace("\"", "\\\"") + '"'));
        return sb.toString();
    }
}
