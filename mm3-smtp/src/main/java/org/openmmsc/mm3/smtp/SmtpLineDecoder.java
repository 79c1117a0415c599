package org.openmmsc.mm3.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream into SMTP lines (CRLF, or a bare LF that real clients send) without the
 * line end. A line longer than {@code maxLineLength} is discarded up to its end and reported as
 * one {@link Line} with {@code tooLong} set, so the session can answer it in turn instead of
 * dropping the connection.
 *
 * <p>Commands leave one {@link Line} per decode call, so the session can switch this decoder to
 * message content ({@link #startData}) before the bytes after DATA are read. In that mode lines
 * are dot-unstuffed straight from the socket buffer into the session's {@link DataBuffer} — no
 * object per line — until the lone "." line, which leaves one {@link DataEnd}.
 */
public final class SmtpLineDecoder extends ByteToMessageDecoder {

    /** One line's bytes without CR LF; {@code tooLong} lines carry no bytes. */
    public record Line(byte[] bytes, boolean tooLong) {}

    /** The end-of-data marker was read; the content is in the buffer given to {@link #startData}. */
    record DataEnd(DataBuffer data) {}

    private final int maxLineLength;
    private boolean discarding;
    private DataBuffer data;

    public SmtpLineDecoder(int maxLineLength) {
        this.maxLineLength = maxLineLength;
    }

    /** From the next byte on, lines are message content for {@code buffer}, up to the "." line. */
    void startData(DataBuffer buffer) {
        this.data = buffer;
    }

    /** Heap copy of socket bytes for content lines: one bulk copy, then array access, instead of a call per byte and per line. */
    private byte[] chunk;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (data != null && !discarding) {
            // Netty calls again for what follows the end marker: one item per call, as for commands.
            decodeContent(in, out);
            return;
        }
        while (in.isReadable()) {
            int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (discarding) {
                if (lf < 0) {
                    in.skipBytes(in.readableBytes());
                    return;
                }
                in.readerIndex(lf + 1);
                discarding = false;
                if (data != null) {
                    data.lineTooLong();
                    continue;
                }
                out.add(new Line(new byte[0], true));
                return;
            }
            if (lf < 0) {
                // maxLineLength counts CRLF (RFC 5321 §4.5.3.1.6), so a partial line may hold maxLineLength - 1 bytes.
                if (in.readableBytes() >= maxLineLength) {
                    in.skipBytes(in.readableBytes());
                    discarding = true;
                }
                return;
            }
            int start = in.readerIndex();
            int length = lf - start;
            if (length + 1 > maxLineLength) {
                in.readerIndex(lf + 1);
                if (data != null) {
                    data.lineTooLong();
                    continue;
                }
                out.add(new Line(new byte[0], true));
                return;
            }
            int contentLength = length > 0 && in.getByte(lf - 1) == '\r' ? length - 1 : length;
            in.readerIndex(lf + 1);
            if (data != null) {
                if (contentLength == 1 && in.getByte(start) == '.') {
                    out.add(new DataEnd(data));
                    data = null;
                    return;
                }
                int dot = contentLength > 0 && in.getByte(start) == '.' ? 1 : 0; // dot-unstuffing (RFC 5321 §4.5.2)
                data.appendLine(in, start + dot, contentLength - dot);
                continue;
            }
            byte[] bytes = new byte[contentLength];
            in.getBytes(start, bytes);
            out.add(new Line(bytes, false));
            return;
        }
    }

    /**
     * Content lines, copied from the socket buffer in chunks of at least one line's limit. Stops
     * at the end marker (leaving what follows for command decoding), at a partial line, or when a
     * partial line is already too long (then the line-wise loop discards it as in command mode).
     */
    private void decodeContent(ByteBuf in, List<Object> out) {
        int chunkSize = Math.max(16 * 1024, maxLineLength + 1);
        if (chunk == null) chunk = new byte[chunkSize];
        while (in.isReadable()) {
            int n = Math.min(in.readableBytes(), chunk.length);
            in.getBytes(in.readerIndex(), chunk, 0, n);
            int pos = 0;
            while (pos < n) {
                int lf = indexOf(chunk, pos, n);
                if (lf < 0) break;
                int length = lf - pos;
                if (length + 1 > maxLineLength) {
                    data.lineTooLong();
                    pos = lf + 1;
                    continue;
                }
                int contentLength = length > 0 && chunk[lf - 1] == '\r' ? length - 1 : length;
                if (contentLength == 1 && chunk[pos] == '.') {
                    in.skipBytes(lf + 1);
                    out.add(new DataEnd(data));
                    data = null;
                    return;
                }
                int dot = contentLength > 0 && chunk[pos] == '.' ? 1 : 0; // dot-unstuffing (RFC 5321 §4.5.2)
                data.appendLine(chunk, pos + dot, contentLength - dot);
                pos = lf + 1;
            }
            in.skipBytes(pos);
            if (pos == 0) {
                // Only a partial line is left: wait for its end, or discard it if it is already too long.
                if (in.readableBytes() >= maxLineLength) {
                    in.skipBytes(in.readableBytes());
                    discarding = true;
                }
                return;
            }
        }
    }

    private static int indexOf(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) if (bytes[i] == '\n') return i;
        return -1;
    }
}
