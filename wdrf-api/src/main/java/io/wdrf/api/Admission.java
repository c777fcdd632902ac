package io.wdrf.api;

import java.util.List;
import java.util.Objects;

/**
 * Kueue's {@code status.admission}: the ClusterQueue that reserved quota and what each pod set got.
 *
 * <p>Promises: the list is unmodifiable; {@link #totalUsage()} is the sum of the assignments' usage.
 */
public record Admission(String clusterQueue, List<PodSetAssignment> podSetAssignments) {

    public Admission {
        Objects.requireNonNull(clusterQueue, "clusterQueue");
        podSetAssignments = Records.listCopy(podSetAssignments);
    }

    /** Sum of {@link PodSetAssignment#resourceUsage()} over all pod sets. */
    public ResourceVector totalUsage() {
        ResourceVector total = ResourceVector.empty();
        for (PodSetAssignment a : podSetAssignments) {
            total = total.plus(a.resourceUsage());
        }
        return total;
    }
}
