package io.wdrf.testkit;

import java.util.LinkedHashMap;
import java.util.Map;

/** An error answered as a Kubernetes {@code Status} object. */
final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int code;
    final String reason;
    private final Map<String, Object> details;

    ApiError(int code, String message) {
        this(code, reasonFor(code), message);
    }

    ApiError(int code, String reason, String message) {
        this(code, reason, message, null, null);
    }

    /** An error about one object: the Status carries {@code details.{name,group,kind}} like the apiserver's. */
    ApiError(int code, String reason, String message, ResourceKind kind, String name) {
        super(message);
        this.code = code;
        this.reason = reason;
        if (kind == null) {
            this.details = null;
        } else {
            this.details = new LinkedHashMap<>();
            details.put("name", name);
            details.put("group", kind.group());
            details.put("kind", kind.plural());
        }
    }

    /** Kubernetes' {@code StatusReason} for an HTTP code. */
    static String reasonFor(int code) {
        return switch (code) {
            case 400 -> "BadRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 409 -> "Conflict";
            case 410 -> "Expired";
            case 415 -> "UnsupportedMediaType";
            case 422 -> "Invalid";
            case 429 -> "TooManyRequests";
            case 503 -> "ServiceUnavailable";
            case 504 -> "Timeout";
            default -> code >= 500 ? "InternalError" : "";
        };
    }

    Map<String, Object> status() {
        Map<String, Object> s = status(code, reason, getMessage());
        if (details != null) {
            s.put("details", details);
        }
        return s;
    }

    static Map<String, Object> status(int code, String reason, String message) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("kind", "Status");
        s.put("apiVersion", "v1");
        s.put("metadata", new LinkedHashMap<>());
        s.put("status", "Failure");
        s.put("message", message);
        s.put("reason", reason);
        s.put("code", code);
        return s;
    }

    static ApiError notFound(ResourceKind k, String name) {
        return new ApiError(404, "NotFound", qualified(k) + " \"" + name + "\" not found", k, name);
    }

    static ApiError alreadyExists(ResourceKind k, String name) {
        return new ApiError(409, "AlreadyExists", qualified(k) + " \"" + name + "\" already exists", k, name);
    }

    static ApiError conflict(ResourceKind k, String name, String why) {
        return new ApiError(409, "Conflict", "Operation cannot be fulfilled on " + qualified(k) + " \"" + name + "\": "
                + why, k, name);
    }

    /** {@code plural.group}, or the plural for the core group. */
    static String qualified(ResourceKind k) {
        return k.group().isEmpty() ? k.plural() : k.plural() + "." + k.group();
    }
}
