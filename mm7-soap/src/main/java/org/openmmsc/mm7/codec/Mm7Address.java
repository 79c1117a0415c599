package org.openmmsc.mm7.codec;

import java.util.Objects;

/** An MM7 address element as written: which element (Number, ShortCode, RFC2822Address), its text, displayOnly. */
public record Mm7Address(Kind kind, String value, boolean displayOnly) {
    public enum Kind { NUMBER, SHORT_CODE, RFC2822 }

    public Mm7Address {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
    }

    public String elementName() {
        return switch (kind) {
            case NUMBER -> "Number";
            case SHORT_CODE -> "ShortCode";
            case RFC2822 -> "RFC2822Address";
        };
    }
}
