package org.openmmsc.mm3.smtp;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * One SMTP transaction as the server saw it: who connected, what they called themselves, the
 * reverse path and the accepted forward paths (without angle brackets).
 */
public record Envelope(InetSocketAddress client, String helo, String mailFrom, List<String> recipients) {
    public Envelope {
        recipients = List.copyOf(recipients);
    }
}
