package io.wdrf.backend.common;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The settings every Kubernetes backend builder shares (backend config, clock, sleeper, retry seed), so that the
 * fabric8 and the client-java builders offer them with one implementation. A backend's builder extends it with
 * its client-specific options and builds its {@link BackendCore} with {@link #newCore}.
 *
 * @param <S> the concrete builder (returned by the setters for chaining)
 */
public abstract class BackendBuilder<S extends BackendBuilder<S>> {
    private BackendConfig config = BackendConfig.defaults();
    private Clock clock = Clock.systemUTC();
    private TokenBucketRateLimiter.Sleeper sleeper = TokenBucketRateLimiter.Sleeper.system();
    private long retrySeed = 1L;
    private String userAgent;

    /** For subclasses. */
    protected BackendBuilder() {
    }

    /** This builder, as its concrete type. */
    protected abstract S self();

    /** Backend settings. */
    public S config(BackendConfig c) {
        this.config = Objects.requireNonNull(c);
        return self();
    }

    /** Clock for snapshots, the rate limiter and event timestamps. */
    public S clock(Clock c) {
        this.clock = Objects.requireNonNull(c);
        return self();
    }

    /** How to wait for the rate limiter and between retries (tests inject a fake). */
    public S sleeper(TokenBucketRateLimiter.Sleeper s) {
        this.sleeper = Objects.requireNonNull(s);
        return self();
    }

    /** Seed of the retry jitter. */
    public S retrySeed(long seed) {
        this.retrySeed = seed;
        return self();
    }

    /**
     * The User-Agent of every request of a client built by the backend, e.g. {@code wdrf/<pod name>}: API server
     * audit logs (and the fake server's request log) then tell which replica sent a write. Default: the client's.
     */
    public S userAgent(String ua) {
        this.userAgent = ua;
        return self();
    }

    /** The User-Agent set, or null for the client's default. */
    public String userAgent() {
        return userAgent;
    }

    /** The backend settings set (default {@link BackendConfig#defaults()}). */
    protected BackendConfig backendConfig() {
        return config;
    }

    /** The core of a backend with these settings, patching through {@code transport}. */
    protected BackendCore newCore(PatchTransport transport, Consumer<RuntimeException> listenerErrors) {
        return new BackendCore(config, clock, sleeper, retrySeed, transport, listenerErrors);
    }
}
