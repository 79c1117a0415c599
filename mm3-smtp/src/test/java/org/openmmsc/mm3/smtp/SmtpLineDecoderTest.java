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
}
