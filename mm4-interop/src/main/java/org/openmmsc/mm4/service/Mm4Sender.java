package org.openmmsc.mm4.service;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.openmmsc.mm3.SmtpConfig;
import org.openmmsc.mm3.smtp.MxResolver;
import org.openmmsc.mm3.smtp.SmtpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one MM4 mail to a configured peer — never anywhere a message names. The peer's fixed
 * host, or else its domain's mail exchangers (MX by preference, then A/AAAA), are tried in order
 * until one takes the session; each host has its own pool of reusable sessions in the client.
 */
final class Mm4Sender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Mm4Sender.class);

    private final SmtpClient client;
    private final Mm4Peers peers;
    private final MxResolver dns;
    private final boolean dnsConfigured;
    private final Executor blocking;

    /**
     * @param dns           MX and address look-ups; used for fixed host names too when {@code dnsConfigured}
     * @param blocking      where the system resolver may block (fixed host names without a configured DNS server)
     */
    Mm4Sender(SmtpClient client, Mm4Peers peers, MxResolver dns, boolean dnsConfigured, Executor blocking) {
        this.client = client;
        this.peers = peers;
        this.dns = dns;
        this.dnsConfigured = dnsConfigured;
        this.blocking = blocking;
    }

    CompletableFuture<SmtpClient.Result> send(String peerDomain, String mailFrom, String rcptTo, byte[] mail) {
        SmtpConfig.Peer peer = peers.byDomain(peerDomain).orElse(null);
        if (peer == null) return CompletableFuture.failedFuture(new IOException("no SMTP host configured for MM4 peer " + peerDomain));
        return targets(peer).thenCompose(targets -> tryInOrder(peer, targets, 0, mailFrom, rcptTo, mail, null));
    }

    private CompletableFuture<List<MxResolver.Target>> targets(SmtpConfig.Peer peer) {
        if (peer.host() == null) return dns.mailTargets(peer.domain());
        String host = peer.host();
        CompletableFuture<List<InetAddress>> addresses;
        if (dnsConfigured || host.matches("[0-9.]+|.*:.*")) {
            addresses = dns.addresses(host);
        } else {
            // No DNS server configured: the system's resolver (hosts file, nsswitch) answers, off the event loops.
            addresses = CompletableFuture.supplyAsync(() -> {
                try {
                    return Arrays.asList(InetAddress.getAllByName(host));
                } catch (java.net.UnknownHostException e) {
                    throw new CompletionException(new MxResolver.DnsFailure("cannot resolve " + host + ": " + e.getMessage(), false, e));
                }
            }, blocking);
        }
        return addresses.thenApply(list -> list.stream().map(a -> new MxResolver.Target(host, a, 0)).toList());
    }

    private CompletableFuture<SmtpClient.Result> tryInOrder(SmtpConfig.Peer peer, List<MxResolver.Target> targets, int i, String mailFrom,
                                                           String rcptTo, byte[] mail, Throwable lastError) {
        if (i >= targets.size()) {
            return CompletableFuture.failedFuture(lastError != null ? lastError : new IOException("no host to send to for MM4 peer " + peer.domain()));
        }
        MxResolver.Target t = targets.get(i);
        SmtpClient.Destination destination = new SmtpClient.Destination(t.host(), t.address(), peer.port(), mode(peer.tls()),
                peers.clientContext(peer), peer.tlsName());
        return client.send(destination, mailFrom, rcptTo, mail).handle((result, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            boolean more = i + 1 < targets.size();
            // RFC 5321 §5.1: go on to the next address or exchanger when this one cannot be reached or will not talk now.
            boolean nextHost = cause != null
                    || (!result.accepted() && (result.step().equals("greeting") || result.step().equals("EHLO")) && !result.reply().isPermanent());
            if (nextHost && more) {
                log.debug("MM4 peer {}: {} failed ({}), trying the next host", peer.domain(), destination.host(),
                        cause != null ? cause.getMessage() : result.reply().line());
                return tryInOrder(peer, targets, i + 1, mailFrom, rcptTo, mail, cause);
            }
            return cause != null ? CompletableFuture.<SmtpClient.Result>failedFuture(cause) : CompletableFuture.completedFuture(result);
        }).thenCompose(f -> f);
    }

    private static SmtpClient.TlsMode mode(SmtpConfig.TlsPolicy policy) {
        return switch (policy) {
            case REQUIRED -> SmtpClient.TlsMode.REQUIRED;
            case OPPORTUNISTIC -> SmtpClient.TlsMode.OPPORTUNISTIC;
            case OFF -> SmtpClient.TlsMode.OFF;
        };
    }

    @Override
    public void close() {
        client.close();
    }
}
