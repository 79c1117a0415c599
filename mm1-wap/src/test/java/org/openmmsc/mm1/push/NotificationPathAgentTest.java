package org.openmmsc.mm1.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openmmsc.core.config.ConfigException;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.spi.DeliveryAgent.Outcome;
import org.openmmsc.mm1.Mm1Config;
import org.openmmsc.mm1.Mm1Config.Notification.PushPath;
import org.openmmsc.mm1.codec.MmsDecoder;
import org.openmmsc.mm1.codec.MmsPdu;
import org.openmmsc.mm1.service.Mm1Fixture;
import org.openmmsc.mm1.smpp.LabSmsc;
import org.openmmsc.mm1.smpp.SmppNotificationAgent;

/** Per-range choice of the notification path: PAP by default, SMPP for +4791…, the longest prefix deciding. */
class NotificationPathAgentTest {
    private static final Mm1Config.Notification RANGES = new Mm1Config.Notification(null, null, "pap",
            List.of(new Mm1Config.Notification.Range("+4791", "smpp"), new Mm1Config.Notification.Range("+47915", "PAP")));

    @Test
    void theLongestMatchingPrefixChoosesThePath() {
        assertEquals(PushPath.SMPP, RANGES.pathFor("+4791000001"));
        assertEquals(PushPath.PAP, RANGES.pathFor("+4791500001"), "a longer prefix overrides");
        assertEquals(PushPath.PAP, RANGES.pathFor("+4790000001"), "the default");
        assertEquals(PushPath.SMPP, new Mm1Config.Notification(null, null, "smpp", null).pathFor("+1555"));
    }

    @Test
    void badChoicesAreRefusedWithTheirKey() {
        assertEquals("defaultPath", assertThrows(ConfigException.class, () -> new Mm1Config.Notification(null, null, "sms", null)).path());
        assertEquals("prefix", assertThrows(ConfigException.class, () -> new Mm1Config.Notification.Range("4791", "smpp")).path());
        assertEquals("path", assertThrows(ConfigException.class, () -> new Mm1Config.Notification.Range("+4791", "ppg")).path());
        assertEquals("ranges[1].prefix", assertThrows(ConfigException.class, () -> new Mm1Config.Notification(null, null, null,
                List.of(new Mm1Config.Notification.Range("+47", "smpp"), new Mm1Config.Notification.Range("+47", "pap")))).path());
        assertEquals("notification", assertThrows(ConfigException.class,
                () -> Mm1Config.defaults().withNotification(RANGES, Mm1Config.Smpp.defaults())).path(), "SMPP named without an SMSC");
    }

    @Test
    void eachRecipientIsNotifiedByItsRangesPath() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (LabSmsc smsc = new LabSmsc(0).start()) {
            Mm1Config.Smpp smpp = Mm1Config.Smpp.loopback(smsc.port(), LabSmsc.SYSTEM_ID, LabSmsc.PASSWORD);
            Mm1Fixture node = new Mm1Fixture(Mm1Config.defaults().withNotification(RANGES, smpp));
            try (PapNotificationAgent pap = new PapNotificationAgent(node.service, Mm1Config.Ppg.defaults(), meters);
                 SmppNotificationAgent sms = new SmppNotificationAgent(node.service, smpp, meters)) {
                NotificationPathAgent agent = new NotificationPathAgent(RANGES, Map.of(PushPath.PAP, pap, PushPath.SMPP, sms), meters);
                byte[] req = Mm1Fixture.sendReq("paths").to("+4791000001").to("+4790000002").encode();
                MmsPdu.SendConf conf = (MmsPdu.SendConf) new MmsDecoder().decode(node.service.post(InetAddress.getLoopbackAddress(),
                        h -> h.equalsIgnoreCase("X-MSISDN") ? Mm1Fixture.ALICE : null, req).get().pdu());
                MessageId id = MessageId.parse(conf.messageId());
                var deliveries = node.store.deliveries(id);

                Outcome viaSmpp = agent.deliver(node.store.message(id).orElseThrow(), deliveries.get(0)).toCompletableFuture().get();
                Outcome viaPap = agent.deliver(node.store.message(id).orElseThrow(), deliveries.get(1)).toCompletableFuture().get();

                assertInstanceOf(Outcome.Notified.class, viaSmpp, viaSmpp.toString());
                assertEquals(List.of("4791000001"), smsc.submits().stream().map(LabSmsc.Submit::destination).toList(), "only +4791… went to the SMSC");
                assertInstanceOf(Outcome.TransientFailure.class, viaPap, "the PAP path has no PPG here: " + viaPap);
                assertTrue(((Outcome.TransientFailure) viaPap).reason().contains("PPG"), viaPap.toString());
                assertEquals(1, counter(meters, "smpp", "Notified"));
                assertEquals(1, counter(meters, "pap", "TransientFailure"));
                assertEquals(PushPath.SMPP, agent.pathFor(Address.plmn("+4791000001")));
            }
        }
    }

    @Test
    void anSmppRangeWithoutAnSmppAgentIsAWiringError() {
        try (PapNotificationAgent pap = new PapNotificationAgent(new Mm1Fixture().service, Mm1Config.Ppg.defaults())) {
            assertThrows(IllegalArgumentException.class, () -> new NotificationPathAgent(RANGES, Map.of(PushPath.PAP, pap), new SimpleMeterRegistry()));
        }
    }

    private static double counter(SimpleMeterRegistry meters, String path, String outcome) {
        Counter c = meters.find("mmsc.mm1.notifications").tag("path", path).tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

}
