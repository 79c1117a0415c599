package org.openmmsc.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmmsc.core.config.NumberingConfig;
import org.openmmsc.core.config.RelayConfig;
import org.openmmsc.core.config.RoutingConfig;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.relay.LoggingChargingEvents;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.core.relay.StaticRouteResolver;
import org.openmmsc.core.spi.MessageStore;
import org.openmmsc.server.config.AdminConfig;
import org.openmmsc.store.rocksdb.RocksDbMessageStore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The admin API over a real socket, a real RocksDB store and the real relay. */
class AdminHttpServerTest {
    private static final String TOKEN = "s3cret-operator-token";
    private static final int MAX_BODY = 64 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String HELLO = Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private PrometheusMeterRegistry prometheus;
    private MessageStore store;
    private Relay relay;
    private int port;

    @BeforeEach
    void startServer() throws Exception {
        prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        store = new RocksDbMessageStore(dir.resolve("store"));
        toClose.add(store);
        relay = new Relay(store, new StaticRouteResolver(RoutingConfig.defaults()), RelayConfig.defaults(), Clock.systemUTC(),
                new LoggingChargingEvents(), List.of(), prometheus);
        port = start(null, store);
    }

    private int start(String token, MessageStore withStore) throws InterruptedException {
        AdminHttpServer server = new AdminHttpServer(new AdminConfig("127.0.0.1", 0, token, MAX_BODY), relay, withStore, prometheus,
                ready::get, NumberingConfig.defaults().normalizer());
        toClose.addFirst(server);
        return server.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) c.close();
    }

    // --- helpers -------------------------------------------------------------------------------

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    private HttpResponse<String> postJson(String json) throws Exception {
        return send(HttpRequest.newBuilder(uri("/api/messages")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        // A request copy with a timeout, so a server that never answers fails the test instead of hanging it.
        HttpRequest bounded = HttpRequest.newBuilder(request, (name, value) -> true).timeout(Duration.ofSeconds(20)).build();
        return client.send(bounded, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), response.headers().toString());
        return JSON.readTree(response.body());
    }

    private static String message(String to, String extra) {
        return "{\"from\":\"+4790000001\",\"to\":[" + to + "],\"subject\":\"hi\""
                + ",\"parts\":[{\"contentType\":\"text/plain; charset=utf-8\",\"contentId\":\"<t1>\",\"contentLocation\":\"t.txt\",\"content\":\"" + HELLO + "\"}]"
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private static void assertNoStackTrace(String body) {
        assertFalse(body.contains("Exception") || body.contains("\tat ") || body.contains("at org."), body);
    }

    // --- probes ---------------------------------------------------------------------------------

    @Test
    void healthAndReadinessAnswerWithoutToken() throws Exception {
        HttpResponse<String> health = get("/health");
        assertEquals(200, health.statusCode());
        assertEquals("UP", json(health).get("status").stringValue());
        assertEquals(200, get("/ready").statusCode());
        ready.set(false);
        HttpResponse<String> notReady = get("/ready");
        assertEquals(503, notReady.statusCode());
        assertEquals("NOT_READY", json(notReady).get("status").stringValue());
    }

    @Test
    void metricsAreInPrometheusTextFormatAndCountAcceptedMessages() throws Exception {
        assertEquals(201, postJson(message("\"+4790000002\"", "")).statusCode());
        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        assertTrue(metrics.body().contains("mmsc_messages_accepted_total{origin=\"ADMIN\"} 1.0"), metrics.body());
    }

    // --- injection and trace ---------------------------------------------------------------------

    @Test
    void injectedMessageIsAcceptedDurablyAndTraceShowsItsDeliveries() throws Exception {
        HttpResponse<String> created = postJson(message("\"+4790000002\",\"90000003\"", "\"cc\":[\"ola@example.com\"],\"priority\":\"high\",\"expiry\":\"PT2H\""));
        assertEquals(201, created.statusCode(), created.body());
        JsonNode answer = json(created);
        String id = answer.get("messageId").stringValue();
        assertFalse(answer.get("duplicate").booleanValue());
        assertEquals(3, answer.get("deliveries").size());
        assertEquals("+4790000003", answer.get("deliveries").get(1).get("recipient").stringValue());
        assertEquals("LOCAL_MM1", answer.get("deliveries").get(0).get("route").stringValue());
        assertEquals("EMAIL_MM3", answer.get("deliveries").get(2).get("route").stringValue());
        assertEquals(0, answer.get("refused").size());
        // Durable before the answer: the store holds it as soon as the 201 arrived.
        assertTrue(store.message(MessageId.parse(id)).isPresent());

        HttpResponse<String> traced = get("/api/messages/" + id);
        assertEquals(200, traced.statusCode());
        JsonNode trace = json(traced);
        assertEquals(id, trace.get("id").stringValue());
        assertEquals("+4790000001", trace.get("from").stringValue());
        assertEquals("+4790000002", trace.get("to").get(0).stringValue());
        assertEquals("ola@example.com", trace.get("cc").get(0).stringValue());
        assertEquals("hi", trace.get("subject").stringValue());
        assertEquals("high", trace.get("priority").stringValue());
        assertEquals("PT2H", trace.get("expiry").stringValue());
        assertEquals("multipart/mixed", trace.get("contentType").stringValue());
        assertEquals("ADMIN", trace.get("origin").get("interface").stringValue());
        JsonNode part = trace.get("parts").get(0);
        assertEquals(5, part.get("size").intValue());
        assertEquals("<t1>", part.get("headers").get("Content-ID").stringValue());
        assertFalse(part.has("content"), "content bytes never appear in a trace");
        JsonNode delivery = trace.get("deliveries").get(0);
        assertEquals(0, delivery.get("recipientIndex").intValue());
        assertEquals("+4790000002", delivery.get("recipient").stringValue());
        assertEquals("to", delivery.get("kind").stringValue());
        assertEquals("LOCAL_MM1", delivery.get("route").stringValue());
        assertEquals("ACCEPTED", delivery.get("state").stringValue());
        assertEquals("NONE", delivery.get("recipientStatus").stringValue());
        assertEquals(0, delivery.get("attempts").intValue());
        assertTrue(delivery.get("nextAttemptAt").isString());
        assertTrue(delivery.get("expiresAt").isString());
        assertEquals("ACCEPTED", delivery.get("history").get(0).get("to").stringValue());
        assertEquals(3, trace.get("deliveries").size());
    }

    @Test
    void repeatedTransactionIdAnswersTheFirstMessageIdAndStoresNothingNew() throws Exception {
        String body = message("\"+4790000002\"", "\"transactionId\":\"op-42\"");
        HttpResponse<String> first = postJson(body);
        HttpResponse<String> second = postJson(body);
        assertEquals(201, first.statusCode(), first.body());
        assertEquals(200, second.statusCode(), second.body());
        assertEquals(json(first).get("messageId"), json(second).get("messageId"));
        assertTrue(json(second).get("duplicate").booleanValue());
        assertEquals(1, store.messageCount());

        HttpResponse<String> other = postJson(message("\"+4790000002\"", "\"transactionId\":\"op-43\""));
        assertEquals(201, other.statusCode());
        assertNotEquals(json(first).get("messageId"), json(other).get("messageId"));
    }

    @Test
    void noRoutableRecipientAnswers422WithTheRefusalsAndStoresNothing() throws Exception {
        // With the default routing no VASP owns a short code.
        HttpResponse<String> none = postJson(message("\"1234\"", ""));
        assertEquals(422, none.statusCode(), none.body());
        JsonNode refused = json(none).get("refused").get(0);
        assertEquals("1234", refused.get("recipient").stringValue());
        assertEquals("UNROUTABLE", refused.get("reason").stringValue());
        assertEquals(0, store.messageCount());
    }

    @Test
    void badInputAnswers400NamingTheField() throws Exception {
        String[][] cases = {
                {"{\"from\":", null},
                {message("\"+4790000002\"", "\"colour\":\"red\""), "colour"},
                {"{\"to\":[\"+4790000002\"],\"parts\":[]}", "from"},
                {"{\"from\":\"+4790000001\",\"parts\":[{\"contentType\":\"text/plain\",\"content\":\"\"}]}", "to"},
                {"{\"from\":\"+4790000001\",\"to\":[\"+4790000002\"]}", "parts"},
                {message("\"+4790000002\",\"no/such\"", ""), "to[1]"},
                {message("\"+4790000002\"", "\"expiry\":\"next week\""), "expiry"},
                {"{\"from\":\"+4790000001\",\"to\":[\"+4790000002\"],\"parts\":[{\"contentType\":\"text/plain\",\"content\":\"!!\"}]}", "parts[0].content"},
                {"{\"from\":\"+4790000001\",\"to\":[\"+4790000002\"],\"parts\":[{\"contentType\":\"nope\",\"content\":\"\"}]}", "parts[0].contentType"},
        };
        for (String[] c : cases) {
            HttpResponse<String> response = postJson(c[0]);
            assertEquals(400, response.statusCode(), c[0] + " -> " + response.body());
            JsonNode error = json(response);
            assertTrue(error.get("error").stringValue().length() > 5, response.body());
            if (c[1] == null) assertFalse(error.has("field"), response.body());
            else assertEquals(c[1], error.get("field").stringValue(), response.body());
            assertNoStackTrace(response.body());
        }
        StringBuilder many = new StringBuilder("\"+4740000000\"");
        for (int i = 1; i <= 1000; i++) many.append(",\"+47").append(40000000 + i).append('"');
        HttpResponse<String> tooMany = postJson(message(many.toString(), ""));
        assertEquals(400, tooMany.statusCode());
        assertEquals("to[1000]", json(tooMany).get("field").stringValue());
        assertEquals(0, store.messageCount());
    }

    @Test
    void unsupportedBodyTypeAnswers415() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/messages")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hi")).build());
        assertEquals(415, response.statusCode());
        assertTrue(json(response).get("error").stringValue().contains("application/json"));
    }

    @Test
    void multipartFormDataUploadBecomesAMessageWithOnePartPerFile() throws Exception {
        String boundary = "----openmmsc-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        formField(body, boundary, "from", "+4790000001");
        formField(body, boundary, "to", "+4790000002");
        formField(body, boundary, "to", "+4790000003");
        formField(body, boundary, "subject", "holiday");
        formField(body, boundary, "transactionId", "form-1");
        byte[] image = new byte[3000];
        for (int i = 0; i < image.length; i++) image[i] = (byte) (i * 7);
        formFile(body, boundary, "file", "beach.jpg", "image/jpeg", image);
        formFile(body, boundary, "file", "note.txt", "text/plain; charset=utf-8", "sun".getBytes(StandardCharsets.UTF_8));
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));

        HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/api/messages"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
        assertEquals(201, created.statusCode(), created.body());
        String id = json(created).get("messageId").stringValue();
        assertEquals(2, json(created).get("deliveries").size());

        JsonNode trace = json(get("/api/messages/" + id));
        assertEquals("holiday", trace.get("subject").stringValue());
        assertEquals(2, trace.get("parts").size());
        assertEquals("image/jpeg", trace.get("parts").get(0).get("contentType").stringValue());
        assertEquals("beach.jpg", trace.get("parts").get(0).get("headers").get("Content-Location").stringValue());
        assertEquals(3000, trace.get("parts").get(0).get("size").intValue());
        assertEquals(3, trace.get("parts").get(1).get("size").intValue());
        assertEquals("form-1", trace.get("origin").get("transactionId").stringValue());
        assertEquals(image.length, store.message(MessageId.parse(id)).orElseThrow().parts().getFirst().content().length);
        assertEquals(image[2999], store.message(MessageId.parse(id)).orElseThrow().parts().getFirst().content()[2999]);

        ByteArrayOutputStream bad = new ByteArrayOutputStream();
        formField(bad, boundary, "from", "+4790000001");
        formField(bad, boundary, "to", "+4790000002");
        formField(bad, boundary, "to", "n0t@@number");
        formFile(bad, boundary, "file", "note.txt", "text/plain", "x".getBytes(StandardCharsets.UTF_8));
        bad.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> refused = send(HttpRequest.newBuilder(uri("/api/messages"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bad.toByteArray())).build());
        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals("to[1]", json(refused).get("field").stringValue());
    }

    private static void formField(ByteArrayOutputStream out, String boundary, String name, String value) throws IOException {
        out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static void formFile(ByteArrayOutputStream out, String boundary, String name, String fileName, String type, byte[] content) throws IOException {
        out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName
                + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(content);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void listingPagesThroughMessageIdsInOrder() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) ids.add(json(postJson(message("\"+4790000002\"", ""))).get("messageId").stringValue());
        JsonNode page1 = json(get("/api/messages?limit=2"));
        assertEquals(ids.subList(0, 2), List.of(page1.get("messageIds").get(0).stringValue(), page1.get("messageIds").get(1).stringValue()));
        assertEquals(ids.get(1), page1.get("next").stringValue());
        JsonNode page2 = json(get("/api/messages?limit=2&after=" + page1.get("next").stringValue()));
        assertEquals(1, page2.get("messageIds").size());
        assertEquals(ids.get(2), page2.get("messageIds").get(0).stringValue());
        assertTrue(page2.get("next").isNull());

        HttpResponse<String> badLimit = get("/api/messages?limit=1001");
        assertEquals(400, badLimit.statusCode());
        assertEquals("limit", json(badLimit).get("field").stringValue());
        assertEquals("after", json(get("/api/messages?after=zzz")).get("field").stringValue());
    }

    // --- HTTP edges ------------------------------------------------------------------------------

    @Test
    void unknownPathsAndMessagesAnswer404() throws Exception {
        assertEquals(404, get("/nope").statusCode());
        assertEquals(404, get("/api/nope").statusCode());
        HttpResponse<String> unknown = get("/api/messages/" + relay.newMessageId());
        assertEquals(404, unknown.statusCode());
        assertEquals("no such message", json(unknown).get("error").stringValue());
        assertEquals(404, get("/api/messages/not-an-id").statusCode());
    }

    @Test
    void wrongMethodAnswers405WithAllow() throws Exception {
        HttpResponse<String> delete = send(HttpRequest.newBuilder(uri("/api/messages")).DELETE().build());
        assertEquals(405, delete.statusCode());
        assertEquals("GET, POST", delete.headers().firstValue("Allow").orElseThrow());
        HttpResponse<String> postHealth = send(HttpRequest.newBuilder(uri("/health")).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(405, postHealth.statusCode());
        assertEquals("GET", postHealth.headers().firstValue("Allow").orElseThrow());
        HttpResponse<String> postTrace = send(HttpRequest.newBuilder(uri("/api/messages/" + relay.newMessageId()))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(405, postTrace.statusCode());
    }

    @Test
    void bearerTokenGuardsTheApiButNotTheProbes() throws Exception {
        port = start(TOKEN, store);
        HttpResponse<String> none = get("/api/messages");
        assertEquals(401, none.statusCode());
        assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElseThrow());
        json(none);
        HttpResponse<String> wrong = send(HttpRequest.newBuilder(uri("/api/messages")).header("Authorization", "Bearer " + TOKEN + "x").GET().build());
        assertEquals(401, wrong.statusCode());
        assertEquals(401, send(HttpRequest.newBuilder(uri("/api/nope")).GET().build()).statusCode());
        HttpResponse<String> right = send(HttpRequest.newBuilder(uri("/api/messages")).header("Authorization", "Bearer " + TOKEN).GET().build());
        assertEquals(200, right.statusCode());
        HttpResponse<String> posted = send(HttpRequest.newBuilder(uri("/api/messages")).header("Authorization", "bearer " + TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(message("\"+4790000002\"", ""))).build());
        assertEquals(201, posted.statusCode());
        assertEquals(200, get("/health").statusCode());
        assertEquals(200, get("/ready").statusCode());
        assertEquals(200, get("/metrics").statusCode());
    }

    @Test
    void oversizedBodyAnswers413AsJsonAndClosesWithoutReadingTheBody() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + (MAX_BODY + 1)
                    + "\r\n\r\n{\"from\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readToClose(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 413 "), response);
            assertTrue(response.contains("connection: close"), response);
            assertTrue(response.contains("{\"error\":\"request body larger than " + MAX_BODY + " bytes\"}"), response);
        }
        // A client that asks first is told before it sends anything.
        HttpResponse<String> asked = send(HttpRequest.newBuilder(uri("/api/messages")).expectContinue(true)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[MAX_BODY + 1])).build());
        assertEquals(413, asked.statusCode());
        assertTrue(json(asked).get("error").stringValue().contains("larger than"));
        // A body within the limit still gets through on a new connection.
        assertEquals(201, postJson(message("\"+4790000002\"", "")).statusCode());
    }

    @Test
    void pipelinedRequestsOnOneConnectionAreAnsweredInOrder() throws Exception {
        String id = json(postJson(message("\"+4790000002\"", ""))).get("messageId").stringValue();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            // The trace runs on a worker, health on the event loop: only the queue keeps them in order.
            socket.getOutputStream().write(("GET /api/messages/" + id + " HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String responses = readToClose(socket.getInputStream());
            int trace = responses.indexOf("\"id\":\"" + id + "\"");
            int health = responses.indexOf("{\"status\":\"UP\"}");
            int readiness = responses.indexOf("{\"status\":\"READY\"}");
            assertTrue(trace > 0 && health > trace && readiness > health, responses);
            assertEquals(3, responses.split("HTTP/1.1 200 OK", -1).length - 1, responses);
        }
    }

    @Test
    void storeFailureAnswers503WithoutDetailAndNothingIsAcknowledged() throws Exception {
        RocksDbMessageStore broken = new RocksDbMessageStore(dir.resolve("broken"));
        broken.close();
        relay = new Relay(broken, new StaticRouteResolver(RoutingConfig.defaults()), RelayConfig.defaults(), Clock.systemUTC(),
                new LoggingChargingEvents(), List.of(), prometheus);
        port = start(null, broken);
        HttpResponse<String> response = postJson(message("\"+4790000002\"", ""));
        assertEquals(503, response.statusCode(), response.body());
        assertTrue(json(response).get("error").stringValue().startsWith("store unavailable"), response.body());
        assertNoStackTrace(response.body());
        HttpResponse<String> trace = get("/api/messages/" + relay.newMessageId());
        assertEquals(503, trace.statusCode(), trace.body());
        assertNoStackTrace(trace.body());
    }

    @Test
    void stopAcceptingRefusesNewConnectionsButFinishesTheServedOnes() throws Exception {
        AdminHttpServer server = (AdminHttpServer) toClose.getFirst();
        assertEquals(200, get("/health").statusCode());
        server.stopAccepting();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            // The freed port was taken by another process on this machine before we looked: that is
            // fine as long as it is not this server answering.
            socket.setSoTimeout(2000);
            socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer;
            try {
                answer = readToClose(socket.getInputStream());
            } catch (IOException silentOrReset) {
                answer = "";
            }
            assertFalse(answer.contains("\"status\":\"UP\""), "this server still answers after stopAccepting: " + answer);
        } catch (IOException refused) {
            // expected: nothing listens on the port any more
        }
    }

    private static String readToClose(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
