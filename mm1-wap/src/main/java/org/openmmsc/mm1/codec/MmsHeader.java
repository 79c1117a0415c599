package org.openmmsc.mm1.codec;

/**
 * One header field of an MMS PDU, in wire order.
 *
 * @param code  the assigned number (0x00..0x7F) of a well-known field, {@link #APPLICATION} for a
 *              textual application header, or {@link #STRAY} for octets that form no header (kept so
 *              that a PDU with trailing junk re-encodes unchanged)
 * @param name  the field name (from the table for well-known fields)
 * @param value the decoded value; {@link HeaderValue.Raw} for anything not decodable by its syntax
 */
public record MmsHeader(int code, String name, HeaderValue value) {
    public static final int APPLICATION = -1;
    public static final int STRAY = -2;

    public MmsHeader {
        if (code < STRAY || code > 0x7F || name == null || value == null) {
            throw new IllegalArgumentException("bad header " + code + " " + name + " " + value);
        }
        if (code >= 0) {
            // The table decides the name of a numbered field, so equal PDUs are equal records.
            name = nameFor(code);
        }
        if (code == APPLICATION && !(value instanceof HeaderValue.Text)) {
            throw new IllegalArgumentException("application header needs a text value");
        }
        if (code == STRAY && !(value instanceof HeaderValue.Raw)) {
            throw new IllegalArgumentException("stray octets need a raw value");
        }
    }

    public static MmsHeader of(MmsField field, HeaderValue value) {
        return new MmsHeader(field.code(), field.headerName(), value);
    }

    public static MmsHeader application(String name, String value) {
        return new MmsHeader(APPLICATION, name, new HeaderValue.Text(value));
    }

    /** The well-known field, or null for application headers, stray octets and unassigned codes. */
    public MmsField field() {
        return code >= 0 ? MmsField.byCode(code) : null;
    }

    static String nameFor(int code) {
        MmsField field = MmsField.byCode(code);
        return field != null ? field.headerName() : String.format("X-Mms-Unassigned-0x%02X", code);
    }
}
