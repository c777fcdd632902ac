package io.wdrf.standalone;

/**
 * A configuration value that cannot be used: the HOCON key path and the reason. The CLI prints
 * {@code key: reason} and exits with code 2.
 */
final class InvalidConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String reason;

    InvalidConfigException(String key, String reason) {
        super(key + ": " + reason);
        this.key = key;
        this.reason = reason;
    }

    InvalidConfigException(String key, String reason, Throwable cause) {
        super(key + ": " + reason, cause);
        this.key = key;
        this.reason = reason;
    }

    String key() {
        return key;
    }

    String reason() {
        return reason;
    }
}
