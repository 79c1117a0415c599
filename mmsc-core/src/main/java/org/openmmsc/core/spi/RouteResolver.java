package org.openmmsc.core.spi;

import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Route;

/**
 * MM5's place in the relay: decides, before anything is stored, how each recipient is reached —
 * or that it cannot be, so the interface can refuse it with its own status.
 */
public interface RouteResolver {

    RouteDecision resolve(Address recipient, Interface arrivedBy);

    sealed interface RouteDecision {
        record Routed(Route route) implements RouteDecision {}

        record Refused(Reason reason, String detail) implements RouteDecision {}
    }

    /** Why a recipient was refused; interfaces map each to their own status code. */
    enum Reason {
        /** No subscriber, peer, VASP or domain owns this address. */
        UNROUTABLE,
        /** The address is known but this sender may not reach it (e.g. MM4 onward to a peer). */
        NOT_ALLOWED,
        /** The address form is not accepted here (e.g. IPv4 recipients). */
        UNSUPPORTED_ADDRESS
    }
}
