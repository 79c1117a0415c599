package org.openmmsc.core.model;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The MMSC's own progress with one recipient. What the recipient said (deferred, forwarded,
 * rejected, read) is a separate {@link RecipientStatus}. A delivery is "settled" when the
 * scheduler has no more work for it: every final state, and HANDED_OFF (the next hop owns it;
 * only a report from there moves it on).
 */
public enum DeliveryState {
    /** Stored, not yet attempted. */
    ACCEPTED,
    /** An attempt failed transiently; the next one is scheduled. */
    WAITING_FOR_RETRY,
    /** The recipient was told (WAP Push) and may fetch it; re-notified until it answers or the message expires. */
    NOTIFIED,
    /**
     * The recipient's phone fetched the content (MM1 GET); the MMSC waits for its m-notifyresp-ind or
     * m-acknowledge-ind, which says whether the sender may have a delivery report (X-Mms-Report-Allowed).
     * The next attempt time is when that wait ends: the scheduler then counts the delivery RETRIEVED.
     */
    FETCHED,
    /** Passed to the next hop (peer MMSC, VASP, mail exchanger), which acknowledged it. */
    HANDED_OFF,
    /** The recipient fetched the content (or a next hop reported it retrieved). Final. */
    RETRIEVED,
    /** The message expired before it was retrieved. Final. */
    EXPIRED,
    /** Refused by the recipient or by the next hop for good. Final. */
    REJECTED,
    /** Gave up: permanent error or retries exhausted. Final. */
    FAILED,
    /** Withdrawn by the originator (MM7 CancelReq, MM1 m-cancel) or the operator. Final. */
    CANCELLED;

    private static final Set<DeliveryState> FINAL = EnumSet.of(RETRIEVED, EXPIRED, REJECTED, FAILED, CANCELLED);
    private static final Map<DeliveryState, Set<DeliveryState>> NEXT = Map.of(
            ACCEPTED, EnumSet.of(WAITING_FOR_RETRY, NOTIFIED, FETCHED, HANDED_OFF, RETRIEVED, EXPIRED, REJECTED, FAILED, CANCELLED),
            WAITING_FOR_RETRY, EnumSet.of(WAITING_FOR_RETRY, NOTIFIED, FETCHED, HANDED_OFF, RETRIEVED, EXPIRED, REJECTED, FAILED, CANCELLED),
            NOTIFIED, EnumSet.of(NOTIFIED, WAITING_FOR_RETRY, FETCHED, RETRIEVED, EXPIRED, REJECTED, FAILED, CANCELLED),
            // Fetched content cannot expire or be cancelled any more; only the phone's answer (or its absence) settles it.
            FETCHED, EnumSet.of(RETRIEVED, REJECTED),
            HANDED_OFF, EnumSet.of(RETRIEVED, EXPIRED, REJECTED, FAILED));

    public boolean isFinal() {
        return FINAL.contains(this);
    }

    public boolean isSettled() {
        return isFinal() || this == HANDED_OFF;
    }

    public boolean canMoveTo(DeliveryState next) {
        return NEXT.getOrDefault(this, Set.of()).contains(next);
    }
}
