package io.wdrf.kueue;

import io.wdrf.api.WorkloadId;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one {@link InMemoryCluster#admissionCycle()} did.
 *
 * <p>Promises: immutable; {@code admitted} is in the order the model reserved quota (so tests can watch the
 * admission order); {@code preempted} lists workloads evicted by {@code withinClusterQueue} preemption, in eviction
 * order; {@code inadmissible} maps every admissible pending workload that was not admitted to the reason (no
 * LocalQueue, uncovered resource, insufficient quota per flavor, StrictFIFO blocking, malformed quantity, ...),
 * sorted by id.
 *
 * @param at           the clock instant of the cycle
 * @param admitted     workloads that got quota, in admission order
 * @param preempted    workloads evicted to make room, in eviction order
 * @param inadmissible workloads left pending, with the reason
 */
public record AdmissionResult(Instant at, List<WorkloadId> admitted, List<WorkloadId> preempted,
                              SortedMap<WorkloadId, String> inadmissible) {

    public AdmissionResult {
        Objects.requireNonNull(at, "at");
        admitted = List.copyOf(admitted);
        preempted = List.copyOf(preempted);
        inadmissible = Collections.unmodifiableSortedMap(new TreeMap<>(inadmissible == null ? Map.of() : inadmissible));
    }

    /** True when the cycle admitted or preempted nothing. */
    public boolean isEmpty() {
        return admitted.isEmpty() && preempted.isEmpty();
    }
}
