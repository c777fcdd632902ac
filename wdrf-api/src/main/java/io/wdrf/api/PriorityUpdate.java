package io.wdrf.api;

import java.util.Objects;

/**
 * One intended write.
 *
 * <p>The writer sets {@code value} into {@code target} of the workload {@code workloadId} only if the object still
 * has {@code uid} (empty uid = do not check), and, when {@code explanation} is not null, sets the annotation
 * {@code wdrf.x-k8s.io/explanation} to it in the same patch.
 *
 * @param workloadId  the workload
 * @param uid         expected metadata.uid, or empty to skip the check
 * @param target      field to write
 * @param value       value for the field (the priority, or the boost)
 * @param previous    value the engine saw (null = absent), for logs and events
 * @param explanation one-line explanation to record, or null
 */
public record PriorityUpdate(WorkloadId workloadId, String uid, PriorityTarget target, int value, Integer previous,
                             String explanation) {

    /** Annotation on which WDRF records the explanation of the current priority. */
    public static final String EXPLANATION_ANNOTATION = "wdrf.x-k8s.io/explanation";

    public PriorityUpdate {
        Objects.requireNonNull(workloadId, "workloadId");
        Objects.requireNonNull(target, "target");
        uid = uid == null ? "" : uid;
    }
}
