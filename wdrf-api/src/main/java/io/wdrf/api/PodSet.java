package io.wdrf.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One pod set of a Kueue Workload ({@code spec.podSets[]}): {@code count} identical pods.
 *
 * <p>Carries the container-level detail demand models need (Kueue's pod-request rule, HAMi's per-container GPU
 * rules). Promises: {@code count >= 0}; {@code minCount} is null or in {@code [1, count]}; collections are
 * unmodifiable and never null.
 *
 * @param name         pod set name (Kueue default {@code main})
 * @param count        number of pods
 * @param minCount     minimum count for partial admission, or null
 * @param containers   app, init and sidecar containers in template order (init containers in their order)
 * @param overhead     pod overhead (RuntimeClass), raw quantities
 * @param nodeSelector template node selector (used to match flavors / node pools)
 * @param annotations  template annotations (HAMi reads {@code nvidia.com/use-gputype} and friends here)
 */
public record PodSet(String name, int count, Integer minCount, List<ContainerSpec> containers,
                     Map<String, String> overhead, Map<String, String> nodeSelector, Map<String, String> annotations) {

    public PodSet {
        Objects.requireNonNull(name, "name");
        if (count < 0) {
            throw new IllegalArgumentException("pod set '" + name + "' has negative count " + count);
        }
        if (minCount != null && (minCount < 1 || minCount > count)) {
            throw new IllegalArgumentException("pod set '" + name + "' has minCount " + minCount + " outside [1, " + count + "]");
        }
        containers = Records.listCopy(containers);
        overhead = Records.sortedCopy(overhead);
        nodeSelector = Records.sortedCopy(nodeSelector);
        annotations = Records.sortedCopy(annotations);
    }

    /** A pod set of {@code count} pods, each with one app container requesting {@code requests}. */
    public static PodSet of(String name, int count, Map<String, String> requests) {
        return new PodSet(name, count, null, List.of(ContainerSpec.app("main", requests)), Map.of(), Map.of(), Map.of());
    }
}
