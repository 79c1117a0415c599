package org.openmmsc.mm3.smtp;

import java.util.Arrays;

/**
 * Prepares a message for DATA: every line end becomes CRLF, a line starting with '.' gets one
 * more (RFC 5321 §4.5.2), and the text ends with CRLF so the end marker can follow. Netty's
 * SMTP encoder writes content as given, so the client needs this.
 */
public final class DotStuffing {
    private DotStuffing() {}

    public static byte[] stuff(byte[] message) {
        // Whole lines are copied in bulk; only line ends and a leading dot are looked at octet by octet.
        byte[] out = new byte[message.length + message.length / 64 + 8];
        int n = 0;
        int i = 0;
        while (i < message.length) {
            int end = i;
            while (end < message.length && message[end] != '\n' && message[end] != '\r') end++;
            int room = (end - i) + 3; // a doubled leading dot, the line, CRLF
            if (out.length - n < room) out = Arrays.copyOf(out, Math.max(out.length * 2, n + room));
            if (end > i && message[i] == '.') out[n++] = '.';
            System.arraycopy(message, i, out, n, end - i);
            n += end - i;
            out[n++] = '\r';
            out[n++] = '\n';
            if (end < message.length && message[end] == '\r' && end + 1 < message.length && message[end + 1] == '\n') end++;
            i = end + 1;
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }
}
