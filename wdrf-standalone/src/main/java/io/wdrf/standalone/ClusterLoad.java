package io.wdrf.standalone;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.ClusterView;
import io.wdrf.api.DemandModel;
import io.wdrf.backend.common.BackendConfig;
import io.wdrf.backend.fabric8.Fabric8Backend;
import io.wdrf.backend.official.OfficialBackend;
import io.wdrf.engine.KueueDemandModel;
import io.wdrf.engine.WdrfEngine;
import io.wdrf.hami.HamiDemandModel;

import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One read-only snapshot for the inspection commands ({@code explain}, {@code queue}, {@code shares}): the demo
 * scenario for backend {@code memory}; otherwise the configured Kubernetes backend started once — after a quick
 * reachability check of the API server — without leader election, without the pod watch (pods only feed the GPU
 * gauges), waited for its first list, read once and closed. Nothing is ever written.
 */
final class ClusterLoad implements AutoCloseable {

    /** How long the reachability check of the API server may take. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    /** No API server answered; the message is one line for the user. */
    static final class Unreachable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreachable(String message) {
            super(message);
        }
    }

    /** The API server a backend would use, and where that came from. */
    record ApiServer(URI url, String source) {
    }

    final ClusterSnapshot snapshot;
    final WdrfEngine engine;
    final String source;
    private final AutoCloseable resource;

    private ClusterLoad(ClusterSnapshot snapshot, WdrfEngine engine, String source, AutoCloseable resource) {
        this.snapshot = snapshot;
        this.engine = engine;
        this.source = source;
        this.resource = resource;
    }

    /**
     * Loads a snapshot.
     *
     * @throws Unreachable when no API server answered within {@link #PROBE_TIMEOUT}
     */
    static ClusterLoad load(Settings s, PrintStream err, String command, Duration syncTimeout)
            throws InterruptedException, Unreachable {
        if (s.backend().equals("memory")) {
            Demo demo = new Demo(s, new Demo.Options(Explain.DEMO_WARMUP_STEPS, Duration.ofMinutes(10), false, 0),
                    new PrintStream(OutputStream.nullOutputStream()));
            Demo.State state = demo.runSteps();
            return new ClusterLoad(state.cluster().snapshot(), state.engine(), "demo scenario after "
                    + Demo.human(Duration.ofMinutes(10L * (Explain.DEMO_WARMUP_STEPS - 1))) + " of simulated time",
                    state.cluster());
        }
        ApiServer api = apiServer(s);
        probe(api);
        BackendConfig cfg = KubeBackends.backendConfig(s).withWatchPods(false);
        ClusterView view;
        AutoCloseable closer;
        if (s.backend().equals("official")) {
            OfficialBackend.Builder b = OfficialBackend.builder().config(cfg).clock(Clock.systemUTC());
            if (s.kube().masterUrl() != null) {
                b.basePath(s.kube().masterUrl().toString());
            } else if (s.kube().kubeconfig() != null) {
                b.kubeconfig(s.kube().kubeconfig());
            }
            OfficialBackend backend = b.build().start();
            view = backend;
            closer = backend;
        } else {
            Fabric8Backend.Builder b = Fabric8Backend.builder().config(cfg).clock(Clock.systemUTC())
                    .onlyHttpWatches(true);
            if (s.kube().masterUrl() != null) {
                b.masterUrl(s.kube().masterUrl().toString());
            } else if (s.kube().kubeconfig() != null) {
                b.kubeconfig(s.kube().kubeconfig().toString());
            }
            Fabric8Backend backend = b.build().start();
            view = backend;
            closer = backend;
        }
        try {
            long deadline = System.nanoTime() + syncTimeout.toNanos();
            while (!view.hasSynced() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (!view.hasSynced()) {
                err.println(command + ": the " + s.backend() + " backend did not finish listing from " + api.url()
                        + " within " + syncTimeout.toSeconds() + "s (RBAC or a missing Kueue CRD?); the answer may be"
                        + " incomplete");
            }
            return new ClusterLoad(view.snapshot(), engine(s), s.backend() + " backend, " + api.url(), closer);
        } catch (RuntimeException | InterruptedException e) {
            closeQuietly(closer);
            throw e;
        }
    }

    /** The engine as the controller builds it (policy, plugins, demand model), on the system clock. */
    static WdrfEngine engine(Settings s) {
        DemandModel demand = s.hami() != null ? new HamiDemandModel(s.hami()) : new KueueDemandModel();
        PluginLoader plugins = PluginLoader.of(s.pluginPath(), ClusterLoad.class.getClassLoader());
        return ConfigLoader.mapped(() -> WdrfEngine.builder().config(s.policyConfig()).policy(s.policy())
                .classLoader(plugins.classLoader()).demandModel(demand).clock(Clock.systemUTC()).build());
    }

    /**
     * The API server URL the backend will use: {@code wdrf.kube.master-url}, else the current context of
     * {@code wdrf.kube.kubeconfig}, else the usual auto-configuration ({@code $KUBECONFIG}, {@code ~/.kube/config},
     * in-cluster service account).
     */
    static ApiServer apiServer(Settings s) {
        if (s.kube().masterUrl() != null) {
            return new ApiServer(s.kube().masterUrl(), "wdrf.kube.master-url");
        }
        io.fabric8.kubernetes.client.Config c;
        String from;
        if (s.kube().kubeconfig() != null) {
            c = io.fabric8.kubernetes.client.Config.fromKubeconfig(new File(s.kube().kubeconfig().toString()));
            from = "kubeconfig " + s.kube().kubeconfig();
        } else {
            c = io.fabric8.kubernetes.client.Config.autoConfigure(null);
            from = System.getenv("KUBERNETES_SERVICE_HOST") != null ? "in-cluster configuration"
                    : System.getenv("KUBECONFIG") != null ? "$KUBECONFIG" : "~/.kube/config";
        }
        if (c.getCurrentContext() != null && c.getCurrentContext().getName() != null) {
            from += ", context " + c.getCurrentContext().getName();
        }
        String url = c.getMasterUrl() == null ? "https://kubernetes.default.svc" : c.getMasterUrl();
        return new ApiServer(URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url), from);
    }

    /** TCP reachability of the API server, bounded by {@link #PROBE_TIMEOUT} including name resolution. */
    static void probe(ApiServer api) throws Unreachable, InterruptedException {
        URI u = api.url();
        int port = u.getPort() > 0 ? u.getPort() : "http".equals(u.getScheme()) ? 80 : 443;
        CompletableFuture<Void> f = CompletableFuture.runAsync(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(u.getHost(), port), (int) PROBE_TIMEOUT.toMillis());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String why;
        try {
            f.get(PROBE_TIMEOUT.toMillis() + 200, TimeUnit.MILLISECONDS);
            return;
        } catch (ExecutionException e) {
            Throwable c = e.getCause() instanceof java.io.UncheckedIOException io ? io.getCause() : e.getCause();
            why = c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
        } catch (TimeoutException e) {
            f.cancel(true);
            why = "no answer within " + PROBE_TIMEOUT.toSeconds() + "s";
        }
        throw new Unreachable("no API server was reachable at " + u + " (from " + api.source() + "; " + why
                + "); to try WDRF without a cluster, add --backend memory");
    }

    @Override
    public void close() {
        closeQuietly(resource);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // read-only: nothing to lose
        }
    }
}
