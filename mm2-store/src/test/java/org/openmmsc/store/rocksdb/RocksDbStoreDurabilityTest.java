package org.openmmsc.store.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openmmsc.core.spi.MessageStoreContract.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.spi.IdempotencyKey;
import org.openmmsc.core.spi.MutableClock;
import org.openmmsc.core.spi.StoreException;
import org.openmmsc.core.spi.TestMessages;

/** What the RocksDB store promises beyond the contract: blob ordering, recovery, syncing, group commit. */
class RocksDbStoreDurabilityTest {
    private final MutableClock clock = new MutableClock(TestMessages.T0);

    private RocksDbMessageStore open(Path dir) {
        return new RocksDbMessageStore(dir, RocksDbMessageStore.Options.defaults().withClock(clock));
    }

    private static Path activeBlob(RocksDbMessageStore store) {
        return store.blobFiles().path(store.blobFiles().activeFile());
    }

    private void putAll(RocksDbMessageStore store, List<Message> messages) {
        for (Message m : messages) await(store.put(m, TestMessages.deliveries(m), null, null));
    }

    @Test
    void blobTailWrittenButNeverCommittedIsTruncatedOnOpen(@TempDir Path dir) throws IOException {
        Message kept = TestMessages.fullMessage(clock, 2, 50_000, 11);
        Path blob;
        long committedSize;
        try (RocksDbMessageStore store = open(dir)) {
            putAll(store, List.of(kept));
            blob = activeBlob(store);
            committedSize = Files.size(blob);
        }
        assertTrue(committedSize >= 50_000);
        // What a crash after the blob append and before the WAL commit leaves behind.
        byte[] orphan = new byte[70_000];
        java.util.Arrays.fill(orphan, (byte) 0x5A);
        Files.write(blob, orphan, StandardOpenOption.APPEND);
        assertEquals(committedSize + orphan.length, Files.size(blob));

        try (RocksDbMessageStore store = open(dir)) {
            assertEquals(orphan.length, store.blobFiles().recovery().truncatedBytes());
            assertEquals(committedSize, Files.size(blob), "the orphaned tail is reclaimed");
            assertEquals(kept, store.message(kept.id()).orElseThrow());
            Message next = TestMessages.fullMessage(clock, 1, 20_000, 12);
            putAll(store, List.of(next));
            assertEquals(next, store.message(next.id()).orElseThrow());
            assertEquals(committedSize + next.contentSize(), Files.size(blob), "new bodies start at the committed end");
        }
    }

    @Test
    void reopeningReplaysTheWalWhenTheMemtablesWereNeverFlushed(@TempDir Path dir) {
        List<Message> written = new ArrayList<>();
        try (RocksDbMessageStore store = open(dir)) {
            for (int i = 0; i < 20; i++) written.add(TestMessages.fullMessage(clock, 2, i % 2 == 0 ? 100 : 20_000, 60 + i));
            putAll(store, written);
            await(store.delete(written.getFirst().id()));
            store.leaveWalUnflushedAtClose();
        }
        try (RocksDbMessageStore store = open(dir)) {
            assertEquals(19, store.messageCount());
            assertEquals(38, store.pendingDeliveries());
            assertTrue(store.message(written.getFirst().id()).isEmpty());
            for (Message m : written.subList(1, written.size())) assertEquals(m, store.message(m.id()).orElseThrow());
        }
    }

    @Test
    void blobFileCreatedByAnUncommittedRotationIsDeletedOnOpen(@TempDir Path dir) throws IOException {
        Path orphanFile;
        try (RocksDbMessageStore store = open(dir)) {
            putAll(store, List.of(TestMessages.simpleMessage(clock, 1, 1000)));
            orphanFile = store.blobFiles().path(store.blobFiles().activeFile() + 1);
        }
        Files.write(orphanFile, new byte[4096]);
        try (RocksDbMessageStore store = open(dir)) {
            assertFalse(Files.exists(orphanFile));
            assertEquals(List.of(store.blobFiles().activeFile() + 1), store.blobFiles().recovery().deletedFiles());
        }
    }

    @Test
    void failedWalCommitAcknowledgesNothingAndLeavesNoOrphan(@TempDir Path dir) throws IOException {
        try (RocksDbMessageStore store = open(dir)) {
            Message before = TestMessages.fullMessage(clock, 1, 10_000, 21);
            putAll(store, List.of(before));
            long committedSize = Files.size(activeBlob(store));

            store.setCommitHook(new RocksDbMessageStore.CommitHook() {
                @Override
                public void walCommitting() {
                    throw new IllegalStateException("simulated WAL failure");
                }
            });
            Message lost = TestMessages.fullMessage(clock, 3, 30_000, 22);
            StoreException failure = assertThrows(StoreException.class,
                    () -> await(store.put(lost, TestMessages.deliveries(lost), null, null)));
            assertTrue(failure.getMessage().contains("simulated WAL failure"), failure.getMessage());
            assertTrue(store.message(lost.id()).isEmpty());
            assertTrue(store.deliveries(lost.id()).isEmpty());
            assertEquals(1, store.messageCount());
            assertEquals(1, store.pendingDeliveries());
            assertEquals(committedSize, Files.size(activeBlob(store)), "the uncommitted bodies were cut off");

            store.setCommitHook(new RocksDbMessageStore.CommitHook() {});
            Message after = TestMessages.fullMessage(clock, 1, 10_000, 23);
            putAll(store, List.of(after));
            assertEquals(after, store.message(after.id()).orElseThrow());
            assertEquals(before, store.message(before.id()).orElseThrow());
        }
    }

    @Test
    void anIdempotencyKeyIsAnsweredOnlyOnceItsMessageIsDurable(@TempDir Path dir) throws Exception {
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (RocksDbMessageStore store = open(dir)) {
            CountDownLatch syncing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            store.setCommitHook(new RocksDbMessageStore.CommitHook() {
                @Override
                public void walSyncing() {
                    syncing.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            IdempotencyKey key = new IdempotencyKey(Interface.MM1, "+4790000001", "tx-7");
            Message message = TestMessages.simpleMessage(clock, 1, 100);
            var put = store.put(message, TestMessages.deliveries(message), key, clock.instant().plusSeconds(3600));
            assertTrue(syncing.await(10, TimeUnit.SECONDS), "the batch is written, its sync held");

            Future<Optional<MessageId>> found = reader.submit(() -> store.findByIdempotencyKey(key, clock.instant()));
            Thread.sleep(300);
            assertFalse(put.isDone(), "not acknowledged before the sync");
            assertFalse(found.isDone(), "a retried submission is not told 'already stored' before it is durable");

            release.countDown();
            assertEquals(Optional.of(message.id()), found.get(10, TimeUnit.SECONDS));
            assertEquals(message.id(), await(put).id());
        } finally {
            reader.shutdownNow();
        }
    }

    @Test
    void blobsAreForcedBeforeTheWalCommitThatReferencesThem(@TempDir Path dir) {
        try (RocksDbMessageStore store = open(dir)) {
            List<String> events = Collections.synchronizedList(new ArrayList<>());
            store.setCommitHook(new RocksDbMessageStore.CommitHook() {
                @Override
                public void blobsForced() {
                    events.add("blob-force");
                }

                @Override
                public void walCommitting() {
                    events.add("wal-commit");
                }
            });
            putAll(store, List.of(TestMessages.fullMessage(clock, 1, 40_000, 31), TestMessages.simpleMessage(clock, 1, 5000)));
            assertEquals(List.of("blob-force", "wal-commit", "blob-force", "wal-commit"), events);

            events.clear();
            putAll(store, List.of(TestMessages.simpleMessage(clock, 1, 0), TestMessages.simpleMessage(clock, 1, 100)));
            assertEquals(List.of("wal-commit", "wal-commit"), events, "small bodies travel in the WAL record: nothing to force");
        }
    }

    @Test
    void smallBodiesStayInTheRecordAndLargeOnesGoToBlobFiles(@TempDir Path dir) throws IOException {
        try (RocksDbMessageStore store = open(dir)) {
            Path blob = activeBlob(store);
            Message small = TestMessages.simpleMessage(clock, 1, RocksDbMessageStore.Options.DEFAULT_INLINE_BODY_MAX_BYTES);
            putAll(store, List.of(small));
            assertEquals(0, Files.size(blob));
            Message large = TestMessages.simpleMessage(clock, 1, RocksDbMessageStore.Options.DEFAULT_INLINE_BODY_MAX_BYTES + 1);
            putAll(store, List.of(large));
            assertEquals(large.contentSize(), Files.size(blob));
            assertEquals(small, store.message(small.id()).orElseThrow());
            assertEquals(large, store.message(large.id()).orElseThrow());
        }
        try (RocksDbMessageStore store = open(dir)) {
            assertEquals(2, store.messageCount());
            assertTrue(store.message(store.messageIds(null, 1).getFirst()).isPresent());
        }
    }

    @Test
    void syncOnForcesBlobsAndSyncsTheWal(@TempDir Path dir) {
        try (RocksDbMessageStore store = open(dir)) {
            for (int i = 0; i < 10; i++) putAll(store, List.of(TestMessages.simpleMessage(clock, 1, 20_000)));
            assertEquals(10, store.walSyncs());
            assertEquals(10, store.blobForces());
        }
    }

    @Test
    void syncOffSkipsBothTheBlobForceAndTheWalSync(@TempDir Path dir) {
        RocksDbMessageStore.Options lab = RocksDbMessageStore.Options.defaults().withClock(clock).withSync(false);
        try (RocksDbMessageStore store = new RocksDbMessageStore(dir, lab)) {
            List<Message> written = new ArrayList<>();
            for (int i = 0; i < 10; i++) written.add(TestMessages.fullMessage(clock, 1, 20_000, 40 + i));
            putAll(store, written);
            assertEquals(10, store.walCommits());
            assertEquals(0, store.walSyncs());
            assertEquals(0, store.blobForces());
            for (Message m : written) assertEquals(m, store.message(m.id()).orElseThrow());
        }
    }

    @Test
    void concurrentPutsShareOneSync(@TempDir Path dir) throws Exception {
        int writers = 32;
        int perWriter = 20;
        try (RocksDbMessageStore store = open(dir)) {
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < perWriter; i++) putAll(store, List.of(TestMessages.simpleMessage(clock, 1, 8 * 1024)));
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            long puts = (long) writers * perWriter;
            assertEquals(puts, store.messageCount());
            assertTrue(store.walSyncs() < puts, "group commit: " + store.walSyncs() + " syncs for " + puts + " puts");
            assertTrue(store.blobForces() < puts, "group commit: " + store.blobForces() + " blob forces for " + puts + " puts");
            assertTrue(store.walSyncs() <= store.walCommits(), "a WAL sync covers one commit or more");
        }
    }

    @Test
    void blobFileIsDeletedOnceNoMessagePointsIntoIt(@TempDir Path dir) {
        RocksDbMessageStore.Options small = RocksDbMessageStore.Options.defaults().withClock(clock).withBlobFileMaxBytes(1024 * 1024);
        try (RocksDbMessageStore store = new RocksDbMessageStore(dir, small)) {
            Message first = TestMessages.fullMessage(clock, 1, 600_000, 51);
            Message second = TestMessages.fullMessage(clock, 1, 600_000, 52);
            Message third = TestMessages.fullMessage(clock, 1, 600_000, 53);
            putAll(store, List.of(first));
            Path firstFile = activeBlob(store);
            putAll(store, List.of(second));
            Path secondFile = activeBlob(store);
            putAll(store, List.of(third));
            assertFalse(firstFile.equals(secondFile), "a full file rotates");

            assertTrue(await(store.delete(first.id())));
            assertFalse(Files.exists(firstFile), "the first file held only the deleted message");
            assertTrue(Files.exists(secondFile));
            assertEquals(third, store.message(third.id()).orElseThrow());
            assertEquals(second, store.message(second.id()).orElseThrow());
        }
        try (RocksDbMessageStore store = new RocksDbMessageStore(dir, small)) {
            assertEquals(2, store.messageCount());
        }
    }

    @Test
    void corruptedBodyIsReportedNotReturned(@TempDir Path dir) throws IOException {
        Message message = TestMessages.simpleMessage(clock, 1, 5000);
        Path blob;
        try (RocksDbMessageStore store = open(dir)) {
            putAll(store, List.of(message));
            blob = activeBlob(store);
        }
        try (FileChannel channel = FileChannel.open(blob, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {(byte) ~message.parts().getFirst().content()[100]}), 100);
        }
        try (RocksDbMessageStore store = open(dir)) {
            StoreException e = assertThrows(StoreException.class, () -> store.message(message.id()));
            assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        }
    }

    @Test
    void aContinuationThatWaitsOnTheStoreDoesNotStallIt(@TempDir Path dir) throws Exception {
        try (RocksDbMessageStore store = open(dir)) {
            Message message = TestMessages.simpleMessage(clock, 2, 10);
            int leased = store.put(message, TestMessages.deliveries(message), null, null)
                    .thenApply(result -> store.leaseDue(clock.instant(), 10, "node-a", java.time.Duration.ofSeconds(30)).size())
                    .get(20, TimeUnit.SECONDS);
            assertEquals(2, leased);
        }
    }

    @Test
    void deliveryDueEarlierThanWhereTheLastScanStoppedIsStillLeased(@TempDir Path dir) {
        java.time.Instant now = clock.instant();
        java.time.Duration lease = java.time.Duration.ofSeconds(30);
        try (RocksDbMessageStore store = open(dir)) {
            Message first = TestMessages.simpleMessage(clock, 3, 10);
            await(store.put(first, TestMessages.deliveries(first, now.minusSeconds(10)), null, null));
            assertEquals(2, store.leaseDue(now, 2, "node-a", lease).size(), "the scan stops after two of three");

            Message earlier = TestMessages.simpleMessage(clock, 1, 10);
            await(store.put(earlier, TestMessages.deliveries(earlier, now.minusSeconds(60)), null, null));
            List<org.openmmsc.core.model.RecipientDelivery> next = store.leaseDue(now, 10, "node-a", lease);
            assertEquals(List.of(earlier.id(), first.id()), next.stream().map(org.openmmsc.core.model.RecipientDelivery::messageId).toList());

            // A retry scheduled in the past of every earlier scan is due at once.
            org.openmmsc.core.model.RecipientDelivery retried = await(store.update(next.getFirst().moveTo(
                    org.openmmsc.core.model.DeliveryState.WAITING_FOR_RETRY, now, now.minusSeconds(120), "retry")));
            assertEquals(java.util.Optional.of(now.minusSeconds(120)), store.nextDueTime());
            assertEquals(List.of(retried.key()), store.leaseDue(now, 10, "node-b", lease).stream()
                    .map(org.openmmsc.core.model.RecipientDelivery::key).toList());
        }
    }

    @Test
    void metersCountWhatTheStoreDid(@TempDir Path dir) {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try (RocksDbMessageStore store = open(dir)) {
            store.bindTo(registry);
            putAll(store, List.of(TestMessages.simpleMessage(clock, 3, 20_000), TestMessages.simpleMessage(clock, 2, 10)));
            assertEquals(2.0, registry.get("mmsc.store.messages").gauge().value());
            assertEquals(2.0, registry.get("mmsc.store.requests").functionCounter().count());
            assertEquals(2.0, registry.get("mmsc.store.commits").functionCounter().count());
            assertEquals(2.0, registry.get("mmsc.store.wal.syncs").functionCounter().count());
            assertEquals(1.0, registry.get("mmsc.store.blob.syncs").functionCounter().count(), "only the large body needs a blob sync");
            assertEquals(0.0, registry.get("mmsc.store.queue.depth").gauge().value());
        }
    }

    @Test
    void closedStoreRefusesWork(@TempDir Path dir) {
        RocksDbMessageStore store = open(dir);
        store.close();
        Message message = TestMessages.simpleMessage(clock, 1, 10);
        assertThrows(StoreException.class, () -> await(store.put(message, TestMessages.deliveries(message), null, null)));
        assertThrows(StoreException.class, () -> store.message(message.id()));
        assertThrows(StoreException.class, () -> store.leaseDue(clock.instant(), 1, "node", java.time.Duration.ofSeconds(1)));
        store.close();
    }
}
