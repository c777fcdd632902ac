package io.wdrf.api;

import java.util.Map;
import java.util.Objects;

/**
 * A compact projection of a Kubernetes Node.
 *
 * <p>Promises: maps are unmodifiable and never null; {@code allocatable} holds raw quantities as in
 * {@code status.allocatable} (a {@link DemandModel} parses them and reports malformed values);
 * {@code resourceVersion} is {@code metadata.resourceVersion} as the API server reported it, or null when unknown
 * (hand-built nodes). Two projections of the same node with the same non-null resourceVersion describe the same
 * object version, so a caller may reuse what it derived from one for the other (the engine's capacity cache does,
 * after checking the content is equal).
 *
 * @param name          node name
 * @param labels        metadata.labels
 * @param annotations   metadata.annotations (HAMi registers devices in {@code hami.io/node-nvidia-register})
 * @param allocatable   status.allocatable, raw quantities
 * @param ready         condition Ready is True
 * @param unschedulable spec.unschedulable
 * @param resourceVersion metadata.resourceVersion, or null
 */
public record Node(String name, Map<String, String> labels, Map<String, String> annotations,
                   Map<String, String> allocatable, boolean ready, boolean unschedulable, String resourceVersion) {

    /** A node without a known resourceVersion. */
    public Node(String name, Map<String, String> labels, Map<String, String> annotations,
                Map<String, String> allocatable, boolean ready, boolean unschedulable) {
        this(name, labels, annotations, allocatable, ready, unschedulable, null);
    }

    public Node {
        Objects.requireNonNull(name, "name");
        labels = Records.sortedCopy(labels);
        annotations = Records.sortedCopy(annotations);
        allocatable = Records.sortedCopy(allocatable);
    }

    /**
     * Equality by content: {@code resourceVersion} is not part of it, so two reads of an unchanged node (a relist,
     * a status heartbeat that changed nothing WDRF reads) compare equal.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Node n && ready == n.ready && unschedulable == n.unschedulable && name.equals(n.name)
                && allocatable.equals(n.allocatable) && labels.equals(n.labels) && annotations.equals(n.annotations);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, labels, annotations, allocatable, ready, unschedulable);
    }

    /** Ready and schedulable: counted as capacity by the {@code nodes} capacity source. */
    public boolean schedulable() {
        return ready && !unschedulable;
    }
}
