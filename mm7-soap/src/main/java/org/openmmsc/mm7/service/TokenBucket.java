package org.openmmsc.mm7.service;

/** A throughput cap: {@code ratePerSecond} tokens refill continuously up to {@code capacity}; one request takes one. */
public final class TokenBucket {
    private final double ratePerNano;
    private final double capacity;
    private final java.util.function.LongSupplier nanoTime;
    private double tokens;
    private long last;

    public TokenBucket(double ratePerSecond, int capacity, java.util.function.LongSupplier nanoTime) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.capacity = capacity;
        this.nanoTime = nanoTime;
        this.tokens = capacity;
        this.last = nanoTime.getAsLong();
    }

    public synchronized boolean tryTake() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(capacity, tokens + (now - last) * ratePerNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
