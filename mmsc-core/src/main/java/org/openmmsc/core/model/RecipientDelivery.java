package org.openmmsc.core.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One recipient's delivery of a message: the MMSC's progress ({@link #state}), the recipient's
 * own answer ({@link #recipientStatus}), attempts, when the scheduler next looks at it, and its
 * history.
 *
 * <p>{@code fence} is the optimistic-concurrency token: the store accepts a write only if it
 * carries the fence it currently holds, and every successful write or lease raises it. A node
 * whose lease lapsed therefore cannot overwrite the delivery's new owner. {@code lease} names
 * the node working on it, until when; null when nobody holds it.
 *
 * <p>{@code deliveryReportAllowed} is the recipient's last word on delivery reports (MM1
 * X-Mms-Report-Allowed in m-notifyresp-ind / m-acknowledge-ind); true until it says No. While
 * false, no delivery report about this recipient goes to the originator.
 */
public record RecipientDelivery(
        MessageId messageId,
        int recipientIndex,
        Recipient recipient,
        Route route,
        DeliveryState state,
        RecipientStatus recipientStatus,
        int attempts,
        Instant nextAttemptAt,
        Instant expiresAt,
        String lastError,
        List<DeliveryEvent> history,
        long fence,
        Lease lease,
        boolean deliveryReportAllowed) {

    public record Lease(String owner, Instant until) {
        public Lease {
            Objects.requireNonNull(owner, "lease owner");
            Objects.requireNonNull(until, "lease until");
        }
    }

    /** A delivery whose recipient has not forbidden delivery reports. */
    public RecipientDelivery(MessageId messageId, int recipientIndex, Recipient recipient, Route route, DeliveryState state,
                             RecipientStatus recipientStatus, int attempts, Instant nextAttemptAt, Instant expiresAt, String lastError,
                             List<DeliveryEvent> history, long fence, Lease lease) {
        this(messageId, recipientIndex, recipient, route, state, recipientStatus, attempts, nextAttemptAt, expiresAt, lastError,
                history, fence, lease, true);
    }

    /** History lines kept per delivery; older ones are dropped (the first is always kept). */
    public static final int MAX_HISTORY = 50;

    public RecipientDelivery {
        Objects.requireNonNull(messageId, "messageId");
        if (recipientIndex < 0) throw new IllegalArgumentException("recipient index must not be negative");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(state, "state");
        if (recipientStatus == null) recipientStatus = RecipientStatus.NONE;
        if (attempts < 0) throw new IllegalArgumentException("attempts must not be negative");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (state.isSettled() && nextAttemptAt != null) {
            throw new IllegalArgumentException("a " + state + " delivery has no next attempt");
        }
        if (!state.isSettled() && nextAttemptAt == null) {
            throw new IllegalArgumentException("a " + state + " delivery needs a next attempt time");
        }
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** A new delivery as the relay creates it at acceptance. */
    public static RecipientDelivery accepted(MessageId id, int index, Recipient recipient, Route route,
                                             Instant acceptedAt, Instant firstAttemptAt, Instant expiresAt) {
        DeliveryEvent created = new DeliveryEvent(acceptedAt, null, DeliveryState.ACCEPTED, RecipientStatus.NONE, "accepted for " + route);
        return new RecipientDelivery(id, index, recipient, route, DeliveryState.ACCEPTED, RecipientStatus.NONE, 0,
                firstAttemptAt, expiresAt, null, List.of(created), 0, null);
    }

    /**
     * This delivery moved to {@code next}. Refuses transitions the state machine does not allow.
     *
     * @param nextAttempt when the scheduler looks at it again; must be null for settled states
     */
    public RecipientDelivery moveTo(DeliveryState next, Instant at, Instant nextAttempt, String detail) {
        if (!state.canMoveTo(next)) throw new IllegalTransitionException(state, next);
        String error = next == DeliveryState.WAITING_FOR_RETRY || next == DeliveryState.FAILED || next == DeliveryState.REJECTED
                ? detail : lastError;
        return new RecipientDelivery(messageId, recipientIndex, recipient, route, next, recipientStatus, attempts,
                nextAttempt, expiresAt, error, append(new DeliveryEvent(at, state, next, recipientStatus, detail)), fence, lease, deliveryReportAllowed);
    }

    /** Records what the recipient answered, without changing the MMSC's own state. */
    public RecipientDelivery withRecipientStatus(RecipientStatus status, Instant at, String detail) {
        return new RecipientDelivery(messageId, recipientIndex, recipient, route, state, status, attempts,
                nextAttemptAt, expiresAt, lastError, append(new DeliveryEvent(at, state, state, status, detail)), fence, lease, deliveryReportAllowed);
    }

    public RecipientDelivery withAttempts(int count) {
        return new RecipientDelivery(messageId, recipientIndex, recipient, route, state, recipientStatus, count,
                nextAttemptAt, expiresAt, lastError, history, fence, lease, deliveryReportAllowed);
    }

    public RecipientDelivery withNextAttemptAt(Instant next) {
        return new RecipientDelivery(messageId, recipientIndex, recipient, route, state, recipientStatus, attempts,
                next, expiresAt, lastError, history, fence, lease, deliveryReportAllowed);
    }

    /** What the recipient last said about delivery reports to the originator. */
    public RecipientDelivery withDeliveryReportAllowed(boolean allowed) {
        if (allowed == deliveryReportAllowed) return this;
        return new RecipientDelivery(messageId, recipientIndex, recipient, route, state, recipientStatus, attempts,
                nextAttemptAt, expiresAt, lastError, history, fence, lease, allowed);
    }

    /** The copy a store hands out: its current fence and lease. Only stores call this. */
    public RecipientDelivery withFenceAndLease(long newFence, Lease newLease) {
        return new RecipientDelivery(messageId, recipientIndex, recipient, route, state, recipientStatus, attempts,
                nextAttemptAt, expiresAt, lastError, history, newFence, newLease, deliveryReportAllowed);
    }

    public DeliveryKey key() {
        return new DeliveryKey(messageId, recipientIndex);
    }

    private List<DeliveryEvent> append(DeliveryEvent event) {
        List<DeliveryEvent> next = new ArrayList<>(Math.min(history.size() + 1, MAX_HISTORY));
        if (history.size() + 1 > MAX_HISTORY) {
            next.add(history.getFirst());
            next.addAll(history.subList(history.size() - MAX_HISTORY + 2, history.size()));
        } else {
            next.addAll(history);
        }
        next.add(event);
        return next;
    }
}
