package org.openmmsc.server.config;

import org.openmmsc.core.config.ConfigException;

/** Where one listener binds. Loopback by default: nothing is exposed until the operator says so. */
public record ListenerConfig(String bindAddress, Integer port) {
    public ListenerConfig {
        bindAddress = bindAddress == null ? "127.0.0.1" : bindAddress;
        if (bindAddress.isBlank()) throw new ConfigException("bindAddress", "must not be empty");
        if (port != null && port < 0 || port != null && port > 65535) throw new ConfigException("port", "must be between 0 and 65535, got " + port);
    }

    public static ListenerConfig loopback(int port) {
        return new ListenerConfig(null, port);
    }

    /** The listener as configured, with the interface's default port where none was given. */
    static ListenerConfig orDefault(ListenerConfig given, int defaultPort) {
        if (given == null) return loopback(defaultPort);
        return given.port() == null ? new ListenerConfig(given.bindAddress(), defaultPort) : given;
    }
}
