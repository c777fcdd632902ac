package io.wdrf.standalone;

import io.wdrf.testkit.FakeKubeApiServer;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up at scale within the shipped limits: the shaded jar with the Deployment's memory settings (512 MiB limit,
 * {@code -XX:MaxRAMPercentage=50} of it as heap, {@code -XX:+ExitOnOutOfMemoryError}) against a fake API server
 * holding N Workloads, M Nodes and running Pods; measures the time to the first finished cycle (readiness) and the
 * peak resident set (VmHWM). Hard assertions: the process survives, becomes ready, and its peak RSS stays below the
 * 512 MiB limit.
 *
 * <p>CI size: 5,000 Workloads, 1,000 Nodes, 2,000 Pods. The size:
 * {@code mvn -pl wdrf-standalone -am verify -Dit.test=ScaleIT -Dwdrf.scale.workloads=100000 -Dwdrf.scale.nodes=5000
 * -Dwdrf.scale.pods=20000}.
 */
class ScaleIT {

    private static final String KUEUE = "/apis/kueue.x-k8s.io/v1beta2";

    private static long vmHwmKiB(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    @Test
    void startsUpWithinTheShippedMemoryLimit() throws Exception {
        int workloads = Integer.getInteger("wdrf.scale.workloads", 5_000);
        int nodes = Integer.getInteger("wdrf.scale.nodes", 1_000);
        int pods = Integer.getInteger("wdrf.scale.pods", 2_000);
        int tenants = 50;
        Random rnd = new Random(42);
        try (FakeKubeApiServer server = FakeKubeApiServer.builder().historyLimit(1000).start()) {
            server.put(KUEUE + "/resourceflavors", Map.of("metadata", Map.of("name", "default")));
            for (int t = 0; t < tenants; t++) {
                String ns = "team-" + t;
                server.put("/api/v1/namespaces", Map.of("metadata", Map.of("name", ns)));
                server.put(KUEUE + "/clusterqueues", Map.of("metadata", Map.of("name", "cq-" + t), "spec", Map.of(
                        "cohortName", "all", "namespaceSelector", Map.of(), "resourceGroups", List.of(Map.of(
                                "coveredResources", List.of("cpu", "memory", "nvidia.com/gpu"), "flavors", List.of(Map.of(
                                        "name", "default", "resources", List.of(
                                                Map.of("name", "cpu", "nominalQuota", "6400"),
                                                Map.of("name", "memory", "nominalQuota", "25600Gi"),
                                                Map.of("name", "nvidia.com/gpu", "nominalQuota", "800")))))))));
                server.put(KUEUE + "/localqueues", Map.of("metadata", Map.of("name", "lq", "namespace", ns),
                        "spec", Map.of("clusterQueue", "cq-" + t)));
            }
            for (int n = 0; n < nodes; n++) {
                server.put("/api/v1/nodes", Map.of("metadata", Map.of("name", "node-" + n, "labels",
                        Map.of("kubernetes.io/hostname", "node-" + n)), "status", Map.of("allocatable", Map.of(
                        "cpu", "64", "memory", "256Gi", "nvidia.com/gpu", "8", "pods", "110"), "conditions",
                        List.of(Map.of("type", "Ready", "status", "True")))));
            }
            for (int p = 0; p < pods; p++) {
                Map<String, Object> container = Map.of("name", "c", "resources",
                        Map.of("requests", Map.of("cpu", "2", "memory", "8Gi")));
                Map<String, Object> spec = Map.of("nodeName", "node-" + (p % nodes), "containers", List.of(container));
                server.put("/api/v1/pods", Map.of("metadata", Map.of("name", "pod-" + p, "namespace",
                        "team-" + (p % tenants), "labels", Map.of("app", "x")), "spec", spec,
                        "status", Map.of("phase", "Running")));
            }
            for (int w = 0; w < workloads; w++) {
                String ns = "team-" + rnd.nextInt(tenants);
                Map<String, Object> requests = Map.of("cpu", Integer.toString(1 + rnd.nextInt(8)),
                        "memory", (1 + rnd.nextInt(32)) + "Gi", "nvidia.com/gpu", Integer.toString(rnd.nextInt(3)));
                Map<String, Object> container = Map.of("name", "c", "resources", Map.of("requests", requests));
                Map<String, Object> podSet = Map.of("name", "main", "count", 1 + rnd.nextInt(4), "template",
                        Map.of("spec", Map.of("containers", List.of(container))));
                server.put(KUEUE + "/workloads", Map.of("metadata", Map.of("name", "wl-" + w, "namespace", ns),
                        "spec", Map.of("queueName", "lq", "podSets", List.of(podSet))));
            }
            Path dir = Files.createTempDirectory("wdrf-scale");
            int port = FakeCluster.freePort();
            Path conf = dir.resolve("wdrf.conf");
            Files.writeString(conf, """
                    wdrf {
                      backend = fabric8
                      kube.master-url = "%s"
                      dry-run = true
                      log-level = WARN
                      http { bind = "127.0.0.1", port = %d }
                      leader-election.enabled = false
                    }
                    """.formatted(server.url(), port));
            Path jar = Path.of(System.getProperty("standalone.jar", "target/wdrf-standalone.jar"));
            // the Deployment's limits: 512 MiB, heap 50 % of it, exit on OOM (as in deploy/kubernetes/deployment.yaml)
            List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin"
                    + File.separator + "java", "-XX:MaxRAM=512m", "-XX:MaxRAMPercentage=50",
                    "-XX:+ExitOnOutOfMemoryError", "-jar", jar.toString(), "run", "--config", conf.toString()));
            Path log = dir.resolve("wdrf.log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            for (String v : List.of("LOG_LEVEL", "LOOP_INTERVAL", "KUBECONFIG_PATH", "JAVA_TOOL_OPTIONS")) {
                pb.environment().remove(v);
            }
            long t0 = System.nanoTime();
            Process proc = pb.start();
            long peak = 0;
            try {
                boolean ready = false;
                long deadline = t0 + TimeUnit.MINUTES.toNanos(10);
                while (System.nanoTime() < deadline && proc.isAlive()) {
                    peak = Math.max(peak, vmHwmKiB(proc.pid()));
                    try {
                        if (FakeCluster.http(port, "/readyz").statusCode() == 200) {
                            ready = true;
                            break;
                        }
                    } catch (java.io.IOException e) {
                        // not listening yet
                    }
                    Thread.sleep(250);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                peak = Math.max(peak, vmHwmKiB(proc.pid()));
                System.out.printf("scale: workloads=%d nodes=%d pods=%d ready=%s after %.1f s, peak RSS %.0f MiB "
                        + "(limit 512 MiB), paged lists=%d%n", workloads, nodes, pods, ready, seconds, peak / 1024.0,
                        server.pagedLists());
                assertThat(proc.isAlive()).as("alive (log " + log + ")").isTrue();
                assertThat(ready).as("ready within 10 minutes (log " + log + ")").isTrue();
                assertThat(peak).as("peak RSS KiB").isLessThan(512 * 1024);
                assertThat(server.pagedLists()).as("initial lists were paged").isGreaterThan(workloads / 500);
            } finally {
                proc.destroy();
                proc.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
