package org.openmmsc.mm7;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmmsc.core.config.RelayConfig;
import org.openmmsc.core.config.RoutingConfig;
import org.openmmsc.core.model.NumberNormalizer;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.core.relay.StaticRouteResolver;
import org.openmmsc.core.testing.InMemoryMessageStore;
import org.openmmsc.mm7.codec.Elements;
import org.openmmsc.mm7.codec.Mm7Envelope;
import org.openmmsc.mm7.codec.Mm7Namespace;
import org.openmmsc.mm7.codec.Mm7SoapCodec;

/** Real clients on the wire: curl with a raw body from disk over HTTP, and HTTPS with a client certificate (keys made by keytool). */
@Tag("integration")
class Mm7TransportTest {
    private static final String PASSWORD = "changeit";
    @TempDir Path dir;
    private final InMemoryMessageStore store = new InMemoryMessageStore(Clock.systemUTC());
    private final Relay relay = new Relay(store, new StaticRouteResolver(new RoutingConfig(List.of("+4790"), List.of(), Map.of(), true)),
            RelayConfig.defaults(), Clock.systemUTC(), e -> {}, List.of(), new SimpleMeterRegistry());
    private Mm7Interface mm7;

    @AfterEach
    void stop() {
        if (mm7 != null) mm7.close();
    }

    private int start(Mm7Tls tls) throws Exception {
        return start(tls, VaspAccount.of("news", "s3cret", List.of("2020")));
    }

    private int start(Mm7Tls tls, VaspAccount... vasps) throws Exception {
        mm7 = Mm7Interface.start(new Mm7Config(null, 0, null, 2, 16, List.of(vasps), tls),
                relay, new NumberNormalizer("47", "", "00", 6), store::message, new SimpleMeterRegistry(), "test-node");
        return mm7.port();
    }

    private static String submit(String release, String tid) {
        return Mm7ServerTest.submit(Mm7Namespace.of(release), release.startsWith("REL-5") ? "5.3.0" : "6.8.0", tid, false,
                "<To><Number>90000001</Number></To>", "");
    }

    @Test
    void curlPostsARawBodyFromDisk() throws Exception {
        int port = start(null);
        Path body = dir.resolve("submit.xml");
        Files.writeString(body, submit("REL-5-MM7-1-2", "curl-1"));
        Process curl;
        try {
            curl = new ProcessBuilder("curl", "-s", "-u", "news:s3cret", "-H", "Content-Type: text/xml; charset=utf-8", "-H", "SOAPAction: \"\"",
                    "--data-binary", "@" + body, "http://127.0.0.1:" + port + "/mm7").redirectErrorStream(true).start();
        } catch (IOException e) {
            // bin/test installs curl and sets openmmsc.requireNeighbours: there a missing curl is a failure, elsewhere a skip.
            if (Boolean.getBoolean("openmmsc.requireNeighbours")) throw new AssertionError("curl is required: " + e.getMessage());
            assumeTrue(false, "curl not installed");
            return;
        }
        assertTrue(curl.waitFor(20, TimeUnit.SECONDS));
        byte[] out = curl.getInputStream().readAllBytes();
        Mm7Envelope env = new Mm7SoapCodec().decode(out, "text/xml");
        assertEquals("SubmitRsp", env.operation(), new String(out, StandardCharsets.UTF_8));
        assertEquals(Mm7Namespace.PREFIX + "REL-5-MM7-1-2", env.namespace());
        assertEquals("1000", Elements.text(Elements.child(env.body(), "Status"), "StatusCode"));
    }

    private void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool " + String.join(" ", args) + ": " + out);
    }

    /** A key pair in {@code name}.p12 and its certificate imported into {@code trustFor}-trust.p12. */
    private void keyPair(String name, String cn, String trustFor) throws Exception {
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + cn, "-ext", "SAN=ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", name + ".p12", "-storepass", PASSWORD);
        keytool("-exportcert", "-alias", name, "-keystore", name + ".p12", "-storepass", PASSWORD, "-file", name + ".crt");
        keytool("-importcert", "-noprompt", "-alias", name, "-file", name + ".crt", "-storetype", "PKCS12", "-keystore", trustFor + "-trust.p12",
                "-storepass", PASSWORD);
    }

    private HttpClient https(boolean withClientCertificate) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(KeyStore.getInstance(dir.resolve("client-trust.p12").toFile(), PASSWORD.toCharArray()));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(KeyStore.getInstance(dir.resolve("vasp.p12").toFile(), PASSWORD.toCharArray()), PASSWORD.toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(withClientCertificate ? kmf.getKeyManagers() : null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).build();
    }

    private static HttpRequest post(String url, String xml) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "text/xml")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("news:s3cret".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(xml)).build();
    }

    @Test
    void httpsWithAClientCertificateIsServedAndWithoutOneRefused() throws Exception {
        keyPair("server", "localhost", "client");
        keyPair("vasp", "news", "server");
        int port = start(new Mm7Tls(dir.resolve("server.p12"), PASSWORD, dir.resolve("server-trust.p12"), PASSWORD, Mm7Tls.ClientCertificates.REQUIRE));
        String url = "https://127.0.0.1:" + port + "/mm7";
        HttpResponse<byte[]> ok = https(true).send(post(url, submit("REL-6-MM7-1-4", "tls-1")), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, ok.statusCode());
        assertEquals("1000", Elements.text(Elements.child(new Mm7SoapCodec().decode(ok.body(), "text/xml").body(), "Status"), "StatusCode"));
        assertEquals(1, store.messageCount());
        assertThrows(IOException.class, () -> https(false).send(post(url, submit("REL-6-MM7-1-4", "tls-2")), HttpResponse.BodyHandlers.ofByteArray()),
                "no client certificate, no service");
        assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(post("http://127.0.0.1:" + port + "/mm7", submit("REL-6-MM7-1-4", "tls-3")),
                HttpResponse.BodyHandlers.ofByteArray()), "plain HTTP on the TLS port");
        assertEquals(1, store.messageCount());
    }

    private HttpClient https(String keyStore) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(KeyStore.getInstance(dir.resolve("client-trust.p12").toFile(), PASSWORD.toCharArray()));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(KeyStore.getInstance(dir.resolve(keyStore).toFile(), PASSWORD.toCharArray()), PASSWORD.toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).build();
    }

    private static java.security.cert.X509Certificate certificate(Path crt) throws Exception {
        try (var in = Files.newInputStream(crt)) {
            return (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static VaspAccount boundNews(VaspTls tls) {
        return new VaspAccount("news", null, "s3cret", null, List.of("2020"), null, null, null, null, null, null, null, null, null, tls);
    }

    private static String statusOf(HttpResponse<byte[]> rsp) throws Exception {
        return Elements.text(Elements.child(new Mm7SoapCodec().decode(rsp.body(), "text/xml").body(), "Status"), "StatusCode");
    }

    @Test
    void aVaspBoundToACertificateMustPresentItAndTheCertificateAloneIdentifiesIt() throws Exception {
        keyPair("server", "localhost", "client");
        keyPair("vasp", "news", "server");
        keyPair("intruder", "intruder", "server");
        String fingerprint = VaspTls.sha256(certificate(dir.resolve("vasp.crt")));
        int port = start(new Mm7Tls(dir.resolve("server.p12"), PASSWORD, dir.resolve("server-trust.p12"), PASSWORD, Mm7Tls.ClientCertificates.OPTIONAL),
                boundNews(new VaspTls(null, null, null, fingerprint.toUpperCase(java.util.Locale.ROOT), "CN=news")),
                new VaspAccount("open", null, "pw", null, List.of("3030"), null, null, null, null, null, null, null, null, null));
        String url = "https://127.0.0.1:" + port + "/mm7";

        HttpResponse<byte[]> ok = https("vasp.p12").send(post(url, submit("REL-6-MM7-1-4", "bind-1")), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("1000", statusOf(ok), new String(ok.body(), StandardCharsets.UTF_8));

        HttpResponse<byte[]> wrongCert = https("intruder.p12").send(post(url, submit("REL-6-MM7-1-4", "bind-2")), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(401, wrongCert.statusCode());
        assertEquals("4001", statusOf(wrongCert));
        assertTrue(new String(wrongCert.body(), StandardCharsets.UTF_8).contains("not the one configured for VASP news"));

        HttpResponse<byte[]> noCert = https(false).send(post(url, submit("REL-6-MM7-1-4", "bind-3")), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("4001", statusOf(noCert), "right password, no certificate");

        HttpRequest certOnly = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(submit("REL-6-MM7-1-4", "bind-4"))).build();
        assertEquals("1000", statusOf(https("vasp.p12").send(certOnly, HttpResponse.BodyHandlers.ofByteArray())), "the certificate names the VASP");
        assertEquals("4001", statusOf(https("intruder.p12").send(certOnly, HttpResponse.BodyHandlers.ofByteArray())), "an unbound certificate names nobody");
        assertEquals(2, store.messageCount());
    }

    /** A VASP's HTTPS endpoint (the JDK's server) that demands a client certificate and answers DeliveryReportRsp. */
    private com.sun.net.httpserver.HttpsServer vaspEndpoint(java.util.List<String> seenClients) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(KeyStore.getInstance(dir.resolve("vaspsrv.p12").toFile(), PASSWORD.toCharArray()), PASSWORD.toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(KeyStore.getInstance(dir.resolve("vaspsrv-trust.p12").toFile(), PASSWORD.toCharArray()));
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        var server = com.sun.net.httpserver.HttpsServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(ssl) {
            @Override
            public void configure(com.sun.net.httpserver.HttpsParameters params) {
                params.setNeedClientAuth(true);
            }
        });
        Mm7SoapCodec codec = new Mm7SoapCodec();
        server.createContext("/mo", exchange -> {
            try {
                var peer = ((javax.net.ssl.SSLSession) ((com.sun.net.httpserver.HttpsExchange) exchange).getSSLSession()).getPeerPrincipal();
                seenClients.add(peer.getName());
            } catch (Exception e) {
                seenClients.add("none");
            }
            exchange.getRequestBody().readAllBytes();
            byte[] body = codec.encode(Mm7Namespace.of("REL-6-MM7-1-4"), "x", "DeliveryReportRsp",
                    List.of(Mm7SoapCodec.Field.text("MM7Version", "6.8.0"), Mm7SoapCodec.Field.status(1000, "Success")));
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    @Test
    void requestsToAVaspUseItsOwnTrustAndOurClientCertificate() throws Exception {
        keyPair("vaspsrv", "vasp.example", "mmsc");           // the VASP's server certificate, trusted via a PEM file only
        keyPair("mmsc", "mmsc.operator", "vaspsrv");          // our client certificate toward the VASP
        keytool("-exportcert", "-rfc", "-alias", "vaspsrv", "-keystore", "vaspsrv.p12", "-storepass", PASSWORD, "-file", "vasp-ca.pem");
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        var endpoint = vaspEndpoint(seen);
        try {
            URI url = URI.create("https://127.0.0.1:" + endpoint.getAddress().getPort() + "/mo");
            var report = new org.openmmsc.core.spi.Report(org.openmmsc.core.spi.Report.Kind.DELIVERY, submitted(), submitted().recipients().getFirst(),
                    org.openmmsc.core.spi.Report.Status.RETRIEVED, java.time.Instant.now(), "fetched");
            var client = new org.openmmsc.mm7.client.Mm7Client(HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(3)).build(),
                    java.time.Duration.ofSeconds(5));

            VaspAccount withTls = new VaspAccount("news", null, "s3cret", null, List.of("2020"), null, null, null, null, url, null, null, null, null,
                    new VaspTls(dir.resolve("vasp-ca.pem"), dir.resolve("mmsc.p12"), PASSWORD, null, null));
            new org.openmmsc.mm7.client.Mm7ReportSink(List.of(withTls), client, "node").send(report).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(List.of("CN=mmsc.operator"), seen, "the VASP saw our client certificate");

            VaspAccount defaultTrust = new VaspAccount("news", null, "s3cret", null, List.of("2020"), null, null, null, null, url, null, null, null, null);
            var refused = new org.openmmsc.mm7.client.Mm7ReportSink(List.of(defaultTrust), client, "node").send(report).toCompletableFuture();
            assertThrows(java.util.concurrent.ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS),
                    "the JVM's default trust store does not know the VASP's private CA");

            VaspAccount noClientCert = new VaspAccount("news", null, "s3cret", null, List.of("2020"), null, null, null, null, url, null, null, null, null,
                    new VaspTls(dir.resolve("vasp-ca.pem"), null, null, null, null));
            var noCert = new org.openmmsc.mm7.client.Mm7ReportSink(List.of(noClientCert), client, "node").send(report).toCompletableFuture();
            assertThrows(java.util.concurrent.ExecutionException.class, () -> noCert.get(10, TimeUnit.SECONDS),
                    "the VASP demands a client certificate");
            assertEquals(1, seen.size());
        } finally {
            endpoint.stop(0);
        }
    }

    private static org.openmmsc.core.model.Message submitted() {
        var text = org.openmmsc.core.model.ContentType.of("text/plain");
        return new org.openmmsc.core.model.Message(org.openmmsc.core.model.MessageId.parse("01KB0000000000000000000003"),
                org.openmmsc.core.model.Address.shortCode("2020"), List.of(org.openmmsc.core.model.Recipient.to(org.openmmsc.core.model.Address.plmn("+4790000001"))),
                null, null, null, java.time.Instant.now(), null, null, true, false, false, null, text,
                List.of(new org.openmmsc.core.model.MessagePart(text, List.of(), new byte[] {'h'})),
                new org.openmmsc.core.model.Origin(org.openmmsc.core.model.Interface.MM7, "news", "tx", "news", null, null, null, null, null));
    }
}
