package org.openmmsc.server.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.mm1.codec.ByteSlice;
import org.openmmsc.mm1.codec.ContentType;
import org.openmmsc.mm1.codec.HeaderValue;
import org.openmmsc.mm1.codec.MessageBody;
import org.openmmsc.mm1.codec.MmsDecoder;
import org.openmmsc.mm1.codec.MmsEncoder;
import org.openmmsc.mm1.codec.MmsField;
import org.openmmsc.mm1.codec.MmsHeaders;
import org.openmmsc.mm1.codec.MmsPdu;
import org.openmmsc.mm1.codec.Parameter;
import org.openmmsc.mm1.codec.Part;
import org.openmmsc.mm1.codec.WapPushSms;
import org.openmmsc.mm1.codec.WspPush;
import org.openmmsc.mm1.codec.WspPushCodec;
import org.openmmsc.mm1.smpp.LabSmsc;
import org.openmmsc.server.MmscServer;
import org.openmmsc.server.config.ConfigLoader;
import org.openmmsc.server.config.MmscConfig;
import org.slf4j.LoggerFactory;

/**
 * A whole node configured to notify +4791… over SMPP (PAP for everyone else): A's phone posts an
 * m-send-req over HTTP, B's notification arrives at the in-test SMSC as WAP Push SMS, B fetches the
 * Content-Location and gets the same parts, B answers Retrieved, and A's delivery report comes
 * back through the SMSC as well.
 */
class Mm1SmppNotificationTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String ALICE = "+4791000001";
    private static final String BOB = "+4791000002";

    @TempDir
    Path dir;

    @Test
    void aMessageToAnSmppRangeIsNotifiedThroughTheSmscAndFetched() throws Exception {
        int mm1Port = freePort();
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        try (LabSmsc smsc = new LabSmsc(0).start()) {
            MmscConfig config = new ConfigLoader().parse("""
                    node: {id: mm1-smpp}
                    store: {directory: "%s"}
                    admin: {port: 0}
                    mm1:
                      port: %d
                      notification:
                        defaultPath: pap
                        ranges: [{prefix: "+4791", path: smpp}]
                      smpp: {host: 127.0.0.1, port: %d, systemId: %s, password: %s, reconnectDelay: 200ms, reconnectMaxDelay: 1s}
                    mm7: {port: 0}
                    smtp: {port: %d}
                    """.formatted(dir.resolve("store").toString().replace("\\", "/"), mm1Port, smsc.port(), LabSmsc.SYSTEM_ID,
                    LabSmsc.PASSWORD, freePort()), "mmsc.yaml");
            byte[] photo = new byte[3000];
            for (int i = 0; i < photo.length; i++) photo[i] = (byte) (i * 13);
            byte[] text = "Dinner at eight?".getBytes(StandardCharsets.US_ASCII);
            MmsPdu.SendReq req = new MmsPdu.SendReq(MmsHeaders.builder().text(MmsField.TRANSACTION_ID, "smpp-1").version(1, 2)
                    .add(MmsField.FROM, new HeaderValue.From(null)).encoded(MmsField.TO, BOB + "/TYPE=PLMN")
                    .token(MmsField.DELIVERY_REPORT, 0x80)
                    .add(MmsField.CONTENT_TYPE, new HeaderValue.ContentTypeValue(ContentType.of(ContentType.MULTIPART_MIXED))).build(),
                    new MessageBody.Multipart(List.of(Part.of(ContentType.of("text/plain", Parameter.of("charset", "us-ascii")), ByteSlice.wrap(text)),
                            Part.of(ContentType.of("image/jpeg"), ByteSlice.wrap(photo)))));

            try (MmscServer server = MmscServer.start(config);
                 HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                URI mm1 = URI.create("http://127.0.0.1:" + mm1Port + "/");
                HttpResponse<byte[]> sent = http.send(HttpRequest.newBuilder(mm1).header("X-MSISDN", ALICE)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new MmsEncoder().encode(req))).build(), HttpResponse.BodyHandlers.ofByteArray());
                MmsPdu.SendConf conf = (MmsPdu.SendConf) new MmsDecoder().decode(sent.body());
                assertEquals(0x80, conf.responseStatus());
                MessageId id = MessageId.parse(conf.messageId());

                // B's notification arrives at the SMSC as WAP Push SMS.
                smsc.await(submits -> submits.stream().anyMatch(s -> s.destination().equals(BOB.substring(1))), PATIENCE);
                MmsPdu.NotificationInd ind = (MmsPdu.NotificationInd) pushedPdu(smsc.shortMessagesTo(BOB.substring(1)));
                assertTrue(ind.contentLocation().startsWith("http://127.0.0.1:" + mm1Port + "/"), ind.contentLocation());

                // B fetches the same parts.
                HttpResponse<byte[]> fetched = http.send(HttpRequest.newBuilder(URI.create(ind.contentLocation())).header("X-MSISDN", BOB).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                MmsPdu.RetrieveConf retrieved = (MmsPdu.RetrieveConf) new MmsDecoder().decode(fetched.body());
                assertEquals(id.value(), retrieved.messageId());
                List<Part> parts = ((MessageBody.Multipart) retrieved.body()).parts();
                assertEquals(2, parts.size());
                assertArrayEquals(text, parts.get(0).data().toByteArray());
                assertArrayEquals(photo, parts.get(1).data().toByteArray());

                // B answers; A asked for a delivery report, and A is in the SMPP range too.
                byte[] notifyResp = new MmsEncoder().encode(new MmsPdu.NotifyRespInd(MmsHeaders.builder()
                        .text(MmsField.TRANSACTION_ID, ind.transactionId()).version(1, 2).token(MmsField.STATUS, 0x81).build(), null));
                assertEquals(200, http.send(HttpRequest.newBuilder(mm1).header("X-MSISDN", BOB)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(notifyResp)).build(), HttpResponse.BodyHandlers.ofByteArray()).statusCode());
                smsc.await(submits -> submits.stream().anyMatch(s -> s.destination().equals(ALICE.substring(1))), PATIENCE);
                MmsPdu.DeliveryInd report = (MmsPdu.DeliveryInd) pushedPdu(smsc.shortMessagesTo(ALICE.substring(1)));
                assertEquals(id.value(), report.headers().text(MmsField.MESSAGE_ID));
                assertEquals(0x81, report.headers().token(MmsField.STATUS), "Retrieved");
                assertEquals(List.of(BOB + "/TYPE=PLMN"), report.headers().addresses(MmsField.TO));
            }
        } finally {
            root.detachAppender(logged);
        }
        assertTrue(logged.list.stream().anyMatch(e -> e.getFormattedMessage().startsWith("SMPP bound as transceiver")), "the log was captured");
        assertEquals(List.of(), logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList(), "no ERROR in the logs, start to stop");
    }

    private static MmsPdu pushedPdu(List<byte[]> sms) throws Exception {
        WspPush push = new WspPushCodec().decode(WapPushSms.reassemble(sms));
        assertTrue(push.isMms());
        return new MmsDecoder().decode(push.data().toByteArray());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

}
