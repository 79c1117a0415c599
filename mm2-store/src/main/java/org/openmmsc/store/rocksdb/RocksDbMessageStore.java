package org.openmmsc.store.rocksdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.openmmsc.core.model.DeliveryKey;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.spi.IdempotencyKey;
import org.openmmsc.core.spi.MessageStore;
import org.openmmsc.core.spi.StaleFenceException;
import org.openmmsc.core.spi.StoreException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded MM2 store: records in RocksDB, part bodies in the store's own append-only blob
 * files (see docs/adr/0001-store-blob-files.md).
 *
 * <p>Every mutation goes through one writer thread. It drains whatever requests are queued,
 * applies them to one {@link WriteBatchWithIndex} (so later requests in a batch see earlier
 * ones), appends their bodies to the active blob file, forces the blob file, and then writes the
 * batch into RocksDB's WAL buffer (manual WAL flush). A syncer thread then syncs the WAL once
 * for every batch written since its last sync and only then completes the batch's futures, on
 * completion threads. Concurrent writers share both syncs (group commit), the next batch is
 * built while the last one syncs, and a record never points at a body that is not yet on disk. The batch also carries the blob
 * file's new committed length and the message and pending-delivery counters, so opening the
 * store needs no scan: it truncates the active blob file to the committed length (reclaiming
 * bodies written for a batch that never committed) and reads the counters.
 *
 * <p>On disk under the store directory: {@code rocksdb/} (column families {@code messages},
 * {@code deliveries}, {@code due}, {@code idempotency}, {@code expiry}, {@code meta}) and
 * {@code blobs/NNNN….blob}.
 */
public final class RocksDbMessageStore implements MessageStore, MeterBinder {
    private static final Logger log = LoggerFactory.getLogger(RocksDbMessageStore.class);

    /**
     * How the store runs.
     *
     * @param sync              sync blob files and the WAL before acknowledging (false only for labs: a
     *                          power cut then loses acknowledged messages)
     * @param clock             time for idempotency-key expiry during {@code put}
     * @param blobFileMaxBytes  a new blob file is started once the active one would grow past this
     * @param maxBatchRequests  requests the writer folds into one commit at most
     * @param inlineBodyMaxBytes a message whose bodies total at most this many bytes keeps them in its
     *                          record (one synced WAL write, no blob sync); larger ones go to blob files
     */
    public record Options(boolean sync, Clock clock, long blobFileMaxBytes, int maxBatchRequests, int inlineBodyMaxBytes) {
        /** Small enough that a full write group of inline messages stays far below RocksDB's 1 MB group cap. */
        public static final int DEFAULT_INLINE_BODY_MAX_BYTES = 4096;

        public Options {
            Objects.requireNonNull(clock, "clock");
            if (inlineBodyMaxBytes < 0 || inlineBodyMaxBytes > 64 * 1024) {
                throw new IllegalArgumentException("inlineBodyMaxBytes must be within 0..65536: " + inlineBodyMaxBytes);
            }
            if (blobFileMaxBytes < 1024 * 1024) throw new IllegalArgumentException("blobFileMaxBytes below 1 MiB: " + blobFileMaxBytes);
            if (maxBatchRequests < 1) throw new IllegalArgumentException("maxBatchRequests must be positive: " + maxBatchRequests);
        }

        public static Options defaults() {
            return new Options(true, Clock.systemUTC(), 256L * 1024 * 1024, 1024, DEFAULT_INLINE_BODY_MAX_BYTES);
        }

        public Options withSync(boolean newSync) {
            return new Options(newSync, clock, blobFileMaxBytes, maxBatchRequests, inlineBodyMaxBytes);
        }

        public Options withClock(Clock newClock) {
            return new Options(sync, newClock, blobFileMaxBytes, maxBatchRequests, inlineBodyMaxBytes);
        }

        public Options withBlobFileMaxBytes(long bytes) {
            return new Options(sync, clock, bytes, maxBatchRequests, inlineBodyMaxBytes);
        }

        public Options withInlineBodyMaxBytes(int bytes) {
            return new Options(sync, clock, blobFileMaxBytes, maxBatchRequests, bytes);
        }
    }

    /** Observes the commit sequence; tests use it to check ordering and to inject failures. */
    interface CommitHook {
        default void blobsForced() {}

        default void walCommitting() {}

        /** On the syncer thread, before the WAL sync that makes committed batches durable. */
        default void walSyncing() {}
    }

    private static final List<String> FAMILIES = List.of("messages", "deliveries", "due", "idempotency", "expiry", "meta");

    private final Path dir;
    private final Options options;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions familyOptions;
    private final BloomFilter bloomFilter;
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final RocksDB db;
    private final ColumnFamilyHandle messages;
    private final ColumnFamilyHandle deliveries;
    private final ColumnFamilyHandle due;
    private final ColumnFamilyHandle idempotency;
    private final ColumnFamilyHandle expiry;
    private final ColumnFamilyHandle meta;
    private final WriteOptions writeOptions;
    private final ReadOptions readOptions;
    private final BlobFiles blobs;

    private final BlockingQueue<Request<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final Thread syncer;
    private final ExecutorService completions;
    private final BlockingQueue<SyncJob> syncQueue = new LinkedBlockingQueue<>();
    /** Reads hold it shared; close takes it exclusively so no read touches a freed native handle. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closed;

    // Committed state, written by the writer thread only after a successful commit.
    private volatile long messageCount;
    private volatile long pendingDeliveries;
    private final Map<Long, Long> blobRefs = new HashMap<>();

    private final AtomicLong walCommits = new AtomicLong();
    private final AtomicLong walSyncs = new AtomicLong();
    private final AtomicLong blobForces = new AtomicLong();
    private final AtomicLong committedRequests = new AtomicLong();
    private volatile CommitHook hook = new CommitHook() {};
    private volatile boolean flushOnClose = true;
    /**
     * Due-index key below which every entry has been leased away (moved to its lease's end) since
     * the last scan; null means scan from the start. A lease deletes its old due key, and in an
     * LSM those tombstones pile up at the front of the index until compaction, so scanning from
     * the start would step over every delivery ever leased. Writer thread writes it; every insert
     * below it lowers it first, so nothing live is ever below it.
     */
    private volatile byte[] dueScanFloor;

    public RocksDbMessageStore(Path dir) {
        this(dir, Options.defaults());
    }

    public RocksDbMessageStore(Path dir, Options options) {
        this.dir = Objects.requireNonNull(dir, "store directory");
        this.options = Objects.requireNonNull(options, "options");
        RocksDB.loadLibrary();
        long started = System.nanoTime();
        DBOptions dbOpts = null;
        BloomFilter bloom = new BloomFilter(10);
        ColumnFamilyOptions cfOpts = null;
        RocksDB opened = null;
        WriteOptions wOpts = null;
        ReadOptions rOpts = null;
        BlobFiles openedBlobs = null;
        try {
            Files.createDirectories(dir.resolve("rocksdb"));
            // Manual WAL flush: the writer commits into the WAL buffer, the syncer flushes and syncs it,
            // so building the next batch overlaps the current sync.
            dbOpts = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true).setManualWalFlush(true)
                    .setMaxBackgroundJobs(2).setKeepLogFileNum(4);
            // Bloom filters make the accept path's negative lookups (new idempotency key, new id) cheap.
            cfOpts = new ColumnFamilyOptions().setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(bloom));
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOpts));
            for (String name : FAMILIES) descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.US_ASCII), cfOpts));
            opened = RocksDB.open(dbOpts, dir.resolve("rocksdb").toString(), descriptors, handles);
            wOpts = new WriteOptions().setSync(false);
            rOpts = new ReadOptions();

            byte[] active = opened.get(handles.get(6), Keys.META_BLOB_ACTIVE);
            long activeFile = active == null ? 0 : ByteBuffer.wrap(active).getLong();
            long committedLength = active == null ? 0 : ByteBuffer.wrap(active).getLong(8);
            openedBlobs = BlobFiles.open(dir.resolve("blobs"), activeFile, committedLength);
        } catch (RocksDBException | IOException | RuntimeException e) {
            if (openedBlobs != null) openedBlobs.close();
            for (ColumnFamilyHandle h : handles) h.close();
            if (opened != null) opened.close();
            if (rOpts != null) rOpts.close();
            if (wOpts != null) wOpts.close();
            if (cfOpts != null) cfOpts.close();
            if (dbOpts != null) dbOpts.close();
            bloom.close();
            throw new StoreException("cannot open store in " + dir + ": " + e.getMessage(), e);
        }
        this.dbOptions = dbOpts;
        this.familyOptions = cfOpts;
        this.bloomFilter = bloom;
        this.db = opened;
        this.messages = handles.get(1);
        this.deliveries = handles.get(2);
        this.due = handles.get(3);
        this.idempotency = handles.get(4);
        this.expiry = handles.get(5);
        this.meta = handles.get(6);
        this.writeOptions = wOpts;
        this.readOptions = rOpts;
        this.blobs = openedBlobs;
        try {
            this.messageCount = Keys.longValue(db.get(meta, Keys.META_MESSAGE_COUNT));
            this.pendingDeliveries = Keys.longValue(db.get(meta, Keys.META_PENDING_DELIVERIES));
            loadBlobRefsAndDeleteUnreferencedFiles();
        } catch (RocksDBException | IOException e) {
            closeHandles();
            throw new StoreException("cannot read store metadata in " + dir + ": " + e.getMessage(), e);
        }
        this.writer = daemon("rocksdb-store-writer").newThread(this::writeLoop);
        this.syncer = daemon("rocksdb-store-syncer").newThread(this::syncLoop);
        this.completions = Executors.newCachedThreadPool(daemon("rocksdb-store-completion"));
        this.syncer.start();
        this.writer.start();
        log.info("Opened message store in {} in {} ms: {} messages, {} pending deliveries, sync={}", dir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), messageCount, pendingDeliveries, options.sync());
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        };
    }

    private void loadBlobRefsAndDeleteUnreferencedFiles() throws IOException {
        try (RocksIterator it = db.newIterator(meta)) {
            for (it.seek(Keys.META_BLOB_REFS_PREFIX); it.isValid() && Keys.startsWith(it.key(), Keys.META_BLOB_REFS_PREFIX); it.next()) {
                long fileNo = ByteBuffer.wrap(it.key(), Keys.META_BLOB_REFS_PREFIX.length, 8).getLong();
                blobRefs.put(fileNo, Keys.longValue(it.value()));
            }
        }
        // A crash between a commit and the file deletion it allowed leaves such files behind.
        for (long fileNo : blobs.existingFiles()) {
            if (fileNo != blobs.activeFile() && blobRefs.getOrDefault(fileNo, 0L) == 0) {
                log.info("Deleting blob file {} that no message references", fileNo);
                blobs.delete(fileNo);
            }
        }
    }

    // ================================================================== SPI: writes

    @Override
    public CompletableFuture<PutResult> put(Message message, List<RecipientDelivery> deliveryList, IdempotencyKey key,
                                            Instant idempotencyExpiresAt) {
        checkDeliveries(message, deliveryList);
        if (key != null) Objects.requireNonNull(idempotencyExpiresAt, "idempotency key expiry");
        return submit(new PutRequest(message, List.copyOf(deliveryList), key, idempotencyExpiresAt));
    }

    private static void checkDeliveries(Message message, List<RecipientDelivery> deliveryList) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(deliveryList, "deliveries");
        // Refused recipients get no delivery, so indexes may skip; they must be the message's and in order.
        if (deliveryList.isEmpty()) throw new IllegalArgumentException("message " + message.id() + " has no delivery to store");
        int previous = -1;
        for (RecipientDelivery d : deliveryList) {
            if (!d.messageId().equals(message.id())) {
                throw new IllegalArgumentException("delivery " + d.key() + " does not belong to message " + message.id());
            }
            if (d.recipientIndex() <= previous || d.recipientIndex() >= message.recipients().size()) {
                throw new IllegalArgumentException("delivery " + d.key() + " is out of recipient order or names no recipient of "
                        + message.recipients().size());
            }
            previous = d.recipientIndex();
        }
    }

    @Override
    public CompletableFuture<RecipientDelivery> update(RecipientDelivery delivery, List<NewMessage> alsoStore) {
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(alsoStore, "messages to store with the update");
        List<PutRequest> puts = new ArrayList<>(alsoStore.size());
        for (NewMessage n : alsoStore) {
            checkDeliveries(n.message(), n.deliveries());
            if (n.key() != null) Objects.requireNonNull(n.keyExpiresAt(), "idempotency key expiry");
            puts.add(new PutRequest(n.message(), n.deliveries(), n.key(), n.keyExpiresAt()));
        }
        return submit(new UpdateRequest(delivery, puts));
    }

    @Override
    public CompletableFuture<ReplaceOutcome> replaceContent(Message replacement) {
        Objects.requireNonNull(replacement, "replacement");
        return submit(new ReplaceRequest(replacement));
    }

    @Override
    public List<RecipientDelivery> leaseDue(Instant now, int max, String owner, Duration leaseDuration) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(owner, "owner");
        if (max <= 0) return List.of();
        if (leaseDuration.isNegative() || leaseDuration.isZero()) throw new IllegalArgumentException("lease duration must be positive");
        return join(submit(new LeaseRequest(now, max, owner, leaseDuration)));
    }

    @Override
    public CompletableFuture<Boolean> delete(MessageId id) {
        Objects.requireNonNull(id, "message id");
        return submit(new DeleteRequest(id));
    }

    @Override
    public int purgeExpired(Instant now, int max) {
        Objects.requireNonNull(now, "now");
        if (max <= 0) return 0;
        return join(submit(new PurgeRequest(now, max)));
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof StoreException se) throw se;
            throw new StoreException("store request failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the store", e);
        }
    }

    private <T> CompletableFuture<T> submit(Request<T> request) {
        lifecycle.readLock().lock();
        try {
            if (closed) return CompletableFuture.failedFuture(new StoreException("store " + dir + " is closed"));
            queue.add(request);
            return request.future;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    // ================================================================== SPI: reads

    @Override
    public Optional<Message> message(MessageId id) {
        return read(() -> {
            byte[] raw = db.get(messages, Keys.message(id));
            if (raw == null) return Optional.empty();
            RecordCodec.StoredMessage stored = RecordCodec.decodeMessage(raw);
            if (stored.bodiesInline()) return Optional.of(stored.message());
            List<byte[]> bodies = new ArrayList<>(stored.bodies().size());
            try {
                for (RecordCodec.BodyRef ref : stored.bodies()) bodies.add(blobs.read(stored.blobFile(), ref));
            } catch (StoreException e) {
                // Deleted while we read: its blob file may be gone with it.
                if (db.get(messages, Keys.message(id)) == null) return Optional.empty();
                throw e;
            }
            return Optional.of(RecordCodec.withBodies(stored.message(), bodies));
        });
    }

    @Override
    public List<RecipientDelivery> deliveries(MessageId id) {
        return read(() -> {
            byte[] prefix = Keys.message(id);
            List<RecipientDelivery> list = new ArrayList<>();
            try (ReadOptions bounded = new ReadOptions();
                 Slice upper = new Slice(Keys.delivery(id, Integer.MAX_VALUE))) {
                bounded.setIterateUpperBound(upper);
                try (RocksIterator it = db.newIterator(deliveries, bounded)) {
                    for (it.seek(prefix); it.isValid() && Keys.startsWith(it.key(), prefix); it.next()) {
                        list.add(RecordCodec.decodeDelivery(it.value()));
                    }
                    it.status();
                }
            }
            return list;
        });
    }

    @Override
    public Optional<RecipientDelivery> delivery(DeliveryKey key) {
        return read(() -> {
            byte[] raw = db.get(deliveries, Keys.delivery(key));
            return raw == null ? Optional.empty() : Optional.of(RecordCodec.decodeDelivery(raw));
        });
    }

    @Override
    public Optional<MessageId> findByIdempotencyKey(IdempotencyKey key, Instant now) {
        Optional<MessageId> found = read(() -> {
            byte[] raw = db.get(idempotency, idempotencyKey(key));
            if (raw == null) return Optional.empty();
            RecordCodec.KeyEntry entry = RecordCodec.decodeKeyEntry(raw);
            return entry.expiresAt().isAfter(now) ? Optional.of(entry.id()) : Optional.empty();
        });
        return found.map(id -> {
            // Readers see a batch before its WAL sync: answer a submission's id only once it is durable.
            join(submit(new SyncBarrier()));
            return id;
        });
    }

    /**
     * The earliest time a delivery can next be leased: its next attempt, or for a leased one the
     * end of its lease (so a scheduler does not wake for work another node holds).
     */
    @Override
    public Optional<Instant> nextDueTime() {
        return read(() -> {
            try (RocksIterator it = db.newIterator(due)) {
                byte[] floor = dueScanFloor;
                if (floor == null) it.seekToFirst();
                else it.seek(floor);
                if (!it.isValid()) {
                    it.status();
                    return Optional.empty();
                }
                return Optional.of(Keys.dueTime(it.key()));
            }
        });
    }

    @Override
    public long pendingDeliveries() {
        return pendingDeliveries;
    }

    @Override
    public long messageCount() {
        return messageCount;
    }

    @Override
    public List<MessageId> messageIds(MessageId after, int max) {
        if (max <= 0) return List.of();
        return read(() -> {
            List<MessageId> ids = new ArrayList<>(Math.min(max, 1024));
            try (RocksIterator it = db.newIterator(messages)) {
                if (after == null) {
                    it.seekToFirst();
                } else {
                    byte[] start = Keys.message(after);
                    it.seek(start);
                    if (it.isValid() && Arrays.equals(it.key(), start)) it.next();
                }
                for (; it.isValid() && ids.size() < max; it.next()) ids.add(Keys.messageId(it.key(), 0));
                it.status();
            }
            return ids;
        });
    }

    @FunctionalInterface
    private interface Read<T> {
        T run() throws RocksDBException;
    }

    private <T> T read(Read<T> body) {
        lifecycle.readLock().lock();
        try {
            if (closed) throw new StoreException("store " + dir + " is closed");
            return body.run();
        } catch (RocksDBException e) {
            throw new StoreException("read failed in " + dir + ": " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private static byte[] idempotencyKey(IdempotencyKey key) {
        return key.asString().getBytes(StandardCharsets.UTF_8);
    }

    // ================================================================== close

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
            queue.add(Shutdown.INSTANCE);
        } finally {
            lifecycle.writeLock().unlock();
        }
        // Queued requests were accepted before close: the writer finishes them, then stops.
        try {
            writer.join();
            syncer.join();
            completions.shutdown();
            if (!completions.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("Callers' continuations on store {} still run after 30 s; closing anyway", dir);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Interrupted while waiting for the store writer of {} to finish", dir);
        }
        lifecycle.writeLock().lock();
        try {
            closeHandles();
        } finally {
            lifecycle.writeLock().unlock();
        }
        log.info("Closed message store in {}", dir);
    }

    private void closeHandles() {
        blobs.close();
        try {
            db.flushWal(options.sync());
        } catch (RocksDBException e) {
            log.error("Could not flush the WAL of {} at close", dir, e);
        }
        // Flushing the memtables at a clean close spares the next open a WAL replay.
        if (flushOnClose) {
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush, handles);
            } catch (RocksDBException e) {
                log.warn("Could not flush the memtables of {} at close; the next open replays the WAL", dir, e);
            }
        }
        for (ColumnFamilyHandle h : handles) h.close();
        db.close();
        readOptions.close();
        writeOptions.close();
        familyOptions.close();
        bloomFilter.close();
        dbOptions.close();
    }

    // ================================================================== observability and test hooks

    /**
     * Registers the store's meters: requests waiting for the writer, messages and pending
     * deliveries held, and commits, WAL syncs and blob syncs made (their ratio to requests is the
     * group commit at work).
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("mmsc.store.queue.depth", queue, BlockingQueue::size)
                .description("Store requests waiting for the writer thread").register(registry);
        Gauge.builder("mmsc.store.messages", this, RocksDbMessageStore::messageCount)
                .description("Messages held by the store").register(registry);
        // Queue depth (unsettled deliveries) is core's mmsc.deliveries.pending, whatever the store.
        FunctionCounter.builder("mmsc.store.requests", committedRequests, AtomicLong::doubleValue)
                .description("Store write requests answered by a commit").register(registry);
        FunctionCounter.builder("mmsc.store.commits", walCommits, AtomicLong::doubleValue)
                .description("Write batches committed").register(registry);
        FunctionCounter.builder("mmsc.store.wal.syncs", walSyncs, AtomicLong::doubleValue)
                .description("WAL syncs (each covers one commit or more)").register(registry);
        FunctionCounter.builder("mmsc.store.blob.syncs", blobForces, AtomicLong::doubleValue)
                .description("Blob file syncs before a commit").register(registry);
    }

    /** WAL writes made; with concurrent writers far fewer than requests (group commit). */
    long walCommits() {
        return walCommits.get();
    }

    /** Synced WAL writes made. */
    long walSyncs() {
        return walSyncs.get();
    }

    /** fdatasync calls on blob files. */
    long blobForces() {
        return blobForces.get();
    }

    BlobFiles blobFiles() {
        return blobs;
    }

    /** Leaves the memtables unflushed at close, as a crash does: the next open must replay the WAL. */
    void leaveWalUnflushedAtClose() {
        this.flushOnClose = false;
    }

    void setCommitHook(CommitHook commitHook) {
        this.hook = Objects.requireNonNull(commitHook);
    }

    // ================================================================== the writer

    private void writeLoop() {
        List<Request<?>> drained = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                drained.add(queue.take());
            } catch (InterruptedException e) {
                // Only close() stops the writer, through the Shutdown marker.
                continue;
            }
            queue.drainTo(drained, options.maxBatchRequests() - 1);
            int end = drained.indexOf(Shutdown.INSTANCE);
            if (end >= 0) {
                stopping = true;
                drained = new ArrayList<>(drained.subList(0, end));
            }
            // A request that scans an index starts its own commit, so its scan sees everything before it.
            int start = 0;
            for (int i = 1; i <= drained.size(); i++) {
                if (i == drained.size() || drained.get(i).scans()) {
                    commit(drained.subList(start, i));
                    start = i;
                }
            }
            drained.clear();
        }
        for (Request<?> left; (left = queue.poll()) != null; ) {
            if (left != Shutdown.INSTANCE) left.future.completeExceptionally(new StoreException("store " + dir + " is closed"));
        }
        syncQueue.add(SyncJob.END);
    }

    private void commit(List<Request<?>> segment) {
        if (segment.isEmpty()) return;
        // A copy: the caller reuses its list while the syncer thread still walks this one.
        List<Request<?>> requests = List.copyOf(segment);
        // A scan may see batches not yet synced, but hands nothing out before its own batch is synced,
        // and the WAL is synced in order: what it leases is durable by then, without stalling this thread.
        Object[] results = new Object[requests.size()];
        Throwable[] failures = new Throwable[requests.size()];
        List<Long> unreferencedFiles = List.of();
        boolean wrote = false;
        try (WriteBatchWithIndex batch = new WriteBatchWithIndex(true)) {
            Batch b = new Batch(batch);
            for (int i = 0; i < requests.size(); i++) {
                try {
                    results[i] = requests.get(i).apply(b);
                } catch (StoreException | IllegalArgumentException e) {
                    // A refusal (stale fence, unknown delivery): it wrote nothing, the others go on.
                    failures[i] = e;
                }
            }
            if (batch.count() > 0) {
                b.writeMetadata();
                if (options.sync() && blobs.hasUnforcedData()) {
                    // Bodies reach the disk before any WAL byte that points at them can.
                    blobs.forceDirty();
                    blobForces.incrementAndGet();
                    hook.blobsForced();
                }
                hook.walCommitting();
                // Into the memtable and RocksDB's WAL buffer; the syncer makes it durable (manual WAL flush).
                db.write(writeOptions, batch);
                walCommits.incrementAndGet();
                wrote = true;
                blobs.markCommitted();
                unreferencedFiles = b.publish();
            }
        } catch (RocksDBException | IOException | RuntimeException e) {
            blobs.rollBack();
            // The failed batch may have raised the floor above entries it did not move after all.
            dueScanFloor = null;
            StoreException failure = new StoreException("commit of " + requests.size() + " request(s) failed in " + dir
                    + ": " + e.getMessage(), e);
            log.error("Store commit failed; nothing in it was acknowledged", e);
            Arrays.fill(failures, failure);
        }
        syncQueue.add(new SyncJob(requests, results, failures, unreferencedFiles, wrote));
    }

    /** A committed batch waiting for the WAL sync that makes it durable, and the answers it then releases. */
    private record SyncJob(List<Request<?>> requests, Object[] results, Throwable[] failures, List<Long> unreferencedFiles,
                           boolean wrote) {
        static final SyncJob END = new SyncJob(List.of(), new Object[0], new Throwable[0], List.of(), false);
    }

    /**
     * Syncs the WAL once for every batch committed since the last sync, then answers their
     * requests. It runs beside the writer, so the next batch is built while this one syncs.
     */
    private void syncLoop() {
        List<SyncJob> jobs = new ArrayList<>();
        boolean ending = false;
        while (!ending) {
            try {
                jobs.add(syncQueue.take());
            } catch (InterruptedException e) {
                continue;
            }
            syncQueue.drainTo(jobs);
            ending = jobs.remove(SyncJob.END);
            StoreException syncFailure = null;
            if (jobs.stream().anyMatch(SyncJob::wrote)) {
                try {
                    hook.walSyncing();
                    db.flushWal(options.sync());
                    if (options.sync()) walSyncs.incrementAndGet();
                } catch (RocksDBException e) {
                    syncFailure = new StoreException("WAL sync failed in " + dir + ": " + e.getMessage(), e);
                    log.error("WAL sync failed; the requests it covered are answered with an error", e);
                }
            }
            for (SyncJob job : jobs) {
                if (syncFailure == null) {
                    job.unreferencedFiles().forEach(blobs::deleteUnreferenced);
                    committedRequests.addAndGet(job.requests().size());
                }
                StoreException jobFailure = syncFailure;
                // Callers' continuations run on completion threads, so one that blocks on the store cannot stall the syncer.
                completions.execute(() -> {
                    for (int i = 0; i < job.requests().size(); i++) {
                        Throwable failure = job.failures()[i] != null ? job.failures()[i] : jobFailure;
                        job.requests().get(i).finish(job.results()[i], failure);
                    }
                });
            }
            jobs.clear();
        }
    }

    /**
     * One commit's worth of changes: reads see the batch over the database, counters and blob
     * references change in working copies that become the committed ones only after the WAL write.
     */
    private final class Batch {
        final WriteBatchWithIndex batch;
        long messageDelta;
        long pendingDelta;
        final Map<Long, Long> refDeltas = new HashMap<>();
        final long activeFileBefore = blobs.activeFile();

        Batch(WriteBatchWithIndex batch) {
            this.batch = batch;
        }

        byte[] get(ColumnFamilyHandle family, byte[] key) throws RocksDBException {
            return batch.getFromBatchAndDB(db, family, readOptions, key);
        }

        void put(ColumnFamilyHandle family, byte[] key, byte[] value) throws RocksDBException {
            if (family == due) lowerDueScanFloor(key);
            batch.put(family, key, value);
        }

        void delete(ColumnFamilyHandle family, byte[] key) throws RocksDBException {
            batch.delete(family, key);
        }

        void writeMetadata() throws RocksDBException {
            if (messageDelta != 0) batch.put(meta, Keys.META_MESSAGE_COUNT, Keys.longValue(messageCount + messageDelta));
            if (pendingDelta != 0) batch.put(meta, Keys.META_PENDING_DELIVERIES, Keys.longValue(pendingDeliveries + pendingDelta));
            for (Map.Entry<Long, Long> delta : refDeltas.entrySet()) {
                long refs = blobRefs.getOrDefault(delta.getKey(), 0L) + delta.getValue();
                if (refs == 0) batch.delete(meta, Keys.blobRefs(delta.getKey()));
                else batch.put(meta, Keys.blobRefs(delta.getKey()), Keys.longValue(refs));
            }
            if (blobs.hasUnforcedData() || blobs.activeFile() != activeFileBefore) {
                batch.put(meta, Keys.META_BLOB_ACTIVE,
                        ByteBuffer.allocate(16).putLong(blobs.activeFile()).putLong(blobs.activeLength()).array());
            }
        }

        /**
         * After the commit: the working counters become what readers see. Answers the blob files
         * no message references any more; they are deleted once the commit is synced.
         */
        List<Long> publish() {
            messageCount += messageDelta;
            pendingDeliveries += pendingDelta;
            List<Long> unreferenced = new ArrayList<>();
            for (Map.Entry<Long, Long> delta : refDeltas.entrySet()) {
                long fileNo = delta.getKey();
                long refs = blobRefs.getOrDefault(fileNo, 0L) + delta.getValue();
                if (refs == 0) blobRefs.remove(fileNo);
                else blobRefs.put(fileNo, refs);
                if (refs == 0 && fileNo != blobs.activeFile()) unreferenced.add(fileNo);
            }
            if (blobs.activeFile() != activeFileBefore && blobRefs.getOrDefault(activeFileBefore, 0L) == 0
                    && !unreferenced.contains(activeFileBefore)) {
                unreferenced.add(activeFileBefore);
            }
            return unreferenced;
        }

        // ---- shared record operations

        void putDelivery(RecipientDelivery previous, RecipientDelivery next) throws RocksDBException {
            if (previous != null && !previous.state().isSettled()) {
                delete(due, dueKey(previous));
                pendingDelta--;
            }
            if (!next.state().isSettled()) {
                put(due, dueKey(next), EMPTY);
                pendingDelta++;
            }
            put(deliveries, Keys.delivery(next.key()), RecordCodec.encodeDelivery(next));
        }

        void putNewDelivery(RecipientDelivery d, byte[] record) throws RocksDBException {
            if (!d.state().isSettled()) {
                put(due, dueKey(d), EMPTY);
                pendingDelta++;
            }
            put(deliveries, Keys.delivery(d.key()), record);
        }

        boolean deleteMessage(MessageId id) throws RocksDBException {
            byte[] raw = get(messages, Keys.message(id));
            if (raw == null) return false;
            RecordCodec.StoredMessage stored = RecordCodec.decodeMessage(raw);
            List<RecipientDelivery> existing = new ArrayList<>();
            for (int i = 0; i < stored.message().recipients().size(); i++) {
                byte[] d = get(deliveries, Keys.delivery(id, i));
                if (d != null) existing.add(RecordCodec.decodeDelivery(d));
            }
            for (RecipientDelivery d : existing) {
                if (!d.state().isSettled()) {
                    delete(due, dueKey(d));
                    pendingDelta--;
                }
                delete(deliveries, Keys.delivery(d.key()));
            }
            delete(messages, Keys.message(id));
            if (stored.expiresAt() != null) delete(expiry, Keys.expiryOfMessage(stored.expiresAt(), id));
            messageDelta--;
            if (!stored.bodiesInline()) refDeltas.merge(stored.blobFile(), -1L, Long::sum);
            return true;
        }
    }

    private static final byte[] EMPTY = new byte[0];

    private void lowerDueScanFloor(byte[] key) {
        byte[] floor = dueScanFloor;
        if (floor != null && Arrays.compareUnsigned(key, floor) < 0) dueScanFloor = key;
    }

    /** When a delivery can next be leased: its next attempt, or the end of a lease that runs longer. */
    private static byte[] dueKey(RecipientDelivery d) {
        Instant at = d.nextAttemptAt();
        if (d.lease() != null && d.lease().until().isAfter(at)) at = d.lease().until();
        return Keys.due(at, d.messageId(), d.recipientIndex());
    }

    // ================================================================== requests

    private abstract static class Request<T> {
        final CompletableFuture<T> future = new CompletableFuture<>();

        /** Applies the request to the batch. Throws StoreException only before writing anything. */
        abstract T apply(Batch batch) throws RocksDBException, IOException;

        /** Whether it iterates an index, and so must see everything committed before it. */
        boolean scans() {
            return false;
        }

        @SuppressWarnings("unchecked")
        void finish(Object result, Throwable failure) {
            if (failure != null) future.completeExceptionally(failure);
            else future.complete((T) result);
        }
    }

    /** Marks the end of the queue at close. */
    private static final class Shutdown extends Request<Void> {
        static final Shutdown INSTANCE = new Shutdown();

        @Override
        Void apply(Batch batch) {
            throw new IllegalStateException("the shutdown marker is never applied");
        }
    }

    private final class PutRequest extends Request<PutResult> {
        final Message message;
        final List<RecipientDelivery> deliveryList;
        final Instant keyExpiresAt;
        // Encoded by the caller's thread: the writer thread is the bottleneck, callers are many.
        final byte[] keyBytes;
        final byte[] head;
        final Instant expiresAt;
        final List<byte[]> deliveryRecords;
        final boolean inline;
        final int[] crcs;

        PutRequest(Message message, List<RecipientDelivery> deliveryList, IdempotencyKey key, Instant keyExpiresAt) {
            this.message = message;
            this.deliveryList = deliveryList;
            this.keyExpiresAt = keyExpiresAt;
            this.keyBytes = key == null ? null : idempotencyKey(key);
            Instant latest = null;
            for (RecipientDelivery d : deliveryList) {
                if (latest == null || d.expiresAt().isAfter(latest)) latest = d.expiresAt();
            }
            this.expiresAt = latest;
            this.head = RecordCodec.encodeMessageHead(message, expiresAt);
            this.deliveryRecords = deliveryList.stream().map(RecordCodec::encodeDelivery).toList();
            this.inline = message.contentSize() <= options.inlineBodyMaxBytes();
            this.crcs = new int[message.parts().size()];
            if (!inline) {
                for (int i = 0; i < crcs.length; i++) crcs[i] = BlobFiles.crc32c(message.parts().get(i).content());
            }
        }

        @Override
        PutResult apply(Batch b) throws RocksDBException, IOException {
            MessageId held = heldKey(b);
            if (held != null) return new PutResult(held, true);
            refuseIfStored(b);
            write(b);
            return new PutResult(message.id(), false);
        }

        /** The message stored under this request's unexpired idempotency key, else null. */
        MessageId heldKey(Batch b) throws RocksDBException {
            if (keyBytes == null) return null;
            byte[] existing = b.get(idempotency, keyBytes);
            if (existing == null) return null;
            RecordCodec.KeyEntry entry = RecordCodec.decodeKeyEntry(existing);
            return entry.expiresAt().isAfter(options.clock().instant()) ? entry.id() : null;
        }

        void refuseIfStored(Batch b) throws RocksDBException {
            if (b.get(messages, Keys.message(message.id())) != null) throw new StoreException("message " + message.id() + " is already stored");
        }

        void write(Batch b) throws RocksDBException, IOException {
            MessageId id = message.id();
            long blobFile = RecordCodec.INLINE;
            List<RecordCodec.BodyRef> refs = new ArrayList<>(message.parts().size());
            if (!inline) {
                blobs.rotateIfFull(message.contentSize(), options.blobFileMaxBytes());
                blobFile = blobs.activeFile();
                for (int i = 0; i < crcs.length; i++) refs.add(blobs.append(message.parts().get(i).content(), crcs[i]));
            }
            b.put(messages, Keys.message(id), RecordCodec.encodeMessageRecord(head, message, blobFile, refs));
            for (int i = 0; i < deliveryList.size(); i++) b.putNewDelivery(deliveryList.get(i), deliveryRecords.get(i));
            b.put(expiry, Keys.expiryOfMessage(expiresAt, id), EMPTY);
            if (keyBytes != null) {
                b.put(idempotency, keyBytes, RecordCodec.encodeKeyEntry(id, keyExpiresAt));
                b.put(expiry, Keys.expiryOfKey(keyExpiresAt, keyBytes), EMPTY);
            }
            b.messageDelta++;
            if (blobFile != RecordCodec.INLINE) b.refDeltas.merge(blobFile, 1L, Long::sum);
        }
    }

    /** Writes nothing; answered once every batch committed before it is synced. */
    private static final class SyncBarrier extends Request<Void> {
        @Override
        Void apply(Batch batch) {
            return null;
        }
    }

    /**
     * Swaps a message record for its replacement in one batch: a reader sees the old record or the
     * new one. New bodies go to the blob file like a put's (forced before the WAL commit); the old
     * blob file loses a reference, and is deleted once nothing references it.
     */
    private final class ReplaceRequest extends Request<ReplaceOutcome> {
        final Message replacement;
        final boolean inline;
        final int[] crcs;

        ReplaceRequest(Message replacement) {
            this.replacement = replacement;
            this.inline = replacement.contentSize() <= options.inlineBodyMaxBytes();
            this.crcs = new int[replacement.parts().size()];
            if (!inline) {
                for (int i = 0; i < crcs.length; i++) crcs[i] = BlobFiles.crc32c(replacement.parts().get(i).content());
            }
        }

        @Override
        ReplaceOutcome apply(Batch b) throws RocksDBException, IOException {
            MessageId id = replacement.id();
            byte[] raw = b.get(messages, Keys.message(id));
            if (raw == null) return ReplaceOutcome.NOT_FOUND;
            RecordCodec.StoredMessage stored = RecordCodec.decodeMessage(raw);
            Message old = stored.message();
            if (!old.originator().equals(replacement.originator()) || !old.recipients().equals(replacement.recipients())) {
                throw new IllegalArgumentException("a replacement of " + id + " must keep its originator and recipients");
            }
            boolean anyUnsettled = false;
            for (int i = 0; i < old.recipients().size() && !anyUnsettled; i++) {
                byte[] d = b.get(deliveries, Keys.delivery(id, i));
                if (d != null && !RecordCodec.decodeDelivery(d).state().isSettled()) anyUnsettled = true;
            }
            if (!anyUnsettled) return ReplaceOutcome.TOO_LATE;
            long blobFile = RecordCodec.INLINE;
            List<RecordCodec.BodyRef> refs = new ArrayList<>(replacement.parts().size());
            if (!inline) {
                blobs.rotateIfFull(replacement.contentSize(), options.blobFileMaxBytes());
                blobFile = blobs.activeFile();
                for (int i = 0; i < crcs.length; i++) refs.add(blobs.append(replacement.parts().get(i).content(), crcs[i]));
            }
            byte[] head = RecordCodec.encodeMessageHead(replacement, stored.expiresAt());
            b.put(messages, Keys.message(id), RecordCodec.encodeMessageRecord(head, replacement, blobFile, refs));
            if (!stored.bodiesInline()) b.refDeltas.merge(stored.blobFile(), -1L, Long::sum);
            if (blobFile != RecordCodec.INLINE) b.refDeltas.merge(blobFile, 1L, Long::sum);
            return ReplaceOutcome.REPLACED;
        }
    }

    private final class UpdateRequest extends Request<RecipientDelivery> {
        final RecipientDelivery delivery;
        final List<PutRequest> alsoStore;

        UpdateRequest(RecipientDelivery delivery, List<PutRequest> alsoStore) {
            this.delivery = delivery;
            this.alsoStore = alsoStore;
        }

        @Override
        RecipientDelivery apply(Batch b) throws RocksDBException, IOException {
            byte[] raw = b.get(deliveries, Keys.delivery(delivery.key()));
            if (raw == null) throw new StoreException("delivery " + delivery.key() + " is not in the store");
            RecipientDelivery stored = RecordCodec.decodeDelivery(raw);
            if (stored.fence() != delivery.fence()) throw new StaleFenceException(delivery.key(), delivery.fence(), stored.fence());
            // Every refusal before the first write, so a refused update leaves nothing behind in the batch.
            List<PutRequest> toStore = new ArrayList<>(alsoStore.size());
            for (PutRequest put : alsoStore) {
                if (put.heldKey(b) != null) continue;
                put.refuseIfStored(b);
                toStore.add(put);
            }
            RecipientDelivery next = delivery.withFenceAndLease(stored.fence() + 1, null);
            b.putDelivery(stored, next);
            for (PutRequest put : toStore) put.write(b);
            return next;
        }
    }

    private final class LeaseRequest extends Request<List<RecipientDelivery>> {
        final Instant now;
        final int max;
        final String owner;
        final Duration duration;

        LeaseRequest(Instant now, int max, String owner, Duration duration) {
            this.now = now;
            this.max = max;
            this.owner = owner;
            this.duration = duration;
        }

        @Override
        boolean scans() {
            return true;
        }

        @Override
        List<RecipientDelivery> apply(Batch b) throws RocksDBException {
            List<RecipientDelivery> dueNow = new ArrayList<>();
            byte[] upperBound = Keys.dueUpperBound(now);
            byte[] nextFloor;
            try (ReadOptions bounded = new ReadOptions(); Slice upper = new Slice(upperBound)) {
                bounded.setIterateUpperBound(upper);
                try (RocksIterator it = db.newIterator(due, bounded)) {
                    byte[] firstSkipped = null;
                    byte[] floor = dueScanFloor;
                    if (floor == null) it.seekToFirst();
                    else it.seek(floor);
                    for (; it.isValid() && dueNow.size() < max; it.next()) {
                        byte[] raw = db.get(deliveries, Keys.delivery(Keys.dueDelivery(it.key())));
                        if (raw == null) throw new StoreException("due index names a missing delivery " + Keys.dueDelivery(it.key()));
                        RecipientDelivery d = RecordCodec.decodeDelivery(raw);
                        boolean heldByOther = d.lease() != null && d.lease().until().isAfter(now) && !d.lease().owner().equals(owner);
                        if (!heldByOther) dueNow.add(d);
                        else if (firstSkipped == null) firstSkipped = it.key();
                    }
                    it.status();
                    // Everything below this key is leased away now (moved to its lease's end): the next scan starts here.
                    nextFloor = firstSkipped != null ? firstSkipped : it.isValid() ? it.key() : upperBound;
                }
            }
            // Set before the leased entries are re-inserted, which lower it again if they must.
            dueScanFloor = nextFloor;
            List<RecipientDelivery> leased = new ArrayList<>(dueNow.size());
            Instant until = now.plus(duration);
            for (RecipientDelivery d : dueNow) {
                RecipientDelivery next = d.withFenceAndLease(d.fence() + 1, new RecipientDelivery.Lease(owner, until));
                b.putDelivery(d, next);
                leased.add(next);
            }
            return leased;
        }
    }

    private final class DeleteRequest extends Request<Boolean> {
        final MessageId id;

        DeleteRequest(MessageId id) {
            this.id = id;
        }

        @Override
        Boolean apply(Batch b) throws RocksDBException {
            return b.deleteMessage(id);
        }
    }

    private final class PurgeRequest extends Request<Integer> {
        /** Expiry entries looked at per sweep at most, so one sweep cannot stall the writer. */
        static final int SCAN_LIMIT = 10_000;
        final Instant now;
        final int max;

        PurgeRequest(Instant now, int max) {
            this.now = now;
            this.max = max;
        }

        @Override
        boolean scans() {
            return true;
        }

        @Override
        Integer apply(Batch b) throws RocksDBException {
            List<MessageId> expired = new ArrayList<>();
            List<byte[]> staleEntries = new ArrayList<>();
            scanExpiry(Keys.EXPIRY_MESSAGE, (key, scanned) -> {
                MessageId id = Keys.messageId(key, 1 + Keys.TIME_LENGTH);
                byte[] raw = db.get(messages, Keys.message(id));
                if (raw == null) {
                    staleEntries.add(key);
                } else if (settledAndExpired(RecordCodec.decodeMessage(raw))) {
                    expired.add(id);
                }
                return expired.size() < max;
            });
            List<byte[]> expiredKeys = new ArrayList<>();
            scanExpiry(Keys.EXPIRY_IDEMPOTENCY, (key, scanned) -> {
                staleEntries.add(key);
                byte[] keyBytes = Arrays.copyOfRange(key, 1 + Keys.TIME_LENGTH, key.length);
                byte[] raw = db.get(idempotency, keyBytes);
                // The key may have been reused with a later expiry; then only this index entry goes.
                if (raw != null && !RecordCodec.decodeKeyEntry(raw).expiresAt().isAfter(now)) expiredKeys.add(keyBytes);
                return true;
            });
            for (MessageId id : expired) b.deleteMessage(id);
            for (byte[] entry : staleEntries) b.delete(expiry, entry);
            for (byte[] key : expiredKeys) b.delete(idempotency, key);
            return expired.size();
        }

        private boolean settledAndExpired(RecordCodec.StoredMessage stored) throws RocksDBException {
            MessageId id = stored.message().id();
            for (int i = 0; i < stored.message().recipients().size(); i++) {
                byte[] raw = db.get(deliveries, Keys.delivery(id, i));
                if (raw == null) continue;
                RecipientDelivery d = RecordCodec.decodeDelivery(raw);
                if (!d.state().isSettled() || !d.expiresAt().isBefore(now)) return false;
            }
            return true;
        }

        private void scanExpiry(byte kind, ExpiryVisitor visitor) throws RocksDBException {
            try (ReadOptions bounded = new ReadOptions(); Slice upper = new Slice(Keys.expiryUpperBound(kind, now))) {
                bounded.setIterateUpperBound(upper);
                try (RocksIterator it = db.newIterator(expiry, bounded)) {
                    int scanned = 0;
                    for (it.seek(new byte[] {kind}); it.isValid() && scanned < SCAN_LIMIT; it.next(), scanned++) {
                        if (!visitor.visit(it.key(), scanned)) break;
                    }
                    it.status();
                }
            }
        }
    }

    @FunctionalInterface
    private interface ExpiryVisitor {
        /** Returns false to stop the scan. */
        boolean visit(byte[] key, int scanned) throws RocksDBException;
    }

    @Override
    public String toString() {
        return "RocksDbMessageStore[" + dir + ", sync=" + options.sync() + "]";
    }
}
