package org.openmmsc.core.relay;

import java.util.Comparator;
import java.util.List;
import org.openmmsc.core.config.RoutingConfig;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Route;
import org.openmmsc.core.model.RouteKind;
import org.openmmsc.core.spi.RouteResolver;

/**
 * Routes by the configured number-range tables: the longest matching prefix among local ranges,
 * legacy-handset ranges and peer ranges decides; short codes go to the VASP that owns them; e-mail goes out over MM3.
 * A message that arrived over MM4 is sent on over MM4 only by a hub (relaying between peers);
 * otherwise its peer-bound recipients are refused.
 */
public final class StaticRouteResolver implements RouteResolver {

    private record Range(String prefix, Route route) {}

    private final List<Range> ranges;
    private final RoutingConfig config;
    private final boolean relayBetweenPeers;

    public StaticRouteResolver(RoutingConfig config) {
        this(config, false);
    }

    /** @param relayBetweenPeers this node is an MM4 hub: a message from one peer may be routed to another */
    public StaticRouteResolver(RoutingConfig config, boolean relayBetweenPeers) {
        this.config = config;
        this.relayBetweenPeers = relayBetweenPeers;
        this.ranges = java.util.stream.Stream.concat(
                        java.util.stream.Stream.concat(config.localPrefixes().stream().map(p -> new Range(p, Route.local())),
                                config.legacyPrefixes().stream().map(p -> new Range(p, new Route(RouteKind.LEGACY_SMS, "")))),
                        config.peers().stream().map(p -> new Range(p.prefix(), new Route(RouteKind.PEER_MM4, p.domain()))))
                .sorted(Comparator.comparingInt((Range r) -> r.prefix().length()).reversed())
                .toList();
    }

    @Override
    public RouteDecision resolve(Address recipient, Interface arrivedBy) {
        return switch (recipient.type()) {
            case PLMN -> byNumber(recipient, arrivedBy);
            case SHORT_CODE -> {
                String vasp = config.shortCodes().get(recipient.value());
                yield vasp == null
                        ? new RouteDecision.Refused(Reason.UNROUTABLE, "no VASP owns short code " + recipient.value())
                        : new RouteDecision.Routed(new Route(RouteKind.VASP_MM7, vasp));
            }
            case EMAIL -> config.emailEnabled()
                    ? new RouteDecision.Routed(new Route(RouteKind.EMAIL_MM3, recipient.value().substring(recipient.value().lastIndexOf('@') + 1)))
                    : new RouteDecision.Refused(Reason.NOT_ALLOWED, "e-mail recipients are not enabled");
            case IPV4, IPV6 -> new RouteDecision.Refused(Reason.UNSUPPORTED_ADDRESS, "IP address recipients are not supported");
        };
    }

    private RouteDecision byNumber(Address recipient, Interface arrivedBy) {
        for (Range range : ranges) {
            if (!recipient.value().startsWith(range.prefix())) continue;
            if (range.route().kind() == RouteKind.PEER_MM4 && arrivedBy == Interface.MM4 && !relayBetweenPeers) {
                return new RouteDecision.Refused(Reason.NOT_ALLOWED, "message arrived over MM4 and this MMSC does not relay between peers");
            }
            return new RouteDecision.Routed(range.route());
        }
        return new RouteDecision.Refused(Reason.UNROUTABLE, "no local range or peer serves " + recipient.value());
    }
}
