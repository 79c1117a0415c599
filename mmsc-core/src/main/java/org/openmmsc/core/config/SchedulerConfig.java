package org.openmmsc.core.config;

import java.time.Duration;
import java.util.Map;
import org.openmmsc.core.model.RouteKind;

/**
 * The delivery scheduler's timing.
 *
 * @param pollInterval    longest wait between looks at the store for due deliveries (new accepts wake it at once)
 * @param leaseDuration   how long a node owns a delivery it took; another node may take it after that
 * @param batchSize       deliveries leased per look at most
 * @param attemptTimeout  an agent's attempt taking longer counts as a transient failure
 * @param routeDefaults   route policy for routes without their own entry
 * @param routes          per-route policies (complete policies; unset keys take the built-in defaults)
 */
public record SchedulerConfig(Duration pollInterval, Duration leaseDuration, Integer batchSize, Duration attemptTimeout,
                              RoutePolicy routeDefaults, Map<RouteKind, RoutePolicy> routes) {

    public SchedulerConfig {
        pollInterval = Checks.positive("pollInterval", pollInterval, Duration.ofMillis(500));
        leaseDuration = Checks.positive("leaseDuration", leaseDuration, Duration.ofMinutes(5));
        batchSize = Checks.range("batchSize", batchSize, 256, 1, 10_000);
        attemptTimeout = Checks.positive("attemptTimeout", attemptTimeout, Duration.ofSeconds(60));
        routeDefaults = routeDefaults == null ? RoutePolicy.defaults() : routeDefaults;
        routes = routes == null ? Map.of() : Map.copyOf(routes);
        if (attemptTimeout.compareTo(leaseDuration) >= 0) {
            throw new ConfigException("attemptTimeout", "must be shorter than leaseDuration (" + leaseDuration + ")");
        }
    }

    public static SchedulerConfig defaults() {
        return new SchedulerConfig(null, null, null, null, null, null);
    }

    public RoutePolicy policy(RouteKind kind) {
        return routes.getOrDefault(kind, routeDefaults);
    }
}
