package io.wdrf.backend.common;

import io.wdrf.api.PriorityTarget;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings shared by both backends.
 *
 * @param kueueApiVersion {@code auto} (prefer v1beta2 when served), {@code v1beta1} or {@code v1beta2}
 * @param target          where priorities are written
 * @param qps             sustained write rate (requests per second, &gt; 0)
 * @param burst           token-bucket size (&ge; 1)
 * @param maxAttempts     attempts per write including the first (&ge; 1)
 * @param initialBackoff  first retry delay before jitter
 * @param maxBackoff      cap of the retry delay (also caps honoured {@code Retry-After})
 * @param fieldManager    field manager sent with patches
 * @param namespaces      namespaces to watch for namespaced kinds; empty = all namespaces
 * @param watchPods       whether Pods are watched (needed for HAMi allocation accounting)
 */
public record BackendConfig(String kueueApiVersion, PriorityTarget target, double qps, int burst, int maxAttempts,
                            Duration initialBackoff, Duration maxBackoff, String fieldManager, List<String> namespaces,
                            boolean watchPods) {

    /** Value of {@link #kueueApiVersion()} that selects the version by discovery. */
    public static final String AUTO = "auto";
    /** Kueue v1beta1. */
    public static final String V1BETA1 = "v1beta1";
    /** Kueue v1beta2 (served from Kueue v0.15, storage from v0.16). */
    public static final String V1BETA2 = "v1beta2";

    public BackendConfig {
        kueueApiVersion = kueueApiVersion == null ? AUTO : kueueApiVersion;
        if (!Set.of(AUTO, V1BETA1, V1BETA2).contains(kueueApiVersion)) {
            throw new IllegalArgumentException("kueueApiVersion must be auto, v1beta1 or v1beta2, got '"
                    + kueueApiVersion + "'");
        }
        Objects.requireNonNull(target, "target");
        if (!(qps > 0) || Double.isInfinite(qps)) {
            throw new IllegalArgumentException("qps must be a positive finite number, got " + qps);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be >= 1, got " + burst);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("backoff durations must not be negative");
        }
        fieldManager = fieldManager == null || fieldManager.isEmpty() ? "wdrf" : fieldManager;
        namespaces = namespaces == null ? List.of() : List.copyOf(new TreeSet<>(namespaces));
    }

    /** Defaults: auto version, spec.priority, 20 QPS, burst 40, 5 attempts, 200 ms .. 10 s backoff, all namespaces, pods watched. */
    public static BackendConfig defaults() {
        return new BackendConfig(AUTO, PriorityTarget.SPEC_PRIORITY, 20, 40, 5, Duration.ofMillis(200),
                Duration.ofSeconds(10), "wdrf", List.of(), true);
    }

    /** Copy with another Kueue API version setting. */
    public BackendConfig withKueueApiVersion(String v) {
        return new BackendConfig(v, target, qps, burst, maxAttempts, initialBackoff, maxBackoff, fieldManager,
                namespaces, watchPods);
    }

    /** Copy with another write target. */
    public BackendConfig withTarget(PriorityTarget t) {
        return new BackendConfig(kueueApiVersion, t, qps, burst, maxAttempts, initialBackoff, maxBackoff,
                fieldManager, namespaces, watchPods);
    }

    /** Copy with other rate limits. */
    public BackendConfig withRateLimit(double newQps, int newBurst) {
        return new BackendConfig(kueueApiVersion, target, newQps, newBurst, maxAttempts, initialBackoff, maxBackoff,
                fieldManager, namespaces, watchPods);
    }

    /** Copy with other retry settings. */
    public BackendConfig withRetries(int attempts, Duration initial, Duration max) {
        return new BackendConfig(kueueApiVersion, target, qps, burst, attempts, initial, max, fieldManager,
                namespaces, watchPods);
    }

    /** Copy with a namespace filter (empty = all). */
    public BackendConfig withNamespaces(List<String> ns) {
        return new BackendConfig(kueueApiVersion, target, qps, burst, maxAttempts, initialBackoff, maxBackoff,
                fieldManager, ns, watchPods);
    }

    /** Copy with pod watching on or off. */
    public BackendConfig withWatchPods(boolean on) {
        return new BackendConfig(kueueApiVersion, target, qps, burst, maxAttempts, initialBackoff, maxBackoff,
                fieldManager, namespaces, on);
    }

    /**
     * The Kueue version to use given the versions the server serves for {@code kueue.x-k8s.io}: the configured one
     * when not {@code auto}, else v1beta2 when served, else v1beta1.
     *
     * @param served versions from discovery (may be empty when discovery failed)
     */
    public String resolveKueueVersion(Set<String> served) {
        if (!AUTO.equals(kueueApiVersion)) {
            return kueueApiVersion;
        }
        return served != null && served.contains(V1BETA2) ? V1BETA2 : V1BETA1;
    }
}
