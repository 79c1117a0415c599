package org.openmmsc.mm1.push;

import java.util.concurrent.CompletableFuture;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.spi.DeliveryAgent.Outcome;

/** A way to put an MMS PDU on a phone as WAP Push: through a PPG (PAP) or straight to an SMSC (SMPP). */
public interface WapPushPath {
    /**
     * Pushes {@code mmsPdu} (m-notification-ind, m-delivery-ind, m-read-orig-ind) to {@code to}.
     * {@code Notified} means submitted, never delivered.
     *
     * @param pushId unique per push, for logs and for gateways that refuse repeats
     */
    CompletableFuture<Outcome> push(String pushId, Address to, byte[] mmsPdu);
}
