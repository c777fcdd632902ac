package io.wdrf.standalone;

import com.typesafe.config.ConfigFactory;
import com.google.inject.Injector;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Two controllers (fabric8 backend, real Lease) on one fake API server: only the leader writes. */
class TwoReplicasTest {

    private static Settings settings(String url, String identity) {
        return ConfigLoader.settings(ConfigLoader.load(null, Map.of(), Map.of(), ConfigFactory.parseString("""
                wdrf {
                  backend = fabric8
                  kube.master-url = "%s"
                  loop-interval = 500ms
                  debounce = 100ms
                  http { bind = "127.0.0.1", port = 0 }
                  leader-election { identity = %s, lease-duration = 15s, renew-deadline = 10s, retry-period = 500ms }
                }
                """.formatted(url, identity)), TwoReplicasTest.class.getClassLoader()), Map.of());
    }

    private static double written(PrometheusMeterRegistry r) {
        Matcher m = Pattern.compile("wdrf_priority_writes_total\\{outcome=\"written\"} ([0-9.]+)").matcher(r.scrape());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static String wdrfLines(PrometheusMeterRegistry r) {
        return r.scrape().lines().filter(l -> l.startsWith("wdrf_")).collect(java.util.stream.Collectors.joining("\n"));
    }

    @Test
    void onlyTheLeaseHolderWritesAndTheStandbyTakesOver() throws Exception {
        try (FakeCluster cluster = new FakeCluster()) {
            Injector ia = Wiring.injector(settings(cluster.url(), "replica-a"));
            Controller a = ia.getInstance(Controller.class);
            PrometheusMeterRegistry ra = ia.getInstance(PrometheusMeterRegistry.class);
            a.start(false);
            FakeCluster.await(Duration.ofSeconds(30), "replica-a holds the Lease",
                    () -> cluster.leaseHolder("wdrf-system", "wdrf-controller").orElse("").equals("replica-a"));

            Injector ib = Wiring.injector(settings(cluster.url(), "replica-b"));
            Controller b = ib.getInstance(Controller.class);
            PrometheusMeterRegistry rb = ib.getInstance(PrometheusMeterRegistry.class);
            b.start(false);
            try {
                FakeCluster.await(Duration.ofSeconds(30), "all pending workloads prioritised", cluster::allPrioritized);
                FakeCluster.await(Duration.ofSeconds(10), "replica-b ran cycles",
                        () -> rb.scrape().matches("(?s).*wdrf_cycles_total\\{result=\"ok\"} [1-9].*"));
                // metrics are recorded when the cycle (writes, then events) completes
                FakeCluster.await(Duration.ofSeconds(60), "leader's write metrics", () -> written(ra) > 0);
                assertThat(written(ra)).as(() -> wdrfLines(ra) + "\n---\n" + wdrfLines(rb)).isEqualTo(cluster.workloads.size());
                assertThat(written(rb)).isZero();
                assertThat(cluster.workloadPatches()).isEqualTo(cluster.workloads.size());
                assertThat(rb.scrape()).contains("wdrf_leader 0.0");
                System.out.println("leader cycles:\n" + wdrfLines(ra).lines().filter(l -> l.contains("cycle_duration"))
                        .collect(java.util.stream.Collectors.joining("\n")));
                assertThat(ra.scrape()).contains("wdrf_leader 1.0");
                assertThat(cluster.leaseHolder("wdrf-system", "wdrf-controller")).hasValue("replica-a");

                // the leader shuts down and releases the Lease; the standby takes over and writes new work
                a.close();
                FakeCluster.await(Duration.ofSeconds(30), "replica-b holds the Lease",
                        () -> cluster.leaseHolder("wdrf-system", "wdrf-controller").orElse("").equals("replica-b"));
                WorkloadId late = new WorkloadId("vision", "late-arrival");
                Workload w = new DemoScenario.Job(late.namespace(), late.name(), Duration.ZERO, Duration.ofMinutes(5), 1,
                        "1", "1Gi", 1, 0, 0, null).toWorkload(Instant.parse("2026-01-05T10:00:00Z"));
                cluster.fixture.upsert(w);
                FakeCluster.await(Duration.ofSeconds(30), "replica-b writes the new workload",
                        () -> cluster.priority(late) != null);
                FakeCluster.await(Duration.ofSeconds(60), "replica-b's write metrics", () -> written(rb) > 0);
                assertThat(rb.scrape()).contains("wdrf_leader 1.0");
            } finally {
                a.close();
                b.close();
            }
        }
    }

    @Test
    void officialBackendRunsOnceAgainstTheFakeServer() throws Exception {
        try (FakeCluster cluster = new FakeCluster()) {
            java.nio.file.Path conf = java.nio.file.Files.createTempFile("official", ".conf");
            java.nio.file.Files.writeString(conf, """
                    wdrf {
                      backend = official
                      kube.master-url = "%s"
                      leader-election { identity = official-once, lease-duration = 2s, renew-deadline = 1500ms, retry-period = 250ms }
                    }
                    """.formatted(cluster.url()));
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            int code = Main.run(new String[]{"run", "--once", "--config", conf.toString()},
                    new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                    new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8), Map.of(), false);
            String o = out.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(code).as(o + err.toString(java.nio.charset.StandardCharsets.UTF_8)).isZero();
            assertThat(o).contains("cycle ok").contains("pending=" + cluster.workloads.size())
                    .contains("written=" + cluster.workloads.size()).contains("leader=true");
            assertThat(cluster.allPrioritized()).isTrue();
        }
    }
}
