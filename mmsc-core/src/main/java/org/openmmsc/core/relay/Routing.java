package org.openmmsc.core.relay;

import java.util.List;
import org.openmmsc.core.model.Recipient;
import org.openmmsc.core.model.Route;
import org.openmmsc.core.spi.RouteResolver;

/**
 * The route of every recipient of one message, decided before anything is stored.
 *
 * @param routed   recipients that can be reached, with their index in the message's recipient list
 * @param refused  recipients that cannot, with why
 */
public record Routing(List<Routed> routed, List<Refused> refused) {

    public record Routed(int recipientIndex, Recipient recipient, Route route) {}

    public record Refused(int recipientIndex, Recipient recipient, RouteResolver.Reason reason, String detail) {}

    public Routing {
        routed = List.copyOf(routed);
        refused = List.copyOf(refused);
    }

    public boolean allRouted() {
        return refused.isEmpty();
    }

    public boolean noneRouted() {
        return routed.isEmpty();
    }
}
