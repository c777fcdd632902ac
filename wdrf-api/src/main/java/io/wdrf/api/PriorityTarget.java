package io.wdrf.api;

/** Where a priority is written on a Workload. */
public enum PriorityTarget {
    /** {@code spec.priority} (JSON merge patch; works on Kueue v1beta1 and v1beta2). */
    SPEC_PRIORITY,
    /**
     * Annotation {@code kueue.x-k8s.io/priority-boost} (Kueue v0.17+ with the {@code PriorityBoost} gate): the
     * effective priority is {@code spec.priority + boost}, so the WorkloadPriorityClass value stays untouched.
     */
    PRIORITY_BOOST,
    /**
     * No priority field: the update only sets or removes {@link PriorityUpdate#annotations()} (e.g. WDRF's
     * {@code kueue.x-k8s.io/admission-gated-by} reservation gate); {@code value} and {@code previous} are ignored.
     */
    ANNOTATIONS
}
