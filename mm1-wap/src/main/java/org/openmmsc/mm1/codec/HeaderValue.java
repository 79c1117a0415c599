package org.openmmsc.mm1.codec;

/** The decoded value of one MMS header field; which variant a field uses follows {@link MmsField.Syntax}. */
public sealed interface HeaderValue {

    /** Text-string (transaction id, message id, URIs, application ids). */
    record Text(String value) implements HeaderValue {
    }

    /** Encoded-string-value (subject, addresses, status texts). */
    record Encoded(EncodedString value) implements HeaderValue {
    }

    /** A one-octet enumeration value (0x80..0xFF), unknown values kept as sent. */
    record Token(int octet) implements HeaderValue {
        public Token {
            if (octet < 0x80 || octet > 0xFF) {
                throw new IllegalArgumentException("token octet out of range: " + octet);
            }
        }
    }

    /** Token-text where a token octet is also allowed (X-Mms-Message-Class "NewMessageClass"). */
    record TokenText(String value) implements HeaderValue {
    }

    /** Long-integer or Integer-value (sizes, counts). */
    record Number(long value) implements HeaderValue {
    }

    /** Date-value, seconds since 1970-01-01T00:00:00Z. */
    record Date(long epochSeconds) implements HeaderValue {
    }

    /** Expiry, Delivery-Time, Reply-Charging-Deadline: absolute date or relative seconds. */
    record Time(boolean absolute, long seconds) implements HeaderValue {
    }

    /** From: an address, or null for the Insert-address-token the MMSC must replace. */
    record From(EncodedString address) implements HeaderValue {
        public boolean insertAddress() {
            return address == null;
        }
    }

    /** Version-value: major 1..7, minor 0..14, or 15 for "no minor". */
    record Version(int major, int minor) implements HeaderValue {
        public Version {
            if (major < 0 || major > 7 || minor < 0 || minor > 15) {
                throw new IllegalArgumentException("version out of range: " + major + "." + minor);
            }
        }

        public int octet() {
            return 0x80 | (major << 4) | minor;
        }

        @Override
        public String toString() {
            return minor == 15 ? Integer.toString(major) : major + "." + minor;
        }
    }

    record ContentTypeValue(ContentType contentType) implements HeaderValue {
    }

    /** Value-length Count Encoded-string (Previously-Sent-By; Response-Text/Content-Location in delete confs). */
    record Counted(long count, EncodedString value) implements HeaderValue {
    }

    /** Value-length Count Date-value (Previously-Sent-Date). */
    record CountedDate(long count, long epochSeconds) implements HeaderValue {
    }

    /** X-Mms-MM-Flags: Add/Remove/Filter token and a keyword. */
    record Flags(int token, EncodedString keyword) implements HeaderValue {
    }

    /** X-Mms-Mbox-Totals / Mbox-Quotas: message-or-size token and a number. */
    record Quota(int token, long value) implements HeaderValue {
    }

    /** A value this codec cannot or will not interpret, kept verbatim so it re-encodes unchanged. */
    record Raw(ByteSlice octets) implements HeaderValue {
    }
}
