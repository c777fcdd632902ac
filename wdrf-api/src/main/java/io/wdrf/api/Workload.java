package io.wdrf.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A compact projection of a Kueue Workload: what WDRF needs, nothing else.
 *
 * <p>Promises: immutable; collections are unmodifiable and never null; {@code priority}, {@code priorityBoost},
 * {@code priorityClassName}, {@code clusterQueue}, {@code lastEvictionTime}, {@code admission} and
 * {@code resourceVersion} may be null (absent on the object). {@link #phase()} and {@link #isAdmissible()} follow
 * Kueue's own definitions, so WDRF's pending set is Kueue's.
 *
 * @param id                namespace and name
 * @param uid               metadata.uid (the final FIFO tie-break, as in Kueue)
 * @param resourceVersion   metadata.resourceVersion, or null
 * @param queueName         spec.queueName (LocalQueue in the same namespace)
 * @param clusterQueue      the ClusterQueue when known (admission or LocalQueue mapping), or null
 * @param labels            metadata.labels
 * @param annotations       metadata.annotations
 * @param creationTime      metadata.creationTimestamp
 * @param lastEvictionTime  time of the last eviction that requeued it (Kueue's queue-order timestamp), or null
 * @param podSets           spec.podSets
 * @param priority          spec.priority, or null (Kueue reads null as 0)
 * @param priorityBoost     annotation {@code kueue.x-k8s.io/priority-boost}, or null
 * @param priorityClassName WorkloadPriorityClass / PriorityClass name, or null
 * @param active            spec.active (absent = true)
 * @param trueConditions    types of status.conditions whose status is True (e.g. QuotaReserved, Admitted, Finished)
 * @param admission         status.admission, or null
 */
public record Workload(WorkloadId id, String uid, String resourceVersion, String queueName, String clusterQueue,
                       Map<String, String> labels, Map<String, String> annotations, Instant creationTime,
                       Instant lastEvictionTime, List<PodSet> podSets, Integer priority, Integer priorityBoost,
                       String priorityClassName, boolean active, Set<String> trueConditions, Admission admission) {

    /** Condition type Kueue sets when quota is reserved. */
    public static final String QUOTA_RESERVED = "QuotaReserved";
    /** Condition type Kueue sets when the workload is admitted (quota reserved + admission checks ready). */
    public static final String ADMITTED = "Admitted";
    /** Condition type Kueue sets when the workload finished. */
    public static final String FINISHED = "Finished";
    /** Condition type set while a workload waits for replacement pods (not admissible). */
    public static final String WAITING_FOR_REPLACEMENT_PODS = "WaitingForReplacementPods";
    /** Annotation that gates admission (Kueue {@code AdmissionGatedBy}). */
    public static final String ADMISSION_GATED_BY = "kueue.x-k8s.io/admission-gated-by";
    /** Annotation Kueue adds to {@code spec.priority} when the {@code PriorityBoost} gate is on. */
    public static final String PRIORITY_BOOST = "kueue.x-k8s.io/priority-boost";

    public Workload {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(creationTime, () -> "workload " + id + " has no creationTimestamp");
        uid = uid == null ? "" : uid;
        queueName = queueName == null ? "" : queueName;
        labels = Records.sortedCopy(labels);
        annotations = Records.sortedCopy(annotations);
        podSets = Records.listCopy(podSets);
        trueConditions = trueConditions == null ? Set.of() : SortedArraySet.copyOf(trueConditions);
    }

    /** Kueue's status classification: Finished, then quota reserved, else pending. */
    public Phase phase() {
        if (trueConditions.contains(FINISHED)) {
            return Phase.FINISHED;
        }
        if (trueConditions.contains(QUOTA_RESERVED)) {
            return Phase.ADMITTED;
        }
        return Phase.PENDING;
    }

    /**
     * Kueue's admissible predicate: not finished, {@code spec.active != false}, {@code QuotaReserved != True},
     * not gated by {@code kueue.x-k8s.io/admission-gated-by}, not waiting for replacement pods.
     */
    public boolean isAdmissible() {
        return phase() == Phase.PENDING && active && !annotations.containsKey(ADMISSION_GATED_BY)
                && !trueConditions.contains(WAITING_FOR_REPLACEMENT_PODS);
    }

    /** {@code spec.priority} (null as 0) plus the priority boost (null as 0), saturated to int32. */
    public int effectivePriority() {
        long p = (priority == null ? 0L : priority) + (priorityBoost == null ? 0L : priorityBoost);
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, p));
    }

    /** Kueue's queue-order timestamp: the last eviction time when set, else the creation time. */
    public Instant queueOrderTime() {
        return lastEvictionTime != null ? lastEvictionTime : creationTime;
    }

    /** A builder for a workload {@code namespace/name} created at {@code creationTime}. */
    public static Builder builder(String namespace, String name, Instant creationTime) {
        return new Builder(new WorkloadId(namespace, name), creationTime);
    }

    /** A builder pre-filled with this workload's values. */
    public Builder toBuilder() {
        Builder b = new Builder(id, creationTime);
        b.uid = uid;
        b.resourceVersion = resourceVersion;
        b.queueName = queueName;
        b.clusterQueue = clusterQueue;
        b.labels = labels;
        b.annotations = annotations;
        b.lastEvictionTime = lastEvictionTime;
        b.podSets = new ArrayList<>(podSets);
        b.priority = priority;
        b.priorityBoost = priorityBoost;
        b.priorityClassName = priorityClassName;
        b.active = active;
        b.trueConditions = new TreeSet<>(trueConditions);
        b.admission = admission;
        return b;
    }

    /** Mutable builder; {@link #build()} validates and copies. */
    public static final class Builder {
        private final WorkloadId id;
        private final Instant creationTime;
        private String uid = "";
        private String resourceVersion;
        private String queueName = "";
        private String clusterQueue;
        private Map<String, String> labels = Map.of();
        private Map<String, String> annotations = Map.of();
        private Instant lastEvictionTime;
        private List<PodSet> podSets = new ArrayList<>();
        private Integer priority;
        private Integer priorityBoost;
        private String priorityClassName;
        private boolean active = true;
        private Set<String> trueConditions = new TreeSet<>();
        private Admission admission;

        private Builder(WorkloadId id, Instant creationTime) {
            this.id = id;
            this.creationTime = creationTime;
        }

        public Builder uid(String v) { this.uid = v; return this; }
        public Builder resourceVersion(String v) { this.resourceVersion = v; return this; }
        public Builder queueName(String v) { this.queueName = v; return this; }
        public Builder clusterQueue(String v) { this.clusterQueue = v; return this; }
        public Builder labels(Map<String, String> v) { this.labels = v; return this; }
        public Builder annotations(Map<String, String> v) { this.annotations = v; return this; }
        public Builder lastEvictionTime(Instant v) { this.lastEvictionTime = v; return this; }
        public Builder podSets(List<PodSet> v) { this.podSets = new ArrayList<>(v); return this; }
        public Builder addPodSet(PodSet v) { this.podSets.add(v); return this; }
        public Builder priority(Integer v) { this.priority = v; return this; }
        public Builder priorityBoost(Integer v) { this.priorityBoost = v; return this; }
        public Builder priorityClassName(String v) { this.priorityClassName = v; return this; }
        public Builder active(boolean v) { this.active = v; return this; }
        public Builder trueConditions(Set<String> v) { this.trueConditions = new TreeSet<>(v); return this; }
        public Builder condition(String type, boolean isTrue) {
            if (isTrue) {
                trueConditions.add(type);
            } else {
                trueConditions.remove(type);
            }
            return this;
        }
        public Builder admission(Admission v) { this.admission = v; return this; }

        public Workload build() {
            return new Workload(id, uid, resourceVersion, queueName, clusterQueue, labels, annotations, creationTime,
                    lastEvictionTime, podSets, priority, priorityBoost, priorityClassName, active, trueConditions,
                    admission);
        }
    }
}
