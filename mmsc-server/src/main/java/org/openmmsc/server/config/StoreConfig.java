package org.openmmsc.server.config;

import java.nio.file.Path;
import org.openmmsc.core.config.ConfigException;

/**
 * The MM2 store.
 *
 * @param type      "rocksdb" (embedded, the default)
 * @param directory where the embedded store keeps its files (default ./data)
 * @param sync      sync every acknowledged write to disk (default true). Off is for throwaway labs only:
 *                  a power loss then loses acknowledged messages.
 */
public record StoreConfig(String type, Path directory, Boolean sync) {
    public StoreConfig {
        type = type == null ? "rocksdb" : type;
        if (!type.equals("rocksdb")) throw new ConfigException("type", "must be rocksdb (the only store in this build), got " + type);
        directory = directory == null ? Path.of("data") : directory;
        sync = sync == null ? Boolean.TRUE : sync;
    }

    public static StoreConfig defaults() {
        return new StoreConfig(null, null, null);
    }
}
