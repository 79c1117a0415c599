package org.openmmsc.core.model;

import java.util.Objects;

/** Names one recipient delivery: the message and the recipient's position in it. */
public record DeliveryKey(MessageId messageId, int recipientIndex) {
    public DeliveryKey {
        Objects.requireNonNull(messageId, "messageId");
        if (recipientIndex < 0) throw new IllegalArgumentException("recipient index must not be negative");
    }

    @Override
    public String toString() {
        return messageId + "/" + recipientIndex;
    }
}
