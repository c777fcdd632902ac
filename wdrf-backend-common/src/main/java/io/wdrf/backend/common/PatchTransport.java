package io.wdrf.backend.common;

import java.io.IOException;
import java.time.Duration;

/**
 * One JSON-merge-patch request of a Workload, done by a client library. Implementations send exactly one
 * PATCH (no GET first) and report the HTTP outcome instead of throwing for HTTP errors.
 */
@FunctionalInterface
public interface PatchTransport {

    /** HTTP outcome of one request. {@code status} 0 means no response (I/O failure). */
    record Response(int status, Duration retryAfter, String message) {
        public Response {
            message = message == null ? "" : message;
        }

        /** True for 2xx. */
        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * Sends {@code body} as a JSON merge patch to the Workload {@code namespace/name}.
     *
     * @throws IOException when the request could not be completed (treated as retryable, status 0)
     */
    Response patchWorkload(String namespace, String name, String body) throws IOException;
}
