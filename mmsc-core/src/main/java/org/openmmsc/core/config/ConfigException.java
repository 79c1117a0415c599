package org.openmmsc.core.config;

/** A configuration value is wrong. {@link #path} names the key, relative to the record that refused it. */
public final class ConfigException extends IllegalArgumentException {
    private final String path;
    private final String reason;

    public ConfigException(String path, String reason) {
        super(path + ": " + reason);
        this.path = path;
        this.reason = reason;
    }

    public String path() {
        return path;
    }

    public String reason() {
        return reason;
    }

    /** The same error with its path prefixed by the enclosing key. */
    public ConfigException under(String parent) {
        return new ConfigException(parent + "." + path, reason);
    }
}
