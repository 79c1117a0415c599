package org.openmmsc.core.config;

import java.time.Duration;

/**
 * Shared validation for configuration records (core's and the interface modules'): a null means
 * "not set", so the default applies; a bad value names its key.
 */
public final class Checks {
    private Checks() {}

    public static Duration positive(String key, Duration value, Duration fallback) {
        Duration d = value == null ? fallback : value;
        if (d.isNegative() || d.isZero()) throw new ConfigException(key, "must be a positive duration, got " + d);
        return d;
    }

    public static Duration notNegative(String key, Duration value, Duration fallback) {
        Duration d = value == null ? fallback : value;
        if (d.isNegative()) throw new ConfigException(key, "must not be negative, got " + d);
        return d;
    }

    public static int range(String key, Integer value, int fallback, int min, int max) {
        int v = value == null ? fallback : value;
        if (v < min || v > max) throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + v);
        return v;
    }

    public static double range(String key, Double value, double fallback, double min, double max) {
        double v = value == null ? fallback : value;
        if (!(v >= min && v <= max)) throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + v);
        return v;
    }
}
