package org.openmmsc.mm1.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.openmmsc.mm1.service.Mm1Fixture.ALICE;
import static org.openmmsc.mm1.service.Mm1Fixture.BOB;
import static org.openmmsc.mm1.service.Mm1Fixture.CAROL;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openmmsc.core.model.DeliveryState;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.mm1.Mm1Config;
import org.openmmsc.mm1.codec.MessageBody;
import org.openmmsc.mm1.codec.MmsDecoder;
import org.openmmsc.mm1.codec.MmsField;
import org.openmmsc.mm1.codec.MmsPdu;
import org.openmmsc.mm1.service.Mm1Fixture;
import org.openmmsc.mm1.service.MmsStatus;

/**
 * Hostile MM1 over real HTTP against the Netty listener: each request gets the right MMS answer
 * (never HTTP 500) and nothing is stored or changed.
 */
class Mm1HostileHttpTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Mm1HttpServer server;
    private int port;

    @AfterEach
    void stop() {
        if (server != null) server.close();
        http.close();
    }

    private Mm1Fixture start(Mm1Config config) throws Exception {
        Mm1Fixture node = new Mm1Fixture(config);
        server = new Mm1HttpServer(node.service, config.maxMessageBytes());
        port = server.start("127.0.0.1", 0);
        node.service.baseUrl("http://127.0.0.1:" + port);
        return node;
    }

    private HttpResponse<byte[]> post(byte[] body, String contentType, String msisdn) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Content-Type", contentType).header("X-MSISDN", msisdn)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private MmsPdu.SendConf sendConf(HttpResponse<byte[]> r) throws Exception {
        assertEquals(200, r.statusCode());
        assertEquals("application/vnd.wap.mms-message", r.headers().firstValue("Content-Type").orElse(""));
        return (MmsPdu.SendConf) new MmsDecoder().decode(r.body());
    }

    private MmsPdu.RetrieveConf get(String url, String msisdn) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("X-MSISDN", msisdn).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        return (MmsPdu.RetrieveConf) new MmsDecoder().decode(r.body());
    }

    @Test
    void aSpoofedMsisdnFromOutsideTheTrustedGatewaysIsServiceDeniedAndNothingIsStored() throws Exception {
        // The operator's WAP gateways are in 10/8; this request really comes from loopback.
        Mm1Fixture node = start(new Mm1Config(null, 0, null, List.of("10.0.0.0/8"), null, null, null, null, null, null));
        MmsPdu.SendConf conf = sendConf(post(Mm1Fixture.sendReq("spoof-1").to(BOB).encode(), "application/vnd.wap.mms-message", ALICE));
        assertEquals(MmsStatus.PERMANENT_SERVICE_DENIED, conf.responseStatus(), conf.headers().text(MmsField.RESPONSE_TEXT));
        assertEquals("spoof-1", conf.transactionId());
        // An explicit From naming the spoofed number does not help either.
        conf = sendConf(post(Mm1Fixture.sendReq("spoof-2").from(ALICE + "/TYPE=PLMN").to(BOB).encode(), "application/vnd.wap.mms-message", ALICE));
        assertEquals(MmsStatus.PERMANENT_SERVICE_DENIED, conf.responseStatus());
        assertEquals(0, node.store.messageCount());
    }

    @Test
    void garbageBodiesAreFormatCorruptAndStoreNothing() throws Exception {
        Mm1Fixture node = start(Mm1Config.defaults().withPort(0));
        Random random = new Random(42);
        for (int size : new int[] {1, 17, 512, 4096}) {
            byte[] junk = new byte[size];
            random.nextBytes(junk);
            junk[0] = (byte) (junk[0] & 0x7F); // not a well-known header: plainly not an MMS PDU
            MmsPdu.SendConf conf = sendConf(post(junk, "application/vnd.wap.mms-message", ALICE));
            assertEquals(MmsStatus.PERMANENT_MESSAGE_FORMAT_CORRUPT, conf.responseStatus(), "random " + size + " octets");
        }
        // A real m-send-req cut short in its body: the transaction id is still readable and echoed.
        byte[] whole = Mm1Fixture.sendReq("cut-1").to(BOB).part("image/jpeg", 2000).encode();
        MmsPdu.SendConf cut = sendConf(post(Arrays.copyOf(whole, whole.length - 1000), "application/vnd.wap.mms-message", ALICE));
        assertEquals(MmsStatus.PERMANENT_MESSAGE_FORMAT_CORRUPT, cut.responseStatus());
        assertEquals("cut-1", cut.transactionId());
        // Something that is not MMS at all, under a non-MMS content type.
        byte[] html = "<html><body>GET / HTTP/1.0</body></html>".getBytes(StandardCharsets.US_ASCII);
        assertEquals(MmsStatus.PERMANENT_MESSAGE_FORMAT_CORRUPT, sendConf(post(html, "text/html", ALICE)).responseStatus());
        // An empty body.
        assertEquals(MmsStatus.PERMANENT_MESSAGE_FORMAT_CORRUPT, sendConf(post(new byte[0], "application/vnd.wap.mms-message", ALICE)).responseStatus());
        assertEquals(0, node.store.messageCount());
    }

    @Test
    void aRefusedMediaTypeOrAnOversizedMessageIsContentNotAcceptedAndStoresNothing() throws Exception {
        Mm1Fixture node = start(new Mm1Config(null, 0, null, null, null, 4096, null, null, null, null));
        MmsPdu.SendConf exe = sendConf(post(Mm1Fixture.sendReq("exe-1").to(BOB).part("application/x-msdownload", 64).encode(),
                "application/vnd.wap.mms-message", ALICE));
        assertEquals(MmsStatus.PERMANENT_CONTENT_NOT_ACCEPTED, exe.responseStatus());
        // Just over the limit: still decodable, so the phone gets its own transaction id back.
        MmsPdu.SendConf big = sendConf(post(Mm1Fixture.sendReq("big-1").to(BOB).part("image/jpeg", 5000).encode(),
                "application/vnd.wap.mms-message", ALICE));
        assertEquals(MmsStatus.PERMANENT_CONTENT_NOT_ACCEPTED, big.responseStatus());
        assertEquals("big-1", big.transactionId());
        assertEquals(0, node.store.messageCount());
    }

    @Test
    void forgedAndOtherRecipientsTokensAreRefusedOverHttpAndChangeNothing() throws Exception {
        Mm1Fixture node = start(Mm1Config.defaults().withPort(0));
        MmsPdu.SendConf sent = sendConf(post(Mm1Fixture.sendReq("tok-1").to(BOB).to(CAROL).encode(), "application/vnd.wap.mms-message", ALICE));
        assertEquals(MmsStatus.OK, sent.responseStatus());
        MessageId id = MessageId.parse(sent.messageId());
        List<RecipientDelivery> before = node.store.deliveries(id);
        RecipientDelivery bobs = before.stream().filter(d -> d.recipient().address().value().equals(BOB)).findFirst().orElseThrow();
        RecipientDelivery carols = before.stream().filter(d -> d.recipient().address().value().equals(CAROL)).findFirst().orElseThrow();
        String bobUrl = node.service.contentLocation(bobs.key());
        String carolUrl = node.service.contentLocation(carols.key());
        assertNotEquals(bobUrl, carolUrl);
        String token = bobUrl.substring(bobUrl.lastIndexOf('/') + 1);
        String base = "http://127.0.0.1:" + port + "/";

        // Forged: right message id, wrong MAC (every MAC octet flipped); and a made-up token of the right length.
        char[] forged = token.toCharArray();
        for (int i = 22; i < forged.length; i++) forged[i] = forged[i] == 'A' ? 'B' : 'A';
        assertEquals(MmsStatus.RETRIEVE_PERMANENT_MESSAGE_NOT_FOUND, get(base + new String(forged), BOB).headers().token(MmsField.RETRIEVE_STATUS));
        assertEquals(MmsStatus.RETRIEVE_PERMANENT_MESSAGE_NOT_FOUND, get(base + "x".repeat(token.length()), BOB).headers().token(MmsField.RETRIEVE_STATUS));
        assertEquals(MmsStatus.RETRIEVE_PERMANENT_MESSAGE_NOT_FOUND, get(base + "../../etc/passwd", BOB).headers().token(MmsField.RETRIEVE_STATUS));
        // Bob's own token fetched by Carol, and Carol's by Bob.
        MmsPdu.RetrieveConf stolen = get(bobUrl, CAROL);
        assertEquals(MmsStatus.RETRIEVE_PERMANENT_SERVICE_DENIED, stolen.headers().token(MmsField.RETRIEVE_STATUS));
        assertFalse(stolen.body() instanceof MessageBody.Multipart, "no content leaks with the refusal");
        assertEquals(MmsStatus.RETRIEVE_PERMANENT_SERVICE_DENIED, get(carolUrl, BOB).headers().token(MmsField.RETRIEVE_STATUS));

        assertEquals(1, node.store.messageCount());
        for (RecipientDelivery d : before) {
            RecipientDelivery now = node.store.delivery(d.key()).orElseThrow();
            assertEquals(d.state(), now.state());
            assertNotEquals(DeliveryState.RETRIEVED, now.state());
        }
        // The rightful recipient still gets it.
        assertEquals(id.value(), get(bobUrl, BOB).messageId());
    }
}
