package org.openmmsc.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openmmsc.mm3.SmtpConfig;

/** The smtp section (MM3/MM4 over SMTP): defaults, every key, and errors with their key path. */
class SmtpConfigLoadingTest {
    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void defaultsListenOnLoopback2525WithNoPeers() throws Exception {
        SmtpConfig smtp = loader.parse("node: {id: n1}\n", "mmsc.yaml").smtp();
        assertEquals("127.0.0.1", smtp.bindAddress());
        assertEquals(2525, smtp.port());
        assertEquals("mms.lab.local", smtp.domain(), "node.mmsDomain by default");
        assertEquals(10L * 1024 * 1024, smtp.maxMessageSize());
        assertEquals(1000, smtp.maxLineLength());
        assertEquals(List.of(), smtp.peers());
        assertEquals(null, smtp.mm3Footer());
        assertEquals(614_400L, smtp.mm3MaxPartSize());
        assertEquals(1_048_576L, smtp.mm3MaxContentSize());
        assertEquals(SmtpConfig.DEFAULT_MM3_ALLOWED_TYPES, smtp.mm3AllowedTypes());
        assertEquals("mms.lab.local", smtp.returnPathDomain(), "with no MM3 domain, bounces come back to the MM4 domain");
    }

    @Test
    void mm3KeysAreRead() throws Exception {
        SmtpConfig smtp = loader.parse("""
                smtp:
                  mm3Domains: [mms.example.com]
                  mm3Footer: "Sent by MMS from Example Mobile"
                  mm3MaxPartSize: 100000
                  mm3MaxContentSize: 300000
                  mm3AllowedTypes: [text/plain, "image/*"]
                """, "mmsc.yaml").smtp();
        assertEquals("Sent by MMS from Example Mobile", smtp.mm3Footer());
        assertEquals(100_000L, smtp.mm3MaxPartSize());
        assertEquals(300_000L, smtp.mm3MaxContentSize());
        assertEquals(List.of("text/plain", "image/*"), smtp.mm3AllowedTypes());
        assertEquals("mms.example.com", smtp.returnPathDomain(), "the first MM3 domain: publicly reachable");
        assertEquals("bounces.example.com", loader.parse("smtp: {mm3Domains: [mms.example.com], mm3ReturnPathDomain: Bounces.example.com}\n",
                "mmsc.yaml").smtp().returnPathDomain());
    }

    @Test
    void badMm3ValuesNameTheirKey() {
        for (String[] c : new String[][] {
                {"smtp: {mm3MaxPartSize: 10}\n", "smtp.mm3MaxPartSize"},
                {"smtp: {mm3MaxPartSize: 200000, mm3MaxContentSize: 100000}\n", "smtp.mm3MaxContentSize"},
                {"smtp: {mm3AllowedTypes: [image/*, \"not a type\"]}\n", "smtp.mm3AllowedTypes[1]"},
                {"smtp: {mm3Footer: \"  \"}\n", "smtp.mm3Footer"},
                {"smtp: {mm3ReturnPathDomain: \"a b\"}\n", "smtp.mm3ReturnPathDomain"}}) {
            var e = assertThrows(ConfigLoader.InvalidConfigException.class, () -> loader.parse(c[0], "mmsc.yaml"), c[0]);
            assertEquals(c[1], e.path(), c[0]);
        }
    }

    @Test
    void theMm4DomainIsTheNodesMmsDomainUnlessSet() throws Exception {
        assertEquals("mms.mnc001.mcc242.gprs", loader.parse("node: {mmsDomain: mms.mnc001.mcc242.gprs}\n", "mmsc.yaml").smtp().domain());
        assertEquals("mms.other.test", loader.parse("node: {mmsDomain: mms.mnc001.mcc242.gprs}\nsmtp: {domain: mms.other.test}\n", "mmsc.yaml")
                .smtp().domain());
    }

    @Test
    void everyKeyIsRead() throws Exception {
        SmtpConfig smtp = loader.parse("""
                smtp:
                  bindAddress: 0.0.0.0
                  port: 25
                  hostname: mmsc1.mnc001.mcc242.gprs
                  domain: MMS.mnc001.mcc242.gprs
                  mm3Domains: [mms.example.com]
                  maxMessageSize: 600000
                  maxLineLength: 2000
                  maxRecipients: 100
                  idleTimeout: 30s
                  maxConnectionsPerPeer: 8
                  maxConnections: 100
                  maxReceivedHeaders: 20
                  connectTimeout: 3s
                  responseTimeout: 1m
                  mm3Smarthost: mail.example.net:2526
                  mm3KeepSmil: true
                  mm3MaxPerSenderPerHour: 5
                  mm3MaxPerDomainPerHour: 50
                  peers:
                    - domain: mms.mnc008.mcc240.gprs
                      host: mmsc.mnc008.mcc240.gprs
                      port: 2526
                      allowedSources: [10.20.0.0/24, "2001:db8::/32"]
                """, "mmsc.yaml").smtp();
        assertEquals(25, smtp.port());
        assertEquals("mms.mnc001.mcc242.gprs", smtp.domain(), "domains are compared lower-cased");
        assertEquals(List.of("mms.example.com"), smtp.mm3Domains());
        assertEquals(600000L, smtp.maxMessageSize());
        assertEquals(2000, smtp.maxLineLength());
        assertEquals(100, smtp.maxRecipients());
        assertEquals(Duration.ofSeconds(30), smtp.idleTimeout());
        assertEquals(8, smtp.maxConnectionsPerPeer());
        assertEquals(20, smtp.maxReceivedHeaders());
        assertEquals(Duration.ofMinutes(1), smtp.responseTimeout());
        assertEquals("mail.example.net:2526", smtp.mm3Smarthost());
        assertEquals(true, smtp.mm3KeepSmil());
        assertEquals(5, smtp.mm3MaxPerSenderPerHour());
        assertEquals(50, smtp.mm3MaxPerDomainPerHour());
        SmtpConfig.Peer peer = smtp.peers().getFirst();
        assertEquals("mmsc.mnc008.mcc240.gprs", peer.host());
        assertEquals(2526, peer.port());
        assertEquals(2, peer.sourceBlocks().size());
    }

    @Test
    void badValuesNameTheirKey() {
        var badCidr = assertThrows(ConfigLoader.InvalidConfigException.class, () -> loader.parse(
                "smtp:\n  peers:\n    - {domain: p.test, host: h.test, allowedSources: [10.0.0.0/33]}\n", "mmsc.yaml"));
        assertEquals("smtp.peers[0].allowedSources[0]", badCidr.path());
        // A peer without host is found by MX look-up; a host that is no host name is an error.
        var noHost = assertThrows(ConfigLoader.InvalidConfigException.class, () -> loader.parse(
                "smtp:\n  peers:\n    - {domain: p.test, host: \"a b\"}\n", "mmsc.yaml"));
        assertEquals("smtp.peers[0].host", noHost.path());
        var tiny = assertThrows(ConfigLoader.InvalidConfigException.class, () -> loader.parse("smtp:\n  maxMessageSize: 10\n", "mmsc.yaml"));
        assertEquals("smtp.maxMessageSize", tiny.path());
        var halfTls = assertThrows(ConfigLoader.InvalidConfigException.class, () -> loader.parse("smtp:\n  tlsKey: /etc/hostname\n", "mmsc.yaml"));
        assertEquals("smtp.tlsCertificate", halfTls.path());
        var missingCert = assertThrows(ConfigLoader.InvalidConfigException.class, () -> loader.parse(
                "smtp:\n  tlsCertificate: /no/such/cert.pem\n  tlsKey: /no/such/key.pem\n", "mmsc.yaml"));
        assertEquals("smtp.tlsCertificate", missingCert.path());
        var badSmarthost = assertThrows(ConfigLoader.InvalidConfigException.class, () -> loader.parse("smtp:\n  mm3Smarthost: \"a b\"\n", "mmsc.yaml"));
        assertEquals("smtp.mm3Smarthost", badSmarthost.path());
        var twice = assertThrows(ConfigLoader.InvalidConfigException.class, () -> loader.parse(
                "smtp:\n  peers:\n    - {domain: p.test, host: h}\n    - {domain: P.test, host: h2}\n", "mmsc.yaml"));
        assertEquals("smtp.peers[1].domain", twice.path());
    }

    @Test
    void peeringTlsOutboundAndHubKeysAreReadWithTheirDefaults() throws Exception {
        SmtpConfig defaults = loader.parse("smtp:\n  peers:\n    - {domain: p.test, allowedSources: [10.0.0.0/8]}\n", "mmsc.yaml").smtp();
        SmtpConfig.Peer p = defaults.peers().getFirst();
        assertEquals(null, p.host(), "no host: MX look-up");
        assertEquals(SmtpConfig.TlsPolicy.OPPORTUNISTIC, p.tls());
        assertEquals(List.of(), p.certificateNames());
        assertEquals(32, defaults.outbound().maxConnectionsPerDestination());
        assertEquals(100, defaults.outbound().maxMessagesPerConnection());
        assertEquals(Duration.ofSeconds(30), defaults.outbound().idleTimeout());
        assertEquals(null, defaults.outbound().dnsServer());
        assertEquals(Duration.ofSeconds(5), defaults.outbound().dnsTimeout());
        assertEquals(false, defaults.hub());
        assertEquals(10, defaults.hubMaxHops());

        SmtpConfig smtp = loader.parse("""
                smtp:
                  hub: true
                  hubMaxHops: 4
                  outbound: {maxConnectionsPerDestination: 2, maxMessagesPerConnection: 50, idleTimeout: 10s, dnsServer: "10.0.0.53:5353", dnsTimeout: 2s}
                  peers:
                    - domain: p.test
                      tls: REQUIRED
                      tlsTrust: /etc/hostname
                      tlsName: mmsc.p.test
                      tlsClientCertificate: /etc/hostname
                      tlsClientKey: /etc/hostname
                      certificateNames: [MMSC.p.test]
                      certificateFingerprints: ["sha256:AB:%s"]
                """.formatted("CD".repeat(31)), "mmsc.yaml").smtp();
        assertEquals(true, smtp.hub());
        assertEquals(4, smtp.hubMaxHops());
        assertEquals(2, smtp.outbound().maxConnectionsPerDestination());
        assertEquals(50, smtp.outbound().maxMessagesPerConnection());
        assertEquals("10.0.0.53:5353", smtp.outbound().dnsServer());
        SmtpConfig.Peer peer = smtp.peers().getFirst();
        assertEquals(SmtpConfig.TlsPolicy.REQUIRED, peer.tls());
        assertEquals("mmsc.p.test", peer.tlsName());
        assertEquals(List.of("mmsc.p.test"), peer.certificateNames());
        assertEquals(List.of("ab" + "cd".repeat(31)), peer.certificateFingerprints(), "fingerprints are compared as bare lower-case hex");
        assertEquals(SmtpConfig.TlsPolicy.OFF, loader.parse("smtp:\n  peers:\n    - {domain: p.test, host: h, tls: off}\n", "mmsc.yaml")
                .smtp().peers().getFirst().tls());
    }

    @Test
    void badPeeringValuesNameTheirKey() {
        String[][] cases = {
                {"smtp:\n  peers:\n    - {domain: p.test, tls: sometimes}\n", "smtp.peers[0].tls"},
                {"smtp:\n  peers:\n    - {domain: p.test, certificateFingerprints: [abc]}\n", "smtp.peers[0].certificateFingerprints[0]"},
                {"smtp:\n  peers:\n    - {domain: p.test, tlsClientCertificate: /etc/hostname}\n", "smtp.peers[0].tlsClientKey"},
                {"smtp:\n  peers:\n    - {domain: p.test, tlsTrust: /no/such.pem}\n", "smtp.peers[0].tlsTrust"},
                {"smtp:\n  outbound: {dnsServer: dns.example.net}\n", "smtp.outbound.dnsServer"},
                {"smtp:\n  outbound: {maxConnectionsPerDestination: 0}\n", "smtp.outbound.maxConnectionsPerDestination"},
                {"smtp:\n  hubMaxHops: 0\n", "smtp.hubMaxHops"},
        };
        for (String[] c : cases) {
            var e = assertThrows(ConfigLoader.InvalidConfigException.class, () -> loader.parse(c[0], "mmsc.yaml"), c[0]);
            assertEquals(c[1], e.path(), c[0] + " → " + e.getMessage());
        }
    }
}
