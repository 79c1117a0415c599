package org.openmmsc.mm4.service;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.openmmsc.mm3.SmtpConfig;
import org.openmmsc.core.config.CidrBlock;

/** The configured peer MMSCs, looked up by source address (inbound) and by domain (outbound). */
final class Mm4Peers {
    private record Entry(SmtpConfig.Peer peer, List<CidrBlock> sources) {}

    private final List<Entry> entries;

    Mm4Peers(List<SmtpConfig.Peer> peers) {
        this.entries = peers.stream().map(p -> new Entry(p, p.sourceBlocks())).toList();
    }

    Optional<SmtpConfig.Peer> bySource(InetAddress address) {
        for (Entry e : entries) {
            for (CidrBlock block : e.sources()) if (block.contains(address)) return Optional.of(e.peer());
        }
        return Optional.empty();
    }

    Optional<SmtpConfig.Peer> byDomain(String domain) {
        for (Entry e : entries) if (e.peer().domain().equalsIgnoreCase(domain)) return Optional.of(e.peer());
        return Optional.empty();
    }
}
