package org.openmmsc.core.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.openmmsc.core.model.DeliveryKey;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.RecipientDelivery;

/**
 * MM2: where accepted messages and their recipient deliveries live. Its behaviour is written
 * once in {@code MessageStoreContract} (core's test-jar); every implementation runs it.
 *
 * <p>Durability: a future returned by {@link #put} or a write method completes only after the
 * data is on stable storage (synced), unless the store was opened with syncing explicitly off.
 * Implementations share one sync among concurrent writers (group commit).
 */
public interface MessageStore extends AutoCloseable {

    /** Outcome of {@link #put}: the id the message is stored under, and whether it is new. */
    record PutResult(MessageId id, boolean duplicate) {}

    /**
     * Stores a message, its content and its deliveries atomically. With an idempotency key that
     * the store already holds and that has not expired, stores nothing and answers the earlier
     * id with {@code duplicate = true}.
     *
     * @param idempotencyExpiresAt when the key may be forgotten (ignored without a key)
     */
    CompletableFuture<PutResult> put(Message message, List<RecipientDelivery> deliveries,
                                     IdempotencyKey key, Instant idempotencyExpiresAt);

    Optional<Message> message(MessageId id);

    /** The message's deliveries in recipient order; empty if the message is unknown. */
    List<RecipientDelivery> deliveries(MessageId id);

    Optional<RecipientDelivery> delivery(DeliveryKey key);

    /** The id stored under an unexpired idempotency key. */
    Optional<MessageId> findByIdempotencyKey(IdempotencyKey key, Instant now);

    /**
     * Takes up to {@code max} deliveries that are due ({@code nextAttemptAt <= now}, not settled)
     * and not under another node's unexpired lease, leasing each to {@code owner} until
     * {@code now + leaseDuration}. Each lease raises the delivery's fence; the returned copies
     * carry the new fence. Earliest due first.
     */
    List<RecipientDelivery> leaseDue(Instant now, int max, String owner, Duration leaseDuration);

    /**
     * Writes a delivery's new state if its {@code fence} equals the stored one (compare and set),
     * and releases any lease. Returns the stored copy with its raised fence.
     *
     * @throws StaleFenceException if the stored fence differs
     */
    default CompletableFuture<RecipientDelivery> update(RecipientDelivery delivery) {
        return update(delivery, List.of());
    }

    /**
     * A message to store in the same atomic write as a delivery update: what the update obliges
     * the MMSC to send next (a report to the originator), so that a crash cannot keep the one
     * and lose the other.
     */
    record NewMessage(Message message, List<RecipientDelivery> deliveries, IdempotencyKey key, Instant keyExpiresAt) {
        public NewMessage {
            deliveries = List.copyOf(deliveries);
        }
    }

    /**
     * Like {@link #update(RecipientDelivery)}, and stores each of {@code alsoStore} (as {@link #put}
     * would) in the same atomic, durable write: all of it or, on a stale fence or failure, none
     * of it. A message whose unexpired idempotency key the store already holds is skipped.
     *
     * @throws StaleFenceException if the stored fence differs
     */
    CompletableFuture<RecipientDelivery> update(RecipientDelivery delivery, List<NewMessage> alsoStore);

    /**
     * When {@link #leaseDue} may next return something: the earliest {@code nextAttemptAt} among
     * unsettled, unleased deliveries, or the end of a lease for a leased one (it becomes takeable
     * then). Lets the scheduler sleep until there is work, without spinning on work another node holds.
     */
    Optional<Instant> nextDueTime();

    /** Unsettled deliveries (the queue depth). */
    long pendingDeliveries();

    /** Messages held. */
    long messageCount();

    /** Message ids in id order (time order), starting after {@code after} (null: from the start). */
    List<MessageId> messageIds(MessageId after, int max);

    /** Outcome of {@link #replaceContent}. */
    enum ReplaceOutcome {
        /** The stored message is now the replacement. */
        REPLACED,
        /** No such message. */
        NOT_FOUND,
        /** Every delivery is already settled (retrieved, handed to the next hop, ended): nobody would see new content. */
        TOO_LATE
    }

    /**
     * Replaces a stored message with {@code replacement} (same id, originator and recipients; new
     * content and the fields a replace may change) atomically: a reader sees the old message or the
     * new one, never a mix. Deliveries are untouched. Replaces only while at least one delivery is
     * unsettled; the check and the write are one step, so a delivery settling concurrently either
     * happened before (and counts) or after (and its recipient fetches the new content). Completes
     * once the replacement is durable, like {@link #put}; fails with IllegalArgumentException,
     * writing nothing, if the replacement changes the originator or the recipients.
     */
    CompletableFuture<ReplaceOutcome> replaceContent(Message replacement);

    /** Removes a message, its content, its deliveries. Returns false if it was not there. */
    CompletableFuture<Boolean> delete(MessageId id);

    /**
     * Removes up to {@code max} messages whose deliveries are all settled and that expired before
     * {@code now} (nothing can fetch them any more), and forgets idempotency keys that expired.
     * Returns how many messages it removed.
     */
    int purgeExpired(Instant now, int max);

    @Override
    void close();
}
