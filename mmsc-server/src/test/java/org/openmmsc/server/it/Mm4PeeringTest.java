package org.openmmsc.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmmsc.mm1.Mm1Config;
import org.openmmsc.server.MmscServer;
import org.openmmsc.server.config.ConfigLoader;
import tools.jackson.databind.JsonNode;

/**
 * Two whole OpenMMSC nodes in one JVM — two configurations, two RocksDB stores, loopback ports —
 * as two carriers: A (+47, mms.a.test) and B (+4690, mms.b.test). A message injected at A for a
 * B number crosses MM4 and is stored at B; B down delays it; B refusing rejects it.
 */
@Tag("integration")
class Mm4PeeringTest {
    @TempDir Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<MmscServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.reversed().forEach(MmscServer::close);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private MmscServer start(String name, int smtpPort, List<String> localPrefixes, String peerPrefix, String domain, String peerDomain, int peerPort)
            throws Exception {
        return start(name, smtpPort, localPrefixes, peerPrefix, domain, peerDomain, peerPort, "", "allowedSources: [127.0.0.1/32]");
    }

    /** @param smtpExtra more lines of the smtp section (indented 2); @param peerKeys the peer's keys after domain, host and port */
    private MmscServer start(String name, int smtpPort, List<String> localPrefixes, String peerPrefix, String domain, String peerDomain, int peerPort,
                             String smtpExtra, String peerKeys) throws Exception {
        // Written as an operator would (YAML), so the test follows the configuration file, not constructor shapes.
        String yaml = """
                node: {id: %s}
                store: {directory: "%s"}
                admin: {port: 0}
                mm1: {port: 0}
                mm7: {port: 0}
                smtp:
                  port: %d
                  hostname: %s.test
                  domain: %s
                  connectTimeout: 1s
                  responseTimeout: 5s
                %s
                  peers:
                    - {domain: %s, host: 127.0.0.1, port: %d, %s}
                scheduler:
                  pollInterval: 50ms
                  attemptTimeout: 5s
                  routes:
                    PEER_MM4: {maxAttempts: 50, initialBackoff: 200ms, maxBackoff: 400ms, jitter: 0.0}
                routing:
                  localPrefixes: [%s]
                  peers:
                    - {prefix: "%s", domain: %s}
                """.formatted(name, dir.resolve(name).toString().replace("\\", "/"), smtpPort, name, domain, smtpExtra, peerDomain, peerPort, peerKeys,
                localPrefixes.stream().map(p -> '"' + p + '"').collect(java.util.stream.Collectors.joining(", ")), peerPrefix, peerDomain);
        MmscServer server = MmscServer.start(new ConfigLoader().parse(yaml, name + ".yaml"));
        servers.add(server);
        return server;
    }

    private MmscServer carrierA(int portA, int portB) throws Exception {
        return start("a", portA, List.of("+47"), "+46", "mms.a.test", "mms.b.test", portB);
    }

    private MmscServer carrierB(int portB, int portA) throws Exception {
        return start("b", portB, List.of("+4690"), "+47", "mms.b.test", "mms.a.test", portA);
    }

    private JsonNode call(MmscServer server, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + path)).timeout(Duration.ofSeconds(10));
        if (json != null) request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() < 300, path + " answered " + response.statusCode() + " " + response.body());
        return AdminClient.JSON.readTree(response.body());
    }

    private String inject(MmscServer a, String to) throws Exception {
        String json = """
                {"from":"+4790000001","to":["%s"],"subject":"over MM4","deliveryReport":true,
                 "parts":[{"contentType":"text/plain; charset=utf-8","content":"aGVp"}]}
                """.formatted(to);
        return call(a, "/api/messages", json).get("messageId").asString();
    }

    private JsonNode awaitDelivery(MmscServer server, String id, Predicate<JsonNode> condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            JsonNode delivery = call(server, "/api/messages/" + id, null).get("deliveries").get(0);
            if (condition.test(delivery)) return delivery;
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what + "; last: " + delivery);
            Thread.sleep(50);
        }
    }

    private static Predicate<JsonNode> state(String state) {
        return d -> d.get("state").asString().equals(state);
    }

    @Test
    void aMessageForBsSubscriberCrossesMm4AndIsStoredAtB() throws Exception {
        int portA = freePort();
        int portB = freePort();
        MmscServer b = carrierB(portB, portA);
        MmscServer a = carrierA(portA, portB);
        String id = inject(a, "+4690000002");
        JsonNode handedOff = awaitDelivery(a, id, state("HANDED_OFF"), "A handed the message to B");
        assertEquals("PEER_MM4", handedOff.get("route").asString());

        JsonNode atB = call(b, "/api/messages?limit=10", null).get("messageIds");
        assertEquals(1, atB.size());
        JsonNode trace = call(b, "/api/messages/" + atB.get(0).asString(), null);
        assertEquals("MM4", trace.get("origin").get("interface").asString());
        assertEquals("mms.a.test", trace.get("origin").get("authenticatedSender").asString());
        assertEquals("+4790000001", trace.get("from").asString());
        assertEquals("over MM4", trace.get("subject").asString());
        assertEquals("+4690000002", trace.get("deliveries").get(0).get("recipient").asString());
        assertEquals("LOCAL_MM1", trace.get("deliveries").get(0).get("route").asString());
    }

    @Test
    void whileBIsDownARetriesAndDeliversOnceBIsUp() throws Exception {
        int portA = freePort();
        int portB = freePort();
        MmscServer a = carrierA(portA, portB);
        String id = inject(a, "+4690000003");
        JsonNode waiting = awaitDelivery(a, id, d -> d.get("attempts").asInt() >= 2 && d.get("state").asString().equals("WAITING_FOR_RETRY"),
                "A tried twice and waits");
        assertTrue(waiting.get("lastError").asString().contains("unreachable"), waiting.toString());
        carrierB(portB, portA);
        awaitDelivery(a, id, state("HANDED_OFF"), "A handed the message to B once B was up");
    }

    @Test
    void whenBRefusesTheRecipientAsDeliveryIsRejected() throws Exception {
        int portA = freePort();
        int portB = freePort();
        MmscServer b = carrierB(portB, portA);
        MmscServer a = carrierA(portA, portB);
        String id = inject(a, "+4699999999"); // A routes +46 to B; B serves +4690 only
        JsonNode rejected = awaitDelivery(a, id, state("REJECTED"), "B refused and A gave up");
        assertTrue(rejected.get("lastError").asString().contains("550"), rejected.toString());
        assertEquals(0, call(b, "/api/messages?limit=10", null).get("messageIds").size(), "B stored nothing");
    }

    @Test
    void aPeeringOverRequiredTlsWithCertificatesConfiguredInYaml() throws Exception {
        org.openmmsc.mm3.testing.TestCerts.Pair certA = org.openmmsc.mm3.testing.TestCerts.selfSigned(dir, "a", "mmsc.a.test", "DNS:mmsc.a.test");
        org.openmmsc.mm3.testing.TestCerts.Pair certB = org.openmmsc.mm3.testing.TestCerts.selfSigned(dir, "b", "mmsc.b.test", "DNS:mmsc.b.test");
        int portA = freePort();
        int portB = freePort();
        // B knows A by its pinned certificate only; A sends to B with TLS required, checking B's certificate and name.
        MmscServer b = start("b", portB, List.of("+4690"), "+47", "mms.b.test", "mms.a.test", portA,
                "  tlsCertificate: \"%s\"\n  tlsKey: \"%s\"".formatted(certB.certificate(), certB.key()),
                "certificateFingerprints: [\"%s\"], tls: required, tlsTrust: \"%s\", tlsName: mmsc.a.test".formatted(certA.fingerprint(), certA.certificate()));
        MmscServer a = start("a", portA, List.of("+47"), "+46", "mms.a.test", "mms.b.test", portB,
                "  tlsCertificate: \"%s\"\n  tlsKey: \"%s\"".formatted(certA.certificate(), certA.key()),
                "allowedSources: [127.0.0.1/32], tls: required, tlsTrust: \"%s\", tlsName: mmsc.b.test, tlsClientCertificate: \"%s\", tlsClientKey: \"%s\""
                        .formatted(certB.certificate(), certA.certificate(), certA.key()));
        String id = inject(a, "+4690000002");
        awaitDelivery(a, id, state("HANDED_OFF"), "A handed the message to B over TLS");
        JsonNode atB = call(b, "/api/messages?limit=10", null).get("messageIds");
        assertEquals(1, atB.size());
        assertEquals("mms.a.test", call(b, "/api/messages/" + atB.get(0).asString(), null).get("origin").get("authenticatedSender").asString());
    }
}
