package org.openmmsc.mm7;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.ContentType;
import org.openmmsc.core.model.EncodedText;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.model.Origin;
import org.openmmsc.core.model.Recipient;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.Route;
import org.openmmsc.core.model.RouteKind;
import org.openmmsc.core.spi.DeliveryAgent.Outcome;
import org.openmmsc.core.spi.Report;
import org.openmmsc.mm7.client.Mm7Client;
import org.openmmsc.mm7.client.Mm7ReportSink;
import org.openmmsc.mm7.client.VaspDeliveryAgent;
import org.openmmsc.mm7.codec.Attachment;
import org.openmmsc.mm7.codec.Elements;
import org.openmmsc.mm7.codec.Mm7Envelope;
import org.openmmsc.mm7.codec.Mm7Namespace;
import org.openmmsc.mm7.codec.Mm7SoapCodec;
import org.w3c.dom.Element;

/** The MMSC → VASP side against a small real HTTP server playing the VASP, answering as real VASPs and MMSCs do. */
@Tag("integration")
class Mm7ClientTest {
    private HttpServer vaspServer;
    private volatile byte[] received;
    private volatile String receivedType;
    private volatile String receivedAuth;
    private volatile int answerStatus = 200;
    private volatile byte[] answerBody;
    private final Mm7SoapCodec codec = new Mm7SoapCodec();
    private VaspAccount vasp;
    private final Mm7Client client = new Mm7Client(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build(), Duration.ofSeconds(5));

    @BeforeEach
    void startVasp() throws Exception {
        vaspServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        vaspServer.createContext("/mo", exchange -> {
            received = exchange.getRequestBody().readAllBytes();
            receivedType = exchange.getRequestHeaders().getFirst("Content-Type");
            receivedAuth = exchange.getRequestHeaders().getFirst("Authorization");
            byte[] body = answerBody == null ? new byte[0] : answerBody;
            exchange.getResponseHeaders().set("Content-Type", "text/xml; charset=utf-8");
            exchange.sendResponseHeaders(answerStatus, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        vaspServer.start();
        vasp = new VaspAccount("news", null, "pw", null, List.of("2020"), null, null, null, null,
                URI.create("http://127.0.0.1:" + vaspServer.getAddress().getPort() + "/mo"), "mmsc", "to-vasp", "REL-5-MM7-1-2", "5.3.0");
    }

    @AfterEach
    void stopVasp() {
        vaspServer.stop(0);
    }

    private void answer(int http, String operation, int code, String text) {
        answerStatus = http;
        answerBody = codec.encode(vasp.namespace(), "x", operation, List.of(Mm7SoapCodec.Field.text("MM7Version", "5.3.0"), Mm7SoapCodec.Field.status(code, text)));
    }

    private static byte[] corpus(String name) throws Exception {
        String shared = System.getProperty("openmmsc.sharedDir");
        assumeTrue(shared != null && Files.isReadable(Path.of(shared, "corpus", "mm7", name)), "corpus absent");
        return Files.readAllBytes(Path.of(shared, "corpus", "mm7", name));
    }

    /** A subscriber's message to the VASP's short code 2020, with a Bcc to someone else and two parts. */
    private static Message moMessage(boolean senderHidden) {
        List<MessagePart> parts = List.of(
                new MessagePart(ContentType.of("application/smil"), List.of(new MessagePart.Header("Content-ID", "<smil>")), "<smil/>".getBytes(StandardCharsets.UTF_8)),
                new MessagePart(ContentType.parse("text/plain; charset=utf-8"), List.of(new MessagePart.Header("Content-ID", "<t>")), "VOTE 7".getBytes(StandardCharsets.UTF_8)));
        return new Message(MessageId.parse("01KB0000000000000000000001"), Address.plmn("+4790000001"),
                List.of(Recipient.to(Address.shortCode("2020")), new Recipient(Address.plmn("+4790000009"), Recipient.Kind.BCC)),
                EncodedText.utf8("Vote"), null, null, Instant.parse("2026-11-28T12:00:00Z"), null, null, false, false, senderHidden, null,
                new ContentType("multipart/related", Map.of("type", "application/smil", "start", "<smil>")), parts, Origin.of(Interface.MM1, "+4790000001", "t1"));
    }

    private static RecipientDelivery deliveryTo(Message m, int index) {
        Instant now = Instant.parse("2026-11-28T12:00:00Z");
        return RecipientDelivery.accepted(m.id(), index, m.recipients().get(index), new Route(RouteKind.VASP_MM7, "news"), now, now, now.plus(Duration.ofDays(1)));
    }

    private Outcome deliver(Message m) throws Exception {
        VaspDeliveryAgent agent = new VaspDeliveryAgent(List.of(vasp), client, "mmsc-node-1");
        return agent.deliver(m, deliveryTo(m, 0)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void deliverReqCarriesTheMessageAndItsPartsToTheVasp() throws Exception {
        answer(200, "DeliverRsp", 1000, "Success");
        Outcome outcome = deliver(moMessage(false));
        assertInstanceOf(Outcome.Delivered.class, outcome);
        assertTrue(receivedType.startsWith("multipart/related"), receivedType);
        assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString("mmsc:to-vasp".getBytes()), receivedAuth);
        Mm7Envelope env = codec.decode(received, receivedType);
        assertEquals(Mm7Namespace.PREFIX + "REL-5-MM7-1-2", env.namespace());
        assertEquals("DeliverReq", env.operation());
        assertEquals("5.3.0", env.version());
        assertEquals("01KB0000000000000000000001-0", env.transactionId());
        Element b = env.body();
        assertEquals("mmsc-node-1", Elements.text(b, "MMSRelayServerID"));
        assertEquals("01KB0000000000000000000001", Elements.text(b, "LinkedID"));
        assertEquals("+4790000001", Elements.text(Elements.child(b, "Sender"), "Number"));
        assertEquals("2020", Elements.text(Elements.child(Elements.child(b, "Recipients"), "To"), "ShortCode"));
        assertEquals("Vote", Elements.text(b, "Subject"));
        assertEquals("Normal", Elements.text(b, "Priority"));
        Attachment content = env.attachment(Elements.attribute(Elements.child(b, "Content"), "href"));
        List<Attachment> parts = Mm7SoapCodec.splitMultipart(content);
        assertEquals(2, parts.size());
        assertEquals("VOTE 7", new String(parts.get(1).content(), StandardCharsets.UTF_8));
        assertEquals("smil", parts.get(0).contentId());
    }

    @Test
    void bccRecipientsAndAHiddenSenderNeverReachTheVasp() throws Exception {
        answer(200, "DeliverRsp", 1000, "Success");
        deliver(moMessage(true));
        String xml = new String(received, StandardCharsets.UTF_8);
        assertFalse(xml.contains("4790000009"), "Bcc recipient leaked");
        assertFalse(xml.contains("4790000001"), "hidden sender leaked");
        assertNull(Elements.child(codec.decode(received, receivedType).body(), "Sender"));
    }

    @Test
    void vaspAnswersDecideTheOutcome() throws Exception {
        answer(500, "VASPErrorRsp", 2002, "Address Error");
        assertInstanceOf(Outcome.Rejected.class, deliver(moMessage(false)));
        answer(500, "VASPErrorRsp", 3001, "Not Possible");
        assertInstanceOf(Outcome.TransientFailure.class, deliver(moMessage(false)));
        answer(503, "VASPErrorRsp", 4006, "Service unavailable");
        assertInstanceOf(Outcome.TransientFailure.class, deliver(moMessage(false)));
        answer(500, "VASPErrorRsp", 4007, "Service denied");
        assertInstanceOf(Outcome.PermanentFailure.class, deliver(moMessage(false)));
        answerStatus = 200;
        answerBody = "<html>proxy error</html>".getBytes(StandardCharsets.UTF_8);
        assertInstanceOf(Outcome.TransientFailure.class, deliver(moMessage(false)), "not MM7: retried");
        answerBody = null;
        assertInstanceOf(Outcome.TransientFailure.class, deliver(moMessage(false)), "empty 200: retried");
    }

    @Test
    void nonCompliantFaultsFromTheCorpusAreUnderstood() throws Exception {
        answerStatus = 500;
        answerBody = corpus("instantcom_fault_02.xml");
        Outcome addressError = deliver(moMessage(false));
        assertInstanceOf(Outcome.Rejected.class, addressError);
        assertTrue(((Outcome.Rejected) addressError).reason().contains("2002"), addressError.toString());
        answerBody = corpus("instantcom_fault.xml");
        Outcome unsupported = deliver(moMessage(false));
        assertInstanceOf(Outcome.PermanentFailure.class, unsupported);
        assertTrue(((Outcome.PermanentFailure) unsupported).reason().contains("4002"), unsupported.toString());
        answerStatus = 200;
        answerBody = corpus("instantcom_submit-rsp.xml");
        assertInstanceOf(Outcome.Delivered.class, deliver(moMessage(false)), "a 1000 in an odd namespace is still success");
    }

    @Test
    void anUnreachableVaspIsRetried() throws Exception {
        vaspServer.stop(0);
        assertInstanceOf(Outcome.TransientFailure.class, deliver(moMessage(false)));
    }

    @Test
    void deliveryReportGoesToTheSubmittingVaspWithItsMessageId() throws Exception {
        answer(200, "DeliveryReportRsp", 1000, "Success");
        Message submitted = new Message(MessageId.parse("01KB0000000000000000000002"), Address.shortCode("2020"),
                List.of(Recipient.to(Address.plmn("+4790000001"))), null, null, null, Instant.parse("2026-11-28T12:00:00Z"), null, null,
                true, true, false, null, ContentType.of("text/plain"), List.of(new MessagePart(ContentType.of("text/plain"), List.of(), new byte[] {'h'})),
                new Origin(Interface.MM7, "news", "tx-9", "news", null, null, null, null, null));
        Mm7ReportSink sink = new Mm7ReportSink(List.of(vasp), client, "mmsc-node-1");
        sink.send(new Report(Report.Kind.DELIVERY, submitted, submitted.recipients().getFirst(), Report.Status.RETRIEVED,
                Instant.parse("2026-11-28T12:05:00Z"), "fetched")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        Mm7Envelope env = codec.decode(received, receivedType);
        assertEquals("DeliveryReportReq", env.operation());
        assertEquals("01KB0000000000000000000002", Elements.text(env.body(), "MessageID"));
        assertEquals("+4790000001", Elements.text(Elements.child(env.body(), "Recipient"), "Number"));
        assertEquals("2020", Elements.text(Elements.child(env.body(), "Sender"), "ShortCode"));
        assertEquals("Retrieved", Elements.text(env.body(), "MMStatus"));
        assertEquals("2026-11-28T12:05:00Z", Elements.text(env.body(), "Date"));

        sink.send(new Report(Report.Kind.READ, submitted, submitted.recipients().getFirst(), Report.Status.READ,
                Instant.parse("2026-11-28T12:06:00Z"), "")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        Mm7Envelope rr = codec.decode(received, receivedType);
        assertEquals("ReadReplyReq", rr.operation());
        assertEquals("Read", Elements.text(rr.body(), "MMStatus"));

        answer(500, "VASPErrorRsp", 4000, "General service error");
        var refused = sink.send(new Report(Report.Kind.DELIVERY, submitted, submitted.recipients().getFirst(), Report.Status.EXPIRED,
                Instant.parse("2026-11-28T12:07:00Z"), "")).toCompletableFuture();
        assertThrows(ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS), "a refused report must not count as handed over");
    }
}
