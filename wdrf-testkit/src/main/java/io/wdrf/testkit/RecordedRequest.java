package io.wdrf.testkit;

import java.util.Objects;

/**
 * One request the {@link FakeKubeApiServer} received, in arrival order (recorded before faults are applied).
 *
 * @param method       HTTP method
 * @param pathAndQuery raw path, plus {@code ?query} when there was one
 * @param contentType  Content-Type header, or empty
 * @param body         request body as UTF-8 text, or empty
 * @param userAgent    User-Agent header, or empty (WDRF sends {@code wdrf/<identity>})
 */
public record RecordedRequest(String method, String pathAndQuery, String contentType, String body, String userAgent) {

    public RecordedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pathAndQuery, "pathAndQuery");
        contentType = contentType == null ? "" : contentType;
        body = body == null ? "" : body;
        userAgent = userAgent == null ? "" : userAgent;
    }

    /** A request without a User-Agent. */
    public RecordedRequest(String method, String pathAndQuery, String contentType, String body) {
        this(method, pathAndQuery, contentType, body, "");
    }

    /** The path without the query. */
    public String path() {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }

    /** The raw query, or empty. */
    public String query() {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? "" : pathAndQuery.substring(q + 1);
    }

    /** True for a GET with {@code watch=true} or {@code watch=1}. */
    public boolean isWatch() {
        String q = "&" + query() + "&";
        return method.equals("GET") && (q.contains("&watch=true&") || q.contains("&watch=1&"));
    }

    @Override
    public String toString() {
        return method + " " + pathAndQuery + (contentType.isEmpty() ? "" : " [" + contentType + "]")
                + (body.isEmpty() ? "" : " " + body);
    }
}
