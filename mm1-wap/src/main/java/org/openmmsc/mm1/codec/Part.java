package org.openmmsc.mm1.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

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

    /**
     * The body with a Content-Transfer-Encoding undone: some MMSCs put a MIME "base64" or
     * "quoted-printable" header into a binary WSP part. Other bodies are returned as they are.
     */
    public ByteSlice decodedData() {
        String encoding = header("Content-Transfer-Encoding");
        if (encoding == null) {
            return data;
        }
        byte[] bytes = data.toByteArray();
        switch (encoding.trim().toLowerCase(Locale.ROOT)) {
            case "base64" -> {
                return ByteSlice.wrap(decodeBase64Leniently(bytes));
            }
            case "quoted-printable" -> {
                return ByteSlice.wrap(decodeQuotedPrintable(bytes));
            }
            default -> {
                return data;
            }
        }
    }

    /** The body as text in the part's charset (US-ASCII parts are read as UTF-8, a superset phones rely on). */
    public String text() {
        String charsetName = contentType.charset();
        Charset charset = StandardCharsets.UTF_8;
        if (charsetName != null) {
            int mib = WspTables.charsetMib(charsetName);
            Charset known = mib > 0 && mib != 3 ? WspTables.javaCharset(mib) : null;
            if (known != null) {
                charset = known;
            }
        }
        return new String(decodedData().toByteArray(), charset);
    }

    /** Base64 ignoring line breaks and other non-alphabet octets; a dangling last character is dropped, as MIME readers do. */
    private static byte[] decodeBase64Leniently(byte[] bytes) {
        StringBuilder clean = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            char c = (char) (b & 0xFF);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/') {
                clean.append(c);
            }
        }
        int rest = clean.length() % 4;
        if (rest == 1) {
            clean.setLength(clean.length() - 1);
        } else if (rest > 1) {
            clean.append("==", 0, 4 - rest);
        }
        return Base64.getDecoder().decode(clean.toString());
    }

    private static byte[] decodeQuotedPrintable(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b != '=') {
                out.write(b);
                continue;
            }
            if (i + 1 < bytes.length && (bytes[i + 1] == '\r' || bytes[i + 1] == '\n')) {
                // Soft line break.
                i += bytes[i + 1] == '\r' && i + 2 < bytes.length && bytes[i + 2] == '\n' ? 2 : 1;
            } else if (i + 2 < bytes.length && Character.digit(bytes[i + 1], 16) >= 0
                    && Character.digit(bytes[i + 2], 16) >= 0) {
                out.write(Character.digit(bytes[i + 1], 16) * 16 + Character.digit(bytes[i + 2], 16));
                i += 2;
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
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
