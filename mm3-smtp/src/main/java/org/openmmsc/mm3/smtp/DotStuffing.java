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
        // A plain array: a ByteArrayOutputStream takes a lock and a capacity check per octet.
        byte[] out = new byte[message.length + message.length / 64 + 8];
        int n = 0;
        boolean lineStart = true;
        for (int i = 0; i < message.length; i++) {
            if (out.length - n < 4) out = Arrays.copyOf(out, out.length * 2);
            byte b = message[i];
            if (lineStart && b == '.') out[n++] = '.';
            if (b == '\r' && i + 1 < message.length && message[i + 1] == '\n') continue; // the LF writes CRLF
            if (b == '\n' || b == '\r') {
                out[n++] = '\r';
                out[n++] = '\n';
                lineStart = true;
                continue;
            }
            out[n++] = b;
            lineStart = false;
        }
        if (!lineStart) {
            if (out.length - n < 2) out = Arrays.copyOf(out, n + 2);
            out[n++] = '\r';
            out[n++] = '\n';
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }
}
