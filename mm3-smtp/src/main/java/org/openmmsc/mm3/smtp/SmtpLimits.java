package org.openmmsc.mm3.smtp;

import java.time.Duration;
import java.util.Objects;

/** What one SMTP server tolerates; the values come from {@code SmtpConfig}, which validates them. */
public record SmtpLimits(long maxMessageSize, int maxLineLength, int maxRecipients, Duration idleTimeout,
                         int maxConnectionsPerPeer, int maxConnections) {
    public SmtpLimits {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (maxMessageSize <= 0 || maxLineLength < 80 || maxRecipients < 1 || maxConnectionsPerPeer < 1 || maxConnections < 1) {
            throw new IllegalArgumentException("SMTP limits must be positive");
        }
    }
}
