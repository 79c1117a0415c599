package org.openmmsc.mm1.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmmsc.core.config.RelayConfig;
import org.openmmsc.core.config.RoutingConfig;
import org.openmmsc.core.config.SchedulerConfig;
import org.openmmsc.core.model.DeliveryState;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.relay.StaticRouteResolver;
import org.openmmsc.core.schedule.DeliveryScheduler;
import org.openmmsc.core.spi.MutableClock;
import org.openmmsc.mm1.Mm1Config;
import org.openmmsc.mm1.codec.MmsDecoder;
import org.openmmsc.mm1.codec.MmsField;
import org.openmmsc.mm1.codec.MmsPdu;
import org.openmmsc.mm1.codec.WapPushSms;
import org.openmmsc.mm1.codec.WspPushCodec;
import org.openmmsc.mm1.netty.Mm1HttpServer;
import org.openmmsc.mm1.service.Mm1Fixture;
import org.openmmsc.mm1.service.MmsStatus;

/**
 * A message B never fetches expires, and A, who asked for a delivery report, gets m-delivery-ind
 * with X-Mms-Status Expired through the real Kannel PPG. Time is a test clock; the scheduler is
 * driven pass by pass.
 */
@Tag("integration")
class KannelExpiryTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void anUnretrievedMessageExpiresAndTheSenderGetsAnExpiredDeliveryReport() throws Exception {
        KannelPpg.requireInstalled();
        MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
        try (KannelPpg kannel = new KannelPpg(dir)) {
            kannel.start(PATIENCE);
            Mm1Config.Ppg ppg = new Mm1Config.Ppg(kannel.papUrl(), KannelPpg.USER, KannelPpg.PASSWORD, "ppg.test", Duration.ofSeconds(5));
            Mm1Fixture node = new Mm1Fixture(new Mm1Config(null, 0, null, null, null, null, null, null, null, ppg), clock,
                    new StaticRouteResolver(RoutingConfig.defaults()));
            Mm1HttpServer server = new Mm1HttpServer(node.service, Mm1Config.DEFAULT_MAX_MESSAGE_BYTES);
            PapNotificationAgent agent = new PapNotificationAgent(node.service, ppg);
            DeliveryScheduler scheduler = new DeliveryScheduler(node.store, node.relay, List.of(agent), SchedulerConfig.defaults(),
                    clock, "kannel-expiry-test", new SimpleMeterRegistry(), new Random(3));
            try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                int port = server.start("127.0.0.1", 0);
                node.service.baseUrl("http://127.0.0.1:" + port);
                node.relay.registerReportSink(new PapReportSink(agent, node.service));

                MmsPdu.SendConf conf = (MmsPdu.SendConf) new MmsDecoder().decode(node.service.post(InetAddress.getLoopbackAddress(),
                        h -> h.equalsIgnoreCase("X-MSISDN") ? Mm1Fixture.ALICE : null,
                        Mm1Fixture.sendReq("expiry-1").to(Mm1Fixture.BOB).deliveryReport().encode()).get().pdu());
                assertEquals(MmsStatus.OK, conf.responseStatus());
                MessageId id = MessageId.parse(conf.messageId());
                RecipientDelivery accepted = node.store.deliveries(id).getFirst();
                assertEquals(clock.instant().plus(RelayConfig.DEFAULT_EXPIRY), accepted.expiresAt(), "no Expiry asked: the relay's default");

                // First pass: B is notified through Kannel, and never answers.
                assertEquals(1, scheduler.runOnce());
                assertTrue(scheduler.awaitIdle(PATIENCE));
                List<byte[]> sms = awaitSms(kannel, 1);
                assertEquals(List.of(Mm1Fixture.BOB), kannel.receivers());
                MmsPdu.NotificationInd ind = (MmsPdu.NotificationInd) new MmsDecoder().decode(
                        new WspPushCodec().decode(WapPushSms.reassemble(List.of(sms.getFirst()))).data().toByteArray());
                assertEquals(DeliveryState.NOTIFIED, node.store.deliveries(id).getFirst().state());

                // Just before expiry nothing has expired and A has been told nothing.
                clock.set(accepted.expiresAt().minusSeconds(1));
                scheduler.runOnce();
                assertTrue(scheduler.awaitIdle(PATIENCE));
                assertTrue(node.store.deliveries(id).getFirst().state() != DeliveryState.EXPIRED);
                assertTrue(kannel.receivers().stream().noneMatch(Mm1Fixture.ALICE::equals), "A told too early: " + kannel.receivers());

                // Past expiry the scheduler expires B's delivery and A's phone gets the report.
                clock.set(accepted.expiresAt().plusSeconds(1));
                assertEquals(1, scheduler.runOnce());
                assertTrue(scheduler.awaitIdle(PATIENCE));
                RecipientDelivery expired = node.store.deliveries(id).getFirst();
                assertEquals(DeliveryState.EXPIRED, expired.state(), expired.history().toString());
                List<byte[]> all = awaitSmsTo(kannel, Mm1Fixture.ALICE);
                int at = kannel.receivers().indexOf(Mm1Fixture.ALICE);
                MmsPdu.DeliveryInd report = (MmsPdu.DeliveryInd) new MmsDecoder().decode(
                        new WspPushCodec().decode(WapPushSms.reassemble(List.of(all.get(at)))).data().toByteArray());
                assertEquals(id.value(), report.headers().text(MmsField.MESSAGE_ID));
                assertEquals(MmsStatus.STATUS_EXPIRED, report.headers().token(MmsField.STATUS));
                assertEquals(List.of(Mm1Fixture.BOB + "/TYPE=PLMN"), report.headers().addresses(MmsField.TO));
                assertEquals(1, kannel.receivers().stream().filter(Mm1Fixture.ALICE::equals).count(), "one report: " + kannel.receivers());

                // B's phone, late, fetches the old Content-Location: not found, and nothing changes.
                HttpResponse<byte[]> late = http.send(HttpRequest.newBuilder(URI.create(ind.contentLocation()))
                        .header("X-MSISDN", Mm1Fixture.BOB).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, late.statusCode());
                MmsPdu.RetrieveConf lateConf = (MmsPdu.RetrieveConf) new MmsDecoder().decode(late.body());
                assertEquals(MmsStatus.RETRIEVE_PERMANENT_MESSAGE_NOT_FOUND, lateConf.headers().token(MmsField.RETRIEVE_STATUS));
                assertEquals(DeliveryState.EXPIRED, node.store.deliveries(id).getFirst().state());
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

    private static List<byte[]> awaitSms(KannelPpg kannel, int atLeast) throws Exception {
        return kannel.awaitUserData(atLeast, PATIENCE);
    }

    private static List<byte[]> awaitSmsTo(KannelPpg kannel, String receiver) throws Exception {
        return kannel.awaitUserDataTo(receiver, PATIENCE);
    }
}
