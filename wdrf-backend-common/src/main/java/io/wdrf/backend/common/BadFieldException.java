package io.wdrf.backend.common;

/**
 * A field of an API object is missing or has the wrong type or value; the message names the path and value. Both
 * are user data (a path holds map keys such as annotation names): control characters in them are escaped (a Jazzer
 * finding of ProjectionFuzzTest: an annotation key with U+0016).
 */
final class BadFieldException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    BadFieldException(String path, Object value, String why) {
        super(Fields.escaped(path == null ? "" : path.length() > 300 ? path.substring(0, 300) + "..." : path) + ": " + why + (value == null ? "" : " (got " + Fields.describe(value) + ")"), null, false, false);
    }
}
