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
 * order; {@code deactivated} lists admitted workloads the workload controller evicted before the cycle because
 * they were inactive ({@code spec.active=false}) or exceeded their maximum execution time, in id order;
 * {@code inadmissible} maps every admissible pending workload that was not admitted to the reason (no
 * LocalQueue, uncovered resource, insufficient quota per flavor, StrictFIFO blocking, malformed quantity, ...),
 * sorted by id.
 *
 * @param at           the clock instant of the cycle
 * @param admitted     workloads that got quota, in admission order
 * @param preempted    workloads evicted to make room, in eviction order
 * @param deactivated  workloads evicted as inactive or past their maximum execution time
 * @param inadmissible workloads left pending, with the reason
 */
public record AdmissionResult(Instant at, List<WorkloadId> admitted, List<WorkloadId> preempted,
                              List<WorkloadId> deactivated, SortedMap<WorkloadId, String> inadmissible) {

    public AdmissionResult {
        Objects.requireNonNull(at, "at");
        admitted = List.copyOf(admitted);
        preempted = List.copyOf(preempted);
        deactivated = List.copyOf(deactivated);
        inadmissible = Collections.unmodifiableSortedMap(new TreeMap<>(inadmissible == null ? Map.of() : inadmissible));
    }

    /** A result without deactivations (the shape before deactivations were modelled). */
    public AdmissionResult(Instant at, List<WorkloadId> admitted, List<WorkloadId> preempted,
                           SortedMap<WorkloadId, String> inadmissible) {
        this(at, admitted, preempted, List.of(), inadmissible);
    }

    /** True when the cycle admitted, preempted and deactivated nothing. */
    public boolean isEmpty() {
        return admitted.isEmpty() && preempted.isEmpty() && deactivated.isEmpty();
    }
}
