package io.wdrf.backend.fabric8;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.wdrf.backend.common.LeaderElection;
import io.wdrf.backend.common.LeaseElector;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * {@link LeaderElection} on a {@code coordination.k8s.io/v1} Lease with the fabric8 client: the shared
 * {@link LeaseElector} (expiry measured on the local monotonic clock, so clock skew cannot depose a healthy leader;
 * bounded requests; a write fence in {@link #mayWrite()}) over fabric8's lease operations. fabric8's own
 * {@code LeaderElector} is not used: it compares the holder's {@code renewTime} with the local clock and does not
 * bound a hanging renew. {@link #close()} releases a held Lease so a standby takes over at once.
 */
public final class Fabric8LeaderElection implements LeaderElection {

    private final LeaseElector elector;

    /**
     * @param client        client to use (not closed here)
     * @param namespace     namespace of the Lease
     * @param leaseName     Lease name, e.g. {@code wdrf-leader}
     * @param identity      this instance's identity (pod name)
     * @param leaseDuration how long a Lease is valid without renewal (e.g. 15 s)
     * @param renewDeadline how long the leader may go without a successful renewal (e.g. 10 s)
     * @param retryPeriod   time between attempts (e.g. 2 s)
     */
    public Fabric8LeaderElection(KubernetesClient client, String namespace, String leaseName, String identity,
                                 Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
        this(client, namespace, leaseName, identity, leaseDuration, renewDeadline, retryPeriod, Clock.systemUTC(),
                System::nanoTime);
    }

    Fabric8LeaderElection(KubernetesClient client, String namespace, String leaseName, String identity,
                          Duration leaseDuration, Duration renewDeadline, Duration retryPeriod, Clock clock,
                          LongSupplier ticker) {
        this.elector = new LeaseElector(new Client(Objects.requireNonNull(client, "client"),
                Objects.requireNonNull(namespace, "namespace"), Objects.requireNonNull(leaseName, "leaseName")),
                namespace + "/" + leaseName, identity, leaseDuration, renewDeadline, retryPeriod, clock, ticker);
    }

    /** fabric8's lease operations as the elector's three requests. */
    private static final class Client implements LeaseElector.LeaseClient {
        private final KubernetesClient client;
        private final String namespace;
        private final String name;

        Client(KubernetesClient client, String namespace, String name) {
            this.client = client;
            this.namespace = namespace;
            this.name = name;
        }

        @Override
        public LeaseElector.Record get() {
            Lease l = client.leases().inNamespace(namespace).withName(name).get();
            return l == null ? null : record(l);
        }

        @Override
        public LeaseElector.Record create(LeaseElector.Record r) {
            try {
                return record(client.leases().inNamespace(namespace).resource(lease(r)).create());
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    return null;
                }
                throw e;
            }
        }

        @Override
        public LeaseElector.Record update(LeaseElector.Record r) {
            try {
                // update() sends the resourceVersion it carries: a stale one is a 409 (optimistic locking)
                return record(client.leases().inNamespace(namespace).resource(lease(r)).update());
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    return null;
                }
                throw e;
            }
        }

        private Lease lease(LeaseElector.Record r) {
            Lease l = new Lease();
            l.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name)
                    .withResourceVersion(r.resourceVersion()).build());
            LeaseSpec s = new LeaseSpec();
            s.setHolderIdentity(r.holder().isEmpty() ? null : r.holder());
            s.setLeaseDurationSeconds(r.leaseDurationSeconds());
            s.setAcquireTime(time(r.acquireTime()));
            s.setRenewTime(time(r.renewTime()));
            s.setLeaseTransitions(r.transitions());
            l.setSpec(s);
            return l;
        }

        private static ZonedDateTime time(Instant i) {
            return i == null ? null : ZonedDateTime.ofInstant(i, ZoneOffset.UTC);
        }

        private static LeaseElector.Record record(Lease l) {
            LeaseSpec s = l.getSpec() == null ? new LeaseSpec() : l.getSpec();
            return new LeaseElector.Record(s.getHolderIdentity(),
                    s.getLeaseDurationSeconds() == null ? 0 : s.getLeaseDurationSeconds(),
                    s.getAcquireTime() == null ? null : s.getAcquireTime().toInstant(),
                    s.getRenewTime() == null ? null : s.getRenewTime().toInstant(),
                    s.getLeaseTransitions() == null ? 0 : s.getLeaseTransitions(),
                    l.getMetadata() == null ? null : l.getMetadata().getResourceVersion());
        }
    }

    @Override
    public void start(Runnable onStartedLeading, Runnable onStoppedLeading) {
        elector.start(onStartedLeading, onStoppedLeading);
    }

    @Override
    public boolean isLeader() {
        return elector.isLeader();
    }

    @Override
    public boolean mayWrite() {
        return elector.mayWrite();
    }

    /** The identity this elector campaigns with. */
    public String identity() {
        return elector.identity();
    }

    /** Stops campaigning and releases the Lease when held. Idempotent. */
    @Override
    public void close() {
        elector.close();
    }
}
