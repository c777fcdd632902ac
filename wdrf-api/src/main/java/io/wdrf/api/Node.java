package io.wdrf.api;

import java.util.Map;
import java.util.Objects;

/**
 * A compact projection of a Kubernetes Node.
 *
 * <p>Promises: maps are unmodifiable and never null; {@code allocatable} holds raw quantities as in
 * {@code status.allocatable} (a {@link DemandModel} parses them and reports malformed values).
 *
 * @param name          node name
 * @param labels        metadata.labels
 * @param annotations   metadata.annotations (HAMi registers devices in {@code hami.io/node-nvidia-register})
 * @param allocatable   status.allocatable, raw quantities
 * @param ready         condition Ready is True
 * @param unschedulable spec.unschedulable
 */
public record Node(String name, Map<String, String> labels, Map<String, String> annotations,
                   Map<String, String> allocatable, boolean ready, boolean unschedulable) {

    public Node {
        Objects.requireNonNull(name, "name");
        labels = Records.sortedCopy(labels);
        annotations = Records.sortedCopy(annotations);
        allocatable = Records.sortedCopy(allocatable);
    }

    /** Ready and schedulable: counted as capacity by the {@code nodes} capacity source. */
    public boolean schedulable() {
        return ready && !unschedulable;
    }
}
