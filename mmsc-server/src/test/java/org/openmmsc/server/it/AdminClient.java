package org.openmmsc.server.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** The operator API as a client sees it, for the integration tests. */
final class AdminClient {
    static final ObjectMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ServerProcess server;

    AdminClient(ServerProcess server) {
        this.server = server;
    }

    record Answer(int status, JsonNode body) {}

    /** Injects a message with two recipients whose subject is {@code marker} and whose text part repeats "probe MARKER ". */
    Answer submit(String transactionId, String marker, int bodyBytes) throws IOException, InterruptedException {
        // The marker repeats through the body, so a trace still finds it whole where a WAL record
        // header splits one occurrence.
        StringBuilder text = new StringBuilder();
        while (text.length() < bodyBytes) text.append("probe ").append(marker).append(' ');
        String json = """
                {"from":"+4790000001","to":["+4790000002","+4790000003"],"subject":"%s","transactionId":"%s",
                 "parts":[{"contentType":"text/plain; charset=utf-8","content":"%s"}]}
                """.formatted(marker, transactionId, Base64.getEncoder().encodeToString(text.toString().getBytes(StandardCharsets.US_ASCII)));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri("/api/messages")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
    }

    Answer get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isEmpty() || r.body().charAt(0) != '{' ? null : JSON.readTree(r.body()));
    }

    /** Every message id the store holds, page by page. */
    List<String> allMessageIds() throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        String after = null;
        while (true) {
            Answer page = get("/api/messages?limit=1000" + (after == null ? "" : "&after=" + URI.create(after)));
            if (page.status() != 200) throw new AssertionError("listing answered " + page.status() + " " + page.body());
            for (JsonNode id : page.body().get("messageIds")) ids.add(id.asString());
            JsonNode next = page.body().get("next");
            if (next == null || next.isNull()) return ids;
            after = next.asString();
        }
    }
}
