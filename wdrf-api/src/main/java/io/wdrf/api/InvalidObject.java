package io.wdrf.api;

import java.util.Objects;

/**
 * An API object a backend or the engine could not use, and why.
 *
 * <p>Promises: {@code reason} says what is wrong and where (field path and offending value), e.g.
 * {@code "spec.podSets[0].template.spec.containers[1].resources.requests.cpu: quantity '1x' has unknown suffix 'x'"}.
 *
 * @param kind      object kind ({@code Workload}, {@code Node}, {@code ClusterQueue}, ...)
 * @param namespace namespace, or empty for cluster-scoped objects
 * @param name      object name
 * @param reason    what is wrong, where
 */
public record InvalidObject(String kind, String namespace, String name, String reason) {

    public InvalidObject {
        Objects.requireNonNull(kind, "kind");
        namespace = namespace == null ? "" : namespace;
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return kind + " " + (namespace.isEmpty() ? name : namespace + "/" + name) + ": " + reason;
    }
}
