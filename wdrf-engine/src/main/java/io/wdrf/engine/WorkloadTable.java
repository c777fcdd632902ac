package io.wdrf.engine;

import io.wdrf.api.PendingWorkload;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reconciler's table workload id → pending workload of the current cycle: one open-addressed table (linear
 * probing, no per-entry objects) kept from cycle to cycle and edited with what changed ({@link #update}), so a cycle
 * neither hashes every pending workload again nor allocates one node per workload (a {@code HashMap} did both).
 *
 * <p>Keyed by the identity of the id objects: the engine's decisions carry the very id objects of the pending
 * workloads they are for, so a lookup neither hashes nor compares the id's strings (at 40k pending those reads were
 * most of the reconciler's own time). An id equal to a key but not the same object is found too: the first such
 * lookup after an update builds an equality map of the pending list (a policy may build its own ids). Not
 * thread-safe: owned by the reconciler's cycles, which are serialised.
 */
final class WorkloadTable {

    private WorkloadId[] keys = new WorkloadId[16];
    private Workload[] values = new Workload[16];
    private int size;
    /** The pending list the table holds, by id (the policy context's order). */
    private List<PendingWorkload> current = List.of();
    /** The current list by equality, built on the first lookup that missed by identity; null until then. */
    private Map<WorkloadId, Workload> byEquality;

    /**
     * Makes the table hold {@code pending} (sorted by id with unique ids, as a policy context's): edited from the last
     * list by one merge walk over both, which compares ids only where the objects differ; filled from scratch when
     * most of it changed or the table must be resized.
     */
    WorkloadTable update(List<PendingWorkload> pending) {
        byEquality = null;
        List<PendingWorkload> last = current;
        current = pending;
        int want = capacityFor(pending.size());
        if (keys.length < want || keys.length > 8 * want || last.isEmpty()) {
            return fill(pending, want);
        }
        int i = 0;
        int j = 0;
        int m = pending.size();
        int n = last.size();
        int edits = 0;
        while (i < n || j < m) {
            PendingWorkload p = i < n ? last.get(i) : null;
            PendingWorkload q = j < m ? pending.get(j) : null;
            if (p == q) {
                i++;
                j++;
                continue;
            }
            int c = p == null ? 1 : q == null ? -1 : p.id().compareTo(q.id());
            if (c < 0) {
                remove(p.id());
                i++;
            } else if (c > 0) {
                put(q.id(), q.workload());
                j++;
            } else {
                if (p.id() != q.id()) {
                    remove(p.id());
                }
                put(q.id(), q.workload());
                i++;
                j++;
            }
            if (++edits > m / 2 + 16) {
                return fill(pending, want); // most of it changed: cheaper from scratch
            }
        }
        if (size != m) {
            return fill(pending, want); // not the promised order (a duplicate or unsorted list): start over
        }
        return this;
    }

    private WorkloadTable fill(List<PendingWorkload> pending, int capacity) {
        if (keys.length != capacity) {
            keys = new WorkloadId[capacity];
            values = new Workload[capacity];
        } else {
            Arrays.fill(keys, null);
            Arrays.fill(values, null);
        }
        size = 0;
        for (PendingWorkload p : pending) {
            put(p.id(), p.workload());
        }
        return this;
    }

    private static int capacityFor(int n) {
        int c = 16;
        while (c < 2L * n + 2) {
            c <<= 1;
        }
        return c;
    }

    private static int slot(WorkloadId id, int mask) {
        int h = System.identityHashCode(id) * 0x9E3779B9;
        return (h ^ (h >>> 15)) & mask;
    }

    private void put(WorkloadId id, Workload w) {
        if (2 * (size + 1) > keys.length) {
            WorkloadId[] k = keys;
            Workload[] v = values;
            keys = new WorkloadId[k.length * 2];
            values = new Workload[k.length * 2];
            size = 0;
            for (int x = 0; x < k.length; x++) {
                if (k[x] != null) {
                    put(k[x], v[x]);
                }
            }
        }
        int mask = keys.length - 1;
        int i = slot(id, mask);
        while (keys[i] != null && keys[i] != id) {
            i = (i + 1) & mask;
        }
        if (keys[i] == null) {
            keys[i] = id;
            size++;
        }
        values[i] = w;
    }

    /** Removes the entry of the very object {@code id} (backward-shift deletion: no tombstones). */
    private void remove(WorkloadId id) {
        int mask = keys.length - 1;
        int i = slot(id, mask);
        while (keys[i] != id) {
            if (keys[i] == null) {
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = null;
        values[i] = null;
        size--;
        // move later entries of the probe run back into the gap when their home slot allows it
        int gap = i;
        for (int k = (i + 1) & mask; keys[k] != null; k = (k + 1) & mask) {
            int home = slot(keys[k], mask);
            // the entry at k may fill the gap unless its home lies cyclically in (gap, k]
            boolean homeAfterGap = gap <= k ? (gap < home && home <= k) : (gap < home || home <= k);
            if (!homeAfterGap) {
                keys[gap] = keys[k];
                values[gap] = values[k];
                keys[k] = null;
                values[k] = null;
                gap = k;
            }
        }
    }

    /** The pending workload of {@code id}, or null. */
    Workload get(WorkloadId id) {
        int mask = keys.length - 1;
        for (int i = slot(id, mask); ; i = (i + 1) & mask) {
            WorkloadId k = keys[i];
            if (k == id) {
                return values[i];
            }
            if (k == null) {
                return byEquality(id);
            }
        }
    }

    private Workload byEquality(WorkloadId id) {
        if (byEquality == null) {
            byEquality = new HashMap<>(current.size() * 2);
            for (PendingWorkload p : current) {
                byEquality.put(p.id(), p.workload());
            }
        }
        return byEquality.get(id);
    }

    boolean containsKey(WorkloadId id) {
        return get(id) != null;
    }

    int size() {
        return size;
    }
}
