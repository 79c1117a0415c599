package org.openmmsc.mm4.service;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.openmmsc.core.config.CidrBlock;
import org.openmmsc.core.config.ConfigException;
import org.openmmsc.mm3.SmtpConfig;
import org.openmmsc.mm3.smtp.ClientInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured peer MMSCs: who a connecting client is (inbound), and where and how to reach a
 * peer (outbound: its TLS client context, built once so its sessions share one pool).
 *
 * <p>A peer is recognised by source address, by TLS client certificate, or by both: a peer with
 * {@code allowedSources} must connect from one of them, a peer with certificate names or
 * fingerprints must present a matching certificate, and a peer with both must do both. A peer
 * with neither can never send to us.
 */
final class Mm4Peers {
    private static final Logger log = LoggerFactory.getLogger(Mm4Peers.class);

    private record Entry(SmtpConfig.Peer peer, List<CidrBlock> sources, SslContext clientContext, X509TrustManager trust) {}

    private final List<Entry> entries;

    Mm4Peers(List<SmtpConfig.Peer> peers) {
        this.entries = java.util.stream.IntStream.range(0, peers.size()).mapToObj(i -> entry(i, peers.get(i))).toList();
    }

    private static Entry entry(int index, SmtpConfig.Peer p) {
        String at = "smtp.peers[" + index + "].";
        X509TrustManager trust = null;
        if (p.tlsTrust() != null || !p.certificateNames().isEmpty()) {
            try {
                trust = trustManager(p.tlsTrust());
            } catch (GeneralSecurityException | java.io.IOException e) {
                throw new ConfigException(at + "tlsTrust", "cannot read the certificates in " + p.tlsTrust() + ": " + e.getMessage());
            }
        }
        SslContext context = null;
        if (p.tls() != SmtpConfig.TlsPolicy.OFF) {
            try {
                SslContextBuilder b = SslContextBuilder.forClient();
                if (p.tls() == SmtpConfig.TlsPolicy.OPPORTUNISTIC) {
                    // Opportunistic TLS authenticates nobody (clear is the fallback anyway); it still shows our certificate.
                    b.trustManager(InsecureTrustManagerFactory.INSTANCE);
                } else if (p.tlsTrust() != null) {
                    b.trustManager(new File(p.tlsTrust()));
                }
                if (p.tlsClientCertificate() != null) b.keyManager(new File(p.tlsClientCertificate()), new File(p.tlsClientKey()));
                context = b.build();
            } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
                throw new ConfigException(at + (p.tlsClientCertificate() != null ? "tlsClientCertificate" : "tlsTrust"),
                        "cannot build the TLS client context: " + e.getMessage());
            }
        }
        return new Entry(p, p.sourceBlocks(), context, trust);
    }

    /** A PKIX trust manager over the PEM certificates in {@code file}, or the JDK's CAs when null. */
    private static X509TrustManager trustManager(String file) throws GeneralSecurityException, java.io.IOException {
        KeyStore store = null;
        if (file != null) {
            store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            try (InputStream in = Files.newInputStream(Path.of(file))) {
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) store.setCertificateEntry("trusted-" + i++, c);
                if (i == 0) throw new GeneralSecurityException("no certificate in the file");
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        for (TrustManager tm : tmf.getTrustManagers()) if (tm instanceof X509TrustManager x) return x;
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /** Whether any peer is recognised by its certificate (then the listener asks clients for one). */
    boolean anyByCertificate() {
        return entries.stream().anyMatch(e -> e.peer().identifiedByCertificate());
    }

    /** The peer this client is, by address and/or certificate as that peer is configured. */
    Optional<SmtpConfig.Peer> identify(ClientInfo client) {
        for (Entry e : entries) {
            SmtpConfig.Peer p = e.peer();
            boolean byAddress = !e.sources().isEmpty();
            boolean byCertificate = p.identifiedByCertificate();
            if (!byAddress && !byCertificate) continue;
            if (byAddress && e.sources().stream().noneMatch(b -> b.contains(client.address().getAddress()))) continue;
            if (byCertificate && !certificateMatches(e, client.certificates())) continue;
            return Optional.of(p);
        }
        return Optional.empty();
    }

    private static boolean certificateMatches(Entry e, List<X509Certificate> chain) {
        if (chain.isEmpty()) return false;
        X509Certificate leaf = chain.getFirst();
        try {
            leaf.checkValidity();
        } catch (GeneralSecurityException expired) {
            log.warn("MM4 peer {}: client certificate {} is not valid now: {}", e.peer().domain(), leaf.getSubjectX500Principal(), expired.getMessage());
            return false;
        }
        // A pinned fingerprint needs no chain: the TLS handshake proved the client holds this certificate's key.
        if (e.peer().certificateFingerprints().contains(fingerprint(leaf))) return true;
        if (e.peer().certificateNames().isEmpty() || e.trust() == null) return false;
        try {
            e.trust().checkClientTrusted(chain.toArray(X509Certificate[]::new), leaf.getPublicKey().getAlgorithm());
        } catch (GeneralSecurityException untrusted) {
            log.debug("MM4 peer {}: client certificate {} not trusted: {}", e.peer().domain(), leaf.getSubjectX500Principal(), untrusted.getMessage());
            return false;
        }
        for (String name : names(leaf)) if (e.peer().certificateNames().contains(name)) return true;
        return false;
    }

    /** The certificate's DNS names (SAN dNSName), or its subject CN when it has none (RFC 6125 §6.4.4). */
    static List<String> names(X509Certificate c) {
        try {
            var sans = c.getSubjectAlternativeNames();
            if (sans != null) {
                List<String> dns = sans.stream().filter(s -> Integer.valueOf(2).equals(s.get(0)))
                        .map(s -> s.get(1).toString().toLowerCase(Locale.ROOT)).toList();
                if (!dns.isEmpty()) return dns;
            }
            for (Rdn rdn : new LdapName(c.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) return List.of(rdn.getValue().toString().toLowerCase(Locale.ROOT));
            }
        } catch (CertificateParsingException | InvalidNameException ignored) {
            // An unreadable name matches nothing.
        }
        return List.of();
    }

    static String fingerprint(X509Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    Optional<SmtpConfig.Peer> byDomain(String domain) {
        for (Entry e : entries) if (e.peer().domain().equalsIgnoreCase(domain)) return Optional.of(e.peer());
        return Optional.empty();
    }

    /** The TLS client context toward this peer (its trust, our certificate), or null when TLS is off. */
    SslContext clientContext(SmtpConfig.Peer peer) {
        for (Entry e : entries) if (e.peer() == peer) return e.clientContext();
        return null;
    }
}
