package org.openmmsc.core.model;

import java.util.Objects;

/**
 * A resolved route: its kind and the next hop it names (peer MMSC domain, VASP id, mail domain;
 * empty for local subscribers).
 */
public record Route(RouteKind kind, String target) {
    public Route {
        Objects.requireNonNull(kind, "route kind");
        target = target == null ? "" : target;
    }

    public static Route local() {
        return new Route(RouteKind.LOCAL_MM1, "");
    }

    @Override
    public String toString() {
        return target.isEmpty() ? kind.name() : kind + "(" + target + ")";
    }
}
