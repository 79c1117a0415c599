package org.openmmsc.mm3.smtp;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * One SMTP transaction as the server saw it: who connected, what they called themselves, the
 * reverse path and the accepted forward paths (without angle brackets), and the TLS client
 * certificate chain the session presented (empty if none).
 */
public record Envelope(InetSocketAddress client, String helo, String mailFrom, List<String> recipients,
                       List<X509Certificate> clientCertificates) {
    public Envelope {
        recipients = List.copyOf(recipients);
        clientCertificates = clientCertificates == null ? List.of() : List.copyOf(clientCertificates);
    }

    public Envelope(InetSocketAddress client, String helo, String mailFrom, List<String> recipients) {
        this(client, helo, mailFrom, recipients, List.of());
    }

    public ClientInfo clientInfo() {
        return new ClientInfo(client, clientCertificates);
    }
}
