package org.openmmsc.mm3.smtp;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Who is on the other end of an SMTP session: its address and, after STARTTLS, the certificate
 * chain it presented as a TLS client (empty when it presented none, or the session is clear).
 * The chain is as presented: the policy decides whom it trusts and for what.
 */
public record ClientInfo(InetSocketAddress address, List<X509Certificate> certificates) {
    public ClientInfo {
        certificates = List.copyOf(certificates);
    }

    public static ClientInfo of(InetSocketAddress address) {
        return new ClientInfo(address, List.of());
    }
}
