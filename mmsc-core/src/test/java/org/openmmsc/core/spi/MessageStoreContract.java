package org.openmmsc.core.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmmsc.core.model.DeliveryKey;
import org.openmmsc.core.model.DeliveryState;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.spi.MessageStore.PutResult;

/**
 * The behaviour every {@link MessageStore} must show, written once. An implementation's test
 * class implements this interface and {@link #openStore}; the suite opens, closes and reopens
 * stores on JUnit temporary directories and drives time through a {@link MutableClock}.
 *
 * <p>Terms the suite pins down where the SPI leaves room: a message has expired when every one of
 * its deliveries' {@code expiresAt} lies before {@code now}; a delivery under an unexpired lease
 * is not handed to any other owner.
 */
public interface MessageStoreContract {

    Duration LEASE = Duration.ofSeconds(30);

    /**
     * Opens (or reopens) the store kept in {@code dir}. The store reads time, where the SPI gives
     * it none (idempotency-key expiry during {@code put}), from {@code clock}.
     */
    MessageStore openStore(Path dir, Clock clock);

    // ---------------------------------------------------------------- helpers

    /** Waits for a store future, rethrowing the store's own exception rather than a wrapper. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) throw runtime;
            throw new AssertionError("store future failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("store future did not complete in 30 s", e);
        }
    }

    private static MutableClock clock() {
        return new MutableClock(TestMessages.T0);
    }

    private static MessageId put(MessageStore store, Message message) {
        return await(store.put(message, TestMessages.deliveries(message), null, null)).id();
    }

    /** A delivery with fence and lease cleared, to compare what the caller wrote with what the store gives back. */
    private static RecipientDelivery content(RecipientDelivery delivery) {
        return delivery.withFenceAndLease(0, null);
    }

    private static List<RecipientDelivery> content(List<RecipientDelivery> deliveries) {
        return deliveries.stream().map(MessageStoreContract::content).toList();
    }

    // ---------------------------------------------------------------- put and reads

    @Test
    default void storedMessageReadsBackEqualWithByteIdenticalParts(@TempDir Path dir) {
        MutableClock clock = clock();
        try (MessageStore store = openStore(dir, clock)) {
            Message message = TestMessages.fullMessage(clock, 5, 300 * 1024, 1);
            PutResult result = await(store.put(message, TestMessages.deliveries(message), null, null));
            assertEquals(message.id(), result.id());
            assertFalse(result.duplicate());

            Message read = store.message(message.id()).orElseThrow();
            assertEquals(message, read);
            assertEquals(message.parts().size(), read.parts().size());
            for (int i = 0; i < message.parts().size(); i++) {
                assertArrayEquals(message.parts().get(i).content(), read.parts().get(i).content(), "part " + i);
            }
            assertEquals(message.contentSize(), read.contentSize());
        }
    }

    @Test
    default void simpleMessageWithDefaultsReadsBackEqual(@TempDir Path dir) {
        MutableClock clock = clock();
        try (MessageStore store = openStore(dir, clock)) {
            Message message = TestMessages.simpleMessage(clock, 1, 1024);
            put(store, message);
            assertEquals(message, store.message(message.id()).orElseThrow());
        }
    }

    @Test
    default void deliveriesReadBackInRecipientOrder(@TempDir Path dir) {
        MutableClock clock = clock();
        try (MessageStore store = openStore(dir, clock)) {
            Message message = TestMessages.fullMessage(clock, 12, 100, 2);
            List<RecipientDelivery> written = TestMessages.deliveries(message);
            await(store.put(message, written, null, null));

            List<RecipientDelivery> read = store.deliveries(message.id());
            assertEquals(content(written), content(read));
            for (int i = 0; i < read.size(); i++) {
                assertEquals(i, read.get(i).recipientIndex());
                assertNull(read.get(i).lease(), "a new delivery is not leased");
            }
            assertEquals(written.get(7), content(store.delivery(new DeliveryKey(message.id(), 7)).orElseThrow()));
        }
    }

    @Test
    default void deliveriesForSomeRecipientsOnlyKeepTheirIndexes(@TempDir Path dir) {
        MutableClock clock = clock();
        try (MessageStore store = openStore(dir, clock)) {
            // The relay stores no delivery for a refused recipient.
            Message message = TestMessages.fullMessage(clock, 4, 100, 6);
            List<RecipientDelivery> all = TestMessages.deliveries(message);
            List<RecipientDelivery> routed = List.of(all.get(0), all.get(2), all.get(3));
            await(store.put(message, routed, null, null));

            assertEquals(routed, content(store.deliveries(message.id())));
            assertTrue(store.delivery(new DeliveryKey(message.id(), 1)).isEmpty());
            assertEquals(3, store.pendingDeliveries());
            assertEquals(message, store.message(message.id()).orElseThrow(), "the message keeps every recipient");
            assertTrue(await(store.delete(message.id())));
            assertEquals(0, store.pendingDeliveries());
            assertTrue(store.deliveries(message.id()).isEmpty());
        }
    }

    @Test
    default void unknownIdsReadAsEmpty(@TempDir Path dir) {
        MutableClock clock = clock();
        try (MessageStore store = openStore(dir, clock)) {
            Message stored = TestMessages.simpleMessage(clock, 2, 10);
            put(store, stored);
            MessageId unknown = MessageId.generate(clock);
            assertTrue(store.message(unknown).isEmpty());
            assertTrue(store.deliveries(unknown).isEmpty());
            assertTrue(store.delivery(new DeliveryKey(unknown, 0)).isEmpty());
            assertTrue(store.delivery(new DeliveryKey(stored.id(), 2)).isEmpty(), "recipient index past the last");
        }
    }

    @Test
    default void deliveriesOfTwoMessagesDoNotMix(@TempDir Path dir) {
        MutableClock clock = clock();
        try (MessageStore store = openStore(dir, clock)) {
            Message first = TestMessages.simpleMessage(clock, 3, 10);
            Message second = TestMessages.simpleMessage(clock, 2, 10);
            put(store, first);
            put(store, second);
            assertEquals(3, store.deliveries(first.id()).size());
            assertEquals(2, store.deliveries(second.id()).size());
            assertTrue(store.deliveries(second.id()).stream().allMatch(d -> d.messageId().equals(second.id())));
        }
    }

    // ---------------------------------------------------------------- idempotency

    @Test
    default void sameIdempotencyKeyAnswersTheFirstIdAndStoresNothingMore(@TempDir Path dir) {
        MutableClock clock = clock();
        IdempotencyKey key = new IdempotencyKey(Interface.MM1, "+4790000001", "tx-1");
        Instant keyExpiry = clock.instant().plus(Duration.ofHours(1));
        try (MessageStore store = openStore(dir, clock)) {
            Message first = TestMessages.simpleMessage(clock, 2, 100);
            Message retry = TestMessages.simpleMessage(clock, 2, 100);
            assertNotEquals(first.id(), retry.id());

            PutResult original = await(store.put(first, TestMessages.deliveries(first), key, keyExpiry));
            PutResult repeated = await(store.put(retry, TestMessages.deliveries(retry), key, keyExpiry));

            assertFalse(original.duplicate());
            assertTrue(repeated.duplicate());
            assertEquals(first.id(), repeated.id());
            assertEquals(1, store.messageCount());
            assertEquals(2, store.pendingDeliveries());
            assertTrue(store.message(retry.id()).isEmpty());
            assertTrue(store.deliveries(retry.id()).isEmpty());
            assertEquals(Optional.of(first.id()), store.findByIdempotencyKey(key, clock.instant()));
        }
    }

    @Test
    default void expiredIdempotencyKeyLetsANewMessageIn(@TempDir Path dir) {
        MutableClock clock = clock();
        IdempotencyKey key = new IdempotencyKey(Interface.MM7, "vasp-1", "tx-9");
        try (MessageStore store = openStore(dir, clock)) {
            Message first = TestMessages.simpleMessage(clock, 1, 10);
            await(store.put(first, TestMessages.deliveries(first), key, clock.instant().plus(Duration.ofMinutes(10))));

            clock.advance(Duration.ofMinutes(11));
            assertTrue(store.findByIdempotencyKey(key, clock.instant()).isEmpty(), "an expired key is not found");
            Message later = TestMessages.simpleMessage(clock, 1, 10);
            PutResult result = await(store.put(later, TestMessages.deliveries(later), key, clock.instant().plus(Duration.ofMinutes(10))));

            assertFalse(result.duplicate());
            assertEquals(later.id(), result.id());
            assertEquals(2, store.messageCount());
            assertEquals(Optional.of(later.id()), store.findByIdempotencyKey(key, clock.instant()));
        }
    }

    @Test
    default void sameTransactionIdFromDifferentSendersOrInterfacesIsNotADuplicate(@TempDir Path dir) {
        MutableClock clock = clock();
        Instant keyExpiry = clock.instant().plus(Duration.ofHours(1));
        List<IdempotencyKey> keys = List.of(
                new IdempotencyKey(Interface.MM1, "+4790000001", "tx-1"),
                new IdempotencyKey(Interface.MM1, "+4790000002", "tx-1"),
                new IdempotencyKey(Interface.MM7, "+4790000001", "tx-1"));
        try (MessageStore store = openStore(dir, clock)) {
            Set<MessageId> ids = new HashSet<>();
            for (IdempotencyKey key : keys) {
                Message message = TestMessages.simpleMessage(clock, 1, 10);
                PutResult result = await(store.put(message, TestMessages.deliveries(message), key, keyExpiry));
                assertFalse(result.duplicate(), key.toString());
                ids.add(result.id());
            }
            assertEquals(3, ids.size());
            assertEquals(3, store.messageCount());
        }
    }

    @Test
    default void concurrentPutsWithOneKeyStoreOneMessage(@TempDir Path dir) throws Exception {
        MutableClock clock = clock();
        IdempotencyKey key = new IdempotencyKey(Interface.MM4, "mmsc.peer.example", "tx-race");
        Instant keyExpiry = clock.instant().plus(Duration.ofHours(1));
        int writers = 16;
        try (MessageStore store = openStore(dir, clock)) {
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<PutResult>> results = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    Message message = TestMessages.simpleMessage(clock, 2, 50);
                    results.add(pool.submit(() -> {
                        start.await();
                        return await(store.put(message, TestMessages.deliveries(message), key, keyExpiry));
                    }));
                }
                start.countDown();
                Set<MessageId> ids = new HashSet<>();
                int fresh = 0;
                for (Future<PutResult> result : results) {
                    PutResult r = result.get(30, TimeUnit.SECONDS);
                    ids.add(r.id());
                    if (!r.duplicate()) fresh++;
                }
                assertEquals(1, ids.size(), "every submission answers the same id");
                assertEquals(1, fresh, "exactly one submission is new");
                assertEquals(1, store.messageCount());
                assertEquals(2, store.pendingDeliveries());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    // ---------------------------------------------------------------- leases

    @Test
    default void leaseDueReturnsOnlyDueDeliveriesEarliestFirstUpToMax(@TempDir Path dir) {
        MutableClock clock = clock();
        Instant now = clock.instant();
        try (MessageStore store = openStore(dir, clock)) {
            Message later = TestMessages.simpleMessage(clock, 1, 10);
            Message earliest = TestMessages.simpleMessage(clock, 1, 10);
            Message middle = TestMessages.simpleMessage(clock, 1, 10);
            Message future = TestMessages.simpleMessage(clock, 1, 10);
            await(store.put(later, TestMessages.deliveries(later, now.minusSeconds(1)), null, null));
            await(store.put(earliest, TestMessages.deliveries(earliest, now.minusSeconds(30)), null, null));
            await(store.put(middle, TestMessages.deliveries(middle, now.minusSeconds(10)), null, null));
            await(store.put(future, TestMessages.deliveries(future, now.plusSeconds(60)), null, null));

            List<RecipientDelivery> first = store.leaseDue(now, 2, "node-a", LEASE);
            assertEquals(List.of(earliest.id(), middle.id()), first.stream().map(RecipientDelivery::messageId).toList());
            List<RecipientDelivery> rest = store.leaseDue(now, 10, "node-a", LEASE);
            assertEquals(List.of(later.id()), rest.stream().map(RecipientDelivery::messageId).toList(),
                    "leased ones are not handed out again, the future one is not due");
            for (RecipientDelivery leased : first) {
                assertEquals(new RecipientDelivery.Lease("node-a", now.plus(LEASE)), leased.lease());
                assertTrue(leased.fence() > 0, "a lease raises the fence");
                assertEquals(leased, store.delivery(leased.key()).orElseThrow(), "the lease is stored");
            }
        }
    }

    @Test
    default void leasedDeliveryGoesToAnotherOwnerOnlyAfterTheLeaseExpires(@TempDir Path dir) {
        MutableClock clock = clock();
        Instant now = clock.instant();
        try (MessageStore store = openStore(dir, clock)) {
            Message message = TestMessages.simpleMessage(clock, 1, 10);
            put(store, message);
            RecipientDelivery byA = store.leaseDue(now, 10, "node-a", LEASE).getFirst();

            assertTrue(store.leaseDue(now.plusSeconds(1), 10, "node-b", LEASE).isEmpty());
            assertTrue(store.leaseDue(now.plus(LEASE).minusMillis(1), 10, "node-b", LEASE).isEmpty());

            Instant lapsed = now.plus(LEASE).plusMillis(1);
            List<RecipientDelivery> byB = store.leaseDue(lapsed, 10, "node-b", LEASE);
            assertEquals(1, byB.size());
            assertEquals("node-b", byB.getFirst().lease().owner());
            assertEquals(lapsed.plus(LEASE), byB.getFirst().lease().until());
            assertTrue(byB.getFirst().fence() > byA.fence(), "the new lease carries a higher fence");
        }
    }

    @Test
    default void updateWithTheCurrentFenceWritesRaisesTheFenceAndReleasesTheLease(@TempDir Path dir) {
        MutableClock clock = clock();
        Instant now = clock.instant();
        try (MessageStore store = openStore(dir, clock)) {
            Message message = TestMessages.simpleMessage(clock, 1, 10);
            put(store, message);
            RecipientDelivery leased = store.leaseDue(now, 1, "node-a", LEASE).getFirst();

            RecipientDelivery retry = leased.moveTo(DeliveryState.WAITING_FOR_RETRY, now, now.plusSeconds(5), "peer busy").withAttempts(1);
            RecipientDelivery stored = await(store.update(retry));

            assertTrue(stored.fence() > leased.fence());
            assertNull(stored.lease());
            assertEquals(content(retry), content(stored));
            assertEquals(stored, store.delivery(leased.key()).orElseThrow());
            assertEquals(1, store.pendingDeliveries());
            assertTrue(store.leaseDue(now.plusSeconds(4), 1, "node-b", LEASE).isEmpty(), "the new next attempt is honoured");
            List<RecipientDelivery> again = store.leaseDue(now.plusSeconds(5), 1, "node-b", LEASE);
            assertEquals(1, again.size(), "the released delivery is due again for anyone");
            assertTrue(again.getFirst().fence() > stored.fence());
        }
    }

    @Test
    default void updateWithAStaleFenceIsRefusedAndWritesNothing(@TempDir Path dir) {
        MutableClock clock = clock();
        Instant now = clock.instant();
        try (MessageStore store = openStore(dir, clock)) {
            Message message = TestMessages.simpleMessage(clock, 1, 10);
            put(store, message);
            RecipientDelivery leased = store.leaseDue(now, 1, "node-a", LEASE).getFirst();
            RecipientDelivery first = await(store.update(leased.moveTo(DeliveryState.NOTIFIED, now, now.plusSeconds(60), "pushed")));

            RecipientDelivery stale = leased.moveTo(DeliveryState.FAILED, now, null, "should not land");
            assertThrows(StaleFenceException.class, () -> await(store.update(stale)));
            assertEquals(first, store.delivery(leased.key()).orElseThrow());
            assertEquals(1, store.pendingDeliveries());
        }
    }

    @Test
    default void updateWithMessagesStoresThemInTheSameDurableWrite(@TempDir Path dir) {
        MutableClock clock = clock();
        Instant now = clock.instant();
        IdempotencyKey key = new IdempotencyKey(Interface.MM1, "report", "tx-1");
        Message report = TestMessages.fullMessage(clock, 1, 6_000, 3);
        try (MessageStore store = openStore(dir, clock)) {
            Message message = TestMessages.simpleMessage(clock, 1, 10);
            put(store, message);
            RecipientDelivery leased = store.leaseDue(now, 1, "node-a", LEASE).getFirst();
            var withReport = new MessageStore.NewMessage(report, TestMessages.deliveries(report, now.plusSeconds(60)), key,
                    now.plus(Duration.ofHours(1)));
            await(store.update(leased.moveTo(DeliveryState.RETRIEVED, now, null, "fetched"), List.of(withReport)));
            assertEquals(2, store.messageCount());
            assertEquals(1, store.pendingDeliveries(), "the stored report's delivery is pending");
        }
        try (MessageStore store = openStore(dir, clock)) {
            assertEquals(report, store.message(report.id()).orElseThrow(), "survives reopening, content and all");
            assertEquals(Optional.of(report.id()), store.findByIdempotencyKey(key, now));
            assertEquals(now.plusSeconds(60), store.deliveries(report.id()).getFirst().nextAttemptAt());
        }
    }

    @Test
    default void staleUpdateStoresNoneOfItsMessagesAndAHeldKeySkipsOnlyTheMessage(@TempDir Path dir) {
        MutableClock clock = clock();
        Instant now = clock.instant();
        IdempotencyKey key = new IdempotencyKey(Interface.MM1, "report", "tx-1");
        try (MessageStore store = openStore(dir, clock)) {
            Message message = TestMessages.simpleMessage(clock, 2, 10);
            put(store, message);
            List<RecipientDelivery> leased = store.leaseDue(now, 2, "node-a", LEASE);
            Message first = TestMessages.simpleMessage(clock, 1, 10);
            RecipientDelivery done = await(store.update(leased.get(0).moveTo(DeliveryState.NOTIFIED, now, now.plusSeconds(60), "pushed")));

            var stored = new MessageStore.NewMessage(first, TestMessages.deliveries(first), key, now.plus(Duration.ofHours(1)));
            assertThrows(StaleFenceException.class,
                    () -> await(store.update(leased.get(0).moveTo(DeliveryState.FAILED, now, null, "stale"), List.of(stored))));
            assertEquals(done, store.delivery(done.key()).orElseThrow());
            assertTrue(store.message(first.id()).isEmpty(), "nothing of a refused update is stored");

            await(store.update(done.moveTo(DeliveryState.RETRIEVED, now, null, "fetched"), List.of(stored)));
            Message second = TestMessages.simpleMessage(clock, 1, 10);
            var sameKey = new MessageStore.NewMessage(second, TestMessages.deliveries(second), key, now.plus(Duration.ofHours(1)));
            RecipientDelivery other = await(store.update(leased.get(1).moveTo(DeliveryState.RETRIEVED, now, null, "fetched"),
                    List.of(sameKey)));
            assertEquals(DeliveryState.RETRIEVED, other.state(), "the update lands");
            assertTrue(store.message(second.id()).isEmpty(), "a message whose key is held is skipped");
            assertEquals(2, store.messageCount());
        }
    }

    @Test
    default void nodeWhoseLeaseLapsedCannotOverwriteTheNewOwner(@TempDir Path dir) {
        MutableClock clock = clock();
        Instant now = clock.instant();
        try (MessageStore store = openStore(dir, clock)) {
            Message message = TestMessages.simpleMessage(clock, 1, 10);
            put(store, message);
            RecipientDelivery byA = store.leaseDue(now, 1, "node-a", LEASE).getFirst();
            Instant lapsed = now.plus(LEASE).plusSeconds(1);
            RecipientDelivery byB = store.leaseDue(lapsed, 1, "node-b", LEASE).getFirst();

            assertThrows(StaleFenceException.class,
                    () -> await(store.update(byA.moveTo(DeliveryState.FAILED, lapsed, null, "late node-a"))));
            assertEquals(byB, store.delivery(byB.key()).orElseThrow(), "node-b still holds it untouched");

            RecipientDelivery done = await(store.update(byB.moveTo(DeliveryState.RETRIEVED, lapsed, null, "fetched")));
            assertEquals(DeliveryState.RETRIEVED, done.state());
        }
    }

    @Test
    default void updatingADeliveryTheStoreDoesNotHoldFails(@TempDir Path dir) {
        MutableClock clock = clock();
        try (MessageStore store = openStore(dir, clock)) {
            Message message = TestMessages.simpleMessage(clock, 1, 10);
            RecipientDelivery never = TestMessages.deliveries(message).getFirst();
            assertThrows(StoreException.class, () -> await(store.update(never)));
            assertTrue(store.delivery(never.key()).isEmpty());
        }
    }

    @Test
    default void settledDeliveriesAreNeverDue(@TempDir Path dir) {
        MutableClock clock = clock();
        Instant now = clock.instant();
        try (MessageStore store = openStore(dir, clock)) {
            Message message = TestMessages.simpleMessage(clock, 3, 10);
            put(store, message);
            List<RecipientDelivery> leased = store.leaseDue(now, 10, "node-a", LEASE).stream()
                    .sorted(java.util.Comparator.comparingInt(RecipientDelivery::recipientIndex)).toList();
            assertEquals(3, leased.size());
            await(store.update(leased.get(0).moveTo(DeliveryState.RETRIEVED, now, null, "fetched")));
            await(store.update(leased.get(1).moveTo(DeliveryState.HANDED_OFF, now, null, "peer took it")));
            await(store.update(leased.get(2).moveTo(DeliveryState.WAITING_FOR_RETRY, now, now.plusSeconds(1), "busy")));

            assertEquals(1, store.pendingDeliveries());
            List<RecipientDelivery> due = store.leaseDue(now.plus(Duration.ofDays(30)), 10, "node-b", LEASE);
            assertEquals(List.of(2), due.stream().map(RecipientDelivery::recipientIndex).toList());
        }
    }

    @Test
    default void nextDueTimeIsTheEarliestUnsettledAttempt(@TempDir Path dir) {
        MutableClock clock = clock();
        Instant now = clock.instant();
        try (MessageStore store = openStore(dir, clock)) {
            assertTrue(store.nextDueTime().isEmpty());
            Message later = TestMessages.simpleMessage(clock, 1, 10);
            Message sooner = TestMessages.simpleMessage(clock, 1, 10);
            await(store.put(later, TestMessages.deliveries(later, now.plusSeconds(90)), null, null));
            assertEquals(Optional.of(now.plusSeconds(90)), store.nextDueTime());
            await(store.put(sooner, TestMessages.deliveries(sooner, now.plusSeconds(20)), null, null));
            assertEquals(Optional.of(now.plusSeconds(20)), store.nextDueTime());

            RecipientDelivery soonerDelivery = store.leaseDue(now.plusSeconds(20), 1, "node-a", LEASE).getFirst();
            await(store.update(soonerDelivery.moveTo(DeliveryState.RETRIEVED, now, null, "fetched")));
            assertEquals(Optional.of(now.plusSeconds(90)), store.nextDueTime());

            RecipientDelivery laterDelivery = store.delivery(new DeliveryKey(later.id(), 0)).orElseThrow();
            await(store.update(laterDelivery.moveTo(DeliveryState.CANCELLED, now, null, "withdrawn")));
            assertTrue(store.nextDueTime().isEmpty(), "settled deliveries have no next attempt");
        }
    }

    // ---------------------------------------------------------------- counts, listing, delete, purge

    @Test
    default void countsFollowPutsUpdatesAndDeletes(@TempDir Path dir) {
        MutableClock clock = clock();
        Instant now = clock.instant();
        try (MessageStore store = openStore(dir, clock)) {
            assertEquals(0, store.messageCount());
            assertEquals(0, store.pendingDeliveries());
            Message a = TestMessages.simpleMessage(clock, 4, 10);
            Message b = TestMessages.simpleMessage(clock, 3, 10);
            put(store, a);
            put(store, b);
            assertEquals(2, store.messageCount());
            assertEquals(7, store.pendingDeliveries());

            RecipientDelivery first = store.delivery(new DeliveryKey(a.id(), 0)).orElseThrow();
            await(store.update(first.moveTo(DeliveryState.REJECTED, now, null, "unknown subscriber")));
            assertEquals(6, store.pendingDeliveries());

            assertTrue(await(store.delete(b.id())));
            assertEquals(1, store.messageCount());
            assertEquals(3, store.pendingDeliveries());
        }
    }

    @Test
    default void messageIdsPageInIdOrder(@TempDir Path dir) {
        MutableClock clock = clock();
        try (MessageStore store = openStore(dir, clock)) {
            List<MessageId> expected = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                clock.advance(Duration.ofMillis(3));
                Message message = TestMessages.simpleMessage(clock, 1, 10);
                put(store, message);
                expected.add(message.id());
            }
            List<MessageId> seen = new ArrayList<>();
            MessageId after = null;
            int pages = 0;
            while (true) {
                List<MessageId> page = store.messageIds(after, 10);
                assertTrue(page.size() <= 10);
                if (page.isEmpty()) break;
                seen.addAll(page);
                after = page.getLast();
                pages++;
            }
            assertEquals(expected, seen);
            assertEquals(3, pages);
            assertEquals(expected.subList(5, 8), store.messageIds(expected.get(4), 3));
        }
    }

    // ---------------------------------------------------------------- replace

    /** The message with new content of {@code size} random bytes (seeded), a later date and the distribution indicator flipped. */
    private static Message replacementOf(Message m, int size, long seed) {
        byte[] body = new byte[size];
        new java.util.Random(seed).nextBytes(body);
        var parts = List.of(
                new org.openmmsc.core.model.MessagePart(org.openmmsc.core.model.ContentType.of("image/png"),
                        List.of(new org.openmmsc.core.model.MessagePart.Header("Content-ID", "<new-" + seed + ">")), body),
                new org.openmmsc.core.model.MessagePart(org.openmmsc.core.model.ContentType.of("text/plain"), List.of(),
                        ("replaced " + seed).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return m.replacedBy(m.date().plusSeconds(seed), !m.readReportRequested(), org.openmmsc.core.model.ContentType.of("multipart/mixed"),
                parts, m.origin(), !m.forwardable());
    }

    @Test
    default void replaceContentSwapsTheMessageDurablyAndLeavesDeliveriesAlone(@TempDir Path dir) {
        MutableClock clock = clock();
        Message original = TestMessages.fullMessage(clock, 3, 200_000, 21);
        Message small = replacementOf(original, 100, 1);
        Message large = replacementOf(original, 150_000, 2);
        List<RecipientDelivery> before;
        try (MessageStore store = openStore(dir, clock)) {
            put(store, original);
            before = store.deliveries(original.id());
            // blob-held content → inline content → blob-held again: every body location change is covered.
            assertEquals(MessageStore.ReplaceOutcome.REPLACED, await(store.replaceContent(small)));
            assertEquals(small, store.message(original.id()).orElseThrow());
            assertEquals(MessageStore.ReplaceOutcome.REPLACED, await(store.replaceContent(large)));
            Message read = store.message(original.id()).orElseThrow();
            assertEquals(large, read);
            assertArrayEquals(large.parts().getFirst().content(), read.parts().getFirst().content());
            assertEquals(before, store.deliveries(original.id()), "deliveries are not touched");
            assertEquals(1, store.messageCount());
        }
        try (MessageStore store = openStore(dir, clock)) {
            assertEquals(large, store.message(original.id()).orElseThrow(), "the replacement survives a restart");
            assertEquals(before, store.deliveries(original.id()));
            assertEquals(3, store.pendingDeliveries());
            assertTrue(await(store.delete(original.id())));
            assertTrue(store.message(original.id()).isEmpty());
        }
    }

    @Test
    default void replaceContentIsTooLateOnlyWhenEveryDeliveryIsSettled(@TempDir Path dir) {
        MutableClock clock = clock();
        Instant now = clock.instant();
        try (MessageStore store = openStore(dir, clock)) {
            Message message = TestMessages.fullMessage(clock, 2, 10_000, 22);
            put(store, message);
            RecipientDelivery first = store.delivery(new DeliveryKey(message.id(), 0)).orElseThrow();
            await(store.update(first.moveTo(DeliveryState.RETRIEVED, now, null, "fetched")));

            Message one = replacementOf(message, 500, 3);
            assertEquals(MessageStore.ReplaceOutcome.REPLACED, await(store.replaceContent(one)), "one recipient has not fetched yet");
            assertEquals(one, store.message(message.id()).orElseThrow());

            RecipientDelivery second = store.delivery(new DeliveryKey(message.id(), 1)).orElseThrow();
            await(store.update(second.moveTo(DeliveryState.HANDED_OFF, now, null, "peer took it")));
            assertEquals(MessageStore.ReplaceOutcome.TOO_LATE, await(store.replaceContent(replacementOf(message, 500, 4))));
            assertEquals(one, store.message(message.id()).orElseThrow(), "a refused replace writes nothing");
        }
    }

    @Test
    default void replaceContentOfAnUnknownMessageOrWithOtherRecipientsChangesNothing(@TempDir Path dir) {
        MutableClock clock = clock();
        try (MessageStore store = openStore(dir, clock)) {
            Message stored = TestMessages.fullMessage(clock, 2, 10_000, 23);
            put(store, stored);
            Message unknown = TestMessages.fullMessage(clock, 2, 10_000, 24);
            assertEquals(MessageStore.ReplaceOutcome.NOT_FOUND, await(store.replaceContent(unknown)));
            assertTrue(store.message(unknown.id()).isEmpty());

            Message otherRecipients = TestMessages.fullMessage(clock, 3, 10_000, 25).withId(stored.id());
            assertThrows(IllegalArgumentException.class, () -> await(store.replaceContent(otherRecipients)));
            assertEquals(stored, store.message(stored.id()).orElseThrow());
        }
    }

    @Test
    default void deleteRemovesMessageContentAndDeliveries(@TempDir Path dir) {
        MutableClock clock = clock();
        Instant now = clock.instant();
        try (MessageStore store = openStore(dir, clock)) {
            Message gone = TestMessages.fullMessage(clock, 3, 40_000, 3);
            Message kept = TestMessages.fullMessage(clock, 2, 40_000, 4);
            put(store, gone);
            put(store, kept);

            assertTrue(await(store.delete(gone.id())));
            assertTrue(store.message(gone.id()).isEmpty());
            assertTrue(store.deliveries(gone.id()).isEmpty());
            assertTrue(store.delivery(new DeliveryKey(gone.id(), 0)).isEmpty());
            assertEquals(List.of(kept.id()), store.messageIds(null, 10));
            assertFalse(await(store.delete(gone.id())), "a second delete finds nothing");
            List<RecipientDelivery> due = store.leaseDue(now, 10, "node-a", LEASE);
            assertTrue(due.stream().allMatch(d -> d.messageId().equals(kept.id())), "deleted deliveries are never due");
            assertEquals(2, due.size());
            assertEquals(kept, store.message(kept.id()).orElseThrow());
        }
    }

    @Test
    default void purgeRemovesOnlySettledAndExpiredMessagesAndForgetsExpiredKeys(@TempDir Path dir) {
        MutableClock clock = clock();
        Instant now = clock.instant();
        try (MessageStore store = openStore(dir, clock)) {
            Message settledExpired = TestMessages.simpleMessage(clock, 2, 10);
            Message settledLive = TestMessages.simpleMessage(clock, 1, 10);
            Message unsettledExpired = TestMessages.simpleMessage(clock, 1, 10);
            IdempotencyKey shortKey = new IdempotencyKey(Interface.MM1, "+4790000002", "short");
            IdempotencyKey longKey = new IdempotencyKey(Interface.MM1, "+4790000002", "long");
            await(store.put(settledExpired, TestMessages.deliveries(settledExpired), shortKey, now.plusSeconds(60)));
            List<RecipientDelivery> liveDeliveries = TestMessages.deliveries(settledLive).stream()
                    .map(d -> new RecipientDelivery(d.messageId(), d.recipientIndex(), d.recipient(), d.route(), d.state(),
                            d.recipientStatus(), 0, d.nextAttemptAt(), now.plus(Duration.ofDays(30)), null, d.history(), 0, null))
                    .toList();
            await(store.put(settledLive, liveDeliveries, longKey, now.plus(Duration.ofDays(30))));
            put(store, unsettledExpired);

            for (RecipientDelivery d : store.deliveries(settledExpired.id())) {
                await(store.update(d.moveTo(DeliveryState.RETRIEVED, now, null, "fetched")));
            }
            RecipientDelivery live = store.delivery(new DeliveryKey(settledLive.id(), 0)).orElseThrow();
            await(store.update(live.moveTo(DeliveryState.RETRIEVED, now, null, "fetched")));

            assertEquals(0, store.purgeExpired(now, 100), "nothing has expired yet");
            Instant afterExpiry = now.plus(TestMessages.VALIDITY).plusSeconds(1);
            assertEquals(1, store.purgeExpired(afterExpiry, 100));

            assertTrue(store.message(settledExpired.id()).isEmpty());
            assertTrue(store.deliveries(settledExpired.id()).isEmpty());
            assertTrue(store.message(settledLive.id()).isPresent(), "not expired yet");
            assertTrue(store.message(unsettledExpired.id()).isPresent(), "an unsettled delivery keeps its message");
            assertEquals(2, store.messageCount());
            assertEquals(1, store.pendingDeliveries());
            // Asked with a time before its expiry, a forgotten key must still be gone: purge removed it.
            assertTrue(store.findByIdempotencyKey(shortKey, now).isEmpty(), "the expired key is forgotten");
            assertEquals(Optional.of(settledLive.id()), store.findByIdempotencyKey(longKey, afterExpiry));
            assertEquals(0, store.purgeExpired(afterExpiry, 100), "a second sweep finds nothing");
        }
    }

    @Test
    default void purgeRemovesAtMostMax(@TempDir Path dir) {
        MutableClock clock = clock();
        Instant now = clock.instant();
        try (MessageStore store = openStore(dir, clock)) {
            for (int i = 0; i < 5; i++) {
                Message message = TestMessages.simpleMessage(clock, 1, 10);
                put(store, message);
                RecipientDelivery d = store.delivery(new DeliveryKey(message.id(), 0)).orElseThrow();
                await(store.update(d.moveTo(DeliveryState.FAILED, now, null, "permanent")));
            }
            Instant afterExpiry = now.plus(TestMessages.VALIDITY).plusSeconds(1);
            assertEquals(2, store.purgeExpired(afterExpiry, 2));
            assertEquals(3, store.messageCount());
            assertEquals(3, store.purgeExpired(afterExpiry, 10));
            assertEquals(0, store.messageCount());
            assertTrue(store.messageIds(null, 10).isEmpty());
        }
    }

    // ---------------------------------------------------------------- restart and concurrency

    @Test
    default void reopeningReturnsEverything(@TempDir Path dir) {
        MutableClock clock = clock();
        Instant now = clock.instant();
        IdempotencyKey key = new IdempotencyKey(Interface.MM7, "vasp-1", "tx-reopen");
        Message message = TestMessages.fullMessage(clock, 3, 120_000, 5);
        Message other = TestMessages.simpleMessage(clock, 1, 30_000);
        RecipientDelivery leased;
        RecipientDelivery updated;
        try (MessageStore store = openStore(dir, clock)) {
            await(store.put(message, TestMessages.deliveries(message), key, now.plus(Duration.ofHours(1))));
            put(store, other);
            leased = store.leaseDue(now, 1, "node-a", LEASE).getFirst();
            RecipientDelivery second = store.delivery(new DeliveryKey(message.id(), 1)).orElseThrow();
            updated = await(store.update(second.moveTo(DeliveryState.RETRIEVED, now, null, "fetched")));
        }
        try (MessageStore store = openStore(dir, clock)) {
            assertEquals(message, store.message(message.id()).orElseThrow());
            assertEquals(other, store.message(other.id()).orElseThrow());
            assertEquals(leased, store.delivery(leased.key()).orElseThrow(), "lease and fence survive");
            assertEquals(updated, store.delivery(updated.key()).orElseThrow());
            assertEquals(3, store.deliveries(message.id()).size());
            assertEquals(Optional.of(message.id()), store.findByIdempotencyKey(key, now));
            assertEquals(2, store.messageCount());
            assertEquals(3, store.pendingDeliveries());
            assertTrue(store.nextDueTime().isPresent());

            Message retry = TestMessages.simpleMessage(clock, 1, 10);
            PutResult result = await(store.put(retry, TestMessages.deliveries(retry), key, now.plus(Duration.ofHours(1))));
            assertTrue(result.duplicate(), "the idempotency key survives");
            assertEquals(message.id(), result.id());

            List<RecipientDelivery> byB = store.leaseDue(now.plusSeconds(1), 10, "node-b", LEASE);
            assertFalse(byB.stream().anyMatch(d -> d.key().equals(leased.key())), "the lease survives");
            assertEquals(2, byB.size());
            assertTrue(byB.stream().allMatch(d -> d.fence() > 0));
        }
        try (MessageStore store = openStore(dir, clock)) {
            assertEquals(List.of(message.id(), other.id()).stream().sorted().toList(), store.messageIds(null, 10));
            RecipientDelivery afterLapse = store.leaseDue(now.plus(LEASE).plusSeconds(2), 10, "node-c", LEASE).stream()
                    .filter(d -> d.key().equals(leased.key())).findFirst().orElseThrow(() -> new AssertionError("lapsed lease not handed out"));
            assertTrue(afterLapse.fence() > leased.fence(), "fences keep rising across restarts");
        }
    }

    @Test
    default void manyConcurrentPutsAreAllReadable(@TempDir Path dir) throws Exception {
        MutableClock clock = clock();
        int writers = 8;
        int perWriter = 40;
        try (MessageStore store = openStore(dir, clock)) {
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            ConcurrentLinkedQueue<Message> written = new ConcurrentLinkedQueue<>();
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < perWriter; i++) {
                            Message message = TestMessages.fullMessage(clock, 2, 2_000 + (i * 997) % 20_000, writer * 1000L + i);
                            IdempotencyKey key = new IdempotencyKey(Interface.MM1, "writer-" + writer, "tx-" + i);
                            PutResult result = await(store.put(message, TestMessages.deliveries(message), key,
                                    clock.instant().plus(Duration.ofHours(1))));
                            assertFalse(result.duplicate());
                            written.add(message);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            assertEquals(writers * perWriter, written.size());
            assertEquals(writers * perWriter, store.messageCount());
            assertEquals(2L * writers * perWriter, store.pendingDeliveries());
            for (Message message : written) {
                assertEquals(message, store.message(message.id()).orElseThrow(), message.id().toString());
                assertEquals(2, store.deliveries(message.id()).size());
            }
        }
    }
}
