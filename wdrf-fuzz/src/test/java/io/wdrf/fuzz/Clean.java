package io.wdrf.fuzz;

/** The contract every target checks on an error message: bounded, and free of control characters (log forging). */
public final class Clean {

    /** Longest message a rejected input may produce. */
    public static final int MAX_MESSAGE = 1000;

    private Clean() {
    }

    /** Throws an {@link AssertionError} (a Jazzer finding) when {@code message} is null, too long or unclean. */
    public static void check(String message) {
        if (message == null) {
            throw new AssertionError("error without a message");
        }
        if (message.length() > MAX_MESSAGE) {
            throw new AssertionError("message of " + message.length() + " characters: "
                    + message.substring(0, 200) + "...");
        }
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                throw new AssertionError("control character U+" + Integer.toHexString(c) + " in: "
                        + message.substring(0, Math.min(200, message.length())));
            }
        }
    }
}
