package org.openmmsc.mm3.smtp;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts open sessions per source address and in all, so one peer cannot take every slot. */
final class ConnectionLimiter {
    private final int perPeer;
    private final int total;
    private final ConcurrentHashMap<InetAddress, Integer> byPeer = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();

    ConnectionLimiter(int perPeer, int total) {
        this.perPeer = perPeer;
        this.total = total;
    }

    /** Takes a slot for {@code peer}; false (and nothing taken) if a limit is reached. */
    boolean tryAcquire(InetAddress peer) {
        if (open.incrementAndGet() > total) {
            open.decrementAndGet();
            return false;
        }
        boolean[] taken = {false};
        byPeer.compute(peer, (p, count) -> {
            int n = count == null ? 0 : count;
            if (n >= perPeer) return count;
            taken[0] = true;
            return n + 1;
        });
        if (!taken[0]) open.decrementAndGet();
        return taken[0];
    }

    void release(InetAddress peer) {
        open.decrementAndGet();
        byPeer.computeIfPresent(peer, (p, count) -> count <= 1 ? null : count - 1);
    }

    int open() {
        return open.get();
    }
}
