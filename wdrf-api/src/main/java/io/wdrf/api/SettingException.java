package io.wdrf.api;

import java.util.Objects;

/**
 * A setting with a value that is not allowed: which setting, and why.
 *
 * <p>Promises: {@link #setting()} is the name the validating type uses for the setting (e.g. {@code agingCoefficient},
 * {@code priorityWeights.urgent}, {@code write.min-delta}, {@code hami.splitCount}), never parsed back from a message;
 * {@link #reason()} says what is wrong with the value; {@link #getMessage()} is {@code setting + ": " + reason}.
 * A configuration front end (the standalone's HOCON loader) maps {@code setting()} to its own key.
 */
public final class SettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String setting;
    private final String reason;

    /** A rejected value of {@code setting}, because {@code reason}. */
    public SettingException(String setting, String reason) {
        super(Objects.requireNonNull(setting, "setting") + ": " + Objects.requireNonNull(reason, "reason"));
        this.setting = setting;
        this.reason = reason;
    }

    /** The setting's name, as the validating type calls it. */
    public String setting() {
        return setting;
    }

    /** What is wrong with the value. */
    public String reason() {
        return reason;
    }
}
