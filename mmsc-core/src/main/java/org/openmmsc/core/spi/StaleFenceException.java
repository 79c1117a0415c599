package org.openmmsc.core.spi;

import org.openmmsc.core.model.DeliveryKey;

/**
 * A delivery write carried a fence older than the store's: someone else (a new lease holder or an
 * inbound event) changed the delivery since it was read. Re-read and decide again.
 */
public final class StaleFenceException extends StoreException {
    public StaleFenceException(DeliveryKey key, long expected, long actual) {
        super("delivery " + key + " changed: write carried fence " + expected + ", store holds " + actual);
    }
}
