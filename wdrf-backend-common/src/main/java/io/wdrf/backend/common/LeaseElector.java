package io.wdrf.backend.common;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Client-independent Lease election with a write fence, used by both backends.
 *
 * <p>Algorithm (client-go's, made explicit): every {@code retryPeriod} read the Lease; create it when absent; renew it
 * when this candidate holds it; take it over only when its holder is empty or the record has not changed for
 * {@code leaseDuration} <em>as measured on this candidate's monotonic ticker since it first saw that
 * resourceVersion</em>. No timestamp written by another candidate is ever compared with the local clock, so clock
 * skew between replicas cannot depose a healthy leader. Every write carries the read resourceVersion, so two
 * candidates racing for an expired Lease cannot both win.
 *
 * <p>Fence: {@link #mayWrite()} is true only while this candidate leads and less than {@code renewDeadline} has
 * passed (monotonic) since the <em>start</em> of its last successful acquire or renew attempt. A standby can take over
 * no earlier than {@code leaseDuration} after it observed that renewal, which landed after the attempt started, so
 * the fence closes at least {@code leaseDuration - renewDeadline} before anyone else may write. A process that was
 * stopped (SIGSTOP), partitioned or whose renew hangs sees its fence closed as soon as it runs again. Each Lease
 * request is bounded by {@code renewDeadline}; a hanging request counts as a failed attempt, and a watchdog thread
 * steps down when the fence closes even while a request hangs.
 *
 * <p>After {@code onStoppedLeading} this instance does not campaign again (as client-go's elector): the caller is
 * expected to restart. {@link #close()} releases a held Lease (holder cleared) so a standby takes over at once.
 */
public final class LeaseElector implements LeaderElection {

    private static final Logger LOG = Logger.getLogger(LeaseElector.class.getName());

    /**
     * A Lease as the elector sees it.
     *
     * @param holder               holder identity, empty when free
     * @param leaseDurationSeconds the holder's declared validity
     * @param acquireTime          when the holder acquired it (informational), may be null
     * @param renewTime            when the holder last renewed (informational: never compared across clocks)
     * @param transitions          leaseTransitions
     * @param resourceVersion      the server's resourceVersion (null on a record to create)
     */
    public record Record(String holder, int leaseDurationSeconds, Instant acquireTime, Instant renewTime,
                         int transitions, String resourceVersion) {
        public Record {
            holder = holder == null ? "" : holder;
        }
    }

    /** The three Lease requests, implemented per client. Each may block; the elector bounds how long it waits. */
    public interface LeaseClient {
        /** The current Lease, or null when it does not exist; throws on any other failure. */
        Record get() throws Exception;

        /** Creates the Lease; returns the stored record, or null when it already exists (409). */
        Record create(Record r) throws Exception;

        /** Replaces the Lease iff its resourceVersion is still {@code r.resourceVersion()}; null on 409. */
        Record update(Record r) throws Exception;
    }

    private final LeaseClient client;
    private final String description;
    private final String identity;
    private final Duration leaseDuration;
    private final Duration renewDeadline;
    private final Duration retryPeriod;
    private final Duration requestTimeout;
    private final Clock clock;
    private final LongSupplier ticker;

    private ScheduledExecutorService scheduler;
    private ExecutorService requests;
    private Runnable onStarted = () -> { };
    private Runnable onStopped = () -> { };
    private volatile boolean leader;
    /** True once {@code onStartedLeading} has returned for the current term; what {@link #isLeader()} reports. */
    private volatile boolean announced;
    private volatile long fenceStartNanos;
    private volatile boolean stopped;
    private boolean closed;
    private String observedVersion;
    private long observedNanos;

    /**
     * @param client        the Lease requests
     * @param description   {@code namespace/name} of the Lease, for logs
     * @param identity      this candidate's identity (pod name)
     * @param leaseDuration validity of a Lease without renewal (e.g. 15 s)
     * @param renewDeadline how long a leader may go without a successful renewal (&lt; leaseDuration); also the fence
     * @param retryPeriod   time between attempts (e.g. 2 s), &lt; renewDeadline
     * @param clock         wall clock for the timestamps written (informational only)
     * @param ticker        monotonic nanoseconds ({@code System::nanoTime}) for every decision
     */
    public LeaseElector(LeaseClient client, String description, String identity, Duration leaseDuration,
                        Duration renewDeadline, Duration retryPeriod, Clock clock, LongSupplier ticker) {
        this.client = Objects.requireNonNull(client, "client");
        this.description = Objects.requireNonNull(description, "description");
        this.identity = Objects.requireNonNull(identity, "identity");
        if (identity.isEmpty()) {
            throw new IllegalArgumentException("identity must not be empty");
        }
        this.leaseDuration = Objects.requireNonNull(leaseDuration, "leaseDuration");
        this.renewDeadline = Objects.requireNonNull(renewDeadline, "renewDeadline");
        this.retryPeriod = Objects.requireNonNull(retryPeriod, "retryPeriod");
        if (renewDeadline.compareTo(leaseDuration) >= 0) {
            throw new IllegalArgumentException("renewDeadline " + renewDeadline + " must be shorter than leaseDuration "
                    + leaseDuration);
        }
        if (retryPeriod.isNegative() || retryPeriod.isZero() || retryPeriod.compareTo(renewDeadline) >= 0) {
            throw new IllegalArgumentException("retryPeriod " + retryPeriod + " must be positive and shorter than "
                    + "renewDeadline " + renewDeadline);
        }
        // a hanging request never outlives the renew deadline; safety does not depend on it (the fence counts from
        // the start of the attempt and the watchdog steps down on its own), so it may use the whole deadline
        this.requestTimeout = renewDeadline;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    /** Timeout of one Lease request (the renew deadline). */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    @Override
    public synchronized void start(Runnable onStartedLeading, Runnable onStoppedLeading) {
        if (scheduler != null || closed) {
            throw new IllegalStateException("already started or closed");
        }
        bind(onStartedLeading, onStoppedLeading);
        AtomicInteger n = new AtomicInteger();
        requests = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "wdrf-lease-request-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "wdrf-lease-" + identity + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::tickQuietly, 0, retryPeriod.toMillis(), TimeUnit.MILLISECONDS);
        // a watchdog independent of a hanging attempt: steps down as soon as the fence has closed
        scheduler.scheduleWithFixedDelay(this::checkFence, retryPeriod.toMillis() / 2 + 1,
                Math.max(1, retryPeriod.toMillis() / 2), TimeUnit.MILLISECONDS);
    }

    /** Sets the callbacks without starting threads (tests drive {@link #tick()} themselves; requests run inline). */
    public synchronized void bind(Runnable onStartedLeading, Runnable onStoppedLeading) {
        this.onStarted = Objects.requireNonNull(onStartedLeading);
        this.onStopped = Objects.requireNonNull(onStoppedLeading);
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "lease {0}: unexpected {1}", new Object[]{description, e.toString()});
        }
    }

    /** One round: acquire or renew, then step down when the fence has closed. */
    public void tick() {
        synchronized (this) {
            if (closed || stopped) {
                return;
            }
        }
        long attemptStart = ticker.getAsLong();
        boolean ok;
        try {
            ok = tryAcquireOrRenew(attemptStart);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "lease {0}: {1}", new Object[]{description, e.toString()});
            ok = false;
        }
        synchronized (this) {
            if (closed || stopped) {
                return;
            }
            if (ok) {
                fenceStartNanos = attemptStart;
                if (!leader) {
                    leader = true;
                    LOG.log(Level.INFO, "{0} became leader of lease {1}", new Object[]{identity, description});
                    onStarted.run();
                    announced = true;
                }
            }
        }
        checkFence();
    }

    /** Steps down (once) when leading and the fence has closed. */
    synchronized void checkFence() {
        if (leader && !closed && !fenceOpen()) {
            leader = false;
            announced = false;
            stopped = true;
            LOG.log(Level.WARNING, "{0} lost lease {1}: no successful renewal within {2} ms",
                    new Object[]{identity, description, renewDeadline.toMillis()});
            onStopped.run();
        }
    }

    private boolean fenceOpen() {
        return ticker.getAsLong() - fenceStartNanos < renewDeadline.toNanos();
    }

    private boolean tryAcquireOrRenew(long attemptStart) throws Exception {
        Record got = call(client::get);
        Instant now = clock.instant();
        if (got == null) {
            Record created = call(() -> client.create(new Record(identity, durationSeconds(), now, now, 0, null)));
            if (created != null) {
                observe(created.resourceVersion(), attemptStart);
            }
            return created != null;
        }
        if (observedVersion == null || !Objects.equals(got.resourceVersion(), observedVersion)) {
            observe(got.resourceVersion(), ticker.getAsLong());
        }
        boolean mine = identity.equals(got.holder());
        boolean held = !got.holder().isEmpty();
        long validity = got.leaseDurationSeconds() > 0 ? Duration.ofSeconds(got.leaseDurationSeconds()).toNanos()
                : leaseDuration.toNanos();
        if (held && !mine && ticker.getAsLong() - observedNanos < validity) {
            return false;
        }
        if (!mine && (stopped || closed)) {
            return false;
        }
        Record next = new Record(identity, durationSeconds(),
                mine && got.acquireTime() != null ? got.acquireTime() : now, now,
                mine ? got.transitions() : got.transitions() + 1, got.resourceVersion());
        Record updated = call(() -> client.update(next));
        if (updated == null) {
            return false;
        }
        observe(updated.resourceVersion(), attemptStart);
        return true;
    }

    private synchronized void observe(String version, long nanos) {
        observedVersion = version;
        observedNanos = nanos;
    }

    private <T> T call(Callable<T> request) throws Exception {
        ExecutorService ex = requests;
        if (ex == null) {
            return request.call();
        }
        Future<T> f = ex.submit(request);
        try {
            return f.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new TimeoutException("Lease request did not answer within " + requestTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof Exception x ? x : new RuntimeException(c);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    private int durationSeconds() {
        return (int) Math.max(1, (leaseDuration.toMillis() + 999) / 1000);
    }

    /**
     * True while this candidate leads <em>and</em> its {@code onStartedLeading} callback has returned: whoever polls
     * this never sees a leader whose start-up work (e.g. the first write-enabled cycle's set-up) is still running.
     */
    @Override
    public boolean isLeader() {
        return announced && leader;
    }

    /**
     * True while this candidate leads and its fence is open: less than {@code renewDeadline} since the start of its
     * last successful renewal. Check it immediately before every write.
     */
    @Override
    public boolean mayWrite() {
        return leader && !closed && fenceOpen();
    }

    /** The identity this elector campaigns with. */
    public String identity() {
        return identity;
    }

    /** Stops campaigning; when leading, clears the holder so a standby can take over at once. Idempotent. */
    @Override
    public void close() {
        ScheduledExecutorService s;
        ExecutorService r;
        boolean wasLeader;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            wasLeader = leader;
            leader = false;
            announced = false;
            s = scheduler;
            r = requests;
        }
        if (s != null) {
            s.shutdownNow();
            try {
                s.awaitTermination(requestTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (wasLeader) {
            release();
            onStopped.run();
        }
        if (r != null) {
            r.shutdownNow();
        }
    }

    private void release() {
        try {
            Record got = call(client::get);
            if (got == null || !identity.equals(got.holder())) {
                return;
            }
            Instant now = clock.instant();
            if (call(() -> client.update(new Record("", 1, got.acquireTime(), now, got.transitions(),
                    got.resourceVersion()))) == null) {
                LOG.log(Level.WARNING, "could not release lease {0}: it changed meanwhile", description);
            }
        } catch (Exception e) {
            LOG.log(Level.WARNING, "could not release lease {0}: {1}", new Object[]{description, e.toString()});
        }
    }
}
