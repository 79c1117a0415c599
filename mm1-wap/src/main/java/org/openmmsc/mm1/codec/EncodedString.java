package org.openmmsc.mm1.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * An Encoded-string-value: the octets of a text and the IANA MIBenum they are in. The octets are
 * kept as sent, so a subject that is invalid in its declared charset still decodes and re-encodes
 * byte for byte; {@link #text()} is the best-effort reading.
 *
 * @param charset MIBenum, 0 for Any-charset, or {@link #NO_CHARSET} for a plain Text-string
 * @param octets  the text octets without quote octet and terminating NUL
 */
public record EncodedString(int charset, ByteSlice octets) {
    public static final int NO_CHARSET = -1;
    public static final int UTF_8 = 106;

    public EncodedString {
        if (octets == null) {
            throw new IllegalArgumentException("octets required");
        }
    }

    /** A plain Text-string (the compact form, used when the text is US-ASCII). */
    public static EncodedString ascii(String text) {
        return new EncodedString(NO_CHARSET, ByteSlice.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** US-ASCII text as a plain Text-string, anything else tagged UTF-8, as phones expect. */
    public static EncodedString of(String text) {
        if (StandardCharsets.US_ASCII.newEncoder().canEncode(text)) {
            return ascii(text);
        }
        return new EncodedString(UTF_8, ByteSlice.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    public static EncodedString of(String text, int charsetMib) {
        if (charsetMib == NO_CHARSET) {
            return ascii(text);
        }
        Charset charset = WspTables.javaCharset(charsetMib);
        if (charset == null) {
            throw new IllegalArgumentException("no Java charset for MIBenum " + charsetMib);
        }
        return new EncodedString(charsetMib, ByteSlice.wrap(text.getBytes(charset)));
    }

    /** The text; a plain Text-string is read as UTF-8 when valid (many phones send that) else Latin-1. */
    public String text() {
        byte[] bytes = octets.toByteArray();
        if (charset == NO_CHARSET || charset == 0) {
            return strictOrFallback(bytes, StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1);
        }
        Charset javaCharset = WspTables.javaCharset(charset);
        if (javaCharset == null) {
            return strictOrFallback(bytes, StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1);
        }
        return new String(bytes, javaCharset);
    }

    /** True when the octets are valid in the declared charset (or, without one, in UTF-8). */
    public boolean isWellFormed() {
        Charset javaCharset = charset > 0 ? WspTables.javaCharset(charset) : StandardCharsets.UTF_8;
        if (javaCharset == null) {
            return false;
        }
        try {
            javaCharset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(octets.toByteArray()));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    public String charsetName() {
        return charset == NO_CHARSET ? null : WspTables.charsetName(charset);
    }

    private static String strictOrFallback(byte[] bytes, Charset preferred, Charset fallback) {
        try {
            return preferred.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, fallback);
        }
    }

    @Override
    public String toString() {
        return charset == NO_CHARSET ? text() : text() + " [" + charsetName() + "]";
    }
}
