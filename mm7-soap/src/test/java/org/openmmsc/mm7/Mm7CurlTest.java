package org.openmmsc.mm7;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openmmsc.core.config.RelayConfig;
import org.openmmsc.core.config.RoutingConfig;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.NumberNormalizer;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.core.relay.StaticRouteResolver;
import org.openmmsc.core.testing.InMemoryMessageStore;
import org.openmmsc.mm7.codec.Elements;
import org.openmmsc.mm7.codec.Mm7Envelope;
import org.openmmsc.mm7.codec.Mm7Namespace;
import org.openmmsc.mm7.codec.Mm7SoapCodec;

/**
 * The real curl binary posts the raw bodies under src/test/resources/mm7/curl (every schema
 * release REL-5-MM7-1-0 … REL-6-MM7-1-4, default namespace and mm7: prefix, text/xml alone and
 * multipart/related with content) to a plain HTTP listener and to an HTTPS listener that requires a
 * client certificate; each answer must be a SubmitRsp in the request's namespace, with its
 * MM7Version and TransactionID, status 1000, and the message stored with its parts.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Mm7CurlTest {
    private static final String PASSWORD = "changeit";
    private static final Path BODIES = Path.of("src/test/resources/mm7/curl");
    @TempDir static Path dir;
    private final InMemoryMessageStore store = new InMemoryMessageStore(Clock.systemUTC());
    private final Relay relay = new Relay(store, new StaticRouteResolver(new RoutingConfig(List.of("+4790"), List.of(), Map.of(), true)),
            RelayConfig.defaults(), Clock.systemUTC(), e -> {}, List.of(), new SimpleMeterRegistry());
    private Mm7Interface http;
    private Mm7Interface https;

    static Stream<Path> bodies() throws IOException {
        try (Stream<Path> files = Files.list(BODIES)) {
            List<Path> list = files.filter(f -> f.toString().endsWith(".xml") || f.toString().endsWith(".mime")).sorted().toList();
            assertEquals(44, list.size(), "11 releases × prefix/default × plain/attachment");
            return list.stream();
        }
    }

    private void tool(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + out);
    }

    private void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        tool(cmd);
    }

    @BeforeAll
    void start() throws Exception {
        try {
            new ProcessBuilder("curl", "--version").start().waitFor();
        } catch (IOException e) {
            // bin/test installs curl and sets openmmsc.requireNeighbours: there a missing curl is a failure, elsewhere a skip.
            if (Boolean.getBoolean("openmmsc.requireNeighbours")) throw new AssertionError("curl is required: " + e.getMessage());
            assumeTrue(false, "curl not installed");
        }
        // Server key and the VASP's client key (PKCS12, which curl reads with --cert-type P12), each trusting the other.
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", "server.p12", "-storepass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", "server.p12", "-storepass", PASSWORD, "-file", "server.pem");
        keytool("-genkeypair", "-alias", "vasp", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=news", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", "vasp.p12", "-storepass", PASSWORD);
        keytool("-exportcert", "-alias", "vasp", "-keystore", "vasp.p12", "-storepass", PASSWORD, "-file", "vasp.crt");
        keytool("-importcert", "-noprompt", "-alias", "vasp", "-file", "vasp.crt", "-storetype", "PKCS12", "-keystore", "trust.p12", "-storepass", PASSWORD);
        List<VaspAccount> vasps = List.of(VaspAccount.of("news", "s3cret", List.of("2020")));
        NumberNormalizer numbers = new NumberNormalizer("47", "", "00", 6);
        http = Mm7Interface.start(new Mm7Config(null, 0, null, 2, 64, vasps, null), relay, numbers, store::message, new SimpleMeterRegistry(), "node");
        https = Mm7Interface.start(new Mm7Config(null, 0, null, 2, 64, vasps,
                        new Mm7Tls(dir.resolve("server.p12"), PASSWORD, dir.resolve("trust.p12"), PASSWORD, Mm7Tls.ClientCertificates.REQUIRE)),
                relay, numbers, store::message, new SimpleMeterRegistry(), "node");
    }

    @AfterAll
    void stop() {
        if (http != null) http.close();
        if (https != null) https.close();
    }

    private static String contentType(Path body) {
        return body.toString().endsWith(".mime")
                ? "Content-Type: multipart/related; boundary=\"=_mm7-outer-7f3a\"; type=\"text/xml\"; start=\"<envelope@vasp>\""
                : "Content-Type: text/xml; charset=utf-8";
    }

    private void send(Path body, List<String> transport, String url) throws Exception {
        String name = body.getFileName().toString();
        String tid = name.substring(0, name.lastIndexOf('.'));
        String release = tid.substring(0, "REL-n-MM7-x-y".length());
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "-o", "-", "-w", "\n%{http_code}", "-u", "news:s3cret",
                "-H", contentType(body), "-H", "SOAPAction: \"\"", "--data-binary", "@" + body.toAbsolutePath()));
        cmd.addAll(transport);
        cmd.add(url);
        Process curl = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] raw = curl.getInputStream().readAllBytes();
        assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
        String out = new String(raw, StandardCharsets.UTF_8);
        assertEquals(0, curl.exitValue(), out);
        int split = out.lastIndexOf('\n');
        assertEquals("200", out.substring(split + 1), out);
        Mm7Envelope env = new Mm7SoapCodec().decode(out.substring(0, split).getBytes(StandardCharsets.UTF_8), "text/xml");
        assertEquals("SubmitRsp", env.operation(), out);
        assertEquals(Mm7Namespace.of(release), env.namespace());
        assertEquals(tid, env.transactionId());
        String version = Files.readString(body).replaceAll("(?s).*<(?:mm7:)?MM7Version>([^<]+)<.*", "$1");
        assertEquals(version, env.version());
        assertEquals("1000", Elements.text(Elements.child(env.body(), "Status"), "StatusCode"), out);
        Message stored = store.message(MessageId.parse(Elements.text(env.body(), "MessageID"))).orElseThrow();
        assertEquals(2, stored.recipients().size());
        if (name.endsWith(".mime")) {
            assertEquals(3, stored.parts().size(), "SMIL, text and the GIF");
            assertEquals("GIF89a", new String(stored.parts().get(2).content(), 0, 6, StandardCharsets.US_ASCII), "base64 decoded");
        } else {
            assertTrue(stored.parts().isEmpty());
        }
    }

    @ParameterizedTest(name = "http {0}")
    @MethodSource("bodies")
    void overHttp(Path body) throws Exception {
        send(body, List.of(), "http://127.0.0.1:" + http.port() + "/mm7");
    }

    @ParameterizedTest(name = "https+client-cert {0}")
    @MethodSource("bodies")
    void overHttpsWithAClientCertificate(Path body) throws Exception {
        send(body, List.of("--cacert", dir.resolve("server.pem").toString(), "--cert-type", "P12", "--cert", dir.resolve("vasp.p12") + ":" + PASSWORD),
                "https://127.0.0.1:" + https.port() + "/mm7");
    }
}
