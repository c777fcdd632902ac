package io.wdrf.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Fault injection for a {@link FakeKubeApiServer}. Rules match a request by HTTP method ({@code "*"} for any;
 * {@code "GET"} matches lists, gets and watches, {@code "WATCH"} only watches) and a regular expression searched
 * ({@link java.util.regex.Matcher#find()}) in the request path (without the query). A failed watch request is answered
 * with the HTTP status (e.g. 410 or 500) instead of a stream. Failing rules are consumed in the order they were added. Thread-safe.
 *
 * <pre>{@code
 * server.faults().failNext("PATCH", "/workloads/", 429, 2)    // two 429s with Retry-After: 1
 *                .failNext("PATCH", "/workloads/", 500, 1)
 *                .delay("/nodes", Duration.ofMillis(200));
 * }</pre>
 */
public final class Faults {

    /** An injected failure: the status to answer and the Retry-After seconds (negative = no header). */
    record Failure(int status, int retryAfterSeconds) {
    }

    private static final class Rule {
        final String method;
        final Pattern path;
        final Failure failure;
        final Duration delay;
        final String userAgent;
        int remaining;

        Rule(String method, String pathRegex, Failure failure, Duration delay, int remaining) {
            this(method, pathRegex, null, failure, delay, remaining);
        }

        Rule(String method, String pathRegex, String userAgent, Failure failure, Duration delay, int remaining) {
            this.method = Objects.requireNonNull(method, "method");
            this.path = Pattern.compile(pathRegex);
            this.userAgent = userAgent;
            this.failure = failure;
            this.delay = delay;
            this.remaining = remaining;
        }

        boolean matches(String m, String p, boolean watch, String ua) {
            boolean methodMatches = method.equals("*") || method.equalsIgnoreCase(m)
                    || (watch && method.equalsIgnoreCase("WATCH"));
            return methodMatches && path.matcher(p).find()
                    && (userAgent == null || (ua != null && ua.contains(userAgent)));
        }
    }

    private final List<Rule> rules = new ArrayList<>();
    private final Runnable dropWatches;

    Faults(Runnable dropWatches) {
        this.dropWatches = dropWatches;
    }

    /** The next {@code times} matching requests fail with {@code status} (429 and 503 carry {@code Retry-After: 1}). */
    public Faults failNext(String method, String pathRegex, int status, int times) {
        return failNext(method, pathRegex, status, times, status == 429 || status == 503 ? 1 : -1);
    }

    /**
     * The next {@code times} matching requests fail with {@code status} and a Kubernetes Status body; a
     * {@code Retry-After} header with {@code retryAfterSeconds} is sent when it is &ge; 0.
     */
    public synchronized Faults failNext(String method, String pathRegex, int status, int times, int retryAfterSeconds) {
        if (status < 400 || status > 599 || times < 1) {
            throw new IllegalArgumentException("need an error status 400..599 and times >= 1, got " + status + " x" + times);
        }
        rules.add(new Rule(method, pathRegex, new Failure(status, retryAfterSeconds), null, times));
        return this;
    }

    /** Every matching request (any method) is answered only after {@code delay}, until {@link #clear()}. */
    public synchronized Faults delay(String pathRegex, Duration delay) {
        rules.add(new Rule("*", pathRegex, null, Objects.requireNonNull(delay, "delay"), Integer.MAX_VALUE));
        return this;
    }

    /**
     * Until {@link #clear()}: every matching request whose User-Agent contains {@code userAgent} fails with
     * {@code status} (e.g. cut one replica off from its Lease: {@code failAlways("*", "/leases", "wdrf/a", 503)}).
     */
    public synchronized Faults failAlways(String method, String pathRegex, String userAgent, int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("need an error status 400..599, got " + status);
        }
        rules.add(new Rule(method, pathRegex, Objects.requireNonNull(userAgent, "userAgent"), new Failure(status, -1),
                null, Integer.MAX_VALUE));
        return this;
    }

    /**
     * Until {@link #clear()}: every matching request whose User-Agent contains {@code userAgent} is answered only after
     * {@code delay} (a hanging connection when the delay is longer than the client's timeout).
     */
    public synchronized Faults delay(String pathRegex, String userAgent, Duration delay) {
        rules.add(new Rule("*", pathRegex, Objects.requireNonNull(userAgent, "userAgent"), null,
                Objects.requireNonNull(delay, "delay"), Integer.MAX_VALUE));
        return this;
    }

    /** Ends every open watch stream at once, without a final event (clients must re-watch). */
    public Faults dropWatches() {
        dropWatches.run();
        return this;
    }

    /** Removes all rules. */
    public synchronized void clear() {
        rules.clear();
    }

    /** Number of injected failures not yet consumed. */
    public synchronized int remainingFailures() {
        return rules.stream().filter(r -> r.failure != null && r.remaining != Integer.MAX_VALUE)
                .mapToInt(r -> r.remaining).sum();
    }

    /** Consumes and returns the first matching failure, or null. */
    synchronized Failure consume(String method, String path, boolean watch) {
        return consume(method, path, watch, null);
    }

    /** Consumes and returns the first matching failure for a request with this User-Agent, or null. */
    synchronized Failure consume(String method, String path, boolean watch, String userAgent) {
        for (Rule r : rules) {
            if (r.failure != null && r.remaining > 0 && r.matches(method, path, watch, userAgent)) {
                if (r.remaining != Integer.MAX_VALUE) {
                    r.remaining--;
                }
                return r.failure;
            }
        }
        return null;
    }

    /** Total delay of all matching delay rules. */
    synchronized Duration delayFor(String method, String path, boolean watch) {
        return delayFor(method, path, watch, null);
    }

    /** Total delay of all matching delay rules for a request with this User-Agent. */
    synchronized Duration delayFor(String method, String path, boolean watch, String userAgent) {
        Duration d = Duration.ZERO;
        for (Rule r : rules) {
            if (r.delay != null && r.matches(method, path, watch, userAgent)) {
                d = d.plus(r.delay);
            }
        }
        return d;
    }
}
