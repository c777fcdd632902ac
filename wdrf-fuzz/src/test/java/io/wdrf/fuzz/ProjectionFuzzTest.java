package io.wdrf.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.InvalidObject;
import io.wdrf.api.LocalQueueInfo;
import io.wdrf.api.NamespaceInfo;
import io.wdrf.api.Node;
import io.wdrf.api.PodSet;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.TenantInputs;
import io.wdrf.api.Workload;
import io.wdrf.backend.common.KubeProjector;
import io.wdrf.backend.common.Projected;
import io.wdrf.backend.common.ResourceKind;
import io.wdrf.engine.Evaluation;
import io.wdrf.engine.WdrfEngine;
import io.wdrf.hami.HamiDemandModel;
import io.wdrf.testkit.KueueObjects;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Objects as the API server sends them (a Workload with markers and annotations, a HAMi node, a namespace with the
 * weight annotation), with fuzzed values at fuzzed places (wrong types, huge numbers, control characters, deep
 * nesting), projected as the backends do and evaluated by the engine with HAMi accounting. The projector never
 * throws and its reasons are short and clean; the engine never throws and every valid pending workload it is given
 * is prioritised or listed as invalid with a clean reason.
 */
class ProjectionFuzzTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final KubeProjector PROJECTOR = new KubeProjector();
    private static final String[] KEYS = {"wdrf.x-k8s.io/urgent", "wdrf.x-k8s.io/approved",
            "wdrf.x-k8s.io/priority-override", "wdrf.x-k8s.io/weight", "wdrf.x-k8s.io/priority-written",
            "wdrf.x-k8s.io/checkpointable", "kueue.x-k8s.io/priority-boost", "kueue.x-k8s.io/admission-gated-by",
            "kueue.x-k8s.io/max-exec-time-seconds", "hami.io/node-nvidia-register", "nvidia.com/use-gputype",
            "team", "priority", "count", "requests", "nvidia.com/gpu", "nvidia.com/gpumem", "cpu"};
    private static final WdrfEngine ENGINE = WdrfEngine.builder()
            .config(PolicyConfig.builder().tenantKey("namespace")
                    .priorityClassToClass(Map.of("high", "urgent"))
                    .tenantInputs(new TenantInputs(false, true, Set.of()))
                    .build())
            .demandModel(new HamiDemandModel()).build();

    private static Map<String, Object> workloadJson() {
        Workload w = Workload.builder("team-a", "job", T0.minusSeconds(600)).uid("u1").resourceVersion("7")
                .queueName("q").priorityClassName("high").priority(3)
                .labels(Map.of("wdrf.x-k8s.io/urgent", "true", "team", "vision"))
                .annotations(Map.of("wdrf.x-k8s.io/priority-written", "12;overrides=1;since=5"))
                .addPodSet(PodSet.of("main", 2, Map.of("cpu", "1", "memory", "2Gi", "nvidia.com/gpu", "1",
                        "nvidia.com/gpumem-percentage", "50")))
                .build();
        return KueueObjects.workload(w);
    }

    private static Map<String, Object> nodeJson() {
        Node n = new Node("n1", Map.of("gpu", "a100"),
                Map.of("hami.io/node-nvidia-register",
                        "[{\"id\":\"GPU-0\",\"index\":0,\"count\":10,\"devmem\":81920,\"devcore\":100,"
                                + "\"type\":\"NVIDIA-A100\",\"numa\":0,\"mode\":\"hami-core\",\"health\":true}]"),
                Map.of("cpu", "64", "memory", "512Gi", "nvidia.com/gpu", "10"), true, false);
        return KueueObjects.node(n);
    }

    private static Map<String, Object> namespaceJson() {
        return KueueObjects.namespace(new NamespaceInfo("team-a", Map.of(), Map.of("wdrf.x-k8s.io/weight", "2")));
    }

    @SuppressWarnings("unchecked")
    private static Object mutable(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>();
            m.forEach((k, v) -> c.put(String.valueOf(k), mutable(v)));
            return c;
        }
        if (o instanceof List<?> l) {
            List<Object> c = new ArrayList<>();
            l.forEach(v -> c.add(mutable(v)));
            return c;
        }
        return o;
    }

    /** Every (container, key) slot of the tree: map entries and list positions. */
    private static void slots(Object o, List<Object[]> out, int depth) {
        if (depth > 12) {
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Object k : new ArrayList<>(m.keySet())) {
                out.add(new Object[] {m, k});
                slots(m.get(k), out, depth + 1);
            }
        } else if (o instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                out.add(new Object[] {l, i});
                slots(l.get(i), out, depth + 1);
            }
        }
    }

    private static Object value(FuzzedDataProvider d, int depth) {
        switch (d.consumeInt(0, depth > 3 ? 6 : 8)) {
            case 0: return d.consumeString(64);
            case 1: return d.consumeLong();
            case 2: return d.consumeDouble();
            case 3: return d.consumeBoolean();
            case 4: return null;
            case 5: return d.pickValue(new String[] {"1e309", "1e999999999", "9".repeat(100), "-1", "NaN", "0.5",
                    "2\r\nINFO forged", "\u2028", "100m", "1Ei", "true", "", "[{\"id\":\"GPU-0\",\"count\":1e999999999}]"});
            case 6: return d.consumeInt();
            case 7: {
                List<Object> l = new ArrayList<>();
                int n = d.consumeInt(0, 3);
                for (int i = 0; i < n; i++) {
                    l.add(value(d, depth + 1));
                }
                return l;
            }
            default: {
                Map<String, Object> m = new LinkedHashMap<>();
                int n = d.consumeInt(0, 3);
                for (int i = 0; i < n; i++) {
                    m.put(d.consumeBoolean() ? d.pickValue(KEYS) : d.consumeString(16), value(d, depth + 1));
                }
                return m;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mutate(FuzzedDataProvider d, Map<String, Object> base) {
        Map<String, Object> o = (Map<String, Object>) mutable(base);
        int edits = d.consumeInt(0, 6);
        for (int e = 0; e < edits && d.remainingBytes() > 0; e++) {
            List<Object[]> slots = new ArrayList<>();
            slots(o, slots, 0);
            Object[] s = slots.get(d.consumeInt(0, slots.size() - 1));
            Object v = value(d, 0);
            if (s[0] instanceof Map<?, ?> m) {
                if (d.consumeBoolean()) {
                    ((Map<String, Object>) m).put(String.valueOf(s[1]), v);
                } else {
                    ((Map<String, Object>) m).put(d.pickValue(KEYS), v); // a new key beside it
                }
            } else {
                ((List<Object>) s[0]).set((Integer) s[1], v);
            }
        }
        return o;
    }

    private static <T> T checked(Projected<T> p) {
        if (p.invalid() != null) {
            Clean.check(p.invalid().reason());
            return null;
        }
        return p.value();
    }

    @FuzzTest(maxDuration = "10s")
    @SuppressWarnings("unchecked")
    void projectAndEvaluate(FuzzedDataProvider data) {
        Workload w = checked((Projected<Workload>) PROJECTOR.project(ResourceKind.WORKLOAD, mutate(data, workloadJson())));
        Node n = checked((Projected<Node>) PROJECTOR.project(ResourceKind.NODE, mutate(data, nodeJson())));
        NamespaceInfo ns = checked((Projected<NamespaceInfo>) PROJECTOR.project(ResourceKind.NAMESPACE,
                mutate(data, namespaceJson())));
        ClusterSnapshot.Builder b = ClusterSnapshot.builder(T0)
                .clusterQueue(ClusterQueueInfo.of("cq", List.of(ResourceQuota.of("default", "cpu", "64"),
                        ResourceQuota.of("default", "memory", "512Gi"))))
                .localQueue(new LocalQueueInfo("team-a", "q", "cq"));
        if (w != null) {
            b.workload(w);
        }
        b.workload(Workload.builder("team-b", "other", T0).uid("u2").queueName("q")
                .addPodSet(PodSet.of("main", 1, Map.of("cpu", "1", "memory", "1Gi"))).build());
        if (n != null) {
            b.node(n);
        }
        if (ns != null) {
            b.namespace(ns);
        }
        Evaluation ev = ENGINE.evaluate(b.build(), T0);
        for (InvalidObject i : ev.invalid()) {
            Clean.check(i.reason());
        }
        // the healthy workload of the other tenant is always prioritised, whatever the poisoned objects are
        if (ev.plan().decisions().stream().noneMatch(d -> d.workloadId().name().equals("other"))) {
            throw new AssertionError("a poisoned object stopped the healthy workload: " + ev.invalid());
        }
        ev.plan().decisions().forEach(d -> d.explanation().notes().forEach(Clean::check));
    }
}
