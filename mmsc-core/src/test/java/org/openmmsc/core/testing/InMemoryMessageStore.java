package org.openmmsc.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.openmmsc.core.model.DeliveryKey;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.spi.IdempotencyKey;
import org.openmmsc.core.spi.MessageStore;
import org.openmmsc.core.spi.StaleFenceException;
import org.openmmsc.core.spi.StoreException;

/**
 * A volatile MessageStore for core's own tests (relay, scheduler) where a deterministic clock
 * matters more than disk. It follows the same contract as the real stores, and runs the
 * contract suite to prove it; it is not for production (nothing survives the process).
 */
public final class InMemoryMessageStore implements MessageStore {
    private record Idempotent(MessageId id, Instant expiresAt) {}

    /** What a "directory" holds, so the contract suite can close and reopen a store within one JVM. */
    private static final class Data {
        final TreeMap<MessageId, Message> messages = new TreeMap<>();
        final Map<MessageId, List<RecipientDelivery>> deliveries = new HashMap<>();
        final Map<String, Idempotent> keys = new HashMap<>();
    }

    private static final Map<java.nio.file.Path, Data> DIRECTORIES = new java.util.concurrent.ConcurrentHashMap<>();

    private final Clock clock;
    private final TreeMap<MessageId, Message> messages;
    private final Map<MessageId, List<RecipientDelivery>> deliveries;
    private final Map<String, Idempotent> keys;
    private boolean closed;

    /** A fresh store whose idempotency keys expire by {@code clock}. */
    public InMemoryMessageStore(Clock clock) {
        this(new Data(), clock);
    }

    private InMemoryMessageStore(Data data, Clock clock) {
        this.clock = clock;
        this.messages = data.messages;
        this.deliveries = data.deliveries;
        this.keys = data.keys;
    }

    /** Opens the in-memory "directory" {@code dir}: what an earlier store there held is still there. */
    public static InMemoryMessageStore open(java.nio.file.Path dir, Clock clock) {
        return new InMemoryMessageStore(DIRECTORIES.computeIfAbsent(dir.toAbsolutePath(), d -> new Data()), clock);
    }

    @Override
    public synchronized CompletableFuture<PutResult> put(Message message, List<RecipientDelivery> list, IdempotencyKey key, Instant keyExpiresAt) {
        open();
        MessageId held = heldKey(key);
        if (held != null) return CompletableFuture.completedFuture(new PutResult(held, true));
        if (messages.containsKey(message.id())) throw new StoreException("message " + message.id() + " already stored");
        store(message, list, key, keyExpiresAt);
        return CompletableFuture.completedFuture(new PutResult(message.id(), false));
    }

    /** The message stored under {@code key} while the key is unexpired, else null. */
    private MessageId heldKey(IdempotencyKey key) {
        if (key == null) return null;
        Idempotent existing = keys.get(key.asString());
        return existing != null && existing.expiresAt().isAfter(clock.instant()) && messages.containsKey(existing.id()) ? existing.id() : null;
    }

    private void store(Message message, List<RecipientDelivery> list, IdempotencyKey key, Instant keyExpiresAt) {
        if (key != null) keys.put(key.asString(), new Idempotent(message.id(), keyExpiresAt));
        messages.put(message.id(), message);
        deliveries.put(message.id(), new ArrayList<>(list));
    }

    @Override
    public synchronized Optional<Message> message(MessageId id) {
        open();
        return Optional.ofNullable(messages.get(id));
    }

    @Override
    public synchronized List<RecipientDelivery> deliveries(MessageId id) {
        open();
        return List.copyOf(deliveries.getOrDefault(id, List.of()));
    }

    @Override
    public synchronized Optional<RecipientDelivery> delivery(DeliveryKey key) {
        open();
        return deliveries.getOrDefault(key.messageId(), List.of()).stream()
                .filter(d -> d.recipientIndex() == key.recipientIndex()).findFirst();
    }

    @Override
    public synchronized Optional<MessageId> findByIdempotencyKey(IdempotencyKey key, Instant now) {
        open();
        Idempotent i = keys.get(key.asString());
        return i == null || !i.expiresAt().isAfter(now) || !messages.containsKey(i.id()) ? Optional.empty() : Optional.of(i.id());
    }

    @Override
    public synchronized List<RecipientDelivery> leaseDue(Instant now, int max, String owner, Duration leaseDuration) {
        open();
        List<RecipientDelivery> due = deliveries.values().stream().flatMap(List::stream)
                .filter(d -> !d.state().isSettled() && !d.nextAttemptAt().isAfter(now))
                .filter(d -> d.lease() == null || !d.lease().until().isAfter(now))
                .sorted(Comparator.comparing(RecipientDelivery::nextAttemptAt))
                .limit(max).toList();
        List<RecipientDelivery> leased = new ArrayList<>();
        for (RecipientDelivery d : due) {
            RecipientDelivery l = d.withFenceAndLease(d.fence() + 1, new RecipientDelivery.Lease(owner, now.plus(leaseDuration)));
            replace(l);
            leased.add(l);
        }
        return leased;
    }

    @Override
    public synchronized CompletableFuture<RecipientDelivery> update(RecipientDelivery d, List<NewMessage> alsoStore) {
        open();
        RecipientDelivery current = delivery(d.key()).orElse(null);
        if (current == null) return CompletableFuture.failedFuture(new StoreException("no delivery " + d.key()));
        if (current.fence() != d.fence()) return CompletableFuture.failedFuture(new StaleFenceException(d.key(), d.fence(), current.fence()));
        List<NewMessage> toStore = alsoStore.stream().filter(n -> heldKey(n.key()) == null).toList();
        for (NewMessage n : toStore) {
            if (messages.containsKey(n.message().id())) {
                return CompletableFuture.failedFuture(new StoreException("message " + n.message().id() + " already stored"));
            }
        }
        RecipientDelivery stored = d.withFenceAndLease(d.fence() + 1, null);
        replace(stored);
        toStore.forEach(n -> store(n.message(), n.deliveries(), n.key(), n.keyExpiresAt()));
        return CompletableFuture.completedFuture(stored);
    }

    private void replace(RecipientDelivery d) {
        List<RecipientDelivery> list = deliveries.get(d.messageId());
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).recipientIndex() == d.recipientIndex()) list.set(i, d);
        }
    }

    @Override
    public synchronized Optional<Instant> nextDueTime() {
        open();
        return deliveries.values().stream().flatMap(List::stream).filter(d -> !d.state().isSettled())
                .map(RecipientDelivery::nextAttemptAt).min(Comparator.naturalOrder());
    }

    @Override
    public synchronized long pendingDeliveries() {
        return deliveries.values().stream().flatMap(List::stream).filter(d -> !d.state().isSettled()).count();
    }

    @Override
    public synchronized long messageCount() {
        return messages.size();
    }

    @Override
    public synchronized List<MessageId> messageIds(MessageId after, int max) {
        open();
        var view = after == null ? messages.navigableKeySet() : messages.navigableKeySet().tailSet(after, false);
        return view.stream().limit(max).toList();
    }

    @Override
    public synchronized CompletableFuture<ReplaceOutcome> replaceContent(Message replacement) {
        open();
        Message stored = messages.get(replacement.id());
        if (stored == null) return CompletableFuture.completedFuture(ReplaceOutcome.NOT_FOUND);
        if (!stored.originator().equals(replacement.originator()) || !stored.recipients().equals(replacement.recipients())) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a replacement of " + replacement.id()
                    + " must keep its originator and recipients"));
        }
        if (deliveries.getOrDefault(replacement.id(), List.of()).stream().allMatch(d -> d.state().isSettled())) {
            return CompletableFuture.completedFuture(ReplaceOutcome.TOO_LATE);
        }
        messages.put(replacement.id(), replacement);
        return CompletableFuture.completedFuture(ReplaceOutcome.REPLACED);
    }

    @Override
    public synchronized CompletableFuture<Boolean> delete(MessageId id) {
        open();
        deliveries.remove(id);
        return CompletableFuture.completedFuture(messages.remove(id) != null);
    }

    @Override
    public synchronized int purgeExpired(Instant now, int max) {
        open();
        List<MessageId> done = deliveries.entrySet().stream()
                .filter(e -> e.getValue().stream().allMatch(d -> d.state().isSettled() && d.expiresAt().isBefore(now)))
                .map(Map.Entry::getKey).limit(max).toList();
        done.forEach(id -> {
            messages.remove(id);
            deliveries.remove(id);
        });
        keys.values().removeIf(k -> !k.expiresAt().isAfter(now));
        return done.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private void open() {
        if (closed) throw new StoreException("store is closed");
    }
}
