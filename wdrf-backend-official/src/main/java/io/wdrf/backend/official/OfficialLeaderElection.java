package io.wdrf.backend.official;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseList;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.wdrf.backend.common.LeaderElection;
import io.wdrf.backend.common.LeaseElector;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * {@link LeaderElection} on a {@code coordination.k8s.io/v1} Lease for client-java 27 (whose
 * {@code client-java-extended} elector is not published): the shared {@link LeaseElector} (skew-tolerant expiry
 * measured on the local monotonic clock, bounded requests, a write fence in {@link #mayWrite()}) over client-java's
 * generic API. Every write is an update carrying the read resourceVersion (the loser of a race gets 409).
 */
public final class OfficialLeaderElection implements LeaderElection {

    private final LeaseElector elector;

    /**
     * @param apiClient     client (any read timeout: each request is also bounded by the elector)
     * @param namespace     Lease namespace
     * @param name          Lease name, e.g. {@code wdrf-leader}
     * @param identity      this candidate's identity (pod name)
     * @param leaseDuration validity of a Lease without renewal (e.g. 15 s)
     * @param renewDeadline how long a leader may go without a successful renewal (&lt; leaseDuration)
     * @param retryPeriod   time between attempts (e.g. 2 s)
     * @param clock         time source for the Lease timestamps written (informational)
     */
    public OfficialLeaderElection(ApiClient apiClient, String namespace, String name, String identity,
                                  Duration leaseDuration, Duration renewDeadline, Duration retryPeriod, Clock clock) {
        this(apiClient, namespace, name, identity, leaseDuration, renewDeadline, retryPeriod, clock, System::nanoTime);
    }

    OfficialLeaderElection(ApiClient apiClient, String namespace, String name, String identity,
                           Duration leaseDuration, Duration renewDeadline, Duration retryPeriod, Clock clock,
                           LongSupplier ticker) {
        Objects.requireNonNull(apiClient, "apiClient");
        this.elector = new LeaseElector(new Client(apiClient, Objects.requireNonNull(namespace, "namespace"),
                Objects.requireNonNull(name, "name")), namespace + "/" + name, identity, leaseDuration, renewDeadline,
                retryPeriod, clock, ticker);
    }

    /** client-java's generic API as the elector's three requests. */
    private static final class Client implements LeaseElector.LeaseClient {
        private final GenericKubernetesApi<V1Lease, V1LeaseList> leases;
        private final String namespace;
        private final String name;

        Client(ApiClient api, String namespace, String name) {
            this.leases = new GenericKubernetesApi<>(V1Lease.class, V1LeaseList.class, "coordination.k8s.io", "v1",
                    "leases", api);
            this.namespace = namespace;
            this.name = name;
        }

        @Override
        public LeaseElector.Record get() {
            KubernetesApiResponse<V1Lease> r = leases.get(namespace, name);
            if (r.getHttpStatusCode() == 404) {
                return null;
            }
            return record(check(r, "get"));
        }

        @Override
        public LeaseElector.Record create(LeaseElector.Record rec) {
            V1Lease lease = new V1Lease().apiVersion("coordination.k8s.io/v1").kind("Lease")
                    .metadata(new V1ObjectMeta().namespace(namespace).name(name)).spec(spec(rec));
            KubernetesApiResponse<V1Lease> r = leases.create(lease);
            return r.getHttpStatusCode() == 409 ? null : record(check(r, "create"));
        }

        @Override
        public LeaseElector.Record update(LeaseElector.Record rec) {
            V1Lease lease = new V1Lease().apiVersion("coordination.k8s.io/v1").kind("Lease")
                    .metadata(new V1ObjectMeta().namespace(namespace).name(name)
                            .resourceVersion(rec.resourceVersion()))
                    .spec(spec(rec));
            KubernetesApiResponse<V1Lease> r = leases.update(lease);
            return r.getHttpStatusCode() == 409 ? null : record(check(r, "update"));
        }

        private static V1Lease check(KubernetesApiResponse<V1Lease> r, String verb) {
            if (!r.isSuccess() || r.getObject() == null) {
                throw new IllegalStateException("Lease " + verb + " answered HTTP " + r.getHttpStatusCode());
            }
            return r.getObject();
        }

        private static V1LeaseSpec spec(LeaseElector.Record rec) {
            return new V1LeaseSpec().holderIdentity(rec.holder().isEmpty() ? null : rec.holder())
                    .leaseDurationSeconds(rec.leaseDurationSeconds())
                    .acquireTime(time(rec.acquireTime())).renewTime(time(rec.renewTime()))
                    .leaseTransitions(rec.transitions());
        }

        private static OffsetDateTime time(Instant i) {
            return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
        }

        private static LeaseElector.Record record(V1Lease l) {
            V1LeaseSpec s = l.getSpec() == null ? new V1LeaseSpec() : l.getSpec();
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

    /** Sets the callbacks without starting the background thread (tests drive {@link #tick()} themselves). */
    void bind(Runnable onStartedLeading, Runnable onStoppedLeading) {
        elector.bind(onStartedLeading, onStoppedLeading);
    }

    /** One round: acquire or renew, and step down when the fence has closed. */
    void tick() {
        elector.tick();
    }

    @Override
    public boolean isLeader() {
        return elector.isLeader();
    }

    @Override
    public boolean mayWrite() {
        return elector.mayWrite();
    }

    /** Stops campaigning; when leading, clears the holder so a standby can take over at once. Idempotent. */
    @Override
    public void close() {
        elector.close();
    }
}
