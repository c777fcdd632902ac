package io.wdrf.examples.embedded;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.LocalQueueInfo;
import io.wdrf.api.PodSet;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.engine.CycleReport;
import io.wdrf.testkit.Eventually;
import io.wdrf.testkit.FakeKubeApiServer;
import io.wdrf.testkit.KueueObjects;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded controller against the testkit's fake Kubernetes API server, over real HTTP. */
class EmbeddedFairnessTest {

    @Test
    void writesFairPrioritiesToWorkloadsOnTheServer() throws Exception {
        try (FakeKubeApiServer server = FakeKubeApiServer.start()) {
            server.put(KueueObjects.GROUP, "v1beta2", "clusterqueues", null, KueueObjects.clusterQueue(
                    ClusterQueueInfo.of("cq", List.of(ResourceQuota.of("default", "cpu", "8"))), "v1beta2"));
            for (String ns : List.of("ml-research", "interns")) {
                server.put(KueueObjects.GROUP, "v1beta2", "localqueues", ns,
                        KueueObjects.localQueue(new LocalQueueInfo(ns, "q", "cq"), "v1beta2"));
            }
            Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
            Workload research = Workload.builder("ml-research", "train", t0).uid("u-1").queueName("q")
                    .addPodSet(PodSet.of("main", 1, Map.of("cpu", "2"))).build();
            Workload intern = Workload.builder("interns", "train", t0).uid("u-2").queueName("q")
                    .addPodSet(PodSet.of("main", 1, Map.of("cpu", "2"))).build();
            server.put(KueueObjects.GROUP, "v1beta2", "workloads", "ml-research", KueueObjects.workload(research, "v1beta2"));
            server.put(KueueObjects.GROUP, "v1beta2", "workloads", "interns", KueueObjects.workload(intern, "v1beta2"));

            List<CycleReport> reports = new CopyOnWriteArrayList<>();
            try (EmbeddedFairness wdrf = EmbeddedFairness.start(server.url(), reports::add)) {
                Eventually.await(Duration.ofSeconds(20), "both workloads prioritised",
                        () -> priority(server, "ml-research") != null && priority(server, "interns") != null);
            }
            assertThat(reports).isNotEmpty().allSatisfy(r -> assertThat(r.ok()).isTrue());
            // equal usage (none) and equal demand: equal fairness points, so equal priorities
            assertThat(priority(server, "ml-research")).isEqualTo(priority(server, "interns"));
            assertThat(server.patchCount("workloads", "interns", "train")).isEqualTo(1);
        }
    }

    @SuppressWarnings("unchecked")
    private static Integer priority(FakeKubeApiServer server, String ns) {
        return server.get(KueueObjects.GROUP, "v1beta2", "workloads", ns, "train")
                .map(o -> (Map<String, Object>) o.get("spec"))
                .map(spec -> spec.get("priority"))
                .map(p -> ((Number) p).intValue())
                .orElse(null);
    }
}
