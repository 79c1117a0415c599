package org.openmmsc.core.spi;

import java.time.Instant;
import java.util.Objects;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.Recipient;

/**
 * A delivery or read report owed to a message's originator, raised by the relay once the
 * delivery state it reports is durable.
 */
public record Report(Kind kind, Message message, Recipient recipient, Status status, Instant at, String detail) {
    public enum Kind { DELIVERY, READ }

    /** The MMS report status values (X-Mms-Status / X-Mms-Read-Status / MM7 MMStatus). */
    public enum Status { RETRIEVED, EXPIRED, REJECTED, DEFERRED, FORWARDED, UNREACHABLE, INDETERMINATE, READ, DELETED_WITHOUT_READ }

    public Report {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(at, "at");
        detail = detail == null ? "" : detail;
    }
}
