package io.wdrf.engine;

import io.wdrf.api.PendingWorkload;
import io.wdrf.api.WorkloadId;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Membership of the pending workloads' ids, for checking a policy's decisions. The built-in policies decide with
 * the very {@link WorkloadId} instances of the context, so an identity lookup (one open-addressed array, no per-entry
 * nodes) answers almost every query; an id built by a plugin falls back to an equality set, built on first need.
 */
final class PendingIndex {

    private final List<PendingWorkload> pending;
    private final Map<WorkloadId, Boolean> byIdentity;
    private Set<WorkloadId> byValue;

    PendingIndex(List<PendingWorkload> pending) {
        this.pending = pending;
        this.byIdentity = new IdentityHashMap<>(pending.size());
        for (PendingWorkload p : pending) {
            byIdentity.put(p.id(), Boolean.TRUE);
        }
    }

    boolean contains(WorkloadId id) {
        if (byIdentity.containsKey(id)) {
            return true;
        }
        if (byValue == null) {
            byValue = new HashSet<>(pending.size() * 2);
            for (PendingWorkload p : pending) {
                byValue.add(p.id());
            }
        }
        return byValue.contains(id);
    }
}
