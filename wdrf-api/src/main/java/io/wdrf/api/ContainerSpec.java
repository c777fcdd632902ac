package io.wdrf.api;

import java.util.Map;
import java.util.Objects;

/**
 * One container of a pod template, with its resources as written in the object.
 *
 * <p>Requests and limits are kept as the raw quantity strings of the API object (not parsed), because some
 * demand models (HAMi) give suffixes their own meaning: HAMi's {@code nvidia.com/gpumem: 16Gi} is an invalid
 * request, not 16 GiB. Promises: maps are unmodifiable, sorted by resource name, never null.
 *
 * @param name     container name
 * @param kind     app, init or sidecar
 * @param requests resource name → raw quantity
 * @param limits   resource name → raw quantity
 */
public record ContainerSpec(String name, ContainerKind kind, Map<String, String> requests, Map<String, String> limits) {

    public ContainerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        requests = Records.sortedCopy(requests);
        limits = Records.sortedCopy(limits);
    }

    /** An app container with the given requests and no limits. */
    public static ContainerSpec app(String name, Map<String, String> requests) {
        return new ContainerSpec(name, ContainerKind.APP, requests, Map.of());
    }

    /**
     * The effective request of one resource with Kubernetes' rule: the request, or the limit when the request
     * is missing; {@code null} when neither is set.
     */
    public String effectiveRequest(String resource) {
        String r = requests.get(resource);
        return r != null ? r : limits.get(resource);
    }

    /** The union of resources named in requests or limits, ascending. */
    public java.util.SortedSet<String> resourceNames() {
        java.util.TreeSet<String> s = new java.util.TreeSet<>(requests.keySet());
        s.addAll(limits.keySet());
        return s;
    }
}
