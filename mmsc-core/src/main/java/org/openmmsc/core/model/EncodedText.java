package org.openmmsc.core.model;

import java.util.Objects;

/** Text with the charset it travelled in (MMS Encoded-string-value), so it can go out the way it came. */
public record EncodedText(String text, String charset) {
    public EncodedText {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(charset, "charset");
        if (charset.isBlank()) throw new IllegalArgumentException("charset must not be blank");
    }

    public static EncodedText utf8(String text) {
        return new EncodedText(text, "UTF-8");
    }
}
