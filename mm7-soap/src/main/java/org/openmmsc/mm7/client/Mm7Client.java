package org.openmmsc.mm7.client;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.mm7.VaspAccount;
import org.openmmsc.mm7.codec.Attachment;
import org.openmmsc.mm7.codec.Elements;
import org.openmmsc.mm7.codec.Mm7Envelope;
import org.openmmsc.mm7.codec.Mm7Exception;
import org.openmmsc.mm7.codec.Mm7SoapCodec;
import org.openmmsc.mm7.codec.Mm7Status;
import org.w3c.dom.Element;

/**
 * Posts MMSC → VASP requests and reads whatever the VASP answers: a proper …Rsp, a
 * VASPErrorRsp/RSErrorRsp in a SOAP Fault (with or without prefixes on faultcode/detail), or
 * something that is not MM7 at all.
 */
public final class Mm7Client {
    private final HttpClient http;
    private final Mm7SoapCodec codec = new Mm7SoapCodec();
    private final Duration timeout;

    /** Per-VASP clients for accounts with their own trust or client certificate; keyed by the account, so a reload that changes it builds a new one. */
    private final java.util.concurrent.ConcurrentHashMap<VaspAccount, HttpClient> tlsClients = new java.util.concurrent.ConcurrentHashMap<>();

    /** {@code http} serves every VASP without per-VASP TLS settings. */
    public Mm7Client(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /** The HTTP client toward this VASP: its own TLS context (trust, client certificate) when configured. */
    HttpClient clientFor(VaspAccount vasp) {
        if (vasp.tls() == null || !vasp.tls().customisesOutbound()) return http;
        HttpClient known = tlsClients.get(vasp);
        if (known != null) return known;
        // An account replaced by a reload: drop its old client, so they do not pile up.
        tlsClients.keySet().removeIf(old -> old.id().equals(vasp.id()) && !old.equals(vasp));
        return tlsClients.computeIfAbsent(vasp, v -> HttpClient.newBuilder().connectTimeout(http.connectTimeout().orElse(Duration.ofSeconds(10)))
                .sslContext(v.tls().outboundContext()).build());
    }

    /** What the VASP said: its MM7 status if it sent one (null otherwise), and a line for logs and delivery history. */
    public record Answer(int httpStatus, Mm7Status status, int statusCode, String text) {
        public boolean success() {
            return status != null && status.isSuccess();
        }
    }

    public CompletableFuture<Answer> send(VaspAccount vasp, String transactionId, String operation, List<Mm7SoapCodec.Field> fields, Message content) {
        Mm7SoapCodec.Encoded body;
        if (content == null || content.parts().isEmpty()) {
            body = codec.encodeRequest(vasp.namespace(), transactionId, operation, fields, null, null, null);
        } else {
            List<Mm7SoapCodec.Field> withContent = new ArrayList<>(fields);
            withContent.add(new Mm7SoapCodec.Field.Text("Content", "", List.<String[]>of(new String[] {"href", "cid:mm7-content"}, new String[] {"allowAdaptations", "true"})));
            byte[] bytes;
            String type;
            if (content.contentType().isMultipart()) {
                List<Attachment> parts = new ArrayList<>();
                for (MessagePart p : content.parts()) parts.add(new Attachment(null, p.contentType().toString(), p.headers(), p.content()));
                String subtype = content.contentType().mediaType().startsWith("multipart/") ? content.contentType().mediaType().substring(10) : "mixed";
                Mm7SoapCodec.Encoded mp = Mm7SoapCodec.multipart(subtype, content.contentType().parameters(), parts);
                bytes = mp.body();
                type = mp.contentType();
            } else {
                bytes = content.parts().getFirst().content();
                type = content.contentType().toString();
            }
            body = codec.encodeRequest(vasp.namespace(), transactionId, operation, withContent, "mm7-content", type, bytes);
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(vasp.deliveryUrl()).timeout(timeout)
                .header("Content-Type", body.contentType()).header("SOAPAction", "\"\"")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.body()));
        if (vasp.deliveryUsername() != null) {
            req.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (vasp.deliveryUsername() + ":" + vasp.deliveryPassword()).getBytes(StandardCharsets.UTF_8)));
        }
        HttpClient client;
        try {
            client = clientFor(vasp);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return client.sendAsync(req.build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(rsp -> read(rsp.statusCode(), rsp.headers().firstValue("Content-Type").orElse("text/xml"), rsp.body()));
    }

    /** Reads an answer leniently; a body that is not MM7 yields a null status and the HTTP status in the text. */
    Answer read(int httpStatus, String contentType, byte[] body) {
        if (body.length == 0) return new Answer(httpStatus, null, 0, "HTTP " + httpStatus + " with an empty body");
        try {
            Mm7Envelope env = codec.decode(body, contentType);
            Element status = Elements.child(env.body(), "Status");
            String code = status == null ? null : Elements.text(status, "StatusCode");
            if (code == null) return new Answer(httpStatus, null, 0, "HTTP " + httpStatus + ": " + env.operation() + " without Status/StatusCode");
            int c = Integer.parseInt(code.strip());
            String text = Elements.text(status, "StatusText");
            return new Answer(httpStatus, Mm7Status.of(c), c, env.operation() + " " + c + (text == null ? "" : " " + text));
        } catch (Mm7Exception | NumberFormatException e) {
            return new Answer(httpStatus, null, 0, "HTTP " + httpStatus + ", not an MM7 answer: " + e.getMessage());
        }
    }

    /** An address as the MM7 element it is written in. */
    public static Mm7SoapCodec.Field address(String holder, Address a) {
        String element = switch (a.type()) {
            case PLMN, IPV4, IPV6 -> "Number";
            case SHORT_CODE -> "ShortCode";
            case EMAIL -> "RFC2822Address";
        };
        String value = a.type() == Address.Type.PLMN || a.type() == Address.Type.SHORT_CODE || a.type() == Address.Type.EMAIL ? a.value() : a.toMms();
        return new Mm7SoapCodec.Field.Group(holder, List.of(Mm7SoapCodec.Field.text(element, value)));
    }
}
