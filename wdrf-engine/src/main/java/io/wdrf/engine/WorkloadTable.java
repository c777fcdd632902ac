package io.wdrf.engine;

import io.wdrf.api.PendingWorkload;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reconciler's per-cycle table workload id → pending workload: one open-addressed table (linear probing, no
 * per-entry objects) whose arrays are reused from cycle to cycle, so filling it with every pending workload allocates
 * nothing in a steady state (a {@code HashMap} made one node per pending workload and cycle).
 *
 * <p>Keyed by the identity of the id objects: the engine's decisions carry the very id objects of the pending
 * workloads they are for, so a lookup neither hashes nor compares the id's strings (at 40k pending those reads were
 * most of the reconciler's own time). An id equal to a key but not the same object is found too: the first such
 * lookup of a fill builds an equality map of the fill (a policy may build its own ids). Not thread-safe: owned by the
 * cycle that filled it.
 */
final class WorkloadTable {

    private WorkloadId[] keys = new WorkloadId[16];
    private Workload[] values = new Workload[16];
    private int size;
    /** The fill by equality, built on the first lookup that missed by identity; null until then. */
    private Map<WorkloadId, Workload> byEquality;
    private List<PendingWorkload> filled = List.of();

    /** Empties the table and fills it with the pending workloads (ids unique, as in a policy context). */
    WorkloadTable fill(List<PendingWorkload> pending) {
        int want = capacityFor(pending.size());
        if (keys.length < want || keys.length > 8 * want) {
            keys = new WorkloadId[want];
            values = new Workload[want];
        } else if (size > 0) {
            Arrays.fill(keys, null);
            Arrays.fill(values, null);
        }
        size = 0;
        byEquality = null;
        filled = pending;
        int mask = keys.length - 1;
        for (PendingWorkload p : pending) {
            WorkloadId id = p.id();
            int i = slot(id, mask);
            while (keys[i] != null && keys[i] != id) {
                i = (i + 1) & mask;
            }
            if (keys[i] == null) {
                keys[i] = id;
                size++;
            }
            values[i] = p.workload();
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
            byEquality = new HashMap<>(filled.size() * 2);
            for (PendingWorkload p : filled) {
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
