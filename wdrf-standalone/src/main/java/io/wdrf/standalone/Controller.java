package io.wdrf.standalone;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wdrf.backend.common.LeaderElection;
import io.wdrf.engine.CycleListener;
import io.wdrf.engine.CycleReport;
import io.wdrf.engine.Reconciler;
import io.wdrf.engine.WdrfEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The running controller: backend, leader election, reconcile loop, metrics and probes.
 *
 * <p>Writes happen only while the backend's view has synced and this replica holds the Lease. Shutdown (idempotent,
 * also from the shutdown hook) mirrors JOSDK's order: stop the reconcile loop, release the Lease, close the backend,
 * stop the HTTP server. Losing the Lease while running ends the process with exit code 1 so that Kubernetes restarts
 * the pod and it campaigns again.
 */
final class Controller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);
    /** Readiness turns red after this many consecutive failed cycles (a cycle that always fails is not ready). */
    static final int FAILED_CYCLES_NOT_READY = 3;

    private final Settings settings;
    private final Backend backend;
    private final Metrics metrics;
    private final PrometheusMeterRegistry registry;
    private final Reconciler reconciler;
    private final LeaderElection election;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicLong lastCycleNanos = new AtomicLong();
    private final AtomicLong lastProgressNanos = new AtomicLong();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile String lastError = "";
    private final boolean dryRun;
    private final AtomicBoolean firstCycleDone = new AtomicBoolean();
    private final AtomicBoolean leaderKnown = new AtomicBoolean();
    private final AtomicInteger exitCode = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile long electionStartedNanos;
    private volatile HttpEndpoints http;

    Controller(Settings settings, Backend backend, WdrfEngine engine, Metrics metrics, PrometheusMeterRegistry registry,
               CycleListener extra) {
        this.settings = settings;
        this.backend = backend;
        this.metrics = metrics;
        this.registry = registry;
        this.dryRun = settings.reconciler().dryRun();
        // a dry run never campaigns, holds or renews the Lease (the backends do not even create an elector for it)
        this.election = settings.leader().enabled() && !dryRun ? backend.election() : null;
        GpuMetrics gpu = settings.hami() == null ? null : new GpuMetrics(registry, settings.hami());
        CycleListener listener = r -> {
            lastCycleNanos.set(System.nanoTime());
            firstCycleDone.set(true);
            if (r.ok()) {
                consecutiveFailures.set(0);
            } else {
                consecutiveFailures.incrementAndGet();
                lastError = r.error();
            }
            metrics.onCycle(r);
            if (gpu != null) {
                try {
                    gpu.update(backend.view().snapshot());
                } catch (RuntimeException e) {
                    LOG.debug("GPU gauges not updated", e);
                }
            }
            if (extra != null) {
                extra.onCycle(r);
            }
            metrics.ready(notReady() == null);
        };
        // every single write is fenced (leadership checked right before it is sent), and counts as progress
        FencedWriter fenced = new FencedWriter(backend.writer(), this::mayWrite,
                dryRun ? "dry run" : "not the Lease holder (write fence closed)", this::progress);
        this.reconciler = Reconciler.builder(backend.view(), metrics.timed(fenced), engine)
                .settings(settings.reconciler()).reservations(settings.reservations())
                .listener(listener)
                .leadership(this::mayWrite)
                .build();
        metrics.reservationGate(reconciler::reservationGateIgnored);
        if (election == null) {
            leaderKnown.set(true);
        }
    }

    /**
     * True while this replica may write: not a dry run, the view has synced and it holds the Lease with an open fence
     * (its last renewal is recent enough that nobody else can hold it), or election is off.
     */
    boolean mayWrite() {
        return !dryRun && backend.view().hasSynced() && (election == null || election.mayWrite());
    }

    private void progress() {
        lastProgressNanos.set(System.nanoTime());
    }

    /** Null when ready, else why not. */
    String notReady() {
        if (!backend.view().hasSynced()) {
            return "cluster view has not synced yet";
        }
        if (election != null && !leaderKnown.get()) {
            if (election.isLeader() || System.nanoTime() - electionStartedNanos
                    > settings.leader().leaseDuration().toNanos()) {
                leaderKnown.set(true);
            } else {
                return "leader election has not settled yet";
            }
        }
        if (!firstCycleDone.get()) {
            return "first reconcile cycle has not completed";
        }
        int failed = consecutiveFailures.get();
        if (failed >= FAILED_CYCLES_NOT_READY) {
            String e = String.valueOf(lastError);
            return "the last " + failed + " reconcile cycles failed: "
                    + io.wdrf.backend.common.BackendCore.shorten(e.length() > 200 ? e.substring(0, 200) + "..." : e);
        }
        return null;
    }

    /**
     * Liveness = making progress: the loop is running and, recently, it finished a cycle or completed a write (a long
     * first cycle at 5,000 nodes that keeps writing is alive; a loop stuck anywhere is not).
     */
    boolean healthy() {
        if (closing.get() || !started.get()) {
            return false;
        }
        long allowed = settings.reconciler().resyncInterval().multipliedBy(3).plusSeconds(30).toNanos();
        long last = Math.max(lastCycleNanos.get(), lastProgressNanos.get());
        return System.nanoTime() - last < allowed;
    }

    /** Starts HTTP, leader election and the loop. */
    void start(boolean withHttp) throws IOException {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        lastCycleNanos.set(System.nanoTime());
        if (withHttp) {
            http = new HttpEndpoints(settings.http().bind(), settings.http().port(), registry, this::healthy,
                    this::notReady);
            http.start();
            LOG.info("serving /metrics, /healthz, /readyz on {}:{}", settings.http().bind(), http.port());
        }
        startElection();
        reconciler.start();
        LOG.info("controller started: backend={} policy={} dryRun={} loop-interval={}s leader-election={}",
                backend.name(), settings.policy(), settings.reconciler().dryRun(),
                settings.reconciler().resyncInterval().toSeconds(), election != null);
    }

    private void startElection() {
        if (election == null) {
            metrics.leader(!dryRun);
            return;
        }
        electionStartedNanos = System.nanoTime();
        election.start(() -> {
            leaderKnown.set(true);
            metrics.leader(true);
            LOG.info("became leader (Lease {}/{}, identity {})", settings.leader().leaseNamespace(),
                    settings.leader().leaseName(), settings.leader().identity());
        }, () -> {
            metrics.leader(false);
            if (closing.get()) {
                return;
            }
            LOG.error("lost leadership of Lease {}/{}; stopping so that a fresh replica campaigns",
                    settings.leader().leaseNamespace(), settings.leader().leaseName());
            exitCode.compareAndSet(0, 1);
            stopped.countDown();
        });
    }

    /**
     * One cycle for {@code --once}: waits for the view to sync and (with election) for the Lease, up to the
     * timeouts, then reconciles once.
     */
    CycleReport runOnce(Duration syncTimeout) throws InterruptedException {
        long deadline = System.nanoTime() + syncTimeout.toNanos();
        while (!backend.view().hasSynced() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (!backend.view().hasSynced()) {
            LOG.warn("cluster view did not sync within {}s; evaluating what is known, writing nothing",
                    syncTimeout.toSeconds());
        }
        startElection();
        if (election != null) {
            long leaderDeadline = System.nanoTime() + settings.leader().leaseDuration()
                    .plus(settings.leader().retryPeriod()).toNanos();
            while (!election.isLeader() && System.nanoTime() < leaderDeadline) {
                Thread.sleep(50);
            }
            if (!election.isLeader()) {
                LOG.warn("not the leader of Lease {}/{}; this cycle writes nothing", settings.leader().leaseNamespace(),
                        settings.leader().leaseName());
            }
        }
        return reconciler.runOnce();
    }

    /** Port of the HTTP server, or -1 when not started. */
    int httpPort() {
        HttpEndpoints h = http;
        return h == null ? -1 : h.port();
    }

    /** Blocks until {@link #close()} or loss of leadership; returns the exit code. */
    int awaitStop() throws InterruptedException {
        stopped.await();
        return exitCode.get();
    }

    boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }

    /** Stops everything in order; idempotent and safe from a shutdown hook. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        LOG.info("shutting down");
        metrics.ready(false);
        try {
            reconciler.close();
        } catch (RuntimeException e) {
            LOG.warn("stopping the reconcile loop failed", e);
        }
        if (election != null) {
            try {
                election.close(); // returns once the Lease is released, so closing the client below cannot lose it
            } catch (RuntimeException e) {
                LOG.warn("releasing the Lease failed", e);
            }
            metrics.leader(false);
        }
        backend.close();
        HttpEndpoints h = http;
        if (h != null) {
            h.close();
        }
        registry.close();
        stopped.countDown();
        LOG.info("stopped");
    }
}
