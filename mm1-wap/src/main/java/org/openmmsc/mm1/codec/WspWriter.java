package org.openmmsc.mm1.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A growable output buffer with the WSP primitive encodings. In gathering mode, part bodies are
 * not copied: {@link #writeBody} closes the current segment and records the body by reference.
 */
final class WspWriter {
    private byte[] buf;
    private int count;
    private final boolean gathering;
    private List<ByteBuffer> segments;
    private int segmentStart;

    WspWriter(int initialCapacity, boolean gathering) {
        this.buf = new byte[Math.max(16, initialCapacity)];
        this.gathering = gathering;
    }

    int size() {
        return count;
    }

    void reset() {
        count = 0;
        segmentStart = 0;
        segments = null;
    }

    private void ensure(int extra) {
        if (count + extra > buf.length) {
            // Earlier gathered segments keep pointing at the old array, whose bytes stay valid.
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + extra));
        }
    }

    void writeOctet(int b) {
        ensure(1);
        buf[count++] = (byte) b;
    }

    void writeBytes(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buf, count, length);
        count += length;
    }

    void writeSlice(ByteSlice slice) {
        ensure(slice.length());
        slice.copyTo(buf, count);
        count += slice.length();
    }

    void writeWriter(WspWriter other) {
        writeBytes(other.buf, 0, other.count);
    }

    /** A part body: copied when producing one array, referenced when gathering. */
    void writeBody(ByteSlice body) {
        if (!gathering) {
            writeSlice(body);
            return;
        }
        if (segments == null) {
            segments = new ArrayList<>();
        }
        closeSegment();
        if (body.length() > 0) {
            segments.add(body.asReadOnlyBuffer());
        }
    }

    private void closeSegment() {
        if (count > segmentStart) {
            segments.add(ByteBuffer.wrap(buf, segmentStart, count - segmentStart).slice());
        }
        // Start the next header segment in a fresh region so it never aliases the previous one.
        segmentStart = count;
    }

    ByteBuffer[] toBuffers() {
        if (segments == null) {
            return new ByteBuffer[] {ByteBuffer.wrap(buf, 0, count).slice()};
        }
        closeSegment();
        return segments.toArray(ByteBuffer[]::new);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, count);
    }

    void writeUintvar(long value) {
        if (value < 0 || value > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("uintvar out of range: " + value);
        }
        int shift = 28;
        while (shift > 0 && (value >>> shift) == 0) {
            shift -= 7;
        }
        for (; shift > 0; shift -= 7) {
            writeOctet((int) (0x80 | ((value >>> shift) & 0x7F)));
        }
        writeOctet((int) (value & 0x7F));
    }

    static int uintvarSize(long value) {
        int size = 1;
        while ((value >>>= 7) != 0) {
            size++;
        }
        return size;
    }

    void writeValueLength(int length) {
        if (length < 31) {
            writeOctet(length);
        } else {
            writeOctet(31);
            writeUintvar(length);
        }
    }

    void writeShortInteger(int value) {
        if (value < 0 || value > 127) {
            throw new IllegalArgumentException("short integer out of range: " + value);
        }
        writeOctet(0x80 | value);
    }

    void writeLongInteger(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative long integer: " + value);
        }
        int octets = 1;
        while (octets < 8 && (value >>> (8 * octets)) != 0) {
            octets++;
        }
        writeOctet(octets);
        for (int i = octets - 1; i >= 0; i--) {
            writeOctet((int) (value >>> (8 * i)));
        }
    }

    void writeIntegerValue(long value) {
        if (value >= 0 && value < 128) {
            writeShortInteger((int) value);
        } else {
            writeLongInteger(value);
        }
    }

    /**
     * Text-string with the 0x7F quote when the first octet has its high bit set (WAP-230), and also
     * when it is 0x7F itself or a control octet: a decoder strips one leading quote, and a leading
     * control octet would otherwise read as a value length.
     */
    void writeTextString(String text) {
        writeTextBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    void writeTextBytes(byte[] bytes) {
        if (needsQuote(bytes.length > 0 ? bytes[0] : 0)) {
            writeOctet(0x7F);
        }
        writeBytes(bytes, 0, bytes.length);
        writeOctet(0);
    }

    static boolean needsQuote(byte first) {
        return (first & 0x80) != 0 || first == 0x7F || (first > 0 && first < 0x20);
    }

    /** Inside a Value-length, after a charset, only the WAP-230 rule and the quote itself matter. */
    static boolean needsQuoteAfterCharset(byte first) {
        return (first & 0x80) != 0 || first == 0x7F;
    }

    void writeQuotedString(String text) {
        writeOctet('"');
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        writeBytes(bytes, 0, bytes.length);
        writeOctet(0);
    }

    void writeTokenText(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        writeBytes(bytes, 0, bytes.length);
        writeOctet(0);
    }
}
