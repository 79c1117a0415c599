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
 */
public final class SmtpLineDecoder extends ByteToMessageDecoder {

    /** One line's bytes without CR LF; {@code tooLong} lines carry no bytes. */
    public record Line(byte[] bytes, boolean tooLong) {}

    private final int maxLineLength;
    private boolean discarding;

    public SmtpLineDecoder(int maxLineLength) {
        this.maxLineLength = maxLineLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (discarding) {
                if (lf < 0) {
                    in.skipBytes(in.readableBytes());
                    return;
                }
                in.readerIndex(lf + 1);
                discarding = false;
                out.add(new Line(new byte[0], true));
                continue;
            }
            if (lf < 0) {
                // maxLineLength counts CRLF (RFC 5321 §4.5.3.1.6), so a partial line may hold maxLineLength - 1 bytes.
                if (in.readableBytes() >= maxLineLength) {
                    in.skipBytes(in.readableBytes());
                    discarding = true;
                }
                return;
            }
            int length = lf - in.readerIndex();
            if (length + 1 > maxLineLength) {
                in.readerIndex(lf + 1);
                out.add(new Line(new byte[0], true));
                continue;
            }
            int contentLength = length > 0 && in.getByte(lf - 1) == '\r' ? length - 1 : length;
            byte[] bytes = new byte[contentLength];
            in.getBytes(in.readerIndex(), bytes);
            in.readerIndex(lf + 1);
            out.add(new Line(bytes, false));
        }
    }
}
