package org.openmmsc.store.rocksdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.zip.CRC32C;
import org.openmmsc.core.spi.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's append-only body files. Bodies are appended by the single writer thread, forced
 * before the WAL commit that references them, and read by any thread with positional reads.
 * The committed length of the active file (the high-water mark) is recorded in the same WAL
 * batch as the records pointing into it; anything past it on open was written but never
 * acknowledged and is truncated away.
 */
final class BlobFiles implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BlobFiles.class);
    private static final String SUFFIX = ".blob";

    private final Path dir;
    private final ConcurrentMap<Long, FileChannel> channels = new ConcurrentHashMap<>();
    /** Files appended to since the last commit: all of them must be forced before it. */
    private final Set<Long> dirty = new LinkedHashSet<>();
    /** A file was created since the last commit: its directory entry must be synced too. */
    private boolean createdFile;

    private long activeFile;
    private long activeLength;
    private long committedFile;
    private long committedLength;

    /** What {@link #open} found and repaired, for logs and tests. */
    record Recovery(long truncatedBytes, List<Long> deletedFiles) {}

    private Recovery recovery;

    private BlobFiles(Path dir) {
        this.dir = dir;
    }

    /**
     * Opens the blob directory at the committed state: truncates the active file to its
     * committed length and deletes files newer than it (created by a rotation that never
     * committed).
     */
    static BlobFiles open(Path dir, long committedFile, long committedLength) {
        BlobFiles blobs = new BlobFiles(dir);
        try {
            Files.createDirectories(dir);
            List<Long> deleted = new ArrayList<>();
            for (long fileNo : blobs.existingFiles()) {
                if (fileNo > committedFile) {
                    Files.delete(blobs.path(fileNo));
                    deleted.add(fileNo);
                }
            }
            FileChannel active = FileChannel.open(blobs.path(committedFile), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            long truncated = 0;
            if (active.size() > committedLength) {
                truncated = active.size() - committedLength;
                active.truncate(committedLength);
                active.force(true);
            } else if (active.size() < committedLength) {
                active.close();
                throw new StoreException("blob file " + blobs.path(committedFile) + " is shorter (" + active.size()
                        + " bytes) than its committed length " + committedLength + ": acknowledged bodies are missing");
            }
            blobs.channels.put(committedFile, active);
            blobs.activeFile = blobs.committedFile = committedFile;
            blobs.activeLength = blobs.committedLength = committedLength;
            blobs.recovery = new Recovery(truncated, deleted);
            if (truncated > 0 || !deleted.isEmpty()) {
                log.warn("Reclaimed uncommitted blob data: {} bytes truncated from {}, files deleted: {}",
                        truncated, blobs.path(committedFile).getFileName(), deleted);
            }
            return blobs;
        } catch (IOException e) {
            blobs.close();
            throw new StoreException("cannot open blob files in " + dir, e);
        }
    }

    Recovery recovery() {
        return recovery;
    }

    Path path(long fileNo) {
        return dir.resolve(String.format("%020d%s", fileNo, SUFFIX));
    }

    List<Long> existingFiles() throws IOException {
        List<Long> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : stream) {
                String name = p.getFileName().toString();
                try {
                    files.add(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())));
                } catch (NumberFormatException e) {
                    log.warn("Ignoring foreign file in blob directory: {}", p);
                }
            }
        }
        files.sort(null);
        return files;
    }

    long activeFile() {
        return activeFile;
    }

    long activeLength() {
        return activeLength;
    }

    /** Starts a new active file when {@code incoming} bytes would push the current one past {@code maxBytes}. */
    void rotateIfFull(long incoming, long maxBytes) throws IOException {
        if (activeLength == 0 || activeLength + incoming <= maxBytes) return;
        long next = activeFile + 1;
        FileChannel channel = FileChannel.open(path(next), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        channels.put(next, channel);
        activeFile = next;
        activeLength = 0;
        createdFile = true;
    }

    static int crc32c(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        return (int) crc.getValue();
    }

    /** Appends one body (whose checksum the caller computed) to the active file and answers its location. */
    RecordCodec.BodyRef append(byte[] body, int crc32c) throws IOException {
        long offset = activeLength;
        FileChannel channel = channels.get(activeFile);
        ByteBuffer buffer = ByteBuffer.wrap(body);
        long position = offset;
        while (buffer.hasRemaining()) position += channel.write(buffer, position);
        activeLength = position;
        dirty.add(activeFile);
        return new RecordCodec.BodyRef(offset, body.length, crc32c);
    }

    boolean hasUnforcedData() {
        return !dirty.isEmpty();
    }

    /** fdatasync of every file appended to since the last commit; returns how many were forced. */
    int forceDirty() throws IOException {
        int forced = 0;
        for (long fileNo : dirty) {
            channels.get(fileNo).force(false);
            forced++;
        }
        if (createdFile) {
            // A new file's name lives in the directory; without this a power cut can lose the file itself.
            try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                directory.force(true);
            }
        }
        return forced;
    }

    /** The WAL batch that referenced the appended bodies is durable: they are now committed. */
    void markCommitted() {
        dirty.clear();
        createdFile = false;
        committedFile = activeFile;
        committedLength = activeLength;
    }

    /** The WAL batch failed: forget everything appended since the last commit. */
    void rollBack() {
        dirty.clear();
        createdFile = false;
        try {
            for (long fileNo = activeFile; fileNo > committedFile; fileNo--) {
                FileChannel channel = channels.remove(fileNo);
                if (channel != null) channel.close();
                Files.deleteIfExists(path(fileNo));
            }
            channels.get(committedFile).truncate(committedLength);
        } catch (IOException e) {
            // The next open truncates to the committed length anyway; keep serving.
            log.error("Could not roll back uncommitted blob data in {}", dir, e);
        }
        activeFile = committedFile;
        activeLength = committedLength;
    }

    byte[] read(long fileNo, RecordCodec.BodyRef ref) {
        byte[] body = new byte[ref.length()];
        if (ref.length() == 0) return body;
        try {
            FileChannel channel = channels.computeIfAbsent(fileNo, this::openForReading);
            ByteBuffer buffer = ByteBuffer.wrap(body);
            long position = ref.offset();
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, position);
                if (n < 0) throw new StoreException("blob file " + path(fileNo) + " ends before " + (ref.offset() + ref.length()));
                position += n;
            }
        } catch (IOException e) {
            throw new StoreException("cannot read body from " + path(fileNo), e);
        }
        if (crc32c(body) != ref.crc32c()) {
            throw new StoreException("body checksum mismatch in " + path(fileNo) + " at offset " + ref.offset());
        }
        return body;
    }

    private FileChannel openForReading(long fileNo) {
        try {
            return FileChannel.open(path(fileNo), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new StoreException("blob file " + path(fileNo) + " is gone", e);
        } catch (IOException e) {
            throw new StoreException("cannot open blob file " + path(fileNo), e);
        }
    }

    /** Removes a file no committed message points into any more. Never the active one. */
    void delete(long fileNo) {
        if (fileNo == activeFile) return;
        deleteUnreferenced(fileNo);
    }

    /** Removes a file the writer found unreferenced and not active; callable from another thread. */
    void deleteUnreferenced(long fileNo) {
        try {
            FileChannel channel = channels.remove(fileNo);
            if (channel != null) channel.close();
            Files.deleteIfExists(path(fileNo));
        } catch (IOException e) {
            // Harmless leftover: open() of a later run deletes unreferenced files again.
            log.warn("Could not delete unreferenced blob file {}", path(fileNo), e);
        }
    }

    @Override
    public void close() {
        for (FileChannel channel : channels.values()) {
            try {
                channel.close();
            } catch (IOException e) {
                log.warn("Could not close a blob file in {}", dir, e);
            }
        }
        channels.clear();
    }
}
