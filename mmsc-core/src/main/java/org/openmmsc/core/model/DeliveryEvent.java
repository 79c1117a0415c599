package org.openmmsc.core.model;

import java.time.Instant;
import java.util.Objects;

/** One line of a delivery's history: a state change or a recipient answer, with why. */
public record DeliveryEvent(Instant at, DeliveryState from, DeliveryState to, RecipientStatus recipientStatus, String detail) {
    public DeliveryEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(to, "to");
        if (recipientStatus == null) recipientStatus = RecipientStatus.NONE;
        detail = detail == null ? "" : detail;
    }
}
