package org.openmmsc.core.relay;

import org.openmmsc.core.model.RecipientStatus;

/**
 * Something an interface learned about one recipient's delivery, to be recorded by the relay:
 * the phone fetched the content, the recipient answered a notification, a next hop reported.
 */
public sealed interface RecipientEvent {

    String detail();

    /** The recipient fetched the content (MM1 GET, or a report that it was retrieved). */
    record Retrieved(String detail) implements RecipientEvent {}

    /**
     * The recipient's phone fetched the content and its answer (m-notifyresp-ind or m-acknowledge-ind,
     * which carry X-Mms-Report-Allowed) is still to come. The delivery report waits for that answer;
     * without one by {@code answerBy} the delivery counts as retrieved and is reported as such.
     */
    record Fetched(java.time.Instant answerBy, String detail) implements RecipientEvent {
        public Fetched {
            java.util.Objects.requireNonNull(answerBy, "answerBy");
        }
    }

    /**
     * The recipient answered: retrieved, deferred, rejected, forwarded (m-notifyresp-ind,
     * m-acknowledge-ind, MM4/MM7 reports), and whether the originator may have a delivery report
     * about it (MM1 X-Mms-Report-Allowed; true where the interface has no such field).
     */
    record Answered(RecipientStatus status, boolean deliveryReportAllowed, String detail) implements RecipientEvent {
        public Answered(RecipientStatus status, String detail) {
            this(status, true, detail);
        }
    }

    /** The next hop reported the message expired or undeliverable there. */
    record NextHopFailed(boolean expired, String detail) implements RecipientEvent {}

    /** The originator or the operator withdrew the message before it was delivered. */
    record Cancelled(String detail) implements RecipientEvent {}

    /** A read report: read, or deleted without being read. */
    record ReadReport(RecipientStatus status, String detail) implements RecipientEvent {}
}
