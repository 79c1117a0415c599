package org.openmmsc.mm7;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openmmsc.core.config.RelayConfig;
import org.openmmsc.core.config.RoutingConfig;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.NumberNormalizer;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.relay.RecipientEvent;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.core.relay.StaticRouteResolver;
import org.openmmsc.core.testing.InMemoryMessageStore;
import org.openmmsc.mm7.codec.Elements;
import org.openmmsc.mm7.codec.Mm7Envelope;
import org.openmmsc.mm7.codec.Mm7Namespace;
import org.openmmsc.mm7.codec.Mm7SoapCodec;

/**
 * A VASP (a small HTTP server in the test) submits to two subscribers asking for delivery reports;
 * when each recipient's retrieval is recorded (what MM1 will do once it exists), the VASP receives a
 * DeliveryReportReq for each, carrying the MessageID it got in SubmitRsp.
 */
@Tag("integration")
class Mm7EndToEndTest {
    private static final String NS = Mm7Namespace.PREFIX + "REL-5-MM7-1-2";
    private final InMemoryMessageStore store = new InMemoryMessageStore(Clock.systemUTC());
    private final Relay relay = new Relay(store, new StaticRouteResolver(new RoutingConfig(List.of("+4790"), List.of(), Map.of("2020", "news"), true)),
            RelayConfig.defaults(), Clock.systemUTC(), e -> {}, List.of(), new SimpleMeterRegistry());
    private final Mm7SoapCodec codec = new Mm7SoapCodec();
    private final LinkedBlockingQueue<Mm7Envelope> atVasp = new LinkedBlockingQueue<>();
    private HttpServer vasp;
    private Mm7Interface mm7;

    @AfterEach
    void stop() {
        if (mm7 != null) mm7.close();
        if (vasp != null) vasp.stop(0);
    }

    @Test
    void vaspGetsADeliveryReportForEachRecipientWithItsMessageId() throws Exception {
        vasp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        vasp.createContext("/reports", exchange -> {
            try {
                Mm7Envelope env = codec.decode(exchange.getRequestBody().readAllBytes(), exchange.getRequestHeaders().getFirst("Content-Type"));
                atVasp.add(env);
                byte[] rsp = codec.encode(env.namespace(), env.transactionId(), "DeliveryReportRsp",
                        List.of(Mm7SoapCodec.Field.text("MM7Version", "5.3.0"), Mm7SoapCodec.Field.status(1000, "Success")));
                exchange.sendResponseHeaders(200, rsp.length);
                exchange.getResponseBody().write(rsp);
            } catch (Exception e) {
                exchange.sendResponseHeaders(500, -1);
            } finally {
                exchange.close();
            }
        });
        vasp.start();
        VaspAccount news = new VaspAccount("news", null, "s3cret", null, List.of("2020"), null, null, null, null,
                URI.create("http://127.0.0.1:" + vasp.getAddress().getPort() + "/reports"), null, null, "REL-5-MM7-1-2", "5.3.0");
        mm7 = Mm7Interface.start(new Mm7Config(null, 0, null, 2, 16, List.of(news), null), relay, new NumberNormalizer("47", "", "00", 6),
                store::message, new SimpleMeterRegistry(), "e2e-node");
        relay.registerReportSink(mm7.reportSink());

        String submit = Mm7ServerTest.submit(NS, "5.3.0", "e2e-1", true, "<To><Number>90000001</Number><Number>90000002</Number></To>", "");
        HttpResponse<byte[]> rsp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mm7.port() + "/mm7"))
                .header("Content-Type", "text/xml").header("Authorization", "Basic " + Base64.getEncoder().encodeToString("news:s3cret".getBytes()))
                .POST(HttpRequest.BodyPublishers.ofString(submit)).build(), HttpResponse.BodyHandlers.ofByteArray());
        Mm7Envelope submitRsp = codec.decode(rsp.body(), "text/xml");
        assertEquals("1000", Elements.text(Elements.child(submitRsp.body(), "Status"), "StatusCode"));
        String messageId = Elements.text(submitRsp.body(), "MessageID");

        for (RecipientDelivery d : store.deliveries(MessageId.parse(messageId))) {
            relay.record(d.key(), new RecipientEvent.Retrieved("fetched over MM1")).get(5, TimeUnit.SECONDS);
        }
        Set<String> reported = new java.util.HashSet<>();
        for (int i = 0; i < 2; i++) {
            Mm7Envelope report = atVasp.poll(10, TimeUnit.SECONDS);
            assertTrue(report != null, "DeliveryReportReq " + (i + 1) + " never reached the VASP");
            assertEquals("DeliveryReportReq", report.operation());
            assertEquals(NS, report.namespace());
            assertEquals(messageId, Elements.text(report.body(), "MessageID"));
            assertEquals("Retrieved", Elements.text(report.body(), "MMStatus"));
            assertEquals("2020", Elements.text(Elements.child(report.body(), "Sender"), "ShortCode"));
            reported.add(Elements.text(Elements.child(report.body(), "Recipient"), "Number"));
        }
        assertEquals(Set.of("+4790000001", "+4790000002"), reported);
    }
}
