package org.fedrec.core.config;

/** A configuration value that is missing, unknown or invalid; the message names the key and the source. */
public final class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String key, String message) {
        super(key == null ? message : "config key '" + key + "': " + message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
