package org.openmmsc.mm3.smtp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;

/**
 * Where mail for a domain goes (RFC 5321 §5.1), with dnsjava: the domain's MX records by
 * preference (equal preferences in random order), each target's AAAA and A addresses; with no MX
 * records, the domain itself as an implicit MX of preference 0. A null MX (RFC 7505, a single
 * "0 .") means the domain takes no mail. Answers are cached for their TTL by dnsjava's
 * {@link Cache}; look-ups are asynchronous, so no caller thread waits on the network.
 *
 * <p>The DNS server is configurable (operators on a GRX/IPX network point it at its DNS; tests at
 * their own server); without one, the system's resolvers are asked.
 */
public final class MxResolver {

    /** One place to connect: the host's name (for TLS and logs) and one of its addresses. */
    public record Target(String host, InetAddress address, int preference) {}

    /** A look-up that failed; {@link #permanent()} when the answer itself says no (no such domain, null MX). */
    public static final class DnsFailure extends IOException {
        private final boolean permanent;

        public DnsFailure(String message, boolean permanent, Throwable cause) {
            super(message, cause);
            this.permanent = permanent;
        }

        public boolean permanent() {
            return permanent;
        }
    }

    private final LookupSession session;
    private final String server;

    /**
     * @param dnsServer "address", "address:port" or "[v6]:port" of the DNS server; null = the system's resolvers
     * @param timeout   per look-up
     */
    public MxResolver(String dnsServer, Duration timeout) {
        Resolver resolver;
        try {
            resolver = dnsServer == null ? new ExtendedResolver() : new SimpleResolver(socketAddress(dnsServer));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a DNS server address: " + dnsServer, e);
        }
        resolver.setTimeout(timeout);
        this.server = dnsServer == null ? "system resolvers" : dnsServer;
        // No search path and no hosts file: peer names are absolute, and only the configured DNS speaks for them.
        this.session = LookupSession.builder().resolver(resolver).cache(new Cache(DClass.IN)).clearSearchPath().build();
    }

    static InetSocketAddress socketAddress(String text) throws UnknownHostException {
        String host = text;
        int port = 53;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            host = text.substring(1, close);
            if (close + 1 < text.length()) port = Integer.parseInt(text.substring(close + 2));
        } else if (text.indexOf(':') == text.lastIndexOf(':') && text.indexOf(':') > 0) {
            host = text.substring(0, text.indexOf(':'));
            port = Integer.parseInt(text.substring(text.indexOf(':') + 1));
        }
        return new InetSocketAddress(Address.getByAddress(host), port);
    }

    /** The mail exchangers of {@code domain} in the order to try them, each with its addresses. */
    public CompletableFuture<List<Target>> mailTargets(String domain) {
        Name name;
        try {
            name = absolute(domain);
        } catch (TextParseException e) {
            return CompletableFuture.failedFuture(new DnsFailure("not a domain name: " + domain, true, e));
        }
        return session.lookupAsync(name, Type.MX).toCompletableFuture().handle((result, error) -> {
            if (error == null) return result.getRecords();
            Throwable cause = unwrap(error);
            if (cause instanceof NoSuchRRSetException) return List.<Record>of(); // no MX: the implicit MX below
            throw new CompletionException(failure("MX of " + domain, cause));
        }).thenCompose(records -> {
            List<MXRecord> mx = records.stream().filter(r -> r instanceof MXRecord).map(r -> (MXRecord) r).toList();
            if (mx.isEmpty()) {
                // RFC 5321 §5.1: no MX records — the domain itself is the mail exchanger, preference 0.
                return addresses(domain).thenApply(addresses -> addresses.stream().map(a -> new Target(domain, a, 0)).toList());
            }
            if (mx.size() == 1 && mx.getFirst().getTarget().equals(Name.root)) {
                return CompletableFuture.failedFuture(new DnsFailure(domain + " has a null MX (RFC 7505): it accepts no mail", true, null));
            }
            return targetsOf(domain, mx);
        });
    }

    private CompletableFuture<List<Target>> targetsOf(String domain, List<MXRecord> mx) {
        // By preference; hosts of equal preference in random order to spread load (RFC 5321 §5.1).
        Map<Integer, List<MXRecord>> byPreference = new TreeMap<>();
        for (MXRecord r : mx) byPreference.computeIfAbsent(r.getPriority(), k -> new ArrayList<>()).add(r);
        List<MXRecord> ordered = new ArrayList<>();
        for (List<MXRecord> same : byPreference.values()) {
            Collections.shuffle(same, ThreadLocalRandom.current());
            ordered.addAll(same);
        }
        List<CompletableFuture<List<Target>>> lookups = new ArrayList<>();
        for (MXRecord r : ordered) {
            String host = hostText(r.getTarget());
            // An MX target without addresses is skipped; the others may still take the mail.
            lookups.add(addresses(host).handle((addresses, error) -> error != null ? List.<Target>of()
                    : addresses.stream().map(a -> new Target(host, a, r.getPriority())).toList()));
        }
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<Target> all = new ArrayList<>();
            for (CompletableFuture<List<Target>> l : lookups) all.addAll(l.join());
            if (all.isEmpty()) {
                throw new CompletionException(new DnsFailure("no MX host of " + domain + " has an address", false, null));
            }
            all.sort(Comparator.comparingInt(Target::preference)); // stable: keeps the shuffled order within a preference
            return all;
        });
    }

    /** AAAA and A addresses of {@code host}; a literal address is answered as itself. */
    public CompletableFuture<List<InetAddress>> addresses(String host) {
        if (Address.isDottedQuad(host) || host.contains(":")) {
            try {
                return CompletableFuture.completedFuture(List.of(InetAddress.getByName(host))); // a literal: no look-up
            } catch (UnknownHostException e) {
                return CompletableFuture.failedFuture(new DnsFailure("not an address: " + host, true, e));
            }
        }
        Name name;
        try {
            name = absolute(host);
        } catch (TextParseException e) {
            return CompletableFuture.failedFuture(new DnsFailure("not a host name: " + host, true, e));
        }
        CompletableFuture<Answer> v6 = lookup(name, Type.AAAA);
        CompletableFuture<Answer> v4 = lookup(name, Type.A);
        return v6.thenCombine(v4, (six, four) -> {
            List<InetAddress> out = new ArrayList<>();
            for (Record r : six.records()) if (r instanceof AAAARecord a) out.add(a.getAddress());
            for (Record r : four.records()) if (r instanceof ARecord a) out.add(a.getAddress());
            if (!out.isEmpty()) return out; // one family failing (a host without IPv6, an uncached NODATA) leaves the other
            DnsFailure failed = six.failure() != null ? six.failure() : four.failure();
            if (failed != null) throw new CompletionException(failed);
            throw new CompletionException(new DnsFailure(host + " has no A or AAAA record (asked " + server + ")", false, null));
        });
    }

    /** Records of one type, or the failure that kept them from us; a name or type that does not exist is no records. */
    private record Answer(List<Record> records, DnsFailure failure) {}

    private CompletableFuture<Answer> lookup(Name name, int type) {
        return session.lookupAsync(name, type).toCompletableFuture().handle((result, error) -> {
            if (error == null) return new Answer(result.getRecords(), null);
            Throwable cause = unwrap(error);
            if (cause instanceof NoSuchRRSetException || cause instanceof NoSuchDomainException) return new Answer(List.of(), null);
            return new Answer(List.of(), failure(Type.string(type) + " of " + name, cause));
        });
    }

    private DnsFailure failure(String what, Throwable cause) {
        if (cause instanceof NoSuchDomainException) return new DnsFailure(what + ": no such domain (asked " + server + ")", true, cause);
        return new DnsFailure(what + ": DNS look-up failed (asked " + server + "): " + cause, false, cause);
    }

    private static Name absolute(String name) throws TextParseException {
        return Name.fromString(name.toLowerCase(Locale.ROOT), Name.root);
    }

    private static String hostText(Name name) {
        String text = name.toString(true); // without the trailing dot
        return text.toLowerCase(Locale.ROOT);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
