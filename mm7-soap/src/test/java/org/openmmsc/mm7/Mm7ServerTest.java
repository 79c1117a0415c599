package org.openmmsc.mm7;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openmmsc.core.config.RelayConfig;
import org.openmmsc.core.config.RoutingConfig;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.DeliveryState;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageClass;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.NumberNormalizer;
import org.openmmsc.core.model.Priority;
import org.openmmsc.core.model.Recipient;
import org.openmmsc.core.model.TimeSpec;
import org.openmmsc.core.relay.Relay;
import org.openmmsc.core.relay.StaticRouteResolver;
import org.openmmsc.core.spi.MessageStore;
import org.openmmsc.core.testing.InMemoryMessageStore;
import org.openmmsc.mm7.codec.Elements;
import org.openmmsc.mm7.codec.Mm7Envelope;
import org.openmmsc.mm7.codec.Mm7Namespace;
import org.openmmsc.mm7.codec.Mm7SoapCodec;

/** A real MM7 listener on loopback, a real HTTP client, the real relay over an in-memory store. */
@Tag("integration")
class Mm7ServerTest {
    private static final String REL6 = Mm7Namespace.PREFIX + "REL-6-MM7-1-4";

    private final InMemoryMessageStore memory = new InMemoryMessageStore(java.time.Clock.systemUTC());
    /** Completes the store's put only when the test says so (null: at once), to prove SubmitRsp waits for durability. */
    private volatile CompletableFuture<Void> storeGate;
    private final MessageStore store = gated(memory);
    private final RoutingConfig routing = new RoutingConfig(List.of("+4790"), List.of(), Map.of("2020", "news"), true);
    private final Relay relay = new Relay(store, new StaticRouteResolver(routing), RelayConfig.defaults(), java.time.Clock.systemUTC(),
            e -> {}, List.of(), new SimpleMeterRegistry());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Mm7SoapCodec codec = new Mm7SoapCodec();
    private Mm7Interface mm7;
    private int port;

    private MessageStore gated(MessageStore delegate) {
        return (MessageStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {MessageStore.class}, (p, m, args) -> {
            try {
                Object result = m.invoke(delegate, args);
                CompletableFuture<Void> gate = storeGate;
                if ((m.getName().equals("put") || m.getName().equals("replaceContent")) && gate != null) {
                    return gate.thenCompose(v -> (CompletableFuture<?>) result);
                }
                return result;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    private void start(VaspAccount... vasps) throws Exception {
        Mm7Config config = new Mm7Config(null, 0, 64 * 1024, 2, 16, List.of(vasps), null);
        mm7 = Mm7Interface.start(config, relay, new NumberNormalizer("47", "", "00", 6), store::message, new SimpleMeterRegistry(), "test-node");
        port = mm7.port();
    }

    private static VaspAccount news() {
        return new VaspAccount("news", "news-user", "s3cret", null, List.of("2020"), List.of("+4790000999"), 1000.0, null, null, null, null, null, null, null);
    }

    @AfterEach
    void stop() {
        if (mm7 != null) mm7.close();
    }

    private HttpResponse<String> post(String contentType, byte[] body, String user, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mm7"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType).header("SOAPAction", "\"\"")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (user != null) b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String xml) throws Exception {
        return post("text/xml; charset=utf-8", xml.getBytes(StandardCharsets.UTF_8), "news-user", "s3cret");
    }

    private Mm7Envelope answer(HttpResponse<String> rsp) throws Exception {
        assertTrue(rsp.headers().firstValue("Content-Type").orElse("").startsWith("text/xml"), rsp.headers().toString());
        return codec.decode(rsp.body().getBytes(StandardCharsets.UTF_8), "text/xml");
    }

    private static int statusCode(Mm7Envelope env) {
        return Integer.parseInt(Elements.text(Elements.child(env.body(), "Status"), "StatusCode"));
    }

    private static String statusText(Mm7Envelope env) {
        return Elements.text(Elements.child(env.body(), "Status"), "StatusText");
    }

    static String submit(String ns, String version, String tid, boolean prefixed, String recipients, String extra) {
        String p = prefixed ? "mm7:" : "";
        String decl = prefixed ? " xmlns:mm7=\"" + ns + "\"" : " xmlns=\"" + ns + "\"";
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<env:Envelope xmlns:env=\"http://schemas.xmlsoap.org/soap/envelope/\"><env:Header>"
                + (tid == null ? "" : "<t:TransactionID xmlns:t=\"" + ns + "\" env:mustUnderstand=\"1\">" + tid + "</t:TransactionID>")
                + "</env:Header><env:Body><" + p + "SubmitReq" + decl + ">"
                + "<" + p + "MM7Version>" + version + "</" + p + "MM7Version>"
                + "<" + p + "SenderIdentification><" + p + "VASPID>news</" + p + "VASPID><" + p + "VASID>weather</" + p + "VASID>"
                + "<" + p + "SenderAddress><" + p + "ShortCode>2020</" + p + "ShortCode></" + p + "SenderAddress></" + p + "SenderIdentification>"
                + "<" + p + "Recipients>" + recipients.replace("<", "<" + p).replace("<" + p + "/", "</" + p) + "</" + p + "Recipients>"
                + "<" + p + "ServiceCode>svc-7</" + p + "ServiceCode>"
                + "<" + p + "LinkedID>link-1</" + p + "LinkedID>"
                + "<" + p + "MessageClass>Informational</" + p + "MessageClass>"
                + "<" + p + "ExpiryDate>P2D</" + p + "ExpiryDate>"
                + "<" + p + "DeliveryReport>true</" + p + "DeliveryReport>"
                + "<" + p + "Priority>High</" + p + "Priority>"
                + "<" + p + "Subject>Weather</" + p + "Subject>"
                + extra.replace("<", "<" + p).replace("<" + p + "/", "</" + p)
                + "</" + p + "SubmitReq></env:Body></env:Envelope>";
    }

    private static String simpleSubmit(String tid, String recipients) {
        return submit(REL6, "6.8.0", tid, false, recipients, "");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"REL-5-MM7-1-0", "REL-5-MM7-1-1", "REL-5-MM7-1-2", "REL-5-MM7-1-3", "REL-5-MM7-1-4", "REL-5-MM7-1-5",
            "REL-6-MM7-1-0", "REL-6-MM7-1-1", "REL-6-MM7-1-2", "REL-6-MM7-1-3", "REL-6-MM7-1-4", "REL-6-MM7-6-7", "REL-7-MM7-1-0"})
    void everyReleaseIsAcceptedAndAnsweredInItsOwnNamespaceAndVersion(String release) throws Exception {
        start(news());
        String ns = Mm7Namespace.of(release);
        String version = release.startsWith("REL-5") ? "5.3.0" : "6.5.0";
        for (boolean prefixed : new boolean[] {false, true}) {
            String tid = release + (prefixed ? "-p" : "-d");
            HttpResponse<String> rsp = post(submit(ns, version, tid, prefixed, "<To><Number>90000001</Number></To>", ""));
            assertEquals(200, rsp.statusCode(), rsp.body());
            Mm7Envelope env = answer(rsp);
            assertEquals(ns, env.namespace());
            assertEquals("SubmitRsp", env.operation());
            assertEquals(tid, env.transactionId());
            assertEquals(version, env.version());
            assertEquals(1000, statusCode(env));
            assertTrue(store.message(MessageId.parse(Elements.text(env.body(), "MessageID"))).isPresent());
        }
    }

    @Test
    void everySubmitReqElementReachesTheStoredMessage() throws Exception {
        start(news());
        String recipients = "<To><Number>90000001</Number><Number displayOnly=\"true\">90000077</Number></To>"
                + "<Cc><Number>+4790000002</Number></Cc><Bcc><Number>004790000003</Number></Bcc>";
        String extra = "<ChargedParty>Sender</ChargedParty><DistributionIndicator>false</DistributionIndicator>";
        String xml = submit(REL6, "6.8.0", "tx-all", false, recipients, extra)
                .replace("<Subject>", "<TimeStamp>2026-11-28T10:00:00Z</TimeStamp><ReplyCharging replyChargingSize=\"2000\" replyDeadline=\"P1D\"/>"
                        + "<EarliestDeliveryTime>2026-11-28T11:00:00+01:00</EarliestDeliveryTime><ReadReply>1</ReadReply><Subject>");
        Mm7Envelope env = answer(post(xml));
        assertEquals(1000, statusCode(env), statusText(env));
        Message m = store.message(MessageId.parse(Elements.text(env.body(), "MessageID"))).orElseThrow();
        assertEquals(Address.shortCode("2020"), m.originator());
        assertEquals(List.of(Recipient.to(Address.plmn("+4790000001")), new Recipient(Address.plmn("+4790000002"), Recipient.Kind.CC),
                new Recipient(Address.plmn("+4790000003"), Recipient.Kind.BCC)), m.recipients(), "displayOnly left out, numbers normalised");
        assertEquals("Weather", m.subject().text());
        assertEquals(MessageClass.INFORMATIONAL, m.messageClass());
        assertEquals(Priority.HIGH, m.priority());
        assertEquals(Instant.parse("2026-11-28T10:00:00Z"), m.date());
        assertEquals(TimeSpec.after(Duration.ofDays(2)), m.expiry());
        assertEquals(TimeSpec.at(Instant.parse("2026-11-28T10:00:00Z")), m.earliestDelivery());
        assertTrue(m.deliveryReportRequested());
        assertTrue(m.readReportRequested());
        assertEquals(2000L, m.replyCharging().maxSize());
        assertEquals(TimeSpec.after(Duration.ofDays(1)), m.replyCharging().deadline());
        assertEquals(Interface.MM7, m.origin().iface());
        assertEquals("news", m.origin().vaspId());
        assertEquals("news", m.origin().authenticatedSender());
        assertEquals("weather", m.origin().vasId());
        assertEquals("svc-7", m.origin().serviceCode());
        assertEquals("link-1", m.origin().linkedId());
        assertEquals("tx-all", m.origin().transactionId());
        assertEquals(3, store.deliveries(m.id()).size());
        assertEquals(org.openmmsc.core.model.ChargedParty.SENDER, m.chargedParty());
        assertEquals(Boolean.FALSE, m.distributionIndicator());
        assertFalse(m.forwardable());
    }

    @Test
    void attachmentsBecomeTheMessageParts() throws Exception {
        start(news());
        String envelope = submit(REL6, "6.8.0", "tx-att", true, "<To><Number>90000001</Number></To>",
                "<Content href=\"cid:body@vasp\" allowAdaptations=\"false\"/>");
        String body = "--outer\r\nContent-Type: text/xml; charset=utf-8\r\nContent-ID: <env>\r\n\r\n" + envelope + "\r\n"
                + "--outer\r\nContent-Type: multipart/related; boundary=\"inner\"; type=\"application/smil\"; start=\"<smil>\"\r\nContent-ID: <body@vasp>\r\n\r\n"
                + "--inner\r\nContent-Type: application/smil\r\nContent-ID: <smil>\r\n\r\n<smil/>\r\n"
                + "--inner\r\nContent-Type: text/plain; charset=utf-8\r\nContent-ID: <t1>\r\nContent-Location: t1.txt\r\n\r\nSunny\r\n"
                + "--inner\r\nContent-Type: image/gif\r\nContent-Transfer-Encoding: base64\r\nContent-ID: <g>\r\n\r\nR0lGODlhAQABAAAAACw=\r\n"
                + "--inner--\r\n--outer--\r\n";
        HttpResponse<String> rsp = post("multipart/related; boundary=\"outer\"; type=\"text/xml\"; start=\"<env>\"",
                body.getBytes(StandardCharsets.UTF_8), "news-user", "s3cret");
        Mm7Envelope env = answer(rsp);
        assertEquals(1000, statusCode(env), statusText(env));
        Message m = store.message(MessageId.parse(Elements.text(env.body(), "MessageID"))).orElseThrow();
        assertEquals("multipart/related", m.contentType().mediaType());
        assertEquals("<smil>", m.contentType().parameter("start"));
        assertEquals(3, m.parts().size());
        assertEquals("Sunny", new String(m.parts().get(1).content(), StandardCharsets.UTF_8));
        assertEquals("t1.txt", m.parts().get(1).header("Content-Location"));
        assertEquals("GIF89a", new String(m.parts().get(2).content(), 0, 6, StandardCharsets.US_ASCII), "base64 decoded");
    }

    @Test
    void submitRspIsSentOnlyOnceTheMessageIsDurable() throws Exception {
        start(news());
        storeGate = new CompletableFuture<>();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mm7"))
                .header("Content-Type", "text/xml").header("Authorization", "Basic " + Base64.getEncoder().encodeToString("news-user:s3cret".getBytes()))
                .POST(HttpRequest.BodyPublishers.ofString(simpleSubmit("tx-durable", "<To><Number>90000001</Number></To>"))).build();
        CompletableFuture<HttpResponse<String>> pending = http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        assertFalse(pending.isDone(), "answered before the store said the message is durable");
        storeGate.complete(null);
        Mm7Envelope env = answer(pending.get(5, TimeUnit.SECONDS));
        assertEquals(1000, statusCode(env));
    }

    @Test
    void aRetriedTransactionGetsTheSameMessageIdAndStoresNothingNew() throws Exception {
        start(news());
        String xml = simpleSubmit("tx-retry", "<To><Number>90000001</Number></To>");
        String first = Elements.text(answer(post(xml)).body(), "MessageID");
        String second = Elements.text(answer(post(xml)).body(), "MessageID");
        assertEquals(first, second);
        assertEquals(1, store.messageCount());
    }

    @Test
    void unknownRecipientsGetTheirStatusAndPartlyRoutableMessagesPartialSuccess() throws Exception {
        start(news());
        Mm7Envelope none = answer(post(simpleSubmit("tx-none", "<To><Number>+4411111111</Number><ShortCode>9999</ShortCode></To>")));
        assertEquals("RSErrorRsp", none.operation());
        assertEquals(2003, statusCode(none));
        assertTrue(statusText(none).contains("+4411111111"), statusText(none));
        assertEquals(0, store.messageCount());

        Mm7Envelope some = answer(post(simpleSubmit("tx-some", "<To><Number>90000001</Number><Number>+4411111111</Number></To>")));
        assertEquals(1100, statusCode(some));
        assertTrue(statusText(some).contains("+4411111111"), statusText(some));
        MessageId id = MessageId.parse(Elements.text(some.body(), "MessageID"));
        assertEquals(1, store.deliveries(id).size());

        Mm7Envelope bad = answer(post(simpleSubmit("tx-bad", "<To><RFC2822Address>not an address</RFC2822Address></To>")));
        assertEquals(2002, statusCode(bad));
    }

    @Test
    void requestErrorsEachGetTheirOwnCode() throws Exception {
        start(news());
        HttpResponse<String> malformed = post("<env:Envelope xmlns:env=\"http://schemas.xmlsoap.org/soap/envelope/\"><env:Body><SubmitReq");
        assertEquals(500, malformed.statusCode());
        assertEquals(2007, statusCode(answer(malformed)));
        assertEquals(4004, statusCode(answer(post(simpleSubmit(null, "<To><Number>90000001</Number></To>")))), "no TransactionID");
        assertEquals(4004, statusCode(answer(post(simpleSubmit("tx-norcpt", "")))), "Recipients empty");
        assertEquals(4002, statusCode(answer(post(simpleSubmit("tx-ns", "<To><Number>90000001</Number></To>").replace(REL6, "urn:example:mm7")))));
        assertEquals(4003, statusCode(answer(post(simpleSubmit("tx-op", "<To><Number>90000001</Number></To>").replace("SubmitReq", "QueryStatusReq")))));
        assertEquals(4004, statusCode(answer(post(simpleSubmit("tx-prio", "<To><Number>90000001</Number></To>").replace(">High<", ">Urgent<")))));
        assertEquals(4001, statusCode(answer(post(simpleSubmit("tx-id", "<To><Number>90000001</Number></To>").replace(">news</VASPID>", ">other</VASPID>")))));
        assertEquals(2001, statusCode(answer(post(simpleSubmit("tx-from", "<To><Number>90000001</Number></To>").replace(">2020</ShortCode></SenderAddress>", ">3030</ShortCode></SenderAddress>")))));
        assertEquals(4004, statusCode(answer(post(submit(REL6, "6.8.0", "tx-cid", false, "<To><Number>90000001</Number></To>", "<Content href=\"cid:nothing\"/>")))));
        assertEquals(0, store.messageCount());
        assertEquals(405, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mm7")).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void aStackTraceNeverReachesTheVasp() throws Exception {
        start(news());
        HttpResponse<String> rsp = post("<<<not xml");
        assertFalse(rsp.body().contains("Exception"), rsp.body());
        assertFalse(rsp.body().contains("\tat "), rsp.body());
    }

    @Test
    void cancelWithdrawsAnUndeliveredMessageAndIsRefusedWhenTooLate() throws Exception {
        start(news(), new VaspAccount("other", null, "pw2", null, List.of("3030"), null, null, null, null, null, null, null, null, null));
        String id = Elements.text(answer(post(simpleSubmit("tx-c1", "<To><Number>90000001</Number></To>"))).body(), "MessageID");
        String cancel = "<env:Envelope xmlns:env=\"http://schemas.xmlsoap.org/soap/envelope/\"><env:Header><TransactionID xmlns=\"" + REL6
                + "\">tx-c2</TransactionID></env:Header><env:Body><CancelReq xmlns=\"" + REL6 + "\"><MM7Version>6.8.0</MM7Version>"
                + "<SenderIdentification><VASPID>news</VASPID></SenderIdentification><MessageID>" + id + "</MessageID></CancelReq></env:Body></env:Envelope>";
        Mm7Envelope byOther = answer(post("text/xml", cancel.replace(">news</VASPID>", ">other</VASPID>").getBytes(StandardCharsets.UTF_8), "other", "pw2"));
        assertEquals(2005, statusCode(byOther), "another VASP's message reads as unknown");
        Mm7Envelope ok = answer(post(cancel));
        assertEquals("CancelRsp", ok.operation());
        assertEquals(1000, statusCode(ok));
        assertEquals(DeliveryState.CANCELLED, store.deliveries(MessageId.parse(id)).getFirst().state());
        assertEquals(3001, statusCode(answer(post(cancel))), "too late: nothing left to cancel");
        assertEquals(2005, statusCode(answer(post(cancel.replace(id, "01JZZZZZZZZZZZZZZZZZZZZZZZ")))));
    }

    @Test
    void wrongPasswordIsImproperIdentificationAndStoresNothing() throws Exception {
        start(news());
        HttpResponse<String> rsp = post("text/xml", simpleSubmit("tx-pw", "<To><Number>90000001</Number></To>").getBytes(StandardCharsets.UTF_8), "news-user", "guess");
        assertEquals(401, rsp.statusCode());
        assertTrue(rsp.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
        assertEquals(4001, statusCode(answer(rsp)));
        HttpResponse<String> none = post("text/xml", simpleSubmit("tx-pw", "<To><Number>90000001</Number></To>").getBytes(StandardCharsets.UTF_8), null, null);
        assertEquals(4001, statusCode(answer(none)));
        assertEquals(0, store.messageCount());
    }

    @Test
    void aSourceOutsideTheAllowedBlocksIsDenied() throws Exception {
        start(new VaspAccount("news", "news-user", "s3cret", List.of("10.0.0.0/8"), List.of("2020"), null, null, null, null, null, null, null, null, null));
        HttpResponse<String> rsp = post(simpleSubmit("tx-src", "<To><Number>90000001</Number></To>"));
        assertEquals(403, rsp.statusCode());
        Mm7Envelope env = answer(rsp);
        assertEquals(4007, statusCode(env));
        assertTrue(statusText(env).contains("127.0.0.1"), statusText(env));
        assertEquals(0, store.messageCount());
    }

    @Test
    void overTheThroughputCapIsServiceUnavailable() throws Exception {
        start(new VaspAccount("news", "news-user", "s3cret", null, List.of("2020"), null, 0.01, 2, null, null, null, null, null, null));
        assertEquals(1000, statusCode(answer(post(simpleSubmit("tx-t1", "<To><Number>90000001</Number></To>")))));
        assertEquals(1000, statusCode(answer(post(simpleSubmit("tx-t2", "<To><Number>90000001</Number></To>")))));
        HttpResponse<String> third = post(simpleSubmit("tx-t3", "<To><Number>90000001</Number></To>"));
        assertEquals(503, third.statusCode());
        assertEquals(4006, statusCode(answer(third)));
        assertEquals(2, store.messageCount());
    }

    @Test
    void anOversizedBodyIsRefusedBeforeParsing() throws Exception {
        start(new VaspAccount("news", "news-user", "s3cret", null, List.of("2020"), null, null, null, 4096, null, null, null, null, null));
        String big = simpleSubmit("tx-big", "<To><Number>90000001</Number></To>").replace("<Subject>Weather", "<Subject>" + "x".repeat(5000));
        HttpResponse<String> rsp = post(big);
        assertEquals(413, rsp.statusCode());
        assertEquals(2004, statusCode(answer(rsp)));
        assertEquals(0, store.messageCount());
    }

    @Test
    void externalEntitiesAreRefusedWithoutReadingAnyFile() throws Exception {
        start(news());
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + simpleSubmit("tx-xxe", "<To><Number>90000001</Number></To>").substring(38).replace("<Subject>Weather", "<Subject>&x;");
        long t0 = System.nanoTime();
        HttpResponse<String> rsp = post(xxe);
        Mm7Envelope env = answer(rsp);
        assertEquals(2007, statusCode(env));
        assertFalse(rsp.body().contains("root:"), "file content leaked");
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2));
        assertEquals(0, store.messageCount());
    }

    @Test
    void billionLaughsIsRefusedQuickly() throws Exception {
        start(news());
        StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 10; i++) dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        dtd.append("]>");
        String bomb = dtd + simpleSubmit("tx-lol", "<To><Number>90000001</Number></To>").substring(38).replace("<Subject>Weather", "<Subject>&lol10;");
        long t0 = System.nanoTime();
        Mm7Envelope env = answer(post(bomb));
        assertEquals(2007, statusCode(env));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2), "took too long: expansion was not stopped");
        assertNotNull(statusText(env));
        assertEquals(0, store.messageCount());
    }

    /** A request envelope in REL-6-MM7-1-4 around {@code inner}, as multipart/related with {@code content} as a text part named cid:new when given. */
    private HttpResponse<String> postOperation(String tid, String operation, String inner, String content, String user, String password) throws Exception {
        String xml = "<env:Envelope xmlns:env=\"http://schemas.xmlsoap.org/soap/envelope/\"><env:Header><TransactionID xmlns=\"" + REL6
                + "\">" + tid + "</TransactionID></env:Header><env:Body><" + operation + " xmlns=\"" + REL6 + "\"><MM7Version>6.8.0</MM7Version>"
                + inner + "</" + operation + "></env:Body></env:Envelope>";
        if (content == null) return post("text/xml", xml.getBytes(StandardCharsets.UTF_8), user, password);
        String body = "--b1\r\nContent-Type: text/xml; charset=utf-8\r\nContent-ID: <env>\r\n\r\n" + xml + "\r\n"
                + "--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-ID: <new>\r\n\r\n" + content + "\r\n--b1--\r\n";
        return post("multipart/related; boundary=\"b1\"; type=\"text/xml\"; start=\"<env>\"", body.getBytes(StandardCharsets.UTF_8), user, password);
    }

    private static String sender(String vasp) {
        return "<SenderIdentification><VASPID>" + vasp + "</VASPID></SenderIdentification>";
    }

    @Test
    void replaceSwapsTheContentForRecipientsStillWaitingAndIsRefusedWhenTooLate() throws Exception {
        start(news(), new VaspAccount("other", null, "pw2", null, List.of("3030"), null, null, null, null, null, null, null, null, null));
        String id = Elements.text(answer(post(simpleSubmit("tx-r1", "<To><Number>90000001</Number><Number>90000002</Number></To>"))).body(), "MessageID");
        MessageId messageId = MessageId.parse(id);
        relay.record(new org.openmmsc.core.model.DeliveryKey(messageId, 1), new org.openmmsc.core.relay.RecipientEvent.Retrieved("GET")).join();
        String replace = sender("news") + "<MessageID>" + id + "</MessageID><ServiceCode>svc-9</ServiceCode><ReadReply>true</ReadReply>"
                + "<DistributionIndicator>false</DistributionIndicator><Content href=\"cid:new\"/>";

        Mm7Envelope byOther = answer(postOperation("tx-r2", "ReplaceReq", replace.replace(">news<", ">other<"), "stolen", "other", "pw2"));
        assertEquals(2005, statusCode(byOther), "another VASP's message reads as unknown");
        assertEquals(0, store.message(messageId).orElseThrow().parts().size(), "nothing replaced");

        Mm7Envelope partial = answer(postOperation("tx-r3", "ReplaceReq", replace, "Rain after all", "news-user", "s3cret"));
        assertEquals("ReplaceRsp", partial.operation());
        assertEquals(1100, statusCode(partial), statusText(partial));
        assertTrue(statusText(partial).contains("replaced for 1 recipients; 1 already retrieved"), statusText(partial));
        Message replaced = store.message(messageId).orElseThrow();
        assertEquals("Rain after all", new String(replaced.parts().getFirst().content(), StandardCharsets.UTF_8));
        assertEquals("svc-9", replaced.origin().serviceCode());
        assertTrue(replaced.readReportRequested());
        assertFalse(replaced.forwardable());
        assertEquals("Weather", replaced.subject().text(), "what ReplaceReq cannot carry is kept");

        relay.record(new org.openmmsc.core.model.DeliveryKey(messageId, 0), new org.openmmsc.core.relay.RecipientEvent.Retrieved("GET")).join();
        Mm7Envelope late = answer(postOperation("tx-r4", "ReplaceReq", replace, "Too late", "news-user", "s3cret"));
        assertEquals(3001, statusCode(late));
        assertTrue(statusText(late).contains("too late"), statusText(late));
        assertEquals("Rain after all", new String(store.message(messageId).orElseThrow().parts().getFirst().content(), StandardCharsets.UTF_8));
        assertEquals(2005, statusCode(answer(postOperation("tx-r5", "ReplaceReq", replace.replace(id, "01JZZZZZZZZZZZZZZZZZZZZZZZ"), "x", "news-user", "s3cret"))));
        assertEquals(4004, statusCode(answer(postOperation("tx-r6", "ReplaceReq", sender("news"), null, "news-user", "s3cret"))), "no MessageID");
    }

    @Test
    void replaceRspIsSentOnlyOnceTheReplacementIsDurable() throws Exception {
        start(news());
        String id = Elements.text(answer(post(simpleSubmit("tx-d1", "<To><Number>90000001</Number></To>"))).body(), "MessageID");
        storeGate = new CompletableFuture<>();
        CompletableFuture<HttpResponse<String>> pending = CompletableFuture.supplyAsync(() -> {
            try {
                return postOperation("tx-d2", "ReplaceReq", sender("news") + "<MessageID>" + id + "</MessageID><Content href=\"cid:new\"/>",
                        "Durable", "news-user", "s3cret");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        assertFalse(pending.isDone(), "answered before the store said the replacement is durable");
        storeGate.complete(null);
        Mm7Envelope env = answer(pending.get(5, TimeUnit.SECONDS));
        assertEquals(1000, statusCode(env), statusText(env));
        assertEquals("Durable", new String(store.message(MessageId.parse(id)).orElseThrow().parts().getFirst().content(), StandardCharsets.UTF_8));
    }

    @Test
    void replaceWithAnEarliestDeliveryTimeHoldsBackRecipientsNotYetTried() throws Exception {
        start(news());
        String id = Elements.text(answer(post(simpleSubmit("tx-e1", "<To><Number>90000001</Number></To>"))).body(), "MessageID");
        Mm7Envelope ok = answer(postOperation("tx-e2", "ReplaceReq", sender("news") + "<MessageID>" + id + "</MessageID>"
                + "<EarliestDeliveryTime>PT1H</EarliestDeliveryTime>", null, "news-user", "s3cret"));
        assertEquals(1000, statusCode(ok), statusText(ok));
        Instant next = store.deliveries(MessageId.parse(id)).getFirst().nextAttemptAt();
        assertTrue(next.isAfter(Instant.now().plus(Duration.ofMinutes(59))), "first attempt moved to " + next);
    }

    @Test
    void extendedReplaceAndCancelAnswerInTheirRel6Shape() throws Exception {
        start(news());
        String id = Elements.text(answer(post(simpleSubmit("tx-x1", "<To><Number>90000001</Number></To>"))).body(), "MessageID");
        Mm7Envelope replaced = answer(postOperation("tx-x2", "extendedReplaceReq", "<VASPID>news</VASPID><ReplaceID>" + id + "</ReplaceID>"
                + "<Content href=\"cid:new\"/>", "Extended", "news-user", "s3cret"));
        assertEquals("extendedReplaceRsp", replaced.operation());
        assertEquals(1000, statusCode(replaced));
        assertEquals(id, Elements.text(replaced.body(), "MessageID"));
        assertEquals(List.of("MM7Version", "MessageID", "Status"), Elements.children(replaced.body()).stream().map(Elements::localName).toList());
        assertEquals("Extended", new String(store.message(MessageId.parse(id)).orElseThrow().parts().getFirst().content(), StandardCharsets.UTF_8));

        Mm7Envelope expiry = answer(postOperation("tx-x3", "extendedReplaceReq", "<ReplaceID>" + id + "</ReplaceID><ExpiryDate>P1D</ExpiryDate>",
                null, "news-user", "s3cret"));
        assertEquals(2001, statusCode(expiry));
        assertTrue(statusText(expiry).contains("ExpiryDate"), statusText(expiry));

        Mm7Envelope cancelled = answer(postOperation("tx-x4", "extendedCancelReq", sender("news") + "<CancelID>" + id + "</CancelID>", null,
                "news-user", "s3cret"));
        assertEquals("extendedCancelRsp", cancelled.operation());
        assertEquals(1000, statusCode(cancelled));
        assertEquals(DeliveryState.CANCELLED, store.deliveries(MessageId.parse(id)).getFirst().state());
    }

    @Test
    void reloadedAccountsApplyToTheNextRequestWhileOneUnderWayFinishes() throws Exception {
        start(news());
        storeGate = new CompletableFuture<>();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mm7"))
                .header("Content-Type", "text/xml").header("Authorization", "Basic " + Base64.getEncoder().encodeToString("news-user:s3cret".getBytes()))
                .POST(HttpRequest.BodyPublishers.ofString(simpleSubmit("tx-inflight", "<To><Number>90000001</Number></To>"))).build();
        CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        assertFalse(inFlight.isDone());

        VaspAccount late = new VaspAccount("late", null, "pw3", null, List.of("4040"), null, null, null, null, null, null, null, null, null);
        mm7.reloadVasps(List.of(late));
        assertEquals(List.of("late"), mm7.vasps().stream().map(VaspAccount::id).toList());
        storeGate.complete(null);
        Mm7Envelope finished = answer(inFlight.get(5, TimeUnit.SECONDS));
        assertEquals(1000, statusCode(finished), "the request admitted before the reload is answered, not dropped");

        assertEquals(4001, statusCode(answer(post(simpleSubmit("tx-gone", "<To><Number>90000001</Number></To>")))), "news was removed");
        String lateSubmit = simpleSubmit("tx-late", "<To><Number>90000001</Number></To>").replace(">news</VASPID>", ">late</VASPID>")
                .replace(">2020</ShortCode>", ">4040</ShortCode>");
        Mm7Envelope added = answer(post("text/xml", lateSubmit.getBytes(StandardCharsets.UTF_8), "late", "pw3"));
        assertEquals(1000, statusCode(added), statusText(added));
        assertEquals(2, store.messageCount());

        org.junit.jupiter.api.Assertions.assertThrows(org.openmmsc.core.config.ConfigException.class,
                () -> mm7.reloadVasps(List.of(late, new VaspAccount("late", null, "x", null, null, null, null, null, null, null, null, null, null, null))),
                "an invalid set is refused whole");
        assertEquals(List.of("late"), mm7.vasps().stream().map(VaspAccount::id).toList());
    }
}
