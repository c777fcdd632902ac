package io.wdrf.backend.fabric8;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.wdrf.backend.common.LeaderElection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link LeaderElection} on a {@code coordination.k8s.io/v1} Lease with fabric8's leader elector
 * ({@code releaseOnCancel}: {@link #close()} gives the Lease up so a standby takes over at once).
 */
public final class Fabric8LeaderElection implements LeaderElection {

    private static final Logger LOG = LoggerFactory.getLogger(Fabric8LeaderElection.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String leaseName;
    private final String identity;
    private final Duration leaseDuration;
    private final Duration renewDeadline;
    private final Duration retryPeriod;
    private final AtomicBoolean leader = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile CompletableFuture<?> running;

    /**
     * @param client        client to use (not closed here)
     * @param namespace     namespace of the Lease
     * @param leaseName     Lease name, e.g. {@code wdrf-leader}
     * @param identity      this instance's identity (pod name)
     * @param leaseDuration how long a Lease is valid without renewal (e.g. 15 s)
     * @param renewDeadline how long the leader keeps trying to renew (e.g. 10 s)
     * @param retryPeriod   time between attempts (e.g. 2 s)
     */
    public Fabric8LeaderElection(KubernetesClient client, String namespace, String leaseName, String identity,
                                 Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.leaseName = Objects.requireNonNull(leaseName, "leaseName");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.leaseDuration = leaseDuration;
        this.renewDeadline = renewDeadline;
        this.retryPeriod = retryPeriod;
    }

    @Override
    public void start(Runnable onStartedLeading, Runnable onStoppedLeading) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        LeaderCallbacks callbacks = new LeaderCallbacks(() -> {
            leader.set(true);
            onStartedLeading.run();
        }, () -> {
            boolean was = leader.getAndSet(false);
            if (was) {
                onStoppedLeading.run();
            }
        }, id -> LOG.info("lease {}/{} is held by {}", namespace, leaseName, id));
        running = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(leaseName)
                .withLock(new LeaseLock(namespace, leaseName, identity))
                .withLeaseDuration(leaseDuration)
                .withRenewDeadline(renewDeadline)
                .withRetryPeriod(retryPeriod)
                .withLeaderCallbacks(callbacks)
                .withReleaseOnCancel(true)
                .build()).build().start();
    }

    @Override
    public boolean isLeader() {
        return leader.get();
    }

    /** The identity this elector campaigns with. */
    public String identity() {
        return identity;
    }

    /**
     * Stops campaigning and, if this replica led, waits (at most {@code retryPeriod}, capped at 2 s) until the
     * Lease no longer names it: fabric8 releases it asynchronously after cancel, and a caller that closes the client
     * right away would otherwise lose the release and make standbys wait a full lease duration.
     */
    @Override
    public void close() {
        CompletableFuture<?> f = running;
        if (f == null) {
            return;
        }
        running = null;
        boolean wasLeader = leader.get();
        f.cancel(true);
        if (wasLeader) {
            awaitReleased(Math.min(2000, retryPeriod.toMillis()));
        }
    }

    private void awaitReleased(long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                io.fabric8.kubernetes.api.model.coordination.v1.Lease lease =
                        client.leases().inNamespace(namespace).withName(leaseName).get();
                if (lease == null || lease.getSpec() == null || !identity.equals(lease.getSpec().getHolderIdentity())
                        || Integer.valueOf(1).equals(lease.getSpec().getLeaseDurationSeconds())) {
                    return; // released (fabric8 keeps the holder and shortens the duration to 1 s) or taken over
                }
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.debug("reading lease {}/{} while releasing failed", namespace, leaseName, e);
                return;
            }
        }
    }
}
