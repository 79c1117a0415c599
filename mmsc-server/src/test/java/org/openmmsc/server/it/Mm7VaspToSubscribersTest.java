package org.openmmsc.server.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmmsc.mm1.codec.MessageBody;
import org.openmmsc.mm1.codec.MmsDecoder;
import org.openmmsc.mm1.codec.MmsEncoder;
import org.openmmsc.mm1.codec.MmsField;
import org.openmmsc.mm1.codec.MmsHeaders;
import org.openmmsc.mm1.codec.MmsPdu;
import org.openmmsc.mm1.codec.WapPushSms;
import org.openmmsc.mm1.codec.WspPush;
import org.openmmsc.mm1.codec.WspPushCodec;
import org.openmmsc.mm1.push.KannelPpg;
import org.openmmsc.mm7.VaspAccount;
import org.openmmsc.mm7.codec.Elements;
import org.openmmsc.mm7.codec.Mm7Envelope;
import org.openmmsc.mm7.codec.Mm7Namespace;
import org.openmmsc.mm7.codec.Mm7SoapCodec;
import org.openmmsc.server.MmscServer;
import org.openmmsc.server.config.ConfigLoader;

/**
 * A whole node (RocksDB, scheduler, MM1, MM7) and its real neighbours: a VASP (an HTTP server in
 * the test) submits over MM7 to two subscribers with a delivery report requested; each subscriber
 * is notified by WAP Push through a real Kannel PPG and fakesmsc, retrieves over MM1 HTTP GET and
 * answers m-notifyresp-ind — the second after the VASP replaced the content (ReplaceReq), so it
 * fetches the new content with the notification it already had; the VASP then receives a
 * DeliveryReportReq for each with the MessageID it got. Then the configuration file gains a VASP account, which the running node takes in.
 */
@Tag("integration")
class Mm7VaspToSubscribersTest {
    private static final String NS = Mm7Namespace.of("REL-6-MM7-1-4");
    private static final List<String> SUBSCRIBERS = List.of("+4790000001", "+4790000002");
    @TempDir Path dir;
    private final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs = new ch.qos.logback.core.read.ListAppender<>();

    @org.junit.jupiter.api.BeforeEach
    void watchLogs() {
        logs.start();
        rootLogger().addAppender(logs);
    }

    @org.junit.jupiter.api.AfterEach
    void noErrorLogged() {
        rootLogger().detachAppender(logs);
        // As with every real neighbour: a run that logged an ERROR is a failed run, whatever it asserted.
        assertEquals(List.of(), logs.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR)
                .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList());
    }

    private static ch.qos.logback.classic.Logger rootLogger() {
        return (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Test
    void aVaspSubmissionIsNotifiedRetrievedAndReportedBackForEachSubscriber() throws Exception {
        KannelPpg.requireInstalled();
        Path kannelDir = Files.createDirectories(dir.resolve("kannel"));
        List<Mm7Envelope> reports = new CopyOnWriteArrayList<>();
        Mm7SoapCodec codec = new Mm7SoapCodec();
        HttpServer vasp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        vasp.createContext("/mm7", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int code = 1000;
            try {
                reports.add(codec.decode(body, exchange.getRequestHeaders().getFirst("Content-Type")));
            } catch (Exception e) {
                code = 2007;
            }
            byte[] answer = codec.encode(NS, "x", "DeliveryReportRsp", List.of(Mm7SoapCodec.Field.text("MM7Version", "6.8.0"),
                    Mm7SoapCodec.Field.status(code, code == 1000 ? "Success" : "Message format corrupt")));
            exchange.getResponseHeaders().set("Content-Type", "text/xml; charset=utf-8");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        vasp.start();
        try (KannelPpg kannel = new KannelPpg(kannelDir); HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            kannel.start(Duration.ofSeconds(30));
            int mm1Port = freePort();
            int mm7Port = freePort();
            Path file = dir.resolve("mmsc.yaml");
            String yaml = """
                    node: {id: mm7-e2e}
                    store: {directory: "%s"}
                    admin: {port: 0}
                    smtp: {port: %d}
                    mm1:
                      port: %d
                      ppg: {url: "%s", user: %s, password: %s, domain: ppg.test}
                    mm7:
                      port: %d
                      vaspReloadInterval: 200ms
                      vasps:
                        - id: news
                          password: s3cret
                          shortCodes: ["2020"]
                          deliveryUrl: "http://127.0.0.1:%d/mm7"
                    """.formatted(dir.resolve("store").toString().replace("\\", "/"), freePort(), mm1Port, kannel.papUrl(), KannelPpg.USER,
                    KannelPpg.PASSWORD, mm7Port, vasp.getAddress().getPort());
            Files.writeString(file, yaml);
            try (MmscServer server = MmscServer.start(new ConfigLoader().load(file), file)) {
                // The VASP submits: two recipients, a delivery report, content the recipients may not forward.
                String envelope = "<env:Envelope xmlns:env=\"http://schemas.xmlsoap.org/soap/envelope/\"><env:Header>"
                        + "<mm7:TransactionID xmlns:mm7=\"" + NS + "\" env:mustUnderstand=\"1\">e2e-1</mm7:TransactionID></env:Header><env:Body>"
                        + "<SubmitReq xmlns=\"" + NS + "\"><MM7Version>6.8.0</MM7Version><SenderIdentification><VASPID>news</VASPID>"
                        + "<SenderAddress><ShortCode>2020</ShortCode></SenderAddress></SenderIdentification>"
                        + "<Recipients><To><Number>" + SUBSCRIBERS.get(0) + "</Number><Number>" + SUBSCRIBERS.get(1) + "</Number></To></Recipients>"
                        + "<DeliveryReport>true</DeliveryReport><Subject>Headlines</Subject><DistributionIndicator>false</DistributionIndicator>"
                        + "<Content href=\"cid:news\"/></SubmitReq></env:Body></env:Envelope>";
                String body = "--b\r\nContent-Type: text/xml; charset=utf-8\r\nContent-ID: <env>\r\n\r\n" + envelope + "\r\n"
                        + "--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-ID: <news>\r\n\r\nRates unchanged\r\n--b--\r\n";
                HttpResponse<byte[]> submitted = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mm7Port + "/mm7"))
                        .header("Content-Type", "multipart/related; boundary=b; type=\"text/xml\"; start=\"<env>\"")
                        .header("Authorization", basic("news", "s3cret")).POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.UTF_8)))
                        .build(), HttpResponse.BodyHandlers.ofByteArray());
                Mm7Envelope rsp = codec.decode(submitted.body(), "text/xml");
                assertEquals("1000", Elements.text(Elements.child(rsp.body(), "Status"), "StatusCode"), new String(submitted.body(), StandardCharsets.UTF_8));
                String messageId = Elements.text(rsp.body(), "MessageID");

                // Each subscriber's phone gets m-notification-ind through Kannel, fetches, and answers.
                List<byte[]> sms = await(kannel, 2);
                Map<String, MmsPdu.NotificationInd> notified = new TreeMap<>();
                for (int i = 0; i < 2; i++) {
                    WspPush push = new WspPushCodec().decode(WapPushSms.reassemble(List.of(sms.get(i))));
                    notified.put(kannel.receivers().get(i), (MmsPdu.NotificationInd) new MmsDecoder().decode(push.data().toByteArray()));
                }
                assertEquals(SUBSCRIBERS, List.copyOf(notified.keySet()));
                for (String subscriber : SUBSCRIBERS) {
                    String expected = "Rates unchanged";
                    if (subscriber.equals(SUBSCRIBERS.get(1))) {
                        // The first subscriber has it; the second is notified but has not fetched: the VASP replaces the content.
                        String replace = "<env:Envelope xmlns:env=\"http://schemas.xmlsoap.org/soap/envelope/\"><env:Header>"
                                + "<mm7:TransactionID xmlns:mm7=\"" + NS + "\" env:mustUnderstand=\"1\">e2e-r</mm7:TransactionID></env:Header><env:Body>"
                                + "<ReplaceReq xmlns=\"" + NS + "\"><MM7Version>6.8.0</MM7Version><SenderIdentification><VASPID>news</VASPID>"
                                + "</SenderIdentification><MessageID>" + messageId + "</MessageID><Content href=\"cid:news\"/></ReplaceReq></env:Body></env:Envelope>";
                        String replaceBody = "--b\r\nContent-Type: text/xml; charset=utf-8\r\nContent-ID: <env>\r\n\r\n" + replace + "\r\n"
                                + "--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-ID: <news>\r\n\r\nRates cut\r\n--b--\r\n";
                        HttpResponse<byte[]> replaced = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mm7Port + "/mm7"))
                                .header("Content-Type", "multipart/related; boundary=b; type=\"text/xml\"; start=\"<env>\"")
                                .header("Authorization", basic("news", "s3cret"))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(replaceBody.getBytes(StandardCharsets.UTF_8))).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        Mm7Envelope replaceRsp = codec.decode(replaced.body(), "text/xml");
                        assertEquals("ReplaceRsp", replaceRsp.operation(), new String(replaced.body(), StandardCharsets.UTF_8));
                        assertEquals("1100", Elements.text(Elements.child(replaceRsp.body(), "Status"), "StatusCode"),
                                "replaced for the one still waiting, the other already has the original");
                        expected = "Rates cut";
                    }
                    MmsPdu.NotificationInd ind = notified.get(subscriber);
                    HttpResponse<byte[]> fetched = http.send(HttpRequest.newBuilder(URI.create(ind.contentLocation())).header("X-MSISDN", subscriber).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    assertEquals(200, fetched.statusCode());
                    MmsPdu.RetrieveConf conf = (MmsPdu.RetrieveConf) new MmsDecoder().decode(fetched.body());
                    assertEquals(messageId, conf.messageId());
                    assertEquals(0x81, conf.headers().token(MmsField.DISTRIBUTION_INDICATOR), "DistributionIndicator=false reaches the phone as No");
                    byte[] text = switch (conf.body()) {
                        // One text/plain content part: the message is that part, not a multipart.
                        case MessageBody.Opaque o -> o.data().toByteArray();
                        default -> throw new AssertionError("expected the text content, got " + conf.body());
                    };
                    assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), text, "what " + subscriber + " fetched");
                    byte[] notifyResp = new MmsEncoder().encode(new MmsPdu.NotifyRespInd(MmsHeaders.builder()
                            .text(MmsField.TRANSACTION_ID, ind.transactionId()).version(1, 2).token(MmsField.STATUS, 0x81).build(), null));
                    HttpResponse<byte[]> answered = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mm1Port + "/"))
                            .header("X-MSISDN", subscriber).POST(HttpRequest.BodyPublishers.ofByteArray(notifyResp)).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    assertEquals(200, answered.statusCode());
                }

                // The VASP hears of both retrievals, with the MessageID SubmitRsp gave it.
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (reports.size() < 2 && System.nanoTime() < deadline) Thread.sleep(50);
                assertEquals(2, reports.size(), "DeliveryReportReq per subscriber");
                List<String> recipients = new ArrayList<>();
                for (Mm7Envelope report : reports) {
                    assertEquals("DeliveryReportReq", report.operation());
                    assertEquals(NS, report.namespace());
                    assertEquals(messageId, Elements.text(report.body(), "MessageID"));
                    assertEquals("Retrieved", Elements.text(report.body(), "MMStatus"));
                    assertEquals("2020", Elements.text(Elements.child(report.body(), "Sender"), "ShortCode"));
                    recipients.add(Elements.text(Elements.child(report.body(), "Recipient"), "Number"));
                }
                assertEquals(SUBSCRIBERS, recipients.stream().sorted().toList());

                // The operator adds a VASP to the file; the running node takes it in.
                Files.writeString(file, yaml + "    - id: bank\n      password: b4nk\n      shortCodes: [\"3030\"]\n");
                deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (server.mm7().vasps().size() < 2 && System.nanoTime() < deadline) Thread.sleep(50);
                assertEquals(List.of("bank", "news"), server.mm7().vasps().stream().map(VaspAccount::id).sorted().toList());
                HttpResponse<byte[]> bank = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mm7Port + "/mm7"))
                        .header("Content-Type", "text/xml").header("Authorization", basic("bank", "b4nk"))
                        .POST(HttpRequest.BodyPublishers.ofString(envelope.replace(">news<", ">bank<").replace(">2020<", ">3030<")
                                .replace("e2e-1", "e2e-2").replace("<Content href=\"cid:news\"/>", ""))).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals("1000", Elements.text(Elements.child(codec.decode(bank.body(), "text/xml").body(), "Status"), "StatusCode"),
                        new String(bank.body(), StandardCharsets.UTF_8));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n" + kannel.logs(), e);
            }
        } finally {
            vasp.stop(0);
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static List<byte[]> await(KannelPpg kannel, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<byte[]> sms = kannel.receivedUserData();
        while (sms.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            sms = kannel.receivedUserData();
        }
        assertTrue(sms.size() >= count, "expected " + count + " WAP Push SMS, got " + sms.size());
        return sms;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
