package org.openmmsc.mm1.service;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.RouteKind;
import org.openmmsc.core.spi.DeliveryAgent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery agent for recipients whose handsets cannot do MMS (route LEGACY_SMS, numbers in
 * {@code routing.legacyPrefixes}). Their path — an SMS with a web link to the content — is not built
 * yet, so every such delivery fails at once, for good, with a reason that says so: the delivery
 * ends FAILED and a sender who asked gets a delivery report (Unreachable; Rejected for phones older
 * than MMS 1.2), instead of the delivery waiting for an agent that never comes.
 */
public final class LegacyHandsetAgent implements DeliveryAgent {
    private static final Logger log = LoggerFactory.getLogger(LegacyHandsetAgent.class);
    public static final String REASON = "legacy handset path not available";

    @Override
    public RouteKind routeKind() {
        return RouteKind.LEGACY_SMS;
    }

    @Override
    public CompletionStage<Outcome> deliver(Message message, RecipientDelivery delivery) {
        log.info("delivery {} to {}: {} (SMS with a link is not implemented)", delivery.key(), delivery.recipient().address(), REASON);
        return CompletableFuture.completedFuture(new Outcome.PermanentFailure(REASON + ": "
                + delivery.recipient().address().value() + " is configured as a legacy handset (routing.legacyPrefixes)"));
    }
}
