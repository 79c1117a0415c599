package org.openmmsc.mm1.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * The header fields of a PDU in wire order, unknown and application headers included. X-Mms-Message-Type
 * is not in this list: it is implied by the PDU record type.
 */
public record MmsHeaders(List<MmsHeader> list) {

    public MmsHeaders {
        list = List.copyOf(list);
        for (MmsHeader header : list) {
            if (header.code() == MmsField.MESSAGE_TYPE.code()) {
                throw new IllegalArgumentException("X-Mms-Message-Type is implied by the PDU type");
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public HeaderValue first(MmsField field) {
        for (MmsHeader header : list) {
            if (header.code() == field.code()) {
                return header.value();
            }
        }
        return null;
    }

    public boolean has(MmsField field) {
        return first(field) != null;
    }

    public List<HeaderValue> all(MmsField field) {
        List<HeaderValue> values = new ArrayList<>();
        for (MmsHeader header : list) {
            if (header.code() == field.code()) {
                values.add(header.value());
            }
        }
        return values;
    }

    /** A Text-string field's value, or null. */
    public String text(MmsField field) {
        HeaderValue value = first(field);
        return switch (value) {
            case HeaderValue.Text text -> text.value();
            case HeaderValue.TokenText text -> text.value();
            case HeaderValue.Encoded encoded -> encoded.value().text();
            case null, default -> null;
        };
    }

    /** An Encoded-string-value field, or null. */
    public EncodedString encoded(MmsField field) {
        return first(field) instanceof HeaderValue.Encoded encoded ? encoded.value() : null;
    }

    /** A token field's octet, or -1. */
    public int token(MmsField field) {
        return first(field) instanceof HeaderValue.Token token ? token.octet() : -1;
    }

    /** A numeric or date field's value, or -1. */
    public long number(MmsField field) {
        return switch (first(field)) {
            case HeaderValue.Number number -> number.value();
            case HeaderValue.Date date -> date.epochSeconds();
            case null, default -> -1;
        };
    }

    /** Every address of a repeatable address field (To, Cc, Bcc), as text. */
    public List<String> addresses(MmsField field) {
        List<String> addresses = new ArrayList<>();
        for (HeaderValue value : all(field)) {
            if (value instanceof HeaderValue.Encoded encoded) {
                addresses.add(encoded.value().text());
            }
        }
        return addresses;
    }

    public static final class Builder {
        private final List<MmsHeader> headers = new ArrayList<>();

        public Builder add(MmsHeader header) {
            headers.add(header);
            return this;
        }

        public Builder add(MmsField field, HeaderValue value) {
            return add(MmsHeader.of(field, value));
        }

        public Builder text(MmsField field, String value) {
            return add(field, new HeaderValue.Text(value));
        }

        public Builder encoded(MmsField field, String value) {
            return add(field, new HeaderValue.Encoded(EncodedString.of(value)));
        }

        public Builder token(MmsField field, int octet) {
            return add(field, new HeaderValue.Token(octet));
        }

        public Builder version(int major, int minor) {
            return add(MmsField.MMS_VERSION, new HeaderValue.Version(major, minor));
        }

        public MmsHeaders build() {
            return new MmsHeaders(headers);
        }
    }
}
