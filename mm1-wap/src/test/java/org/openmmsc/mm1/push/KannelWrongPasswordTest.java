package org.openmmsc.mm1.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmmsc.core.model.DeliveryState;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.spi.DeliveryAgent.Outcome;
import org.openmmsc.mm1.Mm1Config;
import org.openmmsc.mm1.codec.MmsDecoder;
import org.openmmsc.mm1.codec.MmsPdu;
import org.openmmsc.mm1.service.Mm1Fixture;
import org.slf4j.LoggerFactory;

/**
 * PAP with wrong credentials against a real Kannel PPG — its own instance, because Kannel's
 * failed-login back-off is process-wide and never resets (it would lock out every other test's
 * pushes): the push is a permanent configuration failure naming the keys to fix, logged as an
 * error, nothing reaches the SMSC, and wapbox stays up.
 */
@Tag("integration")
class KannelWrongPasswordTest {
    @TempDir
    Path dir;

    @Test
    void wrongCredentialsAreAPermanentConfigurationFailureAndWapboxSurvives() throws Exception {
        KannelPpg.requireInstalled();
        Logger agentLog = (Logger) LoggerFactory.getLogger(PapNotificationAgent.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        agentLog.addAppender(logged);
        try (KannelPpg kannel = new KannelPpg(dir)) {
            kannel.start(Duration.ofSeconds(20));
            Mm1Fixture node = new Mm1Fixture();
            byte[] req = Mm1Fixture.sendReq("wrong-pw-1").to(Mm1Fixture.BOB).encode();
            MmsPdu.SendConf conf = (MmsPdu.SendConf) new MmsDecoder().decode(node.service.post(java.net.InetAddress.getLoopbackAddress(),
                    name -> name.equalsIgnoreCase("X-MSISDN") ? Mm1Fixture.ALICE : null, req).get().pdu());
            MessageId id = MessageId.parse(conf.messageId());
            RecipientDelivery delivery = node.store.deliveries(id).getFirst();
            assertEquals(DeliveryState.ACCEPTED, delivery.state());

            for (String[] credentials : List.of(new String[] {KannelPpg.USER, "not-the-password"}, new String[] {"nobody", "x"})) {
                Mm1Config.Ppg ppg = new Mm1Config.Ppg(kannel.papUrl(), credentials[0], credentials[1], "ppg.test", Duration.ofSeconds(5));
                try (PapNotificationAgent agent = new PapNotificationAgent(node.service, ppg)) {
                    Outcome outcome = agent.deliver(node.store.message(id).orElseThrow(), delivery).toCompletableFuture().get();
                    Outcome.PermanentFailure failure = assertInstanceOf(Outcome.PermanentFailure.class, outcome, credentials[0]);
                    assertTrue(failure.reason().contains("mm1.ppg.password"), failure.reason());
                    assertTrue(failure.reason().contains(credentials[0].equals("nobody") ? "HTTP 403" : "HTTP 401"), failure.reason());
                }
                assertTrue(kannel.wapboxAlive(), "wapbox survives a refused login\n" + kannel.logs());
            }
            List<String> errors = logged.list.stream().filter(e -> e.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage).toList();
            assertEquals(2, errors.size(), errors.toString());
            assertTrue(errors.getFirst().contains("refused the MMSC's credentials (HTTP 401)"), errors.getFirst());
            assertEquals(List.of(), kannel.receivers(), "nothing reached the SMSC");
        } finally {
            agentLog.detachAppender(logged);
        }
    }
}
