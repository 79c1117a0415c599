package org.openmmsc.mm1.codec;

/**
 * A WSP header inside a multipart entry or a push PDU (Content-ID, Content-Location, X-Wap-Application-Id…).
 *
 * @param code     well-known WSP header number, {@link #TEXTUAL} for a "Name: value" header, or
 *                 {@link #SHIFT} for a code-page shift sequence kept verbatim
 * @param name     header name
 * @param value    decoded value as text (may be empty when only raw octets are known)
 * @param rawValue non-null when the value octets are not the canonical encoding of {@code value}
 */
public record WspHeader(int code, String name, String value, ByteSlice rawValue) {
    public static final int TEXTUAL = -1;
    public static final int SHIFT = -2;

    public WspHeader {
        if (name == null || value == null) {
            throw new IllegalArgumentException("header name and value required");
        }
        if (code == SHIFT && rawValue == null) {
            throw new IllegalArgumentException("a code-page shift needs its raw octets");
        }
    }

    public static WspHeader wellKnown(int code, String value) {
        String name = WspTables.wspHeaderName(code);
        if (name == null) {
            throw new IllegalArgumentException("unknown WSP header code " + code);
        }
        return new WspHeader(code, name, value, null);
    }

    public static WspHeader textual(String name, String value) {
        return new WspHeader(TEXTUAL, name, value, null);
    }

    public static WspHeader contentId(String id) {
        return wellKnown(WspTables.HEADER_CONTENT_ID, id);
    }

    public static WspHeader contentLocation(String location) {
        return wellKnown(WspTables.HEADER_CONTENT_LOCATION, location);
    }
}
