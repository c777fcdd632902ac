package io.wdrf.api;

import java.util.Objects;

/**
 * One intended write.
 *
 * <p>The writer sets {@code value} into {@code target} of the workload {@code workloadId} only if the object still
 * has {@code uid} (empty uid = do not check), and, when {@code explanation} is not null, sets the annotation
 * {@code wdrf.x-k8s.io/explanation} to it in the same patch. Every entry of {@code annotations} is set in the same
 * patch too, an entry with a {@code null} value removes that annotation (JSON merge patch {@code null}); with target
 * {@link PriorityTarget#ANNOTATIONS} nothing else is written. The writer touches no other annotation.
 *
 * @param workloadId  the workload
 * @param uid         expected metadata.uid, or empty to skip the check
 * @param target      field to write
 * @param value       value for the field (the priority, or the boost)
 * @param previous    value the engine saw (null = absent), for logs and events
 * @param explanation one-line explanation to record, or null
 * @param annotations annotations to set (null value = remove), sorted; empty for a plain priority write
 */
public record PriorityUpdate(WorkloadId workloadId, String uid, PriorityTarget target, int value, Integer previous,
                             String explanation, java.util.Map<String, String> annotations) {

    /** Annotation on which WDRF records the explanation of the current priority. */
    public static final String EXPLANATION_ANNOTATION = "wdrf.x-k8s.io/explanation";
    /**
     * Annotation on which WDRF records, with each priority it writes, the effective priority it wrote and the state of
     * an override fight: {@code "1234"}, or {@code "1234;overrides=2;since=2026-12-01T22:00:00Z"} while someone else
     * keeps overwriting it. A restarted controller reads it back, so the fight limit
     * ({@code write.max-override-rewrites} per {@code write.override-window}) holds across restarts.
     */
    public static final String WRITTEN_ANNOTATION = "wdrf.x-k8s.io/priority-written";
    /** The value of {@code kueue.x-k8s.io/admission-gated-by} with which WDRF holds capacity for a starved workload. */
    public static final String RESERVATION_GATE = "wdrf.x-k8s.io/reservation";
    /** Annotation naming the workload ({@code namespace/name}) a WDRF reservation gate holds capacity for. */
    public static final String RESERVED_FOR_ANNOTATION = "wdrf.x-k8s.io/reserved-for";

    public PriorityUpdate {
        Objects.requireNonNull(workloadId, "workloadId");
        Objects.requireNonNull(target, "target");
        uid = uid == null ? "" : uid;
        java.util.TreeMap<String, String> a = new java.util.TreeMap<>();
        if (annotations != null) {
            annotations.forEach((k, v) -> a.put(Objects.requireNonNull(k, "annotation key"), v));
        }
        annotations = java.util.Collections.unmodifiableMap(a);
    }

    /** A priority write (no extra annotations). */
    public PriorityUpdate(WorkloadId workloadId, String uid, PriorityTarget target, int value, Integer previous,
                          String explanation) {
        this(workloadId, uid, target, value, previous, explanation, null);
    }

    /** An annotation-only update ({@link PriorityTarget#ANNOTATIONS}); a null value removes the annotation. */
    public static PriorityUpdate annotations(WorkloadId workloadId, String uid, java.util.Map<String, String> annotations) {
        return new PriorityUpdate(workloadId, uid, PriorityTarget.ANNOTATIONS, 0, null, null, annotations);
    }
}
