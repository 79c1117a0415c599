package org.openmmsc.core.model;

/** A delivery was asked to move to a state its current state cannot reach. */
public final class IllegalTransitionException extends IllegalStateException {
    public IllegalTransitionException(DeliveryState from, DeliveryState to) {
        super("illegal delivery transition " + from + " -> " + to);
    }
}
