package org.openmmsc.mm3.smtp;

import java.util.Objects;

/** One SMTP reply: code, enhanced status code (RFC 3463) and text. Text never carries CR or LF. */
public record SmtpReply(int code, String enhanced, String text) {
    public SmtpReply {
        if (code < 200 || code > 599) throw new IllegalArgumentException("not an SMTP reply code: " + code);
        Objects.requireNonNull(text, "text");
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) text = text.replaceAll("[\\r\\n]+", " ");
    }

    public static SmtpReply of(int code, String enhanced, String text) {
        return new SmtpReply(code, enhanced, text);
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isPermanent() {
        return code >= 500;
    }

    /** The wire form without CRLF. */
    public String line() {
        return code + " " + (enhanced == null ? "" : enhanced + " ") + text;
    }
}
