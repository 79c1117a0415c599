package org.openmmsc.mm3.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmtpLineDecoderTest {

    private static List<String> decode(byte[] input, int split) {
        EmbeddedChannel channel = new EmbeddedChannel(new SmtpLineDecoder(16));
        channel.writeInbound(Unpooled.wrappedBuffer(input, 0, split));
        channel.writeInbound(Unpooled.wrappedBuffer(input, split, input.length - split));
        List<String> lines = new ArrayList<>();
        SmtpLineDecoder.Line line;
        while ((line = channel.readInbound()) != null) {
            lines.add(line.tooLong() ? "<too long>" : new String(line.bytes(), StandardCharsets.ISO_8859_1));
        }
        channel.finishAndReleaseAll();
        return lines;
    }

    @Test
    void splitsAtCrLfAndBareLfWhereverTheBytesAreCut() {
        byte[] input = "EHLO a\r\nNOOP\n\r\n0123456789abcdefghij\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int split = 0; split <= input.length; split++) {
            assertEquals(List.of("EHLO a", "NOOP", "", "<too long>", "QUIT"), decode(input, split), "split at " + split);
        }
    }

    @Test
    void aLineOfExactlyTheLimitIncludingCrLfIsAccepted() {
        assertEquals(List.of("x".repeat(14)), decode(("x".repeat(14) + "\r\n").getBytes(StandardCharsets.US_ASCII), 3));
        assertEquals(List.of("<too long>"), decode(("x".repeat(15) + "\r\n").getBytes(StandardCharsets.US_ASCII), 3));
    }

    /** Like the session: on "DATA" the decoder is switched to content, which ends at the lone ".". */
    private static List<String> decodeSession(byte[] input, int split, long declared) {
        SmtpLineDecoder decoder = new SmtpLineDecoder(16);
        List<String> seen = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(decoder, new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof SmtpLineDecoder.DataEnd end) {
                    DataBuffer d = end.data();
                    seen.add(d.tooLarge() ? "<too large>" : d.hasLineTooLong() ? "<line too long>"
                            : "[" + new String(d.content(), StandardCharsets.ISO_8859_1) + "]");
                    return;
                }
                SmtpLineDecoder.Line line = (SmtpLineDecoder.Line) msg;
                String text = line.tooLong() ? "<too long>" : new String(line.bytes(), StandardCharsets.ISO_8859_1);
                seen.add(text);
                if (text.equals("DATA")) decoder.startData(new DataBuffer("R\r\n".getBytes(StandardCharsets.US_ASCII), declared, 40));
            }
        });
        channel.writeInbound(Unpooled.wrappedBuffer(input, 0, split));
        channel.writeInbound(Unpooled.wrappedBuffer(input, split, input.length - split));
        channel.finishAndReleaseAll();
        return seen;
    }

    @Test
    void contentAfterDataIsUnstuffedIntoOneBufferWhereverTheBytesAreCut() {
        byte[] input = "MAIL\r\nDATA\r\nline one\r\n..dot\n\r\n.\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII);
        for (long declared : new long[] {0, 24, 1000}) {
            for (int split = 0; split <= input.length; split++) {
                assertEquals(List.of("MAIL", "DATA", "[R\r\nline one\r\n.dot\r\n\r\n]", "QUIT"), decodeSession(input, split, declared),
                        "split at " + split + ", SIZE " + declared);
            }
        }
    }

    @Test
    void anOverlongContentLineOrTooMuchContentIsReportedAtTheEnd() {
        byte[] longLine = "DATA\r\nok\r\n0123456789abcdefghij\r\nok\r\n.\r\nNOOP\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] tooMuch = "DATA\r\n0123456789\r\n0123456789\r\n0123456789\r\n0123456789\r\n.\r\nNOOP\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int split = 0; split <= longLine.length; split++) {
            assertEquals(List.of("DATA", "<line too long>", "NOOP"), decodeSession(longLine, split, 0), "split at " + split);
        }
        for (int split = 0; split <= tooMuch.length; split++) {
            assertEquals(List.of("DATA", "<too large>", "NOOP"), decodeSession(tooMuch, split, 0), "split at " + split);
        }
    }

    @Test
    void aDeclaredSizeIsTrustedOnlyUpToTheCapAndTheBufferStillGrowsToTheContent() {
        DataBuffer claimedHuge = new DataBuffer(new byte[0], 10L * 1024 * 1024, 10L * 1024 * 1024);
        byte[] line = "x".repeat(998).getBytes(StandardCharsets.US_ASCII);
        int lines = (int) (DataBuffer.PRESIZE_CAP / 1000) + 5; // past the presized capacity
        for (int i = 0; i < lines; i++) claimedHuge.appendLine(line, 0, line.length);
        assertEquals(lines * 1000, claimedHuge.content().length);
        DataBuffer exact = new DataBuffer("R\r\n".getBytes(StandardCharsets.US_ASCII), 10, 1000);
        exact.appendLine("12345678".getBytes(StandardCharsets.US_ASCII), 0, 8);
        assertEquals("R\r\n12345678\r\n", new String(exact.content(), StandardCharsets.US_ASCII));
    }
}
