package org.openmmsc.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecipientDeliveryTest {
    private final Instant t0 = Instant.parse("2026-11-28T12:00:00Z");
    private final RecipientDelivery accepted = RecipientDelivery.accepted(MessageId.generate(Clock.systemUTC()), 0,
            Recipient.to(Address.plmn("+4790000002")), Route.local(), t0, t0, t0.plusSeconds(3600));

    @Test
    void followsTheNotifyThenRetrievePath() {
        RecipientDelivery notified = accepted.moveTo(DeliveryState.NOTIFIED, t0, t0.plusSeconds(60), "push accepted by PPG");
        RecipientDelivery retrieved = notified.moveTo(DeliveryState.RETRIEVED, t0.plusSeconds(5), null, "fetched");
        assertEquals(DeliveryState.RETRIEVED, retrieved.state());
        assertNull(retrieved.nextAttemptAt());
        assertEquals(3, retrieved.history().size());
        assertEquals(DeliveryState.NOTIFIED, retrieved.history().get(2).from());
    }

    @Test
    void refusesIllegalTransitions() {
        RecipientDelivery retrieved = accepted.moveTo(DeliveryState.RETRIEVED, t0, null, "x");
        assertThrows(IllegalTransitionException.class, () -> retrieved.moveTo(DeliveryState.NOTIFIED, t0, t0, "again"));
        assertThrows(IllegalTransitionException.class, () -> accepted.moveTo(DeliveryState.ACCEPTED, t0, t0, "back"));
        RecipientDelivery handedOff = accepted.moveTo(DeliveryState.HANDED_OFF, t0, null, "peer took it");
        assertThrows(IllegalTransitionException.class, () -> handedOff.moveTo(DeliveryState.WAITING_FOR_RETRY, t0, t0, "no"));
        assertThrows(IllegalTransitionException.class, () -> handedOff.moveTo(DeliveryState.CANCELLED, t0, null, "too late"));
    }

    @Test
    void settledStatesHaveNoNextAttemptAndOthersNeedOne() {
        assertThrows(IllegalArgumentException.class, () -> accepted.moveTo(DeliveryState.FAILED, t0, t0, "x"));
        assertThrows(IllegalArgumentException.class, () -> accepted.moveTo(DeliveryState.WAITING_FOR_RETRY, t0, null, "x"));
        assertTrue(DeliveryState.HANDED_OFF.isSettled());
        assertFalse(DeliveryState.HANDED_OFF.isFinal());
    }

    @Test
    void recipientAnswersAreKeptApartFromTheMmscState() {
        RecipientDelivery notified = accepted.moveTo(DeliveryState.NOTIFIED, t0, t0.plusSeconds(60), "pushed");
        RecipientDelivery deferred = notified.withRecipientStatus(RecipientStatus.DEFERRED, t0, "m-notifyresp-ind Deferred");
        assertEquals(DeliveryState.NOTIFIED, deferred.state());
        assertEquals(RecipientStatus.DEFERRED, deferred.recipientStatus());
        assertEquals(RecipientStatus.DEFERRED, deferred.history().getLast().recipientStatus());
    }

    @Test
    void historyIsBoundedAndKeepsItsFirstLine() {
        RecipientDelivery d = accepted;
        for (int i = 0; i < 200; i++) d = d.moveTo(DeliveryState.WAITING_FOR_RETRY, t0, t0, "retry " + i);
        assertEquals(RecipientDelivery.MAX_HISTORY, d.history().size());
        assertEquals(DeliveryState.ACCEPTED, d.history().getFirst().to());
        assertEquals("retry 199", d.history().getLast().detail());
        assertEquals("retry 199", d.lastError());
    }
}
