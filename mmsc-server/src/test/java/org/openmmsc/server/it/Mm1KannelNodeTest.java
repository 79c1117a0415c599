package org.openmmsc.server.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.mm1.codec.HeaderValue;
import org.openmmsc.mm1.codec.MessageBody;
import org.openmmsc.mm1.codec.MmsDecoder;
import org.openmmsc.mm1.codec.MmsEncoder;
import org.openmmsc.mm1.codec.MmsField;
import org.openmmsc.mm1.codec.MmsHeader;
import org.openmmsc.mm1.codec.MmsHeaders;
import org.openmmsc.mm1.codec.MmsPdu;
import org.openmmsc.mm1.codec.Part;
import org.openmmsc.mm1.codec.WapPushSms;
import org.openmmsc.mm1.codec.WspPushCodec;
import org.openmmsc.mm1.push.KannelPpg;
import org.openmmsc.mm1.service.Mm1Fixture;
import org.openmmsc.mm1.service.Mm1ServiceTestSupport;
import org.openmmsc.mm1.service.MmsStatus;
import org.openmmsc.server.MmscServer;
import org.openmmsc.server.config.ConfigLoader;
import org.openmmsc.server.config.MmscConfig;

/**
 * A whole node, configured only through its YAML, against a real Kannel PPG: A's phone posts the
 * real iPhone m-send-req from the corpus (when present; a built one otherwise), rewritten to B
 * and asking for reports → B's notification arrives at fakesmsc as WAP Push SMS → B fetches the
 * same parts → B answers Retrieved → A's phone gets m-delivery-ind → B's read report reaches A
 * as m-read-orig-ind.
 */
@Tag("integration")
class Mm1KannelNodeTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String ALICE = Mm1Fixture.ALICE;
    private static final String BOB = Mm1Fixture.BOB;
    private static final int YES = 0x80;
    private static final Set<Integer> REWRITTEN = Set.of(MmsField.TO.code(), MmsField.CC.code(), MmsField.BCC.code(),
            MmsField.DELIVERY_REPORT.code(), MmsField.READ_REPORT.code());

    @TempDir
    Path dir;

    @Test
    void aHandsetMessageMakesTheWholeLoopThroughKannel() throws Exception {
        KannelPpg.requireInstalled();
        Path kannelDir = Files.createDirectories(dir.resolve("kannel"));
        try (KannelPpg kannel = new KannelPpg(kannelDir);
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            kannel.start(PATIENCE);
            int mm1Port = freePort();
            MmscConfig config = new ConfigLoader().parse("""
                    node: {id: kannel-node}
                    store: {directory: "%s"}
                    admin: {port: 0}
                    mm1:
                      port: %d
                      publicBaseUrl: "http://127.0.0.1:%d"
                      ppg: {url: "%s", user: "%s", password: "%s", domain: ppg.test, timeout: 5s}
                    mm7: {port: 0}
                    smtp: {port: %d}
                    """.formatted(dir.resolve("store").toString().replace("\\", "/"), mm1Port, mm1Port, kannel.papUrl(),
                    KannelPpg.USER, KannelPpg.PASSWORD, freePort()), "mmsc.yaml");
            MmsPdu.SendReq sent = sendReqToBob();
            List<Part> sentParts = ((MessageBody.Multipart) sent.body()).parts();
            URI mm1 = URI.create("http://127.0.0.1:" + mm1Port + "/");

            try (MmscServer server = MmscServer.start(config)) {
                // A sends.
                MmsPdu.SendConf conf = (MmsPdu.SendConf) new MmsDecoder().decode(post(http, mm1, ALICE, new MmsEncoder().encode(sent)));
                assertEquals(MmsStatus.OK, conf.responseStatus(), conf.headers().text(MmsField.RESPONSE_TEXT));
                MessageId id = MessageId.parse(conf.messageId());

                // B's phone is told by WAP Push SMS and fetches the same parts.
                MmsPdu.NotificationInd ind = (MmsPdu.NotificationInd) awaitPush(kannel, BOB, 0);
                assertTrue(ind.contentLocation().startsWith("http://127.0.0.1:" + mm1Port + "/"), ind.contentLocation());
                HttpResponse<byte[]> fetched = http.send(HttpRequest.newBuilder(URI.create(ind.contentLocation()))
                        .header("X-MSISDN", BOB).build(), HttpResponse.BodyHandlers.ofByteArray());
                MmsPdu.RetrieveConf retrieved = (MmsPdu.RetrieveConf) new MmsDecoder().decode(fetched.body());
                assertEquals(id.value(), retrieved.messageId());
                List<Part> parts = ((MessageBody.Multipart) retrieved.body()).parts();
                assertEquals(sentParts.size(), parts.size());
                for (int i = 0; i < parts.size(); i++) {
                    assertEquals(sentParts.get(i).contentType().mediaType(), parts.get(i).contentType().mediaType(), "part " + i);
                    assertArrayEquals(sentParts.get(i).data().toByteArray(), parts.get(i).data().toByteArray(), "part " + i);
                }

                // B answers; A's phone gets the delivery report.
                byte[] answered = post(http, mm1, BOB, Mm1ServiceTestSupport.notifyResp(ind.transactionId(), MmsStatus.STATUS_RETRIEVED));
                assertEquals(0, answered.length, "m-notifyresp-ind has no reply PDU");
                MmsPdu.DeliveryInd report = (MmsPdu.DeliveryInd) awaitPush(kannel, ALICE, 0);
                assertEquals(id.value(), report.headers().text(MmsField.MESSAGE_ID));
                assertEquals(MmsStatus.STATUS_RETRIEVED, report.headers().token(MmsField.STATUS));

                // B reads it; A's phone gets the read report.
                byte[] readRec = new MmsEncoder().encode(new MmsPdu.ReadRecInd(MmsHeaders.builder().version(1, 2)
                        .text(MmsField.MESSAGE_ID, id.value()).encoded(MmsField.TO, ALICE + "/TYPE=PLMN")
                        .add(MmsField.FROM, new HeaderValue.From(null)).token(MmsField.READ_STATUS, YES).build(), null));
                post(http, mm1, BOB, readRec);
                MmsPdu.ReadOrigInd read = (MmsPdu.ReadOrigInd) awaitPush(kannel, ALICE, 1);
                assertEquals(id.value(), read.headers().text(MmsField.MESSAGE_ID));
                assertEquals(YES, read.headers().token(MmsField.READ_STATUS));
                assertTrue(kannel.wapboxAlive());
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n" + kannel.logs(), e);
            }
        }
    }

    /** The corpus iPhone m-send-req (addressed to a short code) rewritten to B with both reports asked; else a built one. */
    private static MmsPdu.SendReq sendReqToBob() throws Exception {
        String shared = System.getProperty("openmmsc.sharedDir");
        Path iphone = shared == null ? null : Path.of(shared, "corpus", "mm1", "pymessaging_iPhone.mms");
        if (iphone == null || !Files.isRegularFile(iphone)) {
            return (MmsPdu.SendReq) new MmsDecoder().decode(Mm1Fixture.sendReq("node-loop-1").to(BOB).deliveryReport().readReport().encode());
        }
        MmsPdu.SendReq original = (MmsPdu.SendReq) new MmsDecoder().decode(Files.readAllBytes(iphone));
        MmsHeaders.Builder headers = MmsHeaders.builder();
        for (MmsHeader h : original.headers().list()) {
            if (!REWRITTEN.contains(h.code())) headers.add(h);
        }
        headers.encoded(MmsField.TO, BOB + "/TYPE=PLMN").token(MmsField.DELIVERY_REPORT, YES).token(MmsField.READ_REPORT, YES);
        return new MmsPdu.SendReq(headers.build(), original.body());
    }

    private static byte[] post(HttpClient http, URI mm1, String msisdn, byte[] pdu) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(mm1).header("X-MSISDN", msisdn)
                .header("Content-Type", "application/vnd.wap.mms-message")
                .POST(HttpRequest.BodyPublishers.ofByteArray(pdu)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    /** The {@code nth} WAP Push to {@code receiver} that fakesmsc received, reassembled and decoded. */
    private static MmsPdu awaitPush(KannelPpg kannel, String receiver, int nth) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            List<List<byte[]>> pushes = pushesTo(kannel, receiver);
            if (pushes.size() > nth) {
                return new MmsDecoder().decode(new WspPushCodec().decode(WapPushSms.reassemble(pushes.get(nth))).data().toByteArray());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("push " + (nth + 1) + " to " + receiver + " not received; SMS went to " + kannel.receivers());
            }
            Thread.sleep(100);
        }
    }

    /** The complete pushes to one receiver, each as its SMS segments in order. */
    private static List<List<byte[]>> pushesTo(KannelPpg kannel, String receiver) throws Exception {
        List<String> receivers = kannel.receivers();
        List<byte[]> userData = kannel.receivedUserData();
        List<List<byte[]>> pushes = new ArrayList<>();
        List<byte[]> current = new ArrayList<>();
        for (int i = 0; i < Math.min(receivers.size(), userData.size()); i++) {
            if (!receivers.get(i).equals(receiver)) continue;
            current.add(userData.get(i));
            WapPushSms.Segment segment = WapPushSms.parse(userData.get(i));
            if (segment.total() <= 1 || segment.sequence() == segment.total()) {
                pushes.add(current);
                current = new ArrayList<>();
            }
        }
        return pushes;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
