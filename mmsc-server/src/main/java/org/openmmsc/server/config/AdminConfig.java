package org.openmmsc.server.config;

import org.openmmsc.core.config.ConfigException;

/**
 * The admin HTTP API (health, readiness, metrics, operator message injection and trace).
 *
 * @param bindAddress     default 127.0.0.1
 * @param port            default 8190
 * @param bearerToken     when set, /api/** requires "Authorization: Bearer <token>" (health, ready and metrics stay open)
 * @param maxRequestBytes largest request body accepted; larger gets 413 before it is read (default 2 MiB)
 */
public record AdminConfig(String bindAddress, Integer port, String bearerToken, Integer maxRequestBytes) {
    public AdminConfig {
        bindAddress = bindAddress == null ? "127.0.0.1" : bindAddress;
        port = port == null ? 8190 : port;
        if (port < 0 || port > 65535) throw new ConfigException("port", "must be between 0 and 65535, got " + port);
        if (bearerToken != null && bearerToken.length() < 16) throw new ConfigException("bearerToken", "must be at least 16 characters");
        maxRequestBytes = maxRequestBytes == null ? 2 * 1024 * 1024 : maxRequestBytes;
        if (maxRequestBytes < 1024 || maxRequestBytes > 64 * 1024 * 1024) {
            throw new ConfigException("maxRequestBytes", "must be between 1024 and 67108864, got " + maxRequestBytes);
        }
    }

    public static AdminConfig defaults() {
        return new AdminConfig(null, null, null, null);
    }
}
