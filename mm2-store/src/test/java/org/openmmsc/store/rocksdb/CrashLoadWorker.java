package org.openmmsc.store.rocksdb;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.spi.IdempotencyKey;
import org.openmmsc.core.spi.TestMessages;

/**
 * The process {@link RocksDbStoreCrashTest} kills: puts messages from several threads and prints
 * {@code ACK <id> <seed> <bodySize>} for each one the store acknowledged, until it is killed.
 */
public final class CrashLoadWorker {
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int writers = Integer.parseInt(args[1]);
        Clock clock = Clock.systemUTC();
        PrintStream out = System.out;
        RocksDbMessageStore store = new RocksDbMessageStore(dir);
        AtomicLong seeds = new AtomicLong(Long.parseLong(args[2]));
        out.println("READY");
        out.flush();
        for (int w = 0; w < writers; w++) {
            Thread.ofPlatform().start(() -> {
                while (true) {
                    long seed = seeds.getAndIncrement();
                    int bodySize = seed % 3 == 0 ? 30_000 : 1_000;
                    Message message = TestMessages.fullMessage(clock, 2, bodySize, seed);
                    IdempotencyKey key = new IdempotencyKey(Interface.MM1, "+4790000001", "tx-" + seed);
                    store.put(message, TestMessages.deliveries(message), key, clock.instant().plus(Duration.ofHours(1))).join();
                    synchronized (out) {
                        out.println("ACK " + message.id() + " " + seed + " " + bodySize);
                        out.flush();
                    }
                }
            });
        }
    }
}
