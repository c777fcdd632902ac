package io.wdrf.engine;

import io.wdrf.api.PendingWorkload;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;

import java.util.Arrays;
import java.util.List;

/**
 * The reconciler's per-cycle table workload id → workload: one open-addressed table (linear probing, no per-entry
 * objects) whose arrays are reused from cycle to cycle, so filling it with every pending workload allocates nothing
 * in a steady state (a {@code HashMap} made one node per pending workload and cycle). Not thread-safe: owned by the
 * cycle that filled it. Keys are compared by identity first (the engine hands out the same id objects), then by
 * equality.
 */
final class WorkloadTable {

    private WorkloadId[] keys = new WorkloadId[16];
    private Workload[] values = new Workload[16];
    private int size;

    /** Empties the table and fills it with the pending workloads (ids unique, as in a policy context). */
    WorkloadTable fill(List<PendingWorkload> pending) {
        clear(pending.size());
        for (PendingWorkload p : pending) {
            put(p.id(), p.workload());
        }
        return this;
    }

    /** Empties the table, sized for {@code expected} entries (grown, or shrunk when far too large). */
    void clear(int expected) {
        int want = capacityFor(expected);
        if (keys.length < want || keys.length > 8 * want) {
            keys = new WorkloadId[want];
            values = new Workload[want];
        } else if (size > 0) {
            Arrays.fill(keys, null);
            Arrays.fill(values, null);
        }
        size = 0;
    }

    private static int capacityFor(int n) {
        int c = 16;
        while (c < 2L * n + 2) {
            c <<= 1;
        }
        return c;
    }

    private static int slot(WorkloadId id, int mask) {
        int h = id.hashCode() * 0x9E3779B9;
        return (h ^ (h >>> 15)) & mask;
    }

    private int find(WorkloadId id) {
        int mask = keys.length - 1;
        for (int i = slot(id, mask); ; i = (i + 1) & mask) {
            WorkloadId k = keys[i];
            if (k == null || k == id || k.equals(id)) {
                return i;
            }
        }
    }

    /** Puts or replaces the workload of {@code id}. */
    void put(WorkloadId id, Workload w) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int i = find(id);
        if (keys[i] == null) {
            keys[i] = id;
            size++;
        }
        values[i] = w;
    }

    private void grow() {
        WorkloadId[] k = keys;
        Workload[] v = values;
        keys = new WorkloadId[k.length * 2];
        values = new Workload[k.length * 2];
        size = 0;
        for (int i = 0; i < k.length; i++) {
            if (k[i] != null) {
                put(k[i], v[i]);
            }
        }
    }

    /** The workload of {@code id}, or null. */
    Workload get(WorkloadId id) {
        return values[find(id)];
    }

    boolean containsKey(WorkloadId id) {
        return keys[find(id)] != null;
    }

    int size() {
        return size;
    }
}
