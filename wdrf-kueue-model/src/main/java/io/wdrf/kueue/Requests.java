package io.wdrf.kueue;

import io.wdrf.api.Workload;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The parsed shapes the scheduler works on (Kueue {@code workload.Info} and its pod-set requests). */
final class Requests {

    private Requests() {
    }

    /**
     * An immutable list of pod-set requests that hashes once: the scheduling-equivalence memo of every cycle looks
     * each pending workload's requests up by content, so the hash is computed at parse time only.
     */
    static final class RequestList extends java.util.AbstractList<PodSetRequest> implements java.util.RandomAccess {
        private final PodSetRequest[] items;
        private final int hash;

        RequestList(List<PodSetRequest> items) {
            this.items = items.toArray(new PodSetRequest[0]);
            this.hash = super.hashCode();
        }

        @Override
        public PodSetRequest get(int index) {
            return items[index];
        }

        @Override
        public int size() {
            return items.length;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (o == this) {
                return true;
            }
            if (o instanceof RequestList r && r.hash != hash) {
                return false;
            }
            return super.equals(o);
        }
    }

    /** A pod set's total request (count × pod request), positive amounts only. */
    record PodSetRequest(String name, int count, TreeMap<String, Double> total, Map<String, String> nodeSelector) {
    }

    /**
     * A pending, admissible workload reached through its LocalQueue, with its parsed pod sets (and the cluster's
     * slot it came from, for the admission model's bookkeeping; compared by identity).
     */
    record Queued(Workload workload, String localQueue, List<PodSetRequest> podSets, WorkloadSlot slot, int priority,
                  long orderSeconds, int orderNanos) {

        /** With the order keys of {@code workload} (effective priority, queue-order time) kept beside it. */
        Queued(Workload workload, String localQueue, List<PodSetRequest> podSets, WorkloadSlot slot) {
            this(workload, localQueue, podSets, slot, workload.effectivePriority(),
                    workload.queueOrderTime().getEpochSecond(), workload.queueOrderTime().getNano());
        }
    }

    /** A workload holding quota in a ClusterQueue: what it charges, and since when. */
    record Held(Workload workload, String clusterQueue, Map<FlavorResource, Double> usage, Instant reservedAt) {
    }
}
