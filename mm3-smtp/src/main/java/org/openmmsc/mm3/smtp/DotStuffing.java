package org.openmmsc.mm3.smtp;

import java.io.ByteArrayOutputStream;

/**
 * Prepares a message for DATA: every line end becomes CRLF, a line starting with '.' gets one
 * more (RFC 5321 §4.5.2), and the text ends with CRLF so the end marker can follow. Netty's
 * SMTP encoder writes content as given, so the client needs this.
 */
public final class DotStuffing {
    private DotStuffing() {}

    public static byte[] stuff(byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + message.length / 64 + 2);
        boolean lineStart = true;
        for (int i = 0; i < message.length; i++) {
            byte b = message[i];
            if (lineStart && b == '.') out.write('.');
            if (b == '\r' && i + 1 < message.length && message[i + 1] == '\n') continue; // the LF writes CRLF
            if (b == '\n' || b == '\r') {
                out.write('\r');
                out.write('\n');
                lineStart = true;
                continue;
            }
            out.write(b);
            lineStart = false;
        }
        if (!lineStart) {
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }
}
