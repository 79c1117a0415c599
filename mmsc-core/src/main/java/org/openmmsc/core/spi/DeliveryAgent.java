package org.openmmsc.core.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.RouteKind;

/**
 * Carries one recipient delivery one step further on its route: notify a local subscriber, forward
 * to a peer MMSC, post to a VASP, send an e-mail. Agents are called at least once per attempt and
 * must tolerate a repeat (a crash between the attempt and its state write repeats it).
 */
public interface DeliveryAgent {

    RouteKind routeKind();

    CompletionStage<Outcome> deliver(Message message, RecipientDelivery delivery);

    /** What an attempt achieved. */
    sealed interface Outcome {
        /** The recipient was told and may fetch the content; look again at {@code recheckAt} (null: route default). */
        record Notified(Instant recheckAt, String detail) implements Outcome {}

        /** The next hop took responsibility; only its report moves the delivery on. */
        record HandedOff(String detail) implements Outcome {}

        /** Delivered outright (the route has no separate retrieval). */
        record Delivered(String detail) implements Outcome {}

        /** Try again later; {@code retryAfter} overrides the backoff when the peer said when (null: backoff). */
        record TransientFailure(String reason, Duration retryAfter) implements Outcome {}

        /** Will never succeed: give up. */
        record PermanentFailure(String reason) implements Outcome {}

        /** The next hop or recipient refused it for good. */
        record Rejected(String reason) implements Outcome {}
    }
}
