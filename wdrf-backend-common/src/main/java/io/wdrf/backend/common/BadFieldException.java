package io.wdrf.backend.common;

/** A field of an API object is missing or has the wrong type or value; the message names the path and value. */
final class BadFieldException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    BadFieldException(String path, Object value, String why) {
        super(path + ": " + why + (value == null ? "" : " (got " + Fields.describe(value) + ")"), null, false, false);
    }
}
