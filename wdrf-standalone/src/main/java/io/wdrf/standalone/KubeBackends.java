package io.wdrf.standalone;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.wdrf.backend.common.BackendConfig;
import io.wdrf.backend.common.LeaderElection;
import io.wdrf.backend.fabric8.Fabric8Backend;
import io.wdrf.backend.fabric8.Fabric8LeaderElection;
import io.wdrf.backend.official.OfficialBackend;
import io.wdrf.backend.official.OfficialLeaderElection;

import java.time.Clock;

/** The Kubernetes backends ({@code fabric8}, {@code official}) as Guice modules. */
final class KubeBackends {

    private KubeBackends() {
    }

    /** Backend settings shared by both clients. */
    static BackendConfig backendConfig(Settings s) {
        return ConfigLoader.mapped(() -> BackendConfig.defaults()
                .withKueueApiVersion(s.kube().kueueApiVersion())
                .withTarget(s.reconciler().target())
                .withRateLimit(s.qps(), s.burst())
                .withNamespaces(s.kube().namespaces())
                .withWatchPods(s.hami() != null));
    }

    /** Page size of the informers' initial lists. */
    static final int LIST_PAGE_SIZE = 500;

    /** Whether this replica takes part in leader election: enabled and not a dry run (a dry run never campaigns). */
    static boolean campaigns(Settings s) {
        return s.leader().enabled() && !s.reconciler().dryRun();
    }

    /** {@code wdrf/<identity>}: audit logs tell which replica sent a request. */
    static String userAgent(Settings s) {
        return "wdrf/" + s.leader().identity();
    }

    /**
     * The backend's own write fence (checked before every PATCH attempt and Event, retries included): closed in a dry
     * run; the elector's fence with election; open without it.
     */
    static java.util.function.BooleanSupplier fence(Settings s, LeaderElection election) {
        if (s.reconciler().dryRun()) {
            return () -> false;
        }
        return election == null ? () -> true : election::mayWrite;
    }

    /** The fabric8 kubernetes-client backend with a Lease elector on the same client. */
    static Backend fabric8(Settings s, Clock clock) {
        Fabric8Backend.Builder b = Fabric8Backend.builder().config(backendConfig(s)).clock(clock)
                // plain HTTP watch streams work against every API server (and the testkit's fake one)
                .onlyHttpWatches(true)
                // initial lists in pages (limit/continue): one response stays small at 100k Workloads
                .listPageSize(LIST_PAGE_SIZE)
                .userAgent(userAgent(s));
        if (s.kube().masterUrl() != null) {
            b.masterUrl(s.kube().masterUrl().toString());
        } else if (s.kube().kubeconfig() != null) {
            b.kubeconfig(s.kube().kubeconfig().toString());
        }
        Fabric8Backend backend = b.build().start();
        LeaderElection election = null;
        if (campaigns(s)) {
            Settings.Leader l = s.leader();
            election = new Fabric8LeaderElection(backend.client(), l.leaseNamespace(), l.leaseName(), l.identity(),
                    l.leaseDuration(), l.renewDeadline(), l.retryPeriod());
        }
        backend.writeFence(fence(s, election));
        return new Backend("fabric8", backend, backend, election, null);
    }

    /** The official Kubernetes client-java backend. */
    static Backend official(Settings s, Clock clock) {
        OfficialBackend.Builder b = OfficialBackend.builder().config(backendConfig(s)).clock(clock)
                // initial lists in pages (limit/continue), as fabric8's
                .listPageSize(LIST_PAGE_SIZE)
                .userAgent(userAgent(s));
        if (s.kube().masterUrl() != null) {
            b.basePath(s.kube().masterUrl().toString());
        } else if (s.kube().kubeconfig() != null) {
            b.kubeconfig(s.kube().kubeconfig());
        }
        OfficialBackend backend = b.build().start();
        LeaderElection election = null;
        if (campaigns(s)) {
            Settings.Leader l = s.leader();
            election = ConfigLoader.mapped(() -> new OfficialLeaderElection(backend.apiClient(), l.leaseNamespace(),
                    l.leaseName(), l.identity(), l.leaseDuration(), l.renewDeadline(), l.retryPeriod(), clock));
        }
        backend.writeFence(fence(s, election));
        return new Backend("official", backend, backend, election, null);
    }

    /** Guice module of the fabric8 backend. */
    static final class Fabric8Module extends AbstractModule {
        @Provides
        @Singleton
        Backend backend(Settings s, Clock clock) {
            return fabric8(s, clock);
        }
    }

    /** Guice module of the client-java backend. */
    static final class OfficialModule extends AbstractModule {
        @Provides
        @Singleton
        Backend backend(Settings s, Clock clock) {
            return official(s, clock);
        }
    }
}
