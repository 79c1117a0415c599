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
        mm7 = Mm7Interface.start(new Mm7Config(null, 0, null, 2, 16, List.of(VaspAccount.of("news", "s3cret", List.of("2020"))), tls),
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
}
