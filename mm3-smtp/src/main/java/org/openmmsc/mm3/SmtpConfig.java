package org.openmmsc.mm3;

import static org.openmmsc.core.config.Checks.positive;
import static org.openmmsc.core.config.Checks.range;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.openmmsc.core.config.ConfigException;
import org.openmmsc.core.config.CidrBlock;
import org.openmmsc.mm3.smtp.SmtpLimits;

/**
 * The {@code smtp} section: the SMTP listener shared by MM3 (e-mail) and MM4 (peer MMSCs), its
 * limits, this MMSC's own MM4 domain, and the peer MMSCs. Every key is optional; defaults live here.
 *
 * @param bindAddress           listener address; loopback by default
 * @param port                  listener port (0 = any free port)
 * @param hostname              name in the greeting, EHLO and Received: lines
 * @param domain                this MMSC's MM4 domain: recipients {@code +N/TYPE=PLMN@domain} are ours; null until
 *                              {@link #withDefaultDomain} fills it (the server uses node.mmsDomain)
 * @param mm3Domains            further domains whose {@code <number>@domain} recipients are local (MM3 in)
 * @param maxMessageSize        bytes of DATA accepted at most (announced as SIZE)
 * @param maxLineLength         bytes per line including CRLF (RFC 5321: 1000)
 * @param maxRecipients         RCPT commands accepted per message
 * @param idleTimeout           a session silent this long is closed with 421
 * @param maxConnectionsPerPeer concurrent sessions from one source address
 * @param maxConnections        concurrent sessions in all
 * @param maxReceivedHeaders    Received: headers tolerated before a message counts as looping
 * @param connectTimeout        outbound: TCP connect timeout
 * @param responseTimeout       outbound: wait for each SMTP reply
 * @param peers                 peer MMSCs: their domain, where to send, and from where they may send
 * @param mm3Smarthost          MM3 out: "host" or "host:port" of the mail relay that takes MMS→e-mail; none = no MM3 out
 * @param mm3KeepSmil           MM3 out: keep the SMIL part in the e-mail (mail clients cannot show it)
 * @param tlsCertificate        PEM certificate chain offered with STARTTLS; with tlsKey, or neither (no STARTTLS)
 * @param tlsKey                its PKCS#8 PEM private key
 * @param mm3MaxPerSenderPerHour MM3 in: e-mails accepted per sender address per hour
 * @param mm3MaxPerDomainPerHour MM3 in: e-mails accepted per sender domain per hour
 * @param mm3Footer             MM3 out: plain text added to every e-mail as its own last text part; none by default
 * @param mm3MaxPartSize        MM3 in: bytes of one part (transfer encoding undone) at most
 * @param mm3MaxContentSize     MM3 in: bytes of all parts together at most
 * @param mm3AllowedTypes       MM3 in: media types a part may have ("type/subtype" or "type/*")
 * @param mm3ReturnPathDomain   MM3 out: domain of the VERP return path bounces come back to; the first of
 *                              mm3Domains by default (publicly reachable), else {@code domain}
 * @param outbound              outbound SMTP: connection reuse and DNS (MX) look-up
 * @param hub                   this node relays MM4 between peers (a message that came over MM4 may go out over MM4 again)
 * @param hubMaxHops            a hub relays a message only while it carries at most this many Received: headers (loop bound)
 */
public record SmtpConfig(String bindAddress, Integer port, String hostname, String domain, List<String> mm3Domains,
                         Long maxMessageSize, Integer maxLineLength, Integer maxRecipients, Duration idleTimeout,
                         Integer maxConnectionsPerPeer, Integer maxConnections, Integer maxReceivedHeaders,
                         Duration connectTimeout, Duration responseTimeout, List<Peer> peers, String mm3Smarthost, Boolean mm3KeepSmil,
                         String tlsCertificate, String tlsKey, Integer mm3MaxPerSenderPerHour, Integer mm3MaxPerDomainPerHour,
                         String mm3Footer, Long mm3MaxPartSize, Long mm3MaxContentSize, List<String> mm3AllowedTypes,
                         String mm3ReturnPathDomain, Outbound outbound, Boolean hub, Integer hubMaxHops) {

    /** What a handset can show: text, pictures, sound, video and the SMIL that lays them out. */
    public static final List<String> DEFAULT_MM3_ALLOWED_TYPES = List.of("text/plain", "text/html", "text/x-vcard", "text/vcard",
            "text/x-vcalendar", "text/calendar", "image/*", "audio/*", "video/*", "application/smil", "multipart/alternative",
            "multipart/related", "multipart/mixed");

    public static final int DEFAULT_PORT = 2525;

    /** What TLS a peer's SMTP server must give us before we send it anything. */
    public enum TlsPolicy {
        /** STARTTLS with a verified certificate, or nothing is sent (the attempt fails and is retried). */
        REQUIRED,
        /** STARTTLS when offered, without authenticating the server; clear otherwise. */
        OPPORTUNISTIC,
        /** Never STARTTLS. */
        OFF;

        /** The configuration file's spelling: required, opportunistic, off (any case). */
        public static TlsPolicy parse(String text) {
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("must be required, opportunistic or off, got " + text);
            }
        }
    }

    /**
     * Outbound SMTP (MM4 to peers): connection reuse per destination host and the DNS used to find peers without a fixed host.
     *
     * @param maxConnectionsPerDestination sessions open at once to one destination host
     * @param maxMessagesPerConnection     messages sent over one session before it is closed
     * @param idleTimeout                  a parked session unused this long is closed
     * @param dnsServer                    "address" or "address:port" of the DNS server for MX, A and AAAA look-ups; none = the system's resolvers
     * @param dnsTimeout                   how long one DNS look-up may take
     */
    public record Outbound(Integer maxConnectionsPerDestination, Integer maxMessagesPerConnection, Duration idleTimeout,
                           String dnsServer, Duration dnsTimeout) {
        public Outbound {
            maxConnectionsPerDestination = range("maxConnectionsPerDestination", maxConnectionsPerDestination, 32, 1, 1000);
            maxMessagesPerConnection = range("maxMessagesPerConnection", maxMessagesPerConnection, 100, 1, 1_000_000);
            idleTimeout = positive("idleTimeout", idleTimeout, Duration.ofSeconds(30));
            if (dnsServer != null && !dnsServer.matches("[0-9.]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?|[0-9A-Fa-f:]+")) {
                throw new ConfigException("dnsServer", "must be an IP address, optionally with :port (IPv6 in brackets with a port), got " + dnsServer);
            }
            dnsTimeout = positive("dnsTimeout", dnsTimeout, Duration.ofSeconds(5));
        }

        public static Outbound defaults() {
            return new Outbound(null, null, null, null, null);
        }
    }

    /**
     * A peer carrier's MMSC.
     *
     * @param domain                 its MM4 domain, as {@code routing.peers[].domain} names it
     * @param host                   where its SMTP server listens; none = look the domain's MX records up (then A/AAAA)
     * @param port                   its SMTP port (default 25)
     * @param allowedSources         CIDR blocks it may connect from to send us MM4 (default: none)
     * @param tls                    what TLS we demand before sending to it (default opportunistic)
     * @param tlsTrust               PEM file of the certificates (CA or the peer's own) we trust for it; none = the JDK's CAs
     * @param tlsName                name its server certificate must carry; none = the host we connect to (configured or MX)
     * @param tlsClientCertificate   PEM chain we present to it as a TLS client (with tlsClientKey); none = no client certificate
     * @param tlsClientKey           its PKCS#8 PEM key
     * @param certificateNames       inbound: it is recognised by a client certificate, valid under tlsTrust, naming one of these (SAN dNSName, else CN)
     * @param certificateFingerprints inbound: it is recognised by a client certificate with one of these SHA-256 fingerprints (hex, colons optional)
     */
    public record Peer(String domain, String host, Integer port, List<String> allowedSources, TlsPolicy tls, String tlsTrust, String tlsName,
                       String tlsClientCertificate, String tlsClientKey, List<String> certificateNames, List<String> certificateFingerprints) {
        public Peer {
            if (domain == null || domain.isBlank()) throw new ConfigException("domain", "must name the peer's MM4 domain");
            domain = domain.strip().toLowerCase(Locale.ROOT);
            if (host != null && !host.strip().matches("[A-Za-z0-9.:-]+")) throw new ConfigException("host", "must be a host name or address, got " + host);
            host = host == null || host.isBlank() ? null : host.strip();
            port = port == null ? 25 : port;
            if (port < 1 || port > 65535) throw new ConfigException("port", "must be between 1 and 65535, got " + port);
            allowedSources = allowedSources == null ? List.of() : List.copyOf(allowedSources);
            for (int i = 0; i < allowedSources.size(); i++) {
                try {
                    CidrBlock.parse(allowedSources.get(i));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("allowedSources[" + i + "]", e.getMessage());
                }
            }
            tls = tls == null ? TlsPolicy.OPPORTUNISTIC : tls;
            readable("tlsTrust", tlsTrust);
            if ((tlsClientCertificate == null) != (tlsClientKey == null)) {
                throw new ConfigException(tlsClientCertificate == null ? "tlsClientCertificate" : "tlsClientKey", "tlsClientCertificate and tlsClientKey go together");
            }
            readable("tlsClientCertificate", tlsClientCertificate);
            readable("tlsClientKey", tlsClientKey);
            certificateNames = certificateNames == null ? List.of()
                    : certificateNames.stream().map(n -> n.strip().toLowerCase(Locale.ROOT)).toList();
            certificateFingerprints = certificateFingerprints == null ? List.of() : List.copyOf(certificateFingerprints);
            List<String> normalised = new java.util.ArrayList<>();
            for (int i = 0; i < certificateFingerprints.size(); i++) {
                String f = certificateFingerprints.get(i).strip().toLowerCase(Locale.ROOT).replaceFirst("^sha-?256:", "").replace(":", "");
                if (!f.matches("[0-9a-f]{64}")) {
                    throw new ConfigException("certificateFingerprints[" + i + "]", "must be a SHA-256 fingerprint (64 hex digits, colons allowed), got "
                            + certificateFingerprints.get(i));
                }
                normalised.add(f);
            }
            certificateFingerprints = List.copyOf(normalised);
        }

        /** A peer known by address only (the shape before TLS and MX existed). */
        public Peer(String domain, String host, Integer port, List<String> allowedSources) {
            this(domain, host, port, allowedSources, null, null, null, null, null, null, null);
        }

        public List<CidrBlock> sourceBlocks() {
            return allowedSources.stream().map(CidrBlock::parse).toList();
        }

        /** Whether inbound sessions from it must show a client certificate. */
        public boolean identifiedByCertificate() {
            return !certificateNames.isEmpty() || !certificateFingerprints.isEmpty();
        }

        private static void readable(String key, String file) {
            if (file != null && !java.nio.file.Files.isReadable(java.nio.file.Path.of(file))) throw new ConfigException(key, "cannot read " + file);
        }
    }

    public SmtpConfig {
        bindAddress = bindAddress == null ? "127.0.0.1" : bindAddress;
        if (bindAddress.isBlank()) throw new ConfigException("bindAddress", "must not be empty");
        port = port == null ? DEFAULT_PORT : port;
        if (port < 0 || port > 65535) throw new ConfigException("port", "must be between 0 and 65535, got " + port);
        hostname = hostname == null ? "localhost" : hostname;
        if (!hostname.matches("[A-Za-z0-9.-]+")) throw new ConfigException("hostname", "must be a host name, got " + hostname);
        domain = domain == null ? null : domain.strip().toLowerCase(Locale.ROOT);
        if (domain != null && !domain.matches("[a-z0-9.-]+")) throw new ConfigException("domain", "must be a domain name, got " + domain);
        mm3Domains = mm3Domains == null ? List.of() : mm3Domains.stream().map(d -> d.strip().toLowerCase(Locale.ROOT)).toList();
        maxMessageSize = maxMessageSize == null ? 10L * 1024 * 1024 : maxMessageSize;
        if (maxMessageSize < 1024 || maxMessageSize > 1L << 30) throw new ConfigException("maxMessageSize", "must be between 1024 and 2^30 bytes, got " + maxMessageSize);
        maxLineLength = range("maxLineLength", maxLineLength, 1000, 512, 65_536);
        maxRecipients = range("maxRecipients", maxRecipients, 1000, 1, 1000);
        idleTimeout = positive("idleTimeout", idleTimeout, Duration.ofMinutes(5));
        maxConnectionsPerPeer = range("maxConnectionsPerPeer", maxConnectionsPerPeer, 64, 1, 100_000);
        maxConnections = range("maxConnections", maxConnections, 1024, 1, 100_000);
        maxReceivedHeaders = range("maxReceivedHeaders", maxReceivedHeaders, 30, 1, 1000);
        connectTimeout = positive("connectTimeout", connectTimeout, Duration.ofSeconds(10));
        responseTimeout = positive("responseTimeout", responseTimeout, Duration.ofMinutes(2));
        peers = peers == null ? List.of() : List.copyOf(peers);
        if (mm3Smarthost != null && !mm3Smarthost.matches("[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
            throw new ConfigException("mm3Smarthost", "must be host or host:port, got " + mm3Smarthost);
        }
        mm3KeepSmil = mm3KeepSmil != null && mm3KeepSmil;
        mm3MaxPerSenderPerHour = range("mm3MaxPerSenderPerHour", mm3MaxPerSenderPerHour, 60, 1, 1_000_000);
        mm3MaxPerDomainPerHour = range("mm3MaxPerDomainPerHour", mm3MaxPerDomainPerHour, 1000, 1, 10_000_000);
        if (mm3Footer != null && (mm3Footer.isBlank() || mm3Footer.length() > 4000)) {
            throw new ConfigException("mm3Footer", "must be non-blank text of at most 4000 characters");
        }
        mm3MaxPartSize = mm3MaxPartSize == null ? 614_400L : mm3MaxPartSize;
        if (mm3MaxPartSize < 1024 || mm3MaxPartSize > 1L << 30) throw new ConfigException("mm3MaxPartSize", "must be between 1024 and 2^30 bytes, got " + mm3MaxPartSize);
        mm3MaxContentSize = mm3MaxContentSize == null ? 1_048_576L : mm3MaxContentSize;
        if (mm3MaxContentSize < mm3MaxPartSize || mm3MaxContentSize > 1L << 30) {
            throw new ConfigException("mm3MaxContentSize", "must be between mm3MaxPartSize (" + mm3MaxPartSize + ") and 2^30 bytes, got " + mm3MaxContentSize);
        }
        mm3AllowedTypes = mm3AllowedTypes == null ? DEFAULT_MM3_ALLOWED_TYPES : mm3AllowedTypes.stream().map(t -> t.strip().toLowerCase(Locale.ROOT)).toList();
        for (int i = 0; i < mm3AllowedTypes.size(); i++) {
            if (!mm3AllowedTypes.get(i).matches("[a-z0-9!#$&^_.+-]+/([a-z0-9!#$&^_.+-]+|\\*)")) {
                throw new ConfigException("mm3AllowedTypes[" + i + "]", "must be type/subtype or type/*, got " + mm3AllowedTypes.get(i));
            }
        }
        mm3ReturnPathDomain = mm3ReturnPathDomain == null ? null : mm3ReturnPathDomain.strip().toLowerCase(Locale.ROOT);
        if (mm3ReturnPathDomain != null && !mm3ReturnPathDomain.matches("[a-z0-9.-]+")) {
            throw new ConfigException("mm3ReturnPathDomain", "must be a domain name, got " + mm3ReturnPathDomain);
        }
        if ((tlsCertificate == null) != (tlsKey == null)) {
            throw new ConfigException(tlsCertificate == null ? "tlsCertificate" : "tlsKey", "tlsCertificate and tlsKey go together");
        }
        if (tlsCertificate != null && !java.nio.file.Files.isReadable(java.nio.file.Path.of(tlsCertificate))) {
            throw new ConfigException("tlsCertificate", "cannot read " + tlsCertificate);
        }
        if (tlsKey != null && !java.nio.file.Files.isReadable(java.nio.file.Path.of(tlsKey))) {
            throw new ConfigException("tlsKey", "cannot read " + tlsKey);
        }
        outbound = outbound == null ? Outbound.defaults() : outbound;
        hub = hub != null && hub;
        hubMaxHops = range("hubMaxHops", hubMaxHops, 10, 1, 1000);
        for (int i = 0; i < peers.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (peers.get(i).domain().equals(peers.get(j).domain())) {
                    throw new ConfigException("peers[" + i + "].domain", "peer " + peers.get(i).domain() + " is configured twice");
                }
            }
        }
    }

    /** The keys before outbound pooling/DNS and hub mode existed; those take their defaults. */
    public SmtpConfig(String bindAddress, Integer port, String hostname, String domain, List<String> mm3Domains,
                      Long maxMessageSize, Integer maxLineLength, Integer maxRecipients, Duration idleTimeout,
                      Integer maxConnectionsPerPeer, Integer maxConnections, Integer maxReceivedHeaders,
                      Duration connectTimeout, Duration responseTimeout, List<Peer> peers, String mm3Smarthost, Boolean mm3KeepSmil,
                      String tlsCertificate, String tlsKey, Integer mm3MaxPerSenderPerHour, Integer mm3MaxPerDomainPerHour,
                      String mm3Footer, Long mm3MaxPartSize, Long mm3MaxContentSize, List<String> mm3AllowedTypes, String mm3ReturnPathDomain) {
        this(bindAddress, port, hostname, domain, mm3Domains, maxMessageSize, maxLineLength, maxRecipients, idleTimeout,
                maxConnectionsPerPeer, maxConnections, maxReceivedHeaders, connectTimeout, responseTimeout, peers, mm3Smarthost,
                mm3KeepSmil, tlsCertificate, tlsKey, mm3MaxPerSenderPerHour, mm3MaxPerDomainPerHour, mm3Footer, mm3MaxPartSize,
                mm3MaxContentSize, mm3AllowedTypes, mm3ReturnPathDomain, null, null, null);
    }

    /** The keys before MM3 footer, part limits, return path, outbound pooling/DNS and hub mode existed; those take their defaults. */
    public SmtpConfig(String bindAddress, Integer port, String hostname, String domain, List<String> mm3Domains,
                      Long maxMessageSize, Integer maxLineLength, Integer maxRecipients, Duration idleTimeout,
                      Integer maxConnectionsPerPeer, Integer maxConnections, Integer maxReceivedHeaders,
                      Duration connectTimeout, Duration responseTimeout, List<Peer> peers, String mm3Smarthost, Boolean mm3KeepSmil,
                      String tlsCertificate, String tlsKey, Integer mm3MaxPerSenderPerHour, Integer mm3MaxPerDomainPerHour) {
        this(bindAddress, port, hostname, domain, mm3Domains, maxMessageSize, maxLineLength, maxRecipients, idleTimeout,
                maxConnectionsPerPeer, maxConnections, maxReceivedHeaders, connectTimeout, responseTimeout, peers, mm3Smarthost,
                mm3KeepSmil, tlsCertificate, tlsKey, mm3MaxPerSenderPerHour, mm3MaxPerDomainPerHour, null, null, null, null, null,
                null, null, null);
    }

    public static SmtpConfig defaults() {
        return new SmtpConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null);
    }

    /** Where bounces of MM3 out come back: mm3ReturnPathDomain, else the first MM3 domain, else the MM4 domain. */
    public String returnPathDomain() {
        if (mm3ReturnPathDomain != null) return mm3ReturnPathDomain;
        return mm3Domains.isEmpty() ? domain : mm3Domains.getFirst();
    }

    /** This configuration with {@code fallback} as the MM4 domain if none was set. */
    public SmtpConfig withDefaultDomain(String fallback) {
        if (domain != null) return this;
        return new SmtpConfig(bindAddress, port, hostname, fallback, mm3Domains, maxMessageSize, maxLineLength, maxRecipients,
                idleTimeout, maxConnectionsPerPeer, maxConnections, maxReceivedHeaders, connectTimeout, responseTimeout, peers, mm3Smarthost,
                mm3KeepSmil, tlsCertificate, tlsKey, mm3MaxPerSenderPerHour, mm3MaxPerDomainPerHour,
                mm3Footer, mm3MaxPartSize, mm3MaxContentSize, mm3AllowedTypes, mm3ReturnPathDomain,
                outbound, hub, hubMaxHops);
    }

    /** The same configuration listening on another port (tests, and "port: 0"). */
    public SmtpConfig withPort(int newPort) {
        return new SmtpConfig(bindAddress, newPort, hostname, domain, mm3Domains, maxMessageSize, maxLineLength, maxRecipients,
                idleTimeout, maxConnectionsPerPeer, maxConnections, maxReceivedHeaders, connectTimeout, responseTimeout, peers, mm3Smarthost,
                mm3KeepSmil, tlsCertificate, tlsKey, mm3MaxPerSenderPerHour, mm3MaxPerDomainPerHour,
                mm3Footer, mm3MaxPartSize, mm3MaxContentSize, mm3AllowedTypes, mm3ReturnPathDomain,
                outbound, hub, hubMaxHops);
    }

    public SmtpLimits limits() {
        return new SmtpLimits(maxMessageSize, maxLineLength, maxRecipients, idleTimeout, maxConnectionsPerPeer, maxConnections);
    }

}
