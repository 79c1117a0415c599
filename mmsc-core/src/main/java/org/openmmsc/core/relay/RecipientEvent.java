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

    /** The recipient answered without fetching: deferred, rejected, forwarded (m-notifyresp-ind, MM4/MM7 reports). */
    record Answered(RecipientStatus status, String detail) implements RecipientEvent {}

    /** The next hop reported the message expired or undeliverable there. */
    record NextHopFailed(boolean expired, String detail) implements RecipientEvent {}

    /** The originator or the operator withdrew the message before it was delivered. */
    record Cancelled(String detail) implements RecipientEvent {}

    /** A read report: read, or deleted without being read. */
    record ReadReport(RecipientStatus status, String detail) implements RecipientEvent {}
}
