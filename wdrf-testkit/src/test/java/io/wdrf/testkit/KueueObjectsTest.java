package io.wdrf.testkit;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.Quantity;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KueueObjectsTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    @Test
    void pendingWorkloadV1beta2() {
        Map<String, Object> o = Json.copyMap(KueueObjects.workload(KitScenario.PENDING));
        assertThat(o).containsEntry("apiVersion", "kueue.x-k8s.io/v1beta2").containsEntry("kind", "Workload");
        assertThat(map(o.get("metadata"))).containsEntry("name", "train-pending").containsEntry("namespace", "team-a")
                .containsEntry("creationTimestamp", "2026-03-01T10:00:00Z").doesNotContainKey("uid");
        assertThat(map(map(o.get("metadata")).get("annotations")))
                .isEqualTo(Map.of("note", "hello", "kueue.x-k8s.io/priority-boost", "3"));
        Map<String, Object> spec = map(o.get("spec"));
        assertThat(spec).containsEntry("queueName", "lq-a").containsEntry("priority", 10).containsEntry("active", true)
                .containsEntry("priorityClassRef", Map.of("group", "kueue.x-k8s.io", "kind", "WorkloadPriorityClass",
                        "name", "high"))
                .doesNotContainKey("priorityClassName");
        Map<String, Object> ps = map(list(spec.get("podSets")).get(0));
        assertThat(ps).containsEntry("name", "main").containsEntry("count", 2).containsEntry("minCount", 1);
        assertThat(Json.at(ps, "template", "metadata", "annotations")).isEqualTo(Map.of("nvidia.com/use-gputype", "A100"));
        Map<String, Object> podSpec = map(Json.at(ps, "template", "spec"));
        assertThat(podSpec).containsEntry("overhead", Map.of("cpu", "250m"))
                .containsEntry("nodeSelector", Map.of("nvidia.com/gpu.product", "A100"));
        List<Object> init = list(podSpec.get("initContainers"));
        assertThat(init).hasSize(2);
        assertThat(map(init.get(0))).containsEntry("name", "init").doesNotContainKey("restartPolicy")
                .containsEntry("resources", Map.of("requests", Map.of("cpu", "2")));
        assertThat(map(init.get(1))).containsEntry("name", "proxy").containsEntry("restartPolicy", "Always")
                .containsEntry("resources", Map.of("requests", Map.of("cpu", "100m"), "limits", Map.of("cpu", "200m")));
        List<Object> containers = list(podSpec.get("containers"));
        assertThat(containers).extracting(c -> map(c).get("name")).containsExactly("main", "logger");
        assertThat(map(containers.get(0)).get("resources")).isEqualTo(Map.of(
                "requests", Map.of("cpu", "1500m", "memory", "2Gi"),
                "limits", Map.of("nvidia.com/gpu", "1", "nvidia.com/gpumem", "4000")));
        assertThat(o).doesNotContainKey("status");
    }

    @Test
    void v1beta1UsesPriorityClassNameAndSource() {
        Map<String, Object> spec = map(KueueObjects.workload(KitScenario.PENDING, "v1beta1").get("spec"));
        assertThat(spec).containsEntry("priorityClassName", "high")
                .containsEntry("priorityClassSource", "kueue.x-k8s.io/workloadpriorityclass")
                .doesNotContainKey("priorityClassRef");
        assertThatThrownBy(() -> KueueObjects.workload(KitScenario.PENDING, "v1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void admittedWorkloadHasConditionsAndAdmission() {
        Map<String, Object> o = Json.copyMap(KueueObjects.workload(KitScenario.ADMITTED));
        List<Object> conditions = list(Json.at(o, "status", "conditions"));
        assertThat(conditions).extracting(c -> map(c).get("type")).containsExactly("Admitted", "QuotaReserved");
        assertThat(conditions).allSatisfy(c -> assertThat(map(c)).containsEntry("status", "True")
                .containsKeys("reason", "message", "lastTransitionTime"));
        Map<String, Object> admission = map(Json.at(o, "status", "admission"));
        assertThat(admission).containsEntry("clusterQueue", "cq-main");
        assertThat(list(admission.get("podSetAssignments"))).containsExactly(Map.of("name", "main",
                "flavors", Map.of("cpu", "default-flavor", "memory", "default-flavor"),
                "resourceUsage", Map.of("cpu", "4", "memory", "8589934592"), "count", 4));
        Map<String, Object> inactive = map(KueueObjects.workload(KitScenario.INACTIVE).get("spec"));
        assertThat(inactive).containsEntry("active", false).doesNotContainKey("priority");
        Workload evicted = KitScenario.pending("ns", "e", "q", "1").toBuilder()
                .lastEvictionTime(java.time.Instant.parse("2026-03-01T11:00:00Z")).build();
        assertThat(list(Json.at(KueueObjects.workload(evicted), "status", "conditions"))).singleElement()
                .satisfies(c -> assertThat(map(c)).containsEntry("type", "Evicted").containsEntry("reason", "PodsReadyTimeout")
                        .containsEntry("lastTransitionTime", "2026-03-01T11:00:00Z"));
    }

    @Test
    void clusterQueueGroupsFlavorsAndRenamesCohort() {
        Map<String, Object> v2 = map(KueueObjects.clusterQueue(KitScenario.CLUSTER_QUEUE, "v1beta2").get("spec"));
        assertThat(v2).containsEntry("cohortName", "pool").doesNotContainKey("cohort")
                .containsEntry("queueingStrategy", "BestEffortFIFO")
                .containsEntry("fairSharing", Map.of("weight", "2"))
                .containsEntry("preemption", Map.of("withinClusterQueue", "LowerPriority", "reclaimWithinCohort", "Any",
                        "borrowWithinCohort", Map.of("policy", "LowerPriority")));
        assertThat(list(v2.get("resourceGroups"))).containsExactly(
                Map.of("coveredResources", List.of("cpu", "memory"), "flavors", List.of(Map.of("name", "default-flavor",
                        "resources", List.of(Map.of("name", "cpu", "nominalQuota", "16"),
                                Map.of("name", "memory", "nominalQuota", "68719476736"))))),
                Map.of("coveredResources", List.of("nvidia.com/gpu"), "flavors", List.of(Map.of("name", "a100",
                        "resources", List.of(Map.of("name", "nvidia.com/gpu", "nominalQuota", "8",
                                "borrowingLimit", "2", "lendingLimit", "4"))))));
        Map<String, Object> v1 = map(KueueObjects.clusterQueue(KitScenario.CLUSTER_QUEUE, "v1beta1").get("spec"));
        assertThat(v1).containsEntry("cohort", "pool").doesNotContainKey("cohortName");
        // two flavors over the same resources share one group, in order
        ClusterQueueInfo twoFlavors = ClusterQueueInfo.of("cq", List.of(ResourceQuota.of("f1", "cpu", "1"),
                ResourceQuota.of("f2", "cpu", "2")));
        List<Object> groups = list(map(KueueObjects.clusterQueue(twoFlavors, "v1beta2").get("spec")).get("resourceGroups"));
        assertThat(groups).hasSize(1);
        assertThat(list(map(groups.get(0)).get("flavors"))).extracting(f -> map(f).get("name")).containsExactly("f1", "f2");
    }

    @Test
    void coreObjects() {
        Map<String, Object> node = Json.copyMap(KueueObjects.node(KitScenario.NODE_2));
        assertThat(node).containsEntry("apiVersion", "v1").containsEntry("kind", "Node");
        assertThat(map(node.get("spec"))).containsEntry("unschedulable", true);
        assertThat(map(Json.at(node, "status", "allocatable"))).isEqualTo(Map.of("cpu", "7500m", "memory", "30Gi"));
        assertThat(list(Json.at(node, "status", "conditions"))).singleElement()
                .satisfies(c -> assertThat(map(c)).containsEntry("type", "Ready").containsEntry("status", "False"));
        Map<String, Object> pod = Json.copyMap(KueueObjects.pod(KitScenario.POD));
        assertThat(Json.str(pod, "spec", "nodeName")).isEqualTo("node-1");
        assertThat(Json.str(pod, "status", "phase")).isEqualTo("Running");
        assertThat(Json.str(pod, "metadata", "namespace")).isEqualTo("team-a");
        Map<String, Object> ns = Json.copyMap(KueueObjects.namespace(KitScenario.TEAM_A));
        assertThat(map(Json.at(ns, "metadata", "annotations"))).containsEntry("wdrf.x-k8s.io/weight", "2");
        assertThat(Json.str(KueueObjects.localQueue(KitScenario.LQ_A, "v1beta1"), "spec", "clusterQueue")).isEqualTo("cq-main");
        assertThat(Json.at(KueueObjects.resourceFlavor(KitScenario.GPU_FLAVOR, "v1beta2"), "spec", "nodeLabels"))
                .isEqualTo(Map.of("nvidia.com/gpu.product", "A100"));
    }

    @Test
    void quantitiesRoundTripThroughQuantityParse() {
        assertThat(KueueObjects.quantity(2.0)).isEqualTo("2");
        assertThat(KueueObjects.quantity(0.5)).isEqualTo("500m");
        assertThat(KueueObjects.quantity(0.0005)).isEqualTo("0.0005");
        assertThat(KueueObjects.quantity(8.0 * (1L << 30))).isEqualTo("8589934592");
        assertThat(KueueObjects.quantity(new BigDecimal("1.500"))).isEqualTo("1500m");
        assertThatThrownBy(() -> KueueObjects.quantity(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            double v = switch (i % 3) {
                case 0 -> random.nextInt(1_000_000) / 1000.0;
                case 1 -> (double) random.nextInt(Integer.MAX_VALUE) * 1024;
                default -> random.nextDouble() * 100;
            };
            String q = KueueObjects.quantity(v);
            assertThat(Quantity.parseDouble(q)).as("quantity %s of %s", q, v).isEqualTo(v);
        }
    }
}
