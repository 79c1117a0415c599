package org.openmmsc.mm4.service;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.openmmsc.mm3.SmtpConfig;
import org.openmmsc.mm3.smtp.SmtpClient;

/** Sends one MM4 mail to a configured peer's SMTP server. Only configured peers: never anywhere a message names. */
final class Mm4Sender implements AutoCloseable {
    private final SmtpClient client;
    private final Mm4Peers peers;

    Mm4Sender(SmtpClient client, Mm4Peers peers) {
        this.client = client;
        this.peers = peers;
    }

    CompletableFuture<SmtpClient.Result> send(String peerDomain, String mailFrom, String rcptTo, byte[] mail) {
        return peers.byDomain(peerDomain)
                .map(p -> client.send(p.host(), p.port(), mailFrom, rcptTo, mail))
                .orElseGet(() -> CompletableFuture.failedFuture(new IOException("no SMTP host configured for MM4 peer " + peerDomain)));
    }

    @Override
    public void close() {
        client.close();
    }
}
