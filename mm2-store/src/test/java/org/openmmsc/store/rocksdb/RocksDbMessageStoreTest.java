package org.openmmsc.store.rocksdb;

import java.nio.file.Path;
import java.time.Clock;
import org.openmmsc.core.spi.MessageStore;
import org.openmmsc.core.spi.MessageStoreContract;

/** The store contract on RocksDB, plus what only this store promises. */
class RocksDbMessageStoreTest implements MessageStoreContract {

    @Override
    public MessageStore openStore(Path dir, Clock clock) {
        return new RocksDbMessageStore(dir, RocksDbMessageStore.Options.defaults().withClock(clock));
    }
}
