package io.wdrf.standalone;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts the shaded jar ({@code target/wdrf-standalone.jar}, built in {@code package}) as a separate process against
 * the testkit's fake API server: priorities are written, {@code /metrics} serves the wdrf_ series, the health check
 * passes, and SIGTERM shuts down gracefully (Lease released).
 */
class StandaloneJarIT {

    private static Path jar() {
        String p = System.getProperty("standalone.jar", "target/wdrf-standalone.jar");
        Path jar = Path.of(p);
        assertThat(jar).as("shaded jar (run 'mvn verify')").exists();
        return jar;
    }

    private static Process start(Path jar, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin"
                + File.separator + "java", "-Xmx256m", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("LOG_LEVEL");
        pb.environment().remove("LOOP_INTERVAL");
        pb.environment().remove("AGING_COEFFICIENT");
        pb.environment().remove("MAX_AGING_TIME");
        pb.environment().remove("KUBECONFIG_PATH");
        return pb.start();
    }

    @Test
    void shadedJarControlsAFakeCluster() throws Exception {
        Path jar = jar();
        Path dir = Files.createTempDirectory("wdrf-it");
        try (FakeCluster cluster = new FakeCluster()) {
            int port = FakeCluster.freePort();
            Path conf = dir.resolve("wdrf.conf");
            Files.writeString(conf, """
                    wdrf {
                      backend = fabric8
                      kube.master-url = "%s"
                      loop-interval = 1s
                      debounce = 100ms
                      http { bind = "127.0.0.1", port = %d }
                      leader-election { identity = jar-replica, lease-duration = 10s, renew-deadline = 6s, retry-period = 500ms }
                    }
                    """.formatted(cluster.url(), port));
            Path log = dir.resolve("wdrf.log");
            Process p = start(jar, log, "run", "--config", conf.toString());
            try {
                FakeCluster.await(Duration.ofSeconds(60), "priorities on the fake server (log: " + log + ")",
                        cluster::allPrioritized);
                assertThat(cluster.explanation(cluster.workloads.get(0).id())).startsWith("wdrf: class=");
                assertThat(cluster.leaseHolder("wdrf-system", "wdrf-controller")).hasValue("jar-replica");

                FakeCluster.await(Duration.ofSeconds(30), "/readyz", () -> {
                    try {
                        return FakeCluster.http(port, "/readyz").statusCode() == 200;
                    } catch (IOException | InterruptedException e) {
                        return false;
                    }
                });
                FakeCluster.await(Duration.ofSeconds(30), "write metrics", () -> {
                    try {
                        return FakeCluster.http(port, "/metrics").body().contains("wdrf_priority_writes_total{outcome=\"written\"} "
                                + cluster.workloads.size() + ".0");
                    } catch (IOException | InterruptedException e) {
                        return false;
                    }
                });
                HttpResponse<String> metrics = FakeCluster.http(port, "/metrics");
                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
                assertThat(metrics.body())
                        .contains("wdrf_cycles_total{result=\"ok\"}")
                        .contains("wdrf_priority_writes_total{outcome=\"written\"} " + cluster.workloads.size() + ".0")
                        .contains("wdrf_workloads_pending{tenant=\"ml-research\"}")
                        .contains("wdrf_tenant_dominant_share{tenant=\"interns\"}")
                        .contains("wdrf_tenant_fair_share{tenant=\"interns\"}")
                        .contains("wdrf_tenant_fair_share_deficit{tenant=\"interns\"}")
                        .contains("wdrf_leader 1.0")
                        .contains("wdrf_ready 1.0")
                        .contains("jvm_memory_used_bytes");
                assertThat(FakeCluster.http(port, "/healthz").statusCode()).isEqualTo(200);

                Process hc = start(jar, dir.resolve("hc.log"), "--health-check", "--config", conf.toString());
                assertThat(hc.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(hc.exitValue()).as(Files.readString(dir.resolve("hc.log"))).isZero();
            } finally {
                p.destroy(); // SIGTERM: the shutdown hook stops the loop, releases the Lease, closes the client
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(output).contains("became leader").contains("shutting down").contains("stopped");
            // released: fabric8 gives the Lease up by renewing it for 1 s (holder cleared or expiring at once)
            Map<?, ?> lease = cluster.leaseSpec("wdrf-system", "wdrf-controller");
            assertThat(!"jar-replica".equals(lease.get("holderIdentity"))
                    || ((Number) lease.get("leaseDurationSeconds")).intValue() <= 1).as(lease.toString()).isTrue();
        }
    }

    @Test
    void shadedJarRejectsInvalidConfigWithExitCode2() throws Exception {
        Path dir = Files.createTempDirectory("wdrf-it");
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "wdrf.aging.coefficient = -1\n");
        Path log = dir.resolve("bad.log");
        Process p = start(jar(), log, "run", "--config", conf.toString());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(Files.readString(log)).contains("wdrf.aging.coefficient: -1.0 must be in [0, 1000]");

        Path demoLog = dir.resolve("demo.log");
        Process demo = start(jar(), demoLog, "demo", "--steps", "3");
        assertThat(demo.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(demo.exitValue()).isZero();
        assertThat(Files.readString(demoLog)).contains("just admitted:").contains("demo finished: 3 steps")
                .doesNotContain("\u001b[");
    }
}
