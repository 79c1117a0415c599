package org.openmmsc.server.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at the configuration file every interval and, when its bytes changed, loads it whole
 * (every key validated as at start-up) and hands the new configuration on. A file that no longer
 * loads is reported once and changes nothing. Polling the content rather than a file-system watch:
 * it also sees an editor's rename-over and a config-management tool's copy, and costs one small
 * read per interval. A change is applied only once two checks in a row read the same bytes, so a
 * file caught half-written (truncated, then filled) is never applied; an empty file is ignored
 * rather than read as "all defaults, no VASPs".
 */
public final class ConfigWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Path file;
    private final ConfigLoader loader = new ConfigLoader();
    private final Consumer<MmscConfig> onChange;
    private final ScheduledExecutorService timer;
    private byte[] lastDigest;
    /** A change seen at the last check, applied if this check reads the same bytes again. */
    private byte[] pendingDigest;

    public ConfigWatcher(Path file, Duration interval, Consumer<MmscConfig> onChange) {
        this.file = file;
        this.onChange = onChange;
        this.lastDigest = digest(read());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "config-watcher");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs one check now (the timer runs it every interval). */
    public synchronized void check() {
        byte[] bytes = read();
        if (bytes == null) return;
        byte[] digest = digest(bytes);
        if (Arrays.equals(digest, lastDigest)) {
            pendingDigest = null;
            return;
        }
        if (!Arrays.equals(digest, pendingDigest)) {
            // Still being written, perhaps: wait for the next check to read the same.
            pendingDigest = digest;
            return;
        }
        pendingDigest = null;
        lastDigest = digest;
        if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            log.warn("configuration file {} is empty now; nothing applied (the running accounts stay)", file);
            return;
        }
        MmscConfig config;
        try {
            config = loader.parse(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), file.toString());
        } catch (ConfigLoader.InvalidConfigException e) {
            log.warn("configuration file changed but does not load; nothing applied: {}", e.getMessage());
            return;
        }
        try {
            onChange.accept(config);
        } catch (RuntimeException e) {
            log.warn("configuration file changed but could not be applied: {}", e.toString());
        }
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            // Mid-replace by an editor, or removed: try again next time.
            log.debug("cannot read {} now: {}", file, e.toString());
            return null;
        }
    }

    private static byte[] digest(byte[] bytes) {
        if (bytes == null) return null;
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
