package org.openmmsc.mm1.push;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmmsc.core.config.SchedulerConfig;
import org.openmmsc.core.model.DeliveryState;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.schedule.DeliveryScheduler;
import org.openmmsc.mm1.Mm1Config;
import org.openmmsc.mm1.codec.MessageBody;
import org.openmmsc.mm1.codec.MmsDecoder;
import org.openmmsc.mm1.codec.MmsField;
import org.openmmsc.mm1.codec.MmsPdu;
import org.openmmsc.mm1.codec.Part;
import org.openmmsc.mm1.codec.WapPushSms;
import org.openmmsc.mm1.codec.WspPush;
import org.openmmsc.mm1.codec.WspPushCodec;
import org.openmmsc.mm1.netty.Mm1HttpServer;
import org.openmmsc.mm1.service.Mm1Fixture;
import org.openmmsc.mm1.service.MmsStatus;

/**
 * The whole MM1 loop against a real Kannel PPG: A posts m-send-req → B's m-notification-ind
 * arrives at fakesmsc as a WAP Push SMS → B fetches the Content-Location → B answers with
 * m-notifyresp-ind → B's delivery is RETRIEVED.
 */
@Tag("integration")
class KannelEndToEndTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aMessageTravelsFromAThroughKannelToBAndIsRetrieved() throws Exception {
        KannelPpg.requireInstalled();
        try (KannelPpg kannel = new KannelPpg(dir)) {
            kannel.start(PATIENCE);
            Mm1Config.Ppg ppg = new Mm1Config.Ppg(kannel.papUrl(), KannelPpg.USER, KannelPpg.PASSWORD, "ppg.test", Duration.ofSeconds(5));
            Mm1Fixture node = new Mm1Fixture(new Mm1Config(null, 0, null, null, null, null, null, null, null, ppg));
            Mm1HttpServer server = new Mm1HttpServer(node.service, Mm1Config.DEFAULT_MAX_MESSAGE_BYTES);
            PapNotificationAgent agent = new PapNotificationAgent(node.service, ppg);
            DeliveryScheduler scheduler = new DeliveryScheduler(node.store, node.relay, List.of(agent), SchedulerConfig.defaults(),
                    node.clock, "kannel-test", new SimpleMeterRegistry(), new Random(1));
            try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                int port = server.start("127.0.0.1", 0);
                node.service.baseUrl("http://127.0.0.1:" + port);
                node.relay.registerReportSink(new PapReportSink(agent, node.service));
                scheduler.start();

                // A sends.
                byte[] sendReq = Mm1Fixture.sendReq("kannel-1").to(Mm1Fixture.BOB).deliveryReport().readReport().encode();
                HttpResponse<byte[]> sent = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .header("X-MSISDN", Mm1Fixture.ALICE).POST(HttpRequest.BodyPublishers.ofByteArray(sendReq)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                MmsPdu.SendConf conf = (MmsPdu.SendConf) new MmsDecoder().decode(sent.body());
                assertEquals(MmsStatus.OK, conf.responseStatus());
                MessageId id = MessageId.parse(conf.messageId());

                // B's phone gets the notification as WAP Push SMS.
                List<byte[]> sms = awaitSms(kannel, 1);
                assertEquals(1, sms.size(), "a typical notification is one SMS");
                assertEquals(List.of(Mm1Fixture.BOB), kannel.receivers());
                WapPushSms.Segment segment = WapPushSms.parse(sms.getFirst());
                assertEquals(WapPushSms.WAP_PUSH_PORT, segment.destinationPort());
                WspPush push = new WspPushCodec().decode(WapPushSms.reassemble(sms));
                assertTrue(push.isMms(), "pushed to the MMS user agent");
                MmsPdu.NotificationInd ind = (MmsPdu.NotificationInd) new MmsDecoder().decode(push.data().toByteArray());
                assertTrue(kannel.wapboxAlive());

                // B fetches it.
                HttpResponse<byte[]> fetched = http.send(HttpRequest.newBuilder(URI.create(ind.contentLocation()))
                        .header("X-MSISDN", Mm1Fixture.BOB).build(), HttpResponse.BodyHandlers.ofByteArray());
                MmsPdu.RetrieveConf retrieved = (MmsPdu.RetrieveConf) new MmsDecoder().decode(fetched.body());
                assertEquals(id.value(), retrieved.messageId());
                Message original = node.store.message(id).orElseThrow();
                List<Part> parts = ((MessageBody.Multipart) retrieved.body()).parts();
                assertEquals(original.parts().size(), parts.size());
                for (int i = 0; i < parts.size(); i++) assertArrayEquals(original.parts().get(i).content(), parts.get(i).data().toByteArray());

                // B answers the notification.
                byte[] notifyResp = org.openmmsc.mm1.service.Mm1ServiceTestSupport.notifyResp(ind.transactionId(), MmsStatus.STATUS_RETRIEVED);
                HttpResponse<byte[]> answered = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .header("X-MSISDN", Mm1Fixture.BOB).POST(HttpRequest.BodyPublishers.ofByteArray(notifyResp)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, answered.statusCode());
                assertEquals(0, answered.body().length);
                RecipientDelivery d = node.store.deliveries(id).getFirst();
                assertEquals(DeliveryState.RETRIEVED, d.state());
                assertTrue(d.history().stream().anyMatch(e -> e.to() == DeliveryState.NOTIFIED), "notified before retrieval: " + d.history());

                // A asked for a delivery report: m-delivery-ind (Retrieved) reaches A's phone the same way.
                List<byte[]> all = awaitSms(kannel, 2);
                assertEquals(List.of(Mm1Fixture.BOB, Mm1Fixture.ALICE), kannel.receivers());
                WspPush reportPush = new WspPushCodec().decode(WapPushSms.reassemble(List.of(all.get(1))));
                MmsPdu.DeliveryInd report = (MmsPdu.DeliveryInd) new MmsDecoder().decode(reportPush.data().toByteArray());
                assertEquals(id.value(), report.headers().text(MmsField.MESSAGE_ID));
                assertEquals(MmsStatus.STATUS_RETRIEVED, report.headers().token(MmsField.STATUS));
                assertEquals(List.of(Mm1Fixture.BOB + "/TYPE=PLMN"), report.headers().addresses(MmsField.TO));

                // B reads it and says so: A gets m-read-orig-ind.
                byte[] readRec = new org.openmmsc.mm1.codec.MmsEncoder().encode(new MmsPdu.ReadRecInd(org.openmmsc.mm1.codec.MmsHeaders.builder()
                        .version(1, 2).text(MmsField.MESSAGE_ID, id.value()).encoded(MmsField.TO, Mm1Fixture.ALICE + "/TYPE=PLMN")
                        .add(MmsField.FROM, new org.openmmsc.mm1.codec.HeaderValue.From(null)).token(MmsField.READ_STATUS, 0x80).build(), null));
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).header("X-MSISDN", Mm1Fixture.BOB)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(readRec)).build(), HttpResponse.BodyHandlers.ofByteArray());
                List<byte[]> withRead = awaitSms(kannel, 3);
                assertEquals(List.of(Mm1Fixture.BOB, Mm1Fixture.ALICE, Mm1Fixture.ALICE), kannel.receivers());
                MmsPdu.ReadOrigInd read = (MmsPdu.ReadOrigInd) new MmsDecoder().decode(
                        new WspPushCodec().decode(WapPushSms.reassemble(List.of(withRead.get(2)))).data().toByteArray());
                assertEquals(id.value(), read.headers().text(MmsField.MESSAGE_ID));
                assertEquals(0x80, read.headers().token(MmsField.READ_STATUS));
                assertTrue(kannel.wapboxAlive());
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n" + kannel.logs(), e);
            } finally {
                scheduler.stop(Duration.ofSeconds(2));
                server.close();
                agent.close();
            }
        }
    }

    @Test
    void whileThePpgIsDownTheNotificationIsRetriedAndArrivesOnceItIsUp() throws Exception {
        KannelPpg.requireInstalled();
        try (KannelPpg kannel = new KannelPpg(dir)) {
            Mm1Config.Ppg ppg = new Mm1Config.Ppg(kannel.papUrl(), KannelPpg.USER, KannelPpg.PASSWORD, "ppg.test", Duration.ofSeconds(2));
            Mm1Fixture node = new Mm1Fixture(new Mm1Config(null, 0, null, null, null, null, null, null, null, ppg));
            PapNotificationAgent agent = new PapNotificationAgent(node.service, ppg);
            org.openmmsc.core.config.RoutePolicy quick = new org.openmmsc.core.config.RoutePolicy(null, 100, Duration.ofMillis(200),
                    Duration.ofMillis(300), 0.0, null, null);
            DeliveryScheduler scheduler = new DeliveryScheduler(node.store, node.relay, List.of(agent),
                    new SchedulerConfig(Duration.ofMillis(50), null, null, Duration.ofSeconds(5), null,
                            java.util.Map.of(org.openmmsc.core.model.RouteKind.LOCAL_MM1, quick)),
                    node.clock, "kannel-retry-test", new SimpleMeterRegistry(), new Random(2));
            try {
                scheduler.start();
                MmsPdu.SendConf conf = (MmsPdu.SendConf) new MmsDecoder().decode(node.service.post(java.net.InetAddress.getLoopbackAddress(),
                        h -> h.equalsIgnoreCase("X-MSISDN") ? Mm1Fixture.ALICE : null, Mm1Fixture.sendReq("retry-1").to(Mm1Fixture.BOB).encode()).get().pdu());
                MessageId id = MessageId.parse(conf.messageId());
                long deadline = System.nanoTime() + PATIENCE.toNanos();
                while (node.store.deliveries(id).getFirst().state() != DeliveryState.WAITING_FOR_RETRY) {
                    assertTrue(System.nanoTime() < deadline, "no failed attempt while the PPG is down");
                    Thread.sleep(20);
                }
                kannel.start(PATIENCE);
                List<byte[]> sms = awaitSms(kannel, 1);
                assertEquals(List.of(Mm1Fixture.BOB), kannel.receivers().subList(0, 1));
                MmsPdu.NotificationInd ind = (MmsPdu.NotificationInd) new MmsDecoder().decode(
                        new WspPushCodec().decode(WapPushSms.reassemble(List.of(sms.getFirst()))).data().toByteArray());
                assertEquals(node.service.contentLocation(node.store.deliveries(id).getFirst().key()), ind.contentLocation());
                RecipientDelivery d = node.store.deliveries(id).getFirst();
                assertTrue(d.attempts() >= 2, "attempts: " + d.attempts());
                assertTrue(d.history().stream().anyMatch(e -> e.to() == DeliveryState.NOTIFIED), d.history().toString());
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n" + kannel.logs(), e);
            } finally {
                scheduler.stop(Duration.ofSeconds(2));
                agent.close();
            }
        }
    }

    private static List<byte[]> awaitSms(KannelPpg kannel, int atLeast) throws Exception {
        return kannel.awaitUserData(atLeast, PATIENCE);
    }
}
