package io.wdrf.backend.official;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseList;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.wdrf.backend.common.LeaderElection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@link LeaderElection} on a {@code coordination.k8s.io/v1} Lease, written for client-java 27 (whose
 * {@code client-java-extended} with its elector is not published): get, create when absent, renew while held,
 * take over when the holder is empty or has not renewed for {@code leaseDuration} since this instance first saw
 * its current record (client-go semantics: no clock skew between instances matters), and release on
 * {@link #close()} by clearing the holder. Every write is an update carrying the read resourceVersion, so two
 * candidates racing for an expired Lease cannot both win (the loser gets 409).
 *
 * <p>The leader steps down ({@code onStoppedLeading}) when it could not renew within {@code renewDeadline}. All
 * lease logic runs on one daemon thread every {@code retryPeriod}; times come from the injected {@link Clock}.
 */
public final class OfficialLeaderElection implements LeaderElection {

    private static final Logger LOG = LoggerFactory.getLogger(OfficialLeaderElection.class);

    private final GenericKubernetesApi<V1Lease, V1LeaseList> leases;
    private final String namespace;
    private final String name;
    private final String identity;
    private final Duration leaseDuration;
    private final Duration renewDeadline;
    private final Duration retryPeriod;
    private final Clock clock;

    private ScheduledExecutorService executor;
    private Runnable onStarted = () -> { };
    private Runnable onStopped = () -> { };
    private volatile boolean leader;
    private boolean closed;
    private Instant lastRenew;
    private String observedVersion;
    private Instant observedTime;

    /**
     * @param apiClient     client (any read timeout)
     * @param namespace     Lease namespace
     * @param name          Lease name, e.g. {@code wdrf-leader}
     * @param identity      this candidate's identity (pod name)
     * @param leaseDuration validity of a Lease without renewal (e.g. 15 s)
     * @param renewDeadline how long a leader keeps trying to renew before stepping down (&lt; leaseDuration)
     * @param retryPeriod   time between attempts (e.g. 2 s)
     * @param clock         time source for Lease timestamps and expiry
     */
    public OfficialLeaderElection(ApiClient apiClient, String namespace, String name, String identity,
                                  Duration leaseDuration, Duration renewDeadline, Duration retryPeriod, Clock clock) {
        this.leases = new GenericKubernetesApi<>(V1Lease.class, V1LeaseList.class, "coordination.k8s.io", "v1",
                "leases", Objects.requireNonNull(apiClient, "apiClient"));
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.name = Objects.requireNonNull(name, "name");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.leaseDuration = leaseDuration;
        this.renewDeadline = renewDeadline;
        this.retryPeriod = retryPeriod;
        this.clock = Objects.requireNonNull(clock, "clock");
        if (renewDeadline.compareTo(leaseDuration) >= 0) {
            throw new IllegalArgumentException("renewDeadline " + renewDeadline + " must be shorter than leaseDuration "
                    + leaseDuration);
        }
    }

    @Override
    public synchronized void start(Runnable onStartedLeading, Runnable onStoppedLeading) {
        if (executor != null || closed) {
            throw new IllegalStateException("already started or closed");
        }
        bind(onStartedLeading, onStoppedLeading);
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wdrf-lease-" + identity);
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::tick, 0, retryPeriod.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sets the callbacks without starting the background thread (tests drive {@link #tick()} themselves). */
    synchronized void bind(Runnable onStartedLeading, Runnable onStoppedLeading) {
        this.onStarted = Objects.requireNonNull(onStartedLeading);
        this.onStopped = Objects.requireNonNull(onStoppedLeading);
    }

    /** One round: acquire or renew, and step down after {@code renewDeadline} without a successful renewal. */
    synchronized void tick() {
        if (closed) {
            return;
        }
        boolean ok;
        try {
            ok = tryAcquireOrRenew();
        } catch (RuntimeException e) {
            LOG.warn("lease {}/{}: {}", namespace, name, e.toString());
            ok = false;
        }
        Instant now = clock.instant();
        if (ok) {
            lastRenew = now;
            if (!leader) {
                leader = true;
                LOG.info("{} became leader of lease {}/{}", identity, namespace, name);
                onStarted.run();
            }
        } else if (leader && (lastRenew == null || !now.isBefore(lastRenew.plus(renewDeadline)))) {
            leader = false;
            LOG.warn("{} lost lease {}/{}", identity, namespace, name);
            onStopped.run();
        }
    }

    private boolean tryAcquireOrRenew() {
        Instant now = clock.instant();
        OffsetDateTime nowTime = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        KubernetesApiResponse<V1Lease> got = leases.get(namespace, name);
        if (got.getHttpStatusCode() == 404) {
            V1Lease lease = new V1Lease().apiVersion("coordination.k8s.io/v1").kind("Lease")
                    .metadata(new V1ObjectMeta().namespace(namespace).name(name))
                    .spec(new V1LeaseSpec().holderIdentity(identity).leaseDurationSeconds(durationSeconds())
                            .acquireTime(nowTime).renewTime(nowTime).leaseTransitions(0));
            return leases.create(lease).isSuccess();
        }
        if (!got.isSuccess() || got.getObject() == null) {
            return false;
        }
        V1Lease lease = got.getObject();
        String rv = lease.getMetadata() == null ? null : lease.getMetadata().getResourceVersion();
        if (observedTime == null || !Objects.equals(rv, observedVersion)) {
            observedVersion = rv;
            observedTime = now;
        }
        V1LeaseSpec spec = lease.getSpec() == null ? new V1LeaseSpec() : lease.getSpec();
        String holder = spec.getHolderIdentity();
        boolean mine = identity.equals(holder);
        boolean held = holder != null && !holder.isEmpty();
        Duration validity = spec.getLeaseDurationSeconds() == null ? leaseDuration
                : Duration.ofSeconds(spec.getLeaseDurationSeconds());
        if (held && !mine && now.isBefore(observedTime.plus(validity))) {
            return false;
        }
        int transitions = spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions();
        V1LeaseSpec next = new V1LeaseSpec().holderIdentity(identity).leaseDurationSeconds(durationSeconds())
                .renewTime(nowTime)
                .acquireTime(mine && spec.getAcquireTime() != null ? spec.getAcquireTime() : nowTime)
                .leaseTransitions(mine ? transitions : transitions + 1);
        lease.spec(next);
        KubernetesApiResponse<V1Lease> updated = leases.update(lease);
        if (updated.isSuccess() && updated.getObject() != null && updated.getObject().getMetadata() != null) {
            observedVersion = updated.getObject().getMetadata().getResourceVersion();
            observedTime = now;
        }
        return updated.isSuccess();
    }

    private int durationSeconds() {
        return (int) Math.max(1, (leaseDuration.toMillis() + 999) / 1000);
    }

    @Override
    public boolean isLeader() {
        return leader;
    }

    /** Stops campaigning; when leading, clears the holder so a standby can take over at once. Idempotent. */
    @Override
    public void close() {
        ScheduledExecutorService ex;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            ex = executor;
        }
        if (ex != null) {
            ex.shutdownNow();
            try {
                ex.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (leader) {
                release();
                leader = false;
                onStopped.run();
            }
        }
    }

    private void release() {
        try {
            KubernetesApiResponse<V1Lease> got = leases.get(namespace, name);
            if (!got.isSuccess() || got.getObject() == null || got.getObject().getSpec() == null
                    || !identity.equals(got.getObject().getSpec().getHolderIdentity())) {
                return;
            }
            V1Lease lease = got.getObject();
            OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
            lease.getSpec().holderIdentity(null).leaseDurationSeconds(1).renewTime(now);
            if (!leases.update(lease).isSuccess()) {
                LOG.warn("could not release lease {}/{}", namespace, name);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not release lease {}/{}: {}", namespace, name, e.toString());
        }
    }
}
