package org.openmmsc.mm1.codec;

import org.openmmsc.mm1.codec.DecodeException.Reason;

import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked cursor over WSP-encoded bytes (WAP-230 §8.4). Every read checks the limit
 * first, so a short or lying buffer becomes a {@link DecodeException}, never an index error.
 */
final class WspReader {
    private final byte[] buf;
    private final int origin;
    private final DecodeLimits limits;
    private int pos;
    private int end;

    WspReader(byte[] buf, int offset, int length, DecodeLimits limits) {
        this.buf = buf;
        this.origin = offset;
        this.pos = offset;
        this.end = offset + length;
        this.limits = limits;
    }

    DecodeLimits limits() {
        return limits;
    }

    byte[] buffer() {
        return buf;
    }

    /** Absolute index into {@link #buffer()}. */
    int position() {
        return pos;
    }

    /** Offset relative to the start of the decoded input, for error reports. */
    int offset() {
        return pos - origin;
    }

    int end() {
        return end;
    }

    int remaining() {
        return end - pos;
    }

    boolean hasRemaining() {
        return pos < end;
    }

    void seek(int absolute) throws DecodeException {
        if (absolute < origin || absolute > end) {
            throw error(Reason.TRUNCATED, "seek beyond data");
        }
        pos = absolute;
    }

    /** Narrows the readable range to {@code length} octets from here; returns the previous end to restore. */
    int pushLimit(int length) throws DecodeException {
        if (length < 0 || length > remaining()) {
            throw error(Reason.TRUNCATED, "length " + length + " exceeds the " + remaining() + " octets left");
        }
        int previous = end;
        end = pos + length;
        return previous;
    }

    void popLimit(int previousEnd) {
        end = previousEnd;
    }

    DecodeException error(Reason reason, String detail) {
        return new DecodeException(reason, pos - origin, detail);
    }

    int peek() throws DecodeException {
        if (pos >= end) {
            throw error(Reason.TRUNCATED, "expected more data");
        }
        return buf[pos] & 0xFF;
    }

    int readOctet() throws DecodeException {
        int b = peek();
        pos++;
        return b;
    }

    void skip(int count) throws DecodeException {
        if (count < 0 || count > remaining()) {
            throw error(Reason.TRUNCATED, "cannot skip " + count + " octets, " + remaining() + " left");
        }
        pos += count;
    }

    ByteSlice slice(int count) throws DecodeException {
        if (count < 0 || count > remaining()) {
            throw error(Reason.TRUNCATED, "need " + count + " octets, " + remaining() + " left");
        }
        ByteSlice slice = ByteSlice.wrap(buf, pos, count);
        pos += count;
        return slice;
    }

    ByteSlice sliceFrom(int absoluteStart) {
        return ByteSlice.wrap(buf, absoluteStart, pos - absoluteStart);
    }

    /** Uintvar: 7 bits per octet, at most 5 octets, value must fit 32 bits unsigned but we cap at int. */
    int readUintvar() throws DecodeException {
        long value = 0;
        for (int i = 0; i < 5; i++) {
            int b = readOctet();
            value = (value << 7) | (b & 0x7F);
            if ((b & 0x80) == 0) {
                if (value > Integer.MAX_VALUE) {
                    throw error(Reason.MALFORMED_VALUE, "uintvar " + value + " too large");
                }
                return (int) value;
            }
        }
        throw error(Reason.MALFORMED_VALUE, "uintvar longer than 5 octets");
    }

    /** Value-length: Short-length 0..30, or 0x1F followed by a Uintvar. Checked against what is left. */
    int readValueLength() throws DecodeException {
        int b = readOctet();
        int length;
        if (b < 31) {
            length = b;
        } else if (b == 31) {
            length = readUintvar();
        } else {
            pos--;
            throw error(Reason.MALFORMED_VALUE, "expected a value length, found 0x" + Integer.toHexString(b));
        }
        if (length > remaining()) {
            throw error(Reason.TRUNCATED, "value length " + length + " exceeds the " + remaining() + " octets left");
        }
        return length;
    }

    static boolean isValueLengthStart(int b) {
        return b <= 31;
    }

    int readShortInteger() throws DecodeException {
        int b = readOctet();
        if (b < 0x80) {
            pos--;
            throw error(Reason.MALFORMED_VALUE, "expected a short integer, found 0x" + Integer.toHexString(b));
        }
        return b & 0x7F;
    }

    /** Long-integer: Short-length 1..30 then big-endian octets; values beyond 63 bits are rejected. */
    long readLongInteger() throws DecodeException {
        int start = pos;
        int length = readOctet();
        if (length < 1 || length > 30) {
            pos = start;
            throw error(Reason.MALFORMED_VALUE, "long integer length " + length);
        }
        if (length > remaining()) {
            throw error(Reason.TRUNCATED, "long integer of " + length + " octets");
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            int b = buf[pos++] & 0xFF;
            if ((value >>> 55) != 0) {
                pos = start;
                throw error(Reason.MALFORMED_VALUE, "long integer exceeds 63 bits");
            }
            value = (value << 8) | b;
        }
        return value;
    }

    long readIntegerValue() throws DecodeException {
        return peek() >= 0x80 ? readShortInteger() : readLongInteger();
    }

    /** Raw octets of a NUL-terminated string, NUL excluded and consumed; length-limited. */
    ByteSlice readNulTerminated() throws DecodeException {
        int start = pos;
        int max = Math.min(end, pos + limits.maxStringLength() + 1);
        for (int i = pos; i < max; i++) {
            if (buf[i] == 0) {
                pos = i + 1;
                return ByteSlice.wrap(buf, start, i - start);
            }
        }
        if (max < end) {
            throw error(Reason.STRING_TOO_LONG, "text longer than " + limits.maxStringLength());
        }
        throw error(Reason.TRUNCATED, "text without terminating NUL");
    }

    /** Text-string: optional 0x7F quote (stripped), text, NUL. */
    String readTextString() throws DecodeException {
        if (peek() == 0x7F) {
            pos++;
        }
        return latin1(readNulTerminated());
    }

    /** Quoted-string: 0x22, text, NUL; the quote is not part of the value. */
    String readQuotedString() throws DecodeException {
        if (peek() == '"') {
            pos++;
        }
        return latin1(readNulTerminated());
    }

    static String latin1(ByteSlice slice) {
        return new String(slice.array(), slice.offset(), slice.length(), StandardCharsets.ISO_8859_1);
    }

    static String utf8(ByteSlice slice) {
        return new String(slice.array(), slice.offset(), slice.length(), StandardCharsets.UTF_8);
    }

    /**
     * Skips one value by the generic WSP rule (WAP-230 §8.4.1.2): 0–30 that many octets follow,
     * 31 a uintvar length follows, 32–127 NUL-terminated text, 128–255 the octet is the value.
     */
    void skipGenericValue() throws DecodeException {
        int b = peek();
        if (b < 31) {
            pos++;
            skip(b);
        } else if (b == 31) {
            pos++;
            skip(readUintvar());
        } else if (b < 128) {
            readNulTerminated();
        } else {
            pos++;
        }
    }
}
