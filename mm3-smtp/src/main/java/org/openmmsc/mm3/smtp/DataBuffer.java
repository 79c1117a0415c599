package org.openmmsc.mm3.smtp;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * The content of one DATA, dot-unstuffed, with CRLF line ends, gathered in one array sized from
 * the client's {@code SIZE=} declaration (RFC 1870) when it gave one, so a 30 KB message is
 * copied from the socket buffer once instead of line by line into a doubling buffer. Beyond the
 * limit it keeps counting but holds nothing, so the end marker can still be found.
 */
final class DataBuffer {
    /** Largest buffer allocated on a client's SIZE= word alone (an MMS is rarely larger). */
    static final long PRESIZE_CAP = 256 * 1024;
    private final long maxSize;
    private byte[] bytes;
    private int length;
    private long size;
    private boolean tooLarge;
    private boolean lineTooLong;

    /**
     * @param prefix       written first, not counted against the limit (the server's Received: line)
     * @param expectedSize the declared SIZE, or 0
     * @param maxSize      content bytes accepted at most
     */
    DataBuffer(byte[] prefix, long expectedSize, long maxSize) {
        this.maxSize = maxSize;
        // SIZE= is only a claim: presizing trusts it up to PRESIZE_CAP, so a client declaring the maximum and
        // sending little cannot make every session hold maxMessageSize; larger messages grow from there.
        long capacity = prefix.length + Math.min(Math.min(Math.max(expectedSize, 8192 - prefix.length), maxSize + 2), PRESIZE_CAP);
        this.bytes = new byte[(int) Math.min(capacity, Integer.MAX_VALUE - 16)];
        System.arraycopy(prefix, 0, bytes, 0, prefix.length);
        this.length = prefix.length;
    }

    /** One line's bytes (without its line end, dot already removed) from a Netty buffer, then CRLF. */
    void appendLine(ByteBuf in, int index, int lineLength) {
        if (!count(lineLength)) return;
        in.getBytes(index, bytes, length, lineLength);
        length += lineLength;
        bytes[length++] = '\r';
        bytes[length++] = '\n';
    }

    /** The same from an array (lines the session queued before the content started). */
    void appendLine(byte[] line, int offset, int lineLength) {
        if (!count(lineLength)) return;
        System.arraycopy(line, offset, bytes, length, lineLength);
        length += lineLength;
        bytes[length++] = '\r';
        bytes[length++] = '\n';
    }

    private boolean count(int lineLength) {
        size += lineLength + 2;
        if (size > maxSize) {
            tooLarge = true;
            bytes = null; // keep reading to the end marker, but hold nothing
        }
        if (tooLarge) return false;
        if (length + lineLength + 2 > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(Math.max(bytes.length * 2L, length + lineLength + 2L), Integer.MAX_VALUE - 16));
        }
        return true;
    }

    void lineTooLong() {
        lineTooLong = true;
    }

    boolean tooLarge() {
        return tooLarge;
    }

    boolean hasLineTooLong() {
        return lineTooLong;
    }

    /** The content; the array itself when the declared size was exact. */
    byte[] content() {
        return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
    }
}
