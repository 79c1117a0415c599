package org.openmmsc.mm1.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.model.Route;
import org.openmmsc.core.spi.RouteResolver;
import org.openmmsc.mm1.Mm1Config;
import org.openmmsc.mm1.codec.MessageBody;
import org.openmmsc.mm1.codec.MmsDecoder;
import org.openmmsc.mm1.codec.MmsField;
import org.openmmsc.mm1.codec.MmsPdu;
import org.openmmsc.mm1.codec.Part;
import org.openmmsc.mm1.service.Mm1Fixture;
import org.openmmsc.mm1.service.MmsStatus;

/**
 * m-send-req PDUs captured from real handsets (the shared corpus, never copied into the repo),
 * posted to the listener as the phone sent them: m-send-conf Ok, and the stored message has the
 * same parts (count, media types, octets). They are addressed to short codes, so this lab routes
 * short codes to local subscribers.
 */
class Mm1HandsetCorpusTest {
    /** Short codes (and numbers) are this lab's own subscribers. */
    private static final RouteResolver EVERYONE_LOCAL = (recipient, via) -> new RouteResolver.RouteDecision.Routed(Route.local());

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // file, the number the WAP gateway identifies the phone by (an explicit From in the PDU must match it)
            "pymessaging_iPhone.mms, +4790000001",
            "pymessaging_SonyEricssonT310-R201.mms, +4790000001",
            "pymessaging_projekt_exempel.mms, +4790000001",
            "pymessaging_27d0a048cd79555de05283a22372b0eb.mms, +4790000001",
            "pymessaging_SEC-SGHS300M.mms, +4790000001",
            "pymessaging_openwave.mms, +16505550000",
    })
    void aRealHandsetsSendReqIsAcceptedWithItsPartsIntact(String file, String msisdn) throws Exception {
        String shared = System.getProperty("openmmsc.sharedDir");
        Assumptions.assumeTrue(shared != null, "openmmsc.sharedDir not set");
        Path path = Path.of(shared, "corpus", "mm1", file);
        Assumptions.assumeTrue(Files.isRegularFile(path), "corpus file absent: " + path);
        byte[] pdu = Files.readAllBytes(path);
        MmsPdu.SendReq sent = (MmsPdu.SendReq) new MmsDecoder().decode(pdu);
        List<Part> sentParts = ((MessageBody.Multipart) sent.body()).parts();

        Mm1Fixture node = new Mm1Fixture(Mm1Config.defaults().withPort(0), Clock.systemUTC(), EVERYONE_LOCAL);
        try (Mm1HttpServer server = new Mm1HttpServer(node.service, Mm1Config.DEFAULT_MAX_MESSAGE_BYTES);
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            int port = server.start("127.0.0.1", 0);
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .header("Content-Type", "application/vnd.wap.mms-message").header("X-MSISDN", msisdn)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(pdu)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode());
            MmsPdu.SendConf conf = (MmsPdu.SendConf) new MmsDecoder().decode(r.body());
            assertEquals(MmsStatus.OK, conf.responseStatus(), conf.headers().text(MmsField.RESPONSE_TEXT));
            assertEquals(sent.transactionId(), conf.transactionId());

            Message stored = node.store.message(MessageId.parse(conf.messageId())).orElseThrow();
            assertEquals(Address.plmn(msisdn), stored.originator());
            assertEquals(sent.headers().addresses(MmsField.TO).size(), stored.recipients().size());
            List<MessagePart> parts = stored.parts();
            assertEquals(sentParts.size(), parts.size(), "part count");
            for (int i = 0; i < parts.size(); i++) {
                assertEquals(sentParts.get(i).contentType().mediaType(), parts.get(i).contentType().mediaType(), "part " + i + " type");
                assertArrayEquals(sentParts.get(i).data().toByteArray(), parts.get(i).content(), "part " + i + " octets");
            }
            assertEquals(1, node.store.messageCount());
        }
    }
}
