package io.wdrf.hami;

import io.wdrf.api.ContainerKind;
import io.wdrf.api.ContainerSpec;
import io.wdrf.api.Node;
import io.wdrf.api.PodInfo;
import io.wdrf.api.PodSet;
import io.wdrf.api.Workload;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test fixtures. */
final class Fx {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String REG = "hami.io/node-nvidia-register";
    static final String ALLOC = "hami.io/vgpu-devices-allocated";
    static final String VNODE = "hami.io/vgpu-node";

    private Fx() {
    }

    /** Map from alternating key/value strings (insertion order). */
    static Map<String, String> m(String... kv) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put(kv[i], kv[i + 1]);
        }
        return out;
    }

    static ContainerSpec limits(String name, String... kv) {
        return new ContainerSpec(name, ContainerKind.APP, Map.of(), m(kv));
    }

    static ContainerSpec requests(String name, String... kv) {
        return new ContainerSpec(name, ContainerKind.APP, m(kv), Map.of());
    }

    static ContainerSpec init(String name, String... kv) {
        return new ContainerSpec(name, ContainerKind.INIT, Map.of(), m(kv));
    }

    static ContainerSpec sidecar(String name, String... kv) {
        return new ContainerSpec(name, ContainerKind.SIDECAR, Map.of(), m(kv));
    }

    static PodSet podSet(String name, int count, ContainerSpec... containers) {
        return new PodSet(name, count, null, List.of(containers), Map.of(), Map.of(), Map.of());
    }

    static PodSet podSet(String name, int count, Map<String, String> nodeSelector, Map<String, String> annotations,
                         ContainerSpec... containers) {
        return new PodSet(name, count, null, List.of(containers), Map.of(), nodeSelector, annotations);
    }

    static Workload workload(String ns, String name, PodSet... podSets) {
        return Workload.builder(ns, name, T0).queueName("q").podSets(List.of(podSets)).build();
    }

    /** A JSON (v2.8+) register annotation with {@code cards} healthy cards of {@code memMiB}. */
    static String jsonCards(String prefix, int cards, int memMiB) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < cards; i++) {
            out.add("{\"id\":\"" + prefix + "-" + i + "\"" + (i == 0 ? "" : ",\"index\":" + i)
                    + ",\"count\":10,\"devmem\":" + memMiB + ",\"devcore\":100,\"type\":\"NVIDIA-T\",\"mode\":\"hami-core\",\"health\":true}");
        }
        return "[" + String.join(",", out) + "]";
    }

    static Node gpuNode(String name, Map<String, String> labels, String register) {
        Map<String, String> ann = register == null ? Map.of() : Map.of(REG, register);
        return new Node(name, labels, ann, m("cpu", "64", "memory", "256Gi", "nvidia.com/gpu", "80"), true, false);
    }

    static PodInfo pod(String ns, String name, String phase, String node, String allocated) {
        Map<String, String> ann = new LinkedHashMap<>();
        if (node != null) {
            ann.put(VNODE, node);
        }
        if (allocated != null) {
            ann.put(ALLOC, allocated);
        }
        return new PodInfo(ns, name, ns + "-" + name, node, phase, Map.of(), ann);
    }
}
