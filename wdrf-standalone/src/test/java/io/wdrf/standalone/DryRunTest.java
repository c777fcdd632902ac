package io.wdrf.standalone;

import com.google.inject.Injector;
import com.typesafe.config.ConfigFactory;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wdrf.testkit.RecordedRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --dry-run} writes nothing, proven by the fake API server's request log: no Lease (never campaigns, holds or
 * renews), no Event, no patch, no annotation — zero requests other than GET — on both Kubernetes backends, for the
 * loop and for {@code --once}; and a dry-run replica does not keep the real controller from leading.
 */
class DryRunTest {

    private static Settings settings(String backend, String url, String identity, boolean dryRun) {
        return ConfigLoader.settings(ConfigLoader.load(null, Map.of(), Map.of(), ConfigFactory.parseString("""
                wdrf {
                  backend = %s
                  kube.master-url = "%s"
                  loop-interval = 300ms
                  debounce = 50ms
                  dry-run = %s
                  leader-election { identity = %s, lease-duration = 3s, renew-deadline = 2s, retry-period = 200ms }
                }
                """.formatted(backend, url, dryRun, identity)), DryRunTest.class.getClassLoader()), Map.of());
    }

    private static List<RecordedRequest> nonGets(FakeCluster cluster) {
        return cluster.server().requests().stream().filter(r -> !r.method().equals("GET")).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"fabric8", "official"})
    void theLoopInDryRunSendsOnlyGets(String backend) throws Exception {
        try (FakeCluster cluster = new FakeCluster()) {
            cluster.server().clearRequests();
            Injector in = Wiring.injector(settings(backend, cluster.url(), "dry", true));
            Controller c = in.getInstance(Controller.class);
            PrometheusMeterRegistry r = in.getInstance(PrometheusMeterRegistry.class);
            try {
                c.start(false);
                // several cycles that would write every workload (none is prioritised yet) and record Events
                FakeCluster.await(Duration.ofSeconds(30), "three dry-run cycles",
                        () -> r.scrape().matches("(?s).*wdrf_cycles_total\\{result=\"ok\"} ([3-9]|[1-9][0-9]+)\\.0.*"));
                assertThat(r.scrape()).contains("wdrf_leader 0.0");
            } finally {
                c.close();
            }
            assertThat(nonGets(cluster)).as("requests other than GET").isEmpty();
            assertThat(cluster.leaseHolder("wdrf-system", "wdrf-controller")).as("no Lease created").isEmpty();
            assertThat(cluster.workloadPatches()).isZero();
            assertThat(cluster.server().requests()).as("it did read the cluster").isNotEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fabric8", "official"})
    void onceInDryRunSendsOnlyGets(String backend) throws Exception {
        try (FakeCluster cluster = new FakeCluster()) {
            cluster.server().clearRequests();
            Path conf = Files.createTempFile("dry", ".conf");
            Files.writeString(conf, """
                    wdrf {
                      backend = %s
                      kube.master-url = "%s"
                      leader-election { identity = dry-once, lease-duration = 2s, renew-deadline = 1500ms, retry-period = 250ms }
                    }
                    """.formatted(backend, cluster.url()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = Main.run(new String[]{"run", "--once", "--dry-run", "--config", conf.toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()),
                    Map.of(), false);
            assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("cycle ok").contains("dry-run=true");
            assertThat(nonGets(cluster)).as("requests other than GET").isEmpty();
        }
    }

    @org.junit.jupiter.api.Test
    void aDryRunReplicaDoesNotBlockTheRealController() throws Exception {
        try (FakeCluster cluster = new FakeCluster()) {
            Controller dry = Wiring.injector(settings("fabric8", cluster.url(), "dry", true)).getInstance(Controller.class);
            dry.start(false);
            Controller real = Wiring.injector(settings("fabric8", cluster.url(), "real", false))
                    .getInstance(Controller.class);
            try {
                real.start(false);
                FakeCluster.await(Duration.ofSeconds(30), "the real controller leads and writes",
                        cluster::allPrioritized);
                assertThat(cluster.leaseHolder("wdrf-system", "wdrf-controller")).hasValue("real");
            } finally {
                real.close();
                dry.close();
            }
        }
    }
}
