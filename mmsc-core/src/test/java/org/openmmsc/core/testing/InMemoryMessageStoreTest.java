package org.openmmsc.core.testing;

import java.nio.file.Path;
import java.time.Clock;
import org.openmmsc.core.spi.MessageStore;
import org.openmmsc.core.spi.MessageStoreContract;

/** Core's test store keeps the same contract as the real ones, so relay and scheduler tests on it mean something. */
class InMemoryMessageStoreTest implements MessageStoreContract {
    @Override
    public MessageStore openStore(Path dir, Clock clock) {
        return InMemoryMessageStore.open(dir, clock);
    }
}
