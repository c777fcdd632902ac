package io.wdrf.backend.common;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.api.WriteResult;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The client-independent part of a Kubernetes backend, shared by the fabric8 and the client-java backends: the
 * projected store and projector, the rate limiter and the patching writer, the start/close life cycle, the Kueue
 * version in use, which (kind, namespace) pairs to watch, and the client-independent parts of a core Event.
 * A backend keeps only what talks to its client (discovery, informers, the PATCH call, creating the Event).
 *
 * <p>Thread-safe. Usage: {@code core = new BackendCore(config, clock, sleeper, seed, this::patch, listenerErrors)};
 * in {@code start()}: {@code if (core.markStarted()) { core.resolveKueueVersion(discover()); for (WatchTarget t :
 * core.watchTargets()) ... }}; in {@code close()}: {@code if (core.markClosed()) { stop informers }}.
 */
public final class BackendCore {

    private static final java.util.logging.Logger LOG =
            java.util.logging.Logger.getLogger(BackendCore.class.getName());

    /** One informer to run: {@code namespace} is null for all namespaces (or a cluster-scoped kind). */
    public record WatchTarget(ResourceKind kind, String namespace) {
        /** Checks the kind. */
        public WatchTarget {
            Objects.requireNonNull(kind, "kind");
        }
    }

    private final BackendConfig config;
    private final Clock clock;
    private final ProjectedStore store;
    private final KubeProjector projector = new KubeProjector();
    private final TokenBucketRateLimiter limiter;
    private final PatchingPriorityWriter writer;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong eventSeq = new AtomicLong();
    private final TokenBucketRateLimiter.Sleeper sleeper;
    private volatile java.util.function.BooleanSupplier eventFence = () -> true;
    private volatile String kueueVersion;

    /**
     * @param config         backend settings
     * @param clock          for snapshots, the rate limiter and event names
     * @param sleeper        how the rate limiter and retries wait
     * @param retrySeed      seed of the retry jitter
     * @param transport      the backend's PATCH call
     * @param listenerErrors told about change listeners that threw
     */
    public BackendCore(BackendConfig config, Clock clock, TokenBucketRateLimiter.Sleeper sleeper, long retrySeed,
                       PatchTransport transport, Consumer<RuntimeException> listenerErrors) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.store = new ProjectedStore(listenerErrors);
        this.limiter = new TokenBucketRateLimiter(config.qps(), config.burst(), clock, sleeper);
        this.writer = new PatchingPriorityWriter(transport, store, limiter, RetryPolicy.of(config, retrySeed), sleeper);
    }

    /** Backend settings. */
    public BackendConfig config() {
        return config;
    }

    /** The store the informers project into. */
    public ProjectedStore store() {
        return store;
    }

    /** The projector of raw JSON trees. */
    public KubeProjector projector() {
        return projector;
    }

    /**
     * Marks the backend started.
     *
     * @return true the first time (the caller starts its informers), false when already started
     * @throws IllegalStateException when closed
     */
    public boolean markStarted() {
        if (closed.get()) {
            throw new IllegalStateException("backend is closed");
        }
        return started.compareAndSet(false, true);
    }

    /** Whether {@link #markStarted()} succeeded once. */
    public boolean started() {
        return started.get();
    }

    /**
     * Marks the backend closed and closes the writer and the store.
     *
     * @return true the first time (the caller stops its informers and client), false when already closed
     */
    public boolean markClosed() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        writer.close();
        store.close();
        return true;
    }

    /**
     * Sets the write fence of the priority writer and of Events ({@link #acquireEventPermit()}): checked immediately
     * before every request, so a replica that lost the Lease sends nothing, retries included.
     */
    public void writeFence(java.util.function.BooleanSupplier f) {
        writer.fence(f);
        eventFence = Objects.requireNonNull(f, "fence");
    }

    /** Attempts of Kueue API discovery before start-up fails (with {@link #DISCOVERY_FIRST_DELAY} doubling, ~20 s). */
    public static final int DISCOVERY_ATTEMPTS = 7;
    /** First delay between discovery attempts. */
    public static final Duration DISCOVERY_FIRST_DELAY = Duration.ofMillis(300);

    /** One discovery request: the versions of {@code kueue.x-k8s.io} served (empty when the group is absent). */
    @FunctionalInterface
    public interface Discovery {
        Set<String> served() throws Exception;
    }

    /**
     * Resolves the Kueue version, asking the server only when the setting is {@code auto}. A failed discovery request
     * (503 during an API server roll-out, a timeout) is retried up to {@link #DISCOVERY_ATTEMPTS} times with doubling
     * delays (capped at 5 s); after that start-up fails loudly instead of guessing a version the server may not
     * serve.
     *
     * @throws IllegalStateException when every attempt failed (names the last error and the setting that skips
     *                               discovery)
     */
    public String resolveKueueVersion(Discovery discovery)
            throws InterruptedException {
        if (!BackendConfig.AUTO.equals(config.kueueApiVersion())) {
            return resolveKueueVersion(Set.of());
        }
        Duration delay = DISCOVERY_FIRST_DELAY;
        String last = "";
        for (int attempt = 1; attempt <= DISCOVERY_ATTEMPTS; attempt++) {
            try {
                return resolveKueueVersion(discovery.served());
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                last = shorten(String.valueOf(e.getMessage()));
                LOG.warning(() -> "discovery of " + ResourceKind.KUEUE_GROUP + " failed (" + e.getClass().getSimpleName()
                        + "), retrying");
            }
            if (attempt < DISCOVERY_ATTEMPTS) {
                sleeper.sleep(delay);
                delay = delay.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5)
                        : delay.multipliedBy(2);
            }
        }
        throw new IllegalStateException("discovery of the Kueue API group " + ResourceKind.KUEUE_GROUP + " failed "
                + DISCOVERY_ATTEMPTS + " times (last error: " + last + "); check the API server, or set "
                + "kube.kueue-api-version to v1beta1 or v1beta2 to skip discovery");
    }

    /** Resolves and remembers the Kueue version from the versions the server serves; returns it. */
    public String resolveKueueVersion(Set<String> served) {
        kueueVersion = config.resolveKueueVersion(served);
        return kueueVersion;
    }

    /** The Kueue version in use (null before it was resolved). */
    public String kueueVersion() {
        return kueueVersion;
    }

    /**
     * The informers to run, in order: every {@link ResourceKind} (pods only when watched); namespaced kinds once
     * per configured namespace, or once for all namespaces when no filter is set.
     */
    public List<WatchTarget> watchTargets() {
        List<WatchTarget> out = new ArrayList<>();
        for (ResourceKind kind : ResourceKind.values()) {
            if (kind == ResourceKind.POD && !config.watchPods()) {
                continue;
            }
            if (kind.namespaced() && !config.namespaces().isEmpty()) {
                for (String ns : config.namespaces()) {
                    out.add(new WatchTarget(kind, ns));
                }
            } else {
                out.add(new WatchTarget(kind, null));
            }
        }
        return out;
    }

    /**
     * Whether the backend is started and has informers that all listed once.
     *
     * @param informerCount how many informers run
     * @param allSynced     whether each of them has synced
     */
    public boolean hasSynced(int informerCount, BooleanSupplier allSynced) {
        return started.get() && informerCount > 0 && allSynced.getAsBoolean();
    }

    /** Polls {@code hasSynced} every 10 ms until it holds or the timeout passes; returns its last value. */
    public static boolean awaitSynced(BooleanSupplier hasSynced, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!hasSynced.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return hasSynced.getAsBoolean();
    }

    /** The current snapshot. */
    public ClusterSnapshot snapshot() {
        return store.snapshot(clock);
    }

    /** Adds a change listener; close the result to remove it. */
    public AutoCloseable addChangeListener(Runnable listener) {
        return store.addChangeListener(listener);
    }

    /** Writes the updates, resolving the Kueue version first (with {@code discover}) when not done yet. */
    public WriteResult apply(List<PriorityUpdate> updates, Supplier<Set<String>> discover) {
        // start() resolves the version (or fails); this only covers a writer used before start()
        if (kueueVersion == null) {
            kueueVersion = config.resolveKueueVersion(discover.get());
        }
        return writer.apply(updates);
    }

    /** Whether an Event may be recorded now: not closed and a rate-limiter token was taken. */
    public boolean acquireEventPermit() {
        return !closed.get() && eventFence.getAsBoolean() && limiter.tryAcquire();
    }

    /** A unique Event name for the workload: {@code <name>.<hex millis><hex sequence>}. */
    public String eventName(WorkloadId workloadId) {
        return workloadId.name() + "." + Long.toHexString(clock.millis()) + Long.toHexString(eventSeq.incrementAndGet());
    }

    /** The apiVersion of the Event's involved Workload (v1beta2 while the version is not resolved). */
    public String eventWorkloadApiVersion() {
        return ResourceKind.WORKLOAD.apiVersion(kueueVersion == null ? BackendConfig.V1BETA2 : kueueVersion);
    }

    /** The uid of the workload as viewed, or null when unknown or empty. */
    public String workloadUid(WorkloadId workloadId) {
        Workload w = store.workload(workloadId);
        return w != null && !w.uid().isEmpty() ? w.uid() : null;
    }

    /** The clock in use. */
    public Clock clock() {
        return clock;
    }

    /** A server message for an error report: newlines flattened, at most 300 characters; null becomes "". */
    public static String shorten(String s) {
        if (s == null) {
            return "";
        }
        s = s.replace('\n', ' ');
        return s.length() > 300 ? s.substring(0, 297) + "..." : s;
    }
}
