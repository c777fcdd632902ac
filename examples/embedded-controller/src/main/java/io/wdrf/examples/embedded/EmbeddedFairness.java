package io.wdrf.examples.embedded;

import io.wdrf.api.PolicyConfig;
import io.wdrf.backend.fabric8.Fabric8Backend;
import io.wdrf.engine.CycleReport;
import io.wdrf.engine.Reconciler;
import io.wdrf.engine.ReconcilerSettings;
import io.wdrf.engine.WdrfEngine;
import io.wdrf.hami.HamiDemandModel;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * WDRF inside another Java program (an operator, a platform service): the fabric8 backend as view and writer,
 * HAMi GPU accounting, weighted tenants, and a listener that receives every cycle's report.
 *
 * <pre>{@code
 * try (EmbeddedFairness wdrf = EmbeddedFairness.start("https://my-apiserver:6443", r -> log(r))) {
 *     ... // your program runs; WDRF keeps Kueue priorities fair in the background
 * }
 * }</pre>
 *
 * Run against the cluster of your kubeconfig: {@code java -cp ... io.wdrf.examples.embedded.EmbeddedFairness}.
 */
public final class EmbeddedFairness implements AutoCloseable {

    private final Fabric8Backend backend;
    private final Reconciler reconciler;

    private EmbeddedFairness(Fabric8Backend backend, Reconciler reconciler) {
        this.backend = backend;
        this.reconciler = reconciler;
    }

    /**
     * Connects (empty URL = kubeconfig / in-cluster), waits for the initial lists and starts the loop.
     *
     * @param masterUrl API server URL, or empty for auto-configuration
     * @param reports   receives every cycle report
     */
    public static EmbeddedFairness start(String masterUrl, Consumer<CycleReport> reports) throws InterruptedException {
        Fabric8Backend.Builder b = Fabric8Backend.builder().clock(Clock.systemUTC());
        if (!masterUrl.isEmpty()) {
            // a plain-HTTP test server serves watches as chunked HTTP, not WebSockets
            b.masterUrl(masterUrl).onlyHttpWatches(masterUrl.startsWith("http://"));
        }
        Fabric8Backend backend = b.build().start();
        if (!backend.awaitSynced(Duration.ofSeconds(60))) {
            backend.close();
            throw new IllegalStateException("the API server did not answer the initial lists within 60 s");
        }
        WdrfEngine engine = WdrfEngine.builder()
                .config(PolicyConfig.builder()
                        .tenantWeights(Map.of("ml-research", 2.0))   // this team paid for twice the share
                        .resourceWeights(Map.of("memory", 0.5))      // memory counts half in the dominant share
                        .build())
                .demandModel(new HamiDemandModel())                  // physical GPU fractions, not vGPU slots
                .build();
        Reconciler reconciler = Reconciler.builder(backend, backend, engine)
                .settings(ReconcilerSettings.defaults().withIntervals(Duration.ofSeconds(30), Duration.ofSeconds(1)))
                .listener(reports::accept)
                .build();
        reconciler.start();
        return new EmbeddedFairness(backend, reconciler);
    }

    /** Stops the loop, then the backend (the order the reconciler needs: it still reads the view while draining). */
    @Override
    public void close() {
        reconciler.close();
        backend.close();
    }

    public static void main(String[] args) throws Exception {
        try (EmbeddedFairness wdrf = start(args.length > 0 ? args[0] : "", r -> System.out.printf(
                "cycle: %d pending, %d updates, %d invalid%s%n", r.pending(), r.updates().size(), r.invalid().size(),
                r.ok() ? "" : " ERROR " + r.error()))) {
            Thread.currentThread().join();
        }
    }
}
