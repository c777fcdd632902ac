package io.wdrf.backend.common;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ContainerKind;
import io.wdrf.api.ContainerSpec;
import io.wdrf.api.LocalQueueInfo;
import io.wdrf.api.NamespaceInfo;
import io.wdrf.api.Node;
import io.wdrf.api.Phase;
import io.wdrf.api.PodInfo;
import io.wdrf.api.PodSet;
import io.wdrf.api.ResourceFlavorInfo;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class KubeProjectorTest {

    private final KubeProjector projector = new KubeProjector();

    private static Map<String, Object> sample(String name) {
        return MiniJson.resource("/samples/" + name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> m, String... path) {
        Map<String, Object> cur = m;
        for (String p : path) {
            cur = (Map<String, Object>) cur.get(p);
        }
        return cur;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> podSet0(Map<String, Object> wl) {
        return (Map<String, Object>) ((List<Object>) at(wl, "spec").get("podSets")).get(0);
    }

    private Workload valid(Map<String, Object> obj) {
        Projected<Workload> p = projector.workload(obj);
        assertThat(p.invalid()).as("invalid reason").isNull();
        return p.value();
    }

    private String invalidReason(Projected<?> p) {
        assertThat(p.isValid()).as("expected an invalid object").isFalse();
        return p.invalid().reason();
    }

    @Test
    void v1beta1WorkloadProjectsEveryField() {
        Workload w = valid(sample("workload-v1beta1.json"));
        assertThat(w.id().toString()).isEqualTo("team-a/job-train-7f3a");
        assertThat(w.uid()).isEqualTo("0b6f7e2c-1111-4a5b-9c3d-000000000001");
        assertThat(w.resourceVersion()).isEqualTo("4242");
        assertThat(w.queueName()).isEqualTo("lq-a");
        assertThat(w.creationTime()).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
        assertThat(w.priority()).isEqualTo(100);
        assertThat(w.priorityBoost()).isEqualTo(-5);
        assertThat(w.effectivePriority()).isEqualTo(95);
        assertThat(w.priorityClassName()).isEqualTo("high");
        assertThat(w.active()).isTrue();
        assertThat(w.labels()).containsEntry("wdrf.x-k8s.io/urgent", "true");
        assertThat(w.annotations()).containsEntry("note", "hello");
        assertThat(w.trueConditions()).containsExactly("Evicted", "Requeued");
        assertThat(w.lastEvictionTime()).isEqualTo(Instant.parse("2026-11-20T11:00:30Z"));
        assertThat(w.phase()).isEqualTo(Phase.PENDING);
        assertThat(w.isAdmissible()).isTrue();
        assertThat(w.admission()).isNull();
        assertThat(w.clusterQueue()).isNull();

        assertThat(w.podSets()).hasSize(2);
        PodSet launcher = w.podSets().get(0);
        assertThat(launcher.name()).isEqualTo("launcher");
        assertThat(launcher.count()).isEqualTo(1);
        assertThat(launcher.minCount()).isNull();
        assertThat(launcher.overhead()).containsEntry("cpu", "250m").containsEntry("memory", "120Mi");
        assertThat(launcher.nodeSelector()).containsExactlyEntriesOf(Map.of("pool", "gpu"));
        assertThat(launcher.annotations()).containsEntry("nvidia.com/use-gputype", "A100");
        List<ContainerSpec> cs = launcher.containers();
        assertThat(cs).extracting(ContainerSpec::name).containsExactly("fetch", "proxy", "main");
        assertThat(cs).extracting(ContainerSpec::kind)
                .containsExactly(ContainerKind.INIT, ContainerKind.SIDECAR, ContainerKind.APP);
        assertThat(cs.get(1).limits()).containsEntry("memory", "64Mi");
        // numbers become raw quantity text; HAMi's "16Gi" gpumem stays raw (the demand model judges it)
        assertThat(cs.get(2).requests()).containsEntry("cpu", "1").containsEntry("memory", "2Gi");
        assertThat(cs.get(2).limits()).containsEntry("nvidia.com/gpumem", "16Gi");
        PodSet workers = w.podSets().get(1);
        assertThat(workers.count()).isEqualTo(4);
        assertThat(workers.minCount()).isEqualTo(2);
    }

    @Test
    void v1beta2WorkloadProjectsRefAdmissionAndInactive() {
        Workload w = valid(sample("workload-v1beta2.json"));
        assertThat(w.creationTime()).isEqualTo(Instant.parse("2026-11-21T07:30:00Z"));
        assertThat(w.priority()).isEqualTo(-3);
        assertThat(w.priorityBoost()).isNull();
        assertThat(w.priorityClassName()).isEqualTo("batch-low");
        assertThat(w.active()).isFalse();
        assertThat(w.phase()).isEqualTo(Phase.ADMITTED);
        assertThat(w.isAdmissible()).isFalse();
        assertThat(w.lastEvictionTime()).isNull();
        assertThat(w.podSets().get(0).name()).isEqualTo("main");
        assertThat(w.podSets().get(0).count()).isEqualTo(3);
        assertThat(w.clusterQueue()).isEqualTo("cq-b");
        assertThat(w.admission().clusterQueue()).isEqualTo("cq-b");
        var psa = w.admission().podSetAssignments().get(0);
        assertThat(psa.flavors()).containsEntry("cpu", "default");
        assertThat(psa.resourceUsage().get("cpu")).isEqualTo(3.0);
        assertThat(psa.resourceUsage().get("memory")).isEqualTo(3.0 * (1L << 30));
        assertThat(psa.count()).as("count defaults to the spec count").isEqualTo(3);
    }

    @Test
    void requeuedFalseAndOldEvictionsDoNotCountAsEviction() {
        Map<String, Object> wl = sample("workload-v1beta1.json");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> conds = (List<Map<String, Object>>) (Object) at(wl, "status").get("conditions");
        conds.get(1).put("status", "False");
        conds.get(2).put("status", "False");
        assertThat(valid(wl).lastEvictionTime()).isNull();
        conds.get(1).put("status", "True");
        assertThat(valid(wl).lastEvictionTime()).isEqualTo(Instant.parse("2026-11-20T11:00:00Z"));
    }

    @Test
    void clusterQueueV1beta1() {
        Projected<ClusterQueueInfo> p = projector.clusterQueue(sample("clusterqueue-v1beta1.json"));
        ClusterQueueInfo cq = p.value();
        assertThat(cq.name()).isEqualTo("cq-a");
        assertThat(p.namespace()).isEmpty();
        assertThat(cq.cohort()).isEqualTo("all");
        assertThat(cq.queueingStrategy()).isEqualTo("StrictFIFO");
        assertThat(cq.withinClusterQueue()).isEqualTo("LowerPriority");
        assertThat(cq.reclaimWithinCohort()).isEqualTo("Any");
        assertThat(cq.borrowWithinCohort()).isEqualTo("LowerPriority");
        assertThat(cq.fairSharingWeight()).isEqualTo(2.0);
        assertThat(cq.quotas()).extracting(ResourceQuota::flavor, ResourceQuota::resource)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("default", "cpu"),
                        org.assertj.core.groups.Tuple.tuple("default", "memory"),
                        org.assertj.core.groups.Tuple.tuple("a100", "nvidia.com/gpu"),
                        org.assertj.core.groups.Tuple.tuple("t4", "nvidia.com/gpu"));
        ResourceQuota cpu = cq.quotas().get(0);
        assertThat(cpu.nominal()).isEqualByComparingTo("9");
        assertThat(cpu.borrowingLimit()).isEqualByComparingTo("3");
        assertThat(cpu.lendingLimit()).isEqualByComparingTo("0.5");
        assertThat(cq.quotas().get(1).nominal()).isEqualByComparingTo(new BigDecimal(18L << 30));
        assertThat(cq.quotas().get(1).borrowingLimit()).isNull();
        assertThat(cq.nominalTotal().get("nvidia.com/gpu")).isEqualTo(24.0);
    }

    @Test
    void clusterQueueV1beta2DefaultsAndCohortName() {
        ClusterQueueInfo cq = projector.clusterQueue(sample("clusterqueue-v1beta2.json")).value();
        assertThat(cq.cohort()).isEqualTo("research");
        assertThat(cq.queueingStrategy()).isEqualTo(ClusterQueueInfo.BEST_EFFORT_FIFO);
        assertThat(cq.withinClusterQueue()).isEqualTo("Never");
        assertThat(cq.fairSharingWeight()).isEqualTo(1.0);
        assertThat(cq.quotas().get(0).nominal()).isEqualByComparingTo("1500");
    }

    @Test
    void nodePodNamespaceLocalQueueFlavor() {
        Node n = projector.node(sample("node.json")).value();
        assertThat(n.name()).isEqualTo("node-1");
        assertThat(n.ready()).isTrue();
        assertThat(n.unschedulable()).isTrue();
        assertThat(n.schedulable()).isFalse();
        assertThat(n.allocatable()).containsEntry("cpu", "15900m").containsEntry("pods", "110")
                .containsEntry("nvidia.com/gpu", "40");
        assertThat(n.annotations()).containsKey("hami.io/node-nvidia-register");

        PodInfo pod = projector.pod(sample("pod.json")).value();
        assertThat(pod.namespace()).isEqualTo("team-a");
        assertThat(pod.uid()).isEqualTo("pod-uid-1");
        assertThat(pod.nodeName()).isEqualTo("node-1");
        assertThat(pod.phase()).isEqualTo("Running");
        assertThat(pod.annotations()).containsEntry("hami.io/vgpu-node", "node-1");
        assertThat(pod.initContainers()).isEqualTo(2);

        Map<String, Object> ns = obj("{\"metadata\":{\"name\":\"team-a\",\"labels\":{\"x\":\"y\"},"
                + "\"annotations\":{\"wdrf.x-k8s.io/weight\":\"2\"}}}");
        NamespaceInfo nsi = projector.namespace(ns).value();
        assertThat(nsi.annotations()).containsEntry(NamespaceInfo.WEIGHT_ANNOTATION, "2");
        assertThat(nsi.labels()).containsEntry("x", "y");

        LocalQueueInfo lq = projector.localQueue(obj("{\"metadata\":{\"name\":\"lq-a\",\"namespace\":\"team-a\"},"
                + "\"spec\":{\"clusterQueue\":\"cq-a\"}}")).value();
        assertThat(lq).isEqualTo(new LocalQueueInfo("team-a", "lq-a", "cq-a"));

        ResourceFlavorInfo rf = projector.resourceFlavor(obj("{\"metadata\":{\"name\":\"a100\"},"
                + "\"spec\":{\"nodeLabels\":{\"gpu\":\"a100\"}}}")).value();
        assertThat(rf.nodeLabels()).containsExactlyEntriesOf(Map.of("gpu", "a100"));
        assertThat(projector.resourceFlavor(obj("{\"metadata\":{\"name\":\"default\"}}")).value().nodeLabels())
                .isEmpty();
    }

    @Test
    void identicalPodSetsAndShortStringsAreSharedBetweenWorkloads() {
        Map<String, Object> a = sample("workload-v1beta1.json");
        Map<String, Object> b = sample("workload-v1beta1.json");
        at(b, "metadata").put("name", "other");
        at(b, "metadata").put("uid", "0b6f7e2c-1111-4a5b-9c3d-000000000002");
        Workload wa = valid(a);
        Workload wb = valid(b);
        assertThat(wb.podSets().get(0)).isSameAs(wa.podSets().get(0));
        assertThat(wb.podSets().get(1).containers().get(0)).isSameAs(wa.podSets().get(1).containers().get(0));
        assertThat(wb.queueName()).isSameAs(wa.queueName());
        assertThat(wb.uid()).as("long unique strings are not pooled").isNotSameAs(wa.uid());
        // a different template is not confused with the shared one
        podSet0(b).put("count", 3L);
        assertThat(valid(b).podSets().get(0).count()).isEqualTo(3);
        assertThat(wa.podSets().get(0).count()).isEqualTo(1);
        assertThat(projector.sharedRecordCount()).isGreaterThan(0);
    }

    @Test
    void nodeWithoutReadyConditionIsNotReady() {
        Node n = projector.node(obj("{\"metadata\":{\"name\":\"n\"},\"status\":{\"conditions\":"
                + "[{\"type\":\"Ready\",\"status\":\"Unknown\"}]}}")).value();
        assertThat(n.ready()).isFalse();
        assertThat(n.unschedulable()).isFalse();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> obj(String json) {
        return (Map<String, Object>) MiniJson.parse(json);
    }

    // ------------------------------------------------------------------ malformed

    @Test
    void missingPodSets() {
        Map<String, Object> wl = sample("workload-v1beta1.json");
        at(wl, "spec").remove("podSets");
        Projected<Workload> p = projector.workload(wl);
        assertThat(invalidReason(p)).isEqualTo("spec.podSets: is missing");
        assertThat(p.invalid().kind()).isEqualTo("Workload");
        assertThat(p.invalid().namespace()).isEqualTo("team-a");
        assertThat(p.invalid().name()).isEqualTo("job-train-7f3a");
    }

    @Test
    void podSetsNotAList() {
        Map<String, Object> wl = sample("workload-v1beta1.json");
        at(wl, "spec").put("podSets", Map.of("name", "main"));
        assertThat(invalidReason(projector.workload(wl))).isEqualTo("spec.podSets: is not a list (got an object)");
    }

    @Test
    void priorityNotAnInteger() {
        Map<String, Object> wl = sample("workload-v1beta1.json");
        at(wl, "spec").put("priority", "high");
        assertThat(invalidReason(projector.workload(wl))).isEqualTo("spec.priority: is not an integer (got 'high')");
        at(wl, "spec").put("priority", new BigDecimal("1.5"));
        assertThat(invalidReason(projector.workload(wl))).isEqualTo("spec.priority: is not an integer (got 1.5)");
        at(wl, "spec").put("priority", 3_000_000_000L);
        assertThat(invalidReason(projector.workload(wl))).contains("spec.priority: is outside the int32 range");
        at(wl, "spec").put("priority", new BigDecimal("7.0"));
        assertThat(valid(wl).priority()).isEqualTo(7);
    }

    @Test
    void badQuotaQuantityNamesThePath() {
        Map<String, Object> cq = sample("clusterqueue-v1beta1.json");
        cq = obj(toJson(cq).replace("\"18Gi\"", "\"18GB\""));
        String reason = invalidReason(projector.clusterQueue(cq));
        assertThat(reason).startsWith("spec.resourceGroups[0].flavors[0].resources[1].nominalQuota: ")
                .contains("'18GB'").contains("unknown suffix");
    }

    @Test
    void missingOrNegativeNominalQuota() {
        Map<String, Object> cq = obj(toJson(sample("clusterqueue-v1beta2.json")).replace("\"1.5k\"", "\"-1\""));
        assertThat(invalidReason(projector.clusterQueue(cq)))
                .isEqualTo("spec.resourceGroups[0].flavors[0].resources[0].nominalQuota: is negative (got '-1')");
        cq = obj(toJson(sample("clusterqueue-v1beta2.json")).replace("\"nominalQuota\":\"1.5k\"", "\"x\":1"));
        assertThat(invalidReason(projector.clusterQueue(cq)))
                .isEqualTo("spec.resourceGroups[0].flavors[0].resources[0].nominalQuota: is missing");
    }

    @Test
    void badAdmittedUsage() {
        Map<String, Object> wl = obj(toJson(sample("workload-v1beta2.json")).replace("\"3Gi\"", "\"3 Gi\""));
        assertThat(invalidReason(projector.workload(wl)))
                .startsWith("status.admission.podSetAssignments[0].resourceUsage.memory: quantity '3 Gi'");
    }

    @Test
    void badBoostAnnotation() {
        Map<String, Object> wl = sample("workload-v1beta1.json");
        at(wl, "metadata", "annotations").put(Workload.PRIORITY_BOOST, "lots");
        assertThat(invalidReason(projector.workload(wl))).isEqualTo(
                "metadata.annotations[\"kueue.x-k8s.io/priority-boost\"]: is not a signed 32-bit integer (got 'lots')");
    }

    @Test
    void timestampsAndIdentity() {
        Map<String, Object> wl = sample("workload-v1beta1.json");
        at(wl, "metadata").remove("creationTimestamp");
        assertThat(invalidReason(projector.workload(wl))).isEqualTo("metadata.creationTimestamp: is missing");
        at(wl, "metadata").put("creationTimestamp", "yesterday");
        assertThat(invalidReason(projector.workload(wl)))
                .isEqualTo("metadata.creationTimestamp: is not an RFC 3339 timestamp (got 'yesterday')");

        Map<String, Object> noName = sample("workload-v1beta1.json");
        at(noName, "metadata").remove("name");
        Projected<Workload> p = projector.workload(noName);
        assertThat(invalidReason(p)).startsWith("metadata.name: is missing");
        assertThat(p.name()).isEqualTo("<unnamed>");

        Map<String, Object> noNs = sample("workload-v1beta1.json");
        at(noNs, "metadata").remove("namespace");
        assertThat(invalidReason(projector.workload(noNs))).startsWith("metadata.namespace: is missing");

        assertThat(invalidReason(projector.workload(null))).isEqualTo("object is null");
        assertThat(invalidReason(projector.node(obj("{\"kind\":\"Node\"}")))).isEqualTo("metadata: is missing");
    }

    @Test
    void nonStringLabelAndNegativeCountAndBadMinCount() {
        Map<String, Object> wl = sample("workload-v1beta1.json");
        at(wl, "metadata", "labels").put("team", 5L);
        assertThat(invalidReason(projector.workload(wl))).isEqualTo("metadata.labels[\"team\"]: is not a string (got 5)");

        wl = sample("workload-v1beta1.json");
        podSet0(wl).put("count", -1L);
        assertThat(invalidReason(projector.workload(wl))).isEqualTo("spec.podSets[0].count: is negative (got -1)");

        wl = sample("workload-v1beta1.json");
        podSet0(wl).put("minCount", 5L);
        assertThat(invalidReason(projector.workload(wl)))
                .isEqualTo("spec.podSets[0].minCount: is outside [1, count=1] (got 5)");

        wl = sample("workload-v1beta1.json");
        podSet0(wl).remove("template");
        assertThat(invalidReason(projector.workload(wl))).isEqualTo("spec.podSets[0].template: is missing");

        wl = sample("workload-v1beta1.json");
        at(wl, "spec").put("active", "yes");
        assertThat(invalidReason(projector.workload(wl))).isEqualTo("spec.active: is not a boolean (got 'yes')");
    }

    @Test
    void containerQuantityOfWrongJsonTypeIsRejectedButOddStringsStayRaw() {
        Map<String, Object> wl = sample("workload-v1beta1.json");
        @SuppressWarnings("unchecked")
        Map<String, Object> c0 = (Map<String, Object>) ((List<Object>) at(podSet0(wl), "template", "spec")
                .get("containers")).get(0);
        at(c0, "resources", "requests").put("cpu", "lots");
        assertThat(valid(wl).podSets().get(0).containers().get(2).requests()).containsEntry("cpu", "lots");
        at(c0, "resources", "requests").put("cpu", List.of(1));
        assertThat(invalidReason(projector.workload(wl))).isEqualTo(
                "spec.podSets[0].template.spec.containers[0].resources.requests.cpu: is not a quantity (string or number) (got a list of 1)");
    }

    @Test
    void localQueueWithoutClusterQueue() {
        assertThat(invalidReason(projector.localQueue(obj("{\"metadata\":{\"name\":\"q\",\"namespace\":\"a\"},"
                + "\"spec\":{}}")))).isEqualTo("spec.clusterQueue: is missing");
    }

    @Test
    void negativeFairSharingWeight() {
        Map<String, Object> cq = sample("clusterqueue-v1beta1.json");
        at(cq, "spec", "fairSharing").put("weight", "-1");
        assertThat(invalidReason(projector.clusterQueue(cq))).isEqualTo("spec.fairSharing.weight: is negative (got '-1')");
    }

    /** Random damage to valid objects never throws and always yields exactly a record or a reason. */
    @Test
    void randomCorruptionNeverThrows() {
        Random rnd = new Random(20261124L);
        Object[] junk = {null, "x", "1x", -7L, 1.5, new BigDecimal("1e400"), true, List.of(), List.of("a"),
                new LinkedHashMap<>(), Map.of("k", 1L)};
        String[] samples = {"workload-v1beta1.json", "workload-v1beta2.json", "clusterqueue-v1beta1.json",
                "clusterqueue-v1beta2.json", "node.json", "pod.json"};
        ResourceKind[] kinds = {ResourceKind.WORKLOAD, ResourceKind.WORKLOAD, ResourceKind.CLUSTER_QUEUE,
                ResourceKind.CLUSTER_QUEUE, ResourceKind.NODE, ResourceKind.POD};
        int invalidCount = 0;
        for (int round = 0; round < 3000; round++) {
            int s = rnd.nextInt(samples.length);
            Map<String, Object> o = sample(samples[s]);
            int damage = 1 + rnd.nextInt(3);
            for (int d = 0; d < damage; d++) {
                corrupt(o, rnd, junk);
            }
            Projected<?> p = projector.project(kinds[s], o);
            assertThat(p.isValid() ^ p.invalid() != null).isTrue();
            if (!p.isValid()) {
                invalidCount++;
                assertThat(p.invalid().reason()).isNotBlank().doesNotContain("unexpected");
            }
        }
        assertThat(invalidCount).as("corruption must sometimes be detected").isGreaterThan(300);
    }

    @SuppressWarnings("unchecked")
    private static void corrupt(Object node, Random rnd, Object[] junk) {
        // walk down a random path, then replace one child with junk
        Object cur = node;
        for (int depth = 0; depth < 12; depth++) {
            List<Object> children = new ArrayList<>();
            if (cur instanceof Map) {
                children.addAll(((Map<String, Object>) cur).keySet());
            } else if (cur instanceof List) {
                for (int i = 0; i < ((List<Object>) cur).size(); i++) {
                    children.add(i);
                }
            }
            if (children.isEmpty()) {
                return;
            }
            Object k = children.get(rnd.nextInt(children.size()));
            Object child = cur instanceof Map ? ((Map<String, Object>) cur).get(k) : ((List<Object>) cur).get((Integer) k);
            boolean replace = rnd.nextInt(4) == 0 || !(child instanceof LinkedHashMap || child instanceof ArrayList);
            if (replace) {
                Object j = junk[rnd.nextInt(junk.length)];
                if (cur instanceof Map) {
                    ((Map<String, Object>) cur).put((String) k, j);
                } else {
                    ((List<Object>) cur).set((Integer) k, j);
                }
                return;
            }
            cur = child;
        }
    }

    /** Minimal re-serialisation for string-edit tests. */
    @SuppressWarnings("unchecked")
    static String toJson(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            return MergePatch.quote((String) v);
        }
        if (v instanceof Map) {
            StringBuilder b = new StringBuilder("{");
            for (Map.Entry<String, Object> e : ((Map<String, Object>) v).entrySet()) {
                if (b.length() > 1) {
                    b.append(',');
                }
                b.append(MergePatch.quote(e.getKey())).append(':').append(toJson(e.getValue()));
            }
            return b.append('}').toString();
        }
        if (v instanceof List) {
            StringBuilder b = new StringBuilder("[");
            for (Object o : (List<Object>) v) {
                if (b.length() > 1) {
                    b.append(',');
                }
                b.append(toJson(o));
            }
            return b.append(']').toString();
        }
        return String.valueOf(v);
    }
}
