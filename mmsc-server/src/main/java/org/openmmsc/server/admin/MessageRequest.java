package org.openmmsc.server.admin;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.ContentType;
import org.openmmsc.core.model.EncodedText;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageClass;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.model.Origin;
import org.openmmsc.core.model.Priority;
import org.openmmsc.core.model.Recipient;
import org.openmmsc.core.model.TimeSpec;
import org.openmmsc.core.spi.IdempotencyKey;

/**
 * An operator's injection request after validation: everything a {@link Message} needs except the
 * id and date, which the relay hands out only once the request is known to be good.
 */
public record MessageRequest(
        Address from,
        List<Recipient> recipients,
        EncodedText subject,
        MessageClass messageClass,
        Priority priority,
        TimeSpec expiry,
        TimeSpec earliestDelivery,
        boolean deliveryReport,
        boolean readReport,
        boolean senderHidden,
        String transactionId,
        ContentType contentType,
        List<MessagePart> parts) {

    /** The sender the admin API authenticates every injection as; part of the idempotency key. */
    public static final String ADMIN_SENDER = "admin";

    public MessageRequest {
        Objects.requireNonNull(from, "from");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(contentType, "content type");
        parts = List.copyOf(parts);
    }

    public Message toMessage(MessageId id, Instant date) {
        return new Message(id, from, recipients, subject, messageClass, priority, date, expiry, earliestDelivery,
                deliveryReport, readReport, senderHidden, null, contentType, parts,
                Origin.of(Interface.ADMIN, ADMIN_SENDER, transactionId));
    }

    /** The key that makes a retried injection with the same transaction id answer the first message id. */
    public IdempotencyKey idempotencyKey() {
        return transactionId == null ? null : new IdempotencyKey(Interface.ADMIN, ADMIN_SENDER, transactionId);
    }
}
