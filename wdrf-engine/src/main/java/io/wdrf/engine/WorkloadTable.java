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
    /**
     * Per position of {@link #current}: its workload and id, so the next update compares workload objects without
     * reading the last cycle's pending workloads (at a later instant every pending workload is a new object for the
     * same workload, and reading each old one and its workload's id was most of the update). Two buffers in turn.
     */
    private Workload[] currentWorkloads = new Workload[0];
    private WorkloadId[] currentIds = new WorkloadId[0];
    private Workload[] spareWorkloads = new Workload[0];
    private WorkloadId[] spareIds = new WorkloadId[0];
    /**
     * Per position of {@link #current}: the position in {@link #previous} of the very same workload object (the same
     * or a new pending workload for it), or -1. Two buffers in turn.
     */
    private int[] previousPositions = new int[0];
    private int[] sparePositions = new int[0];
    /** The list the table held before {@link #current}, which {@link #previousPosition} refers to. */
    private List<PendingWorkload> previous = List.of();
    /** The current list by equality, built on the first lookup that missed by identity; null until then. */
    private Map<WorkloadId, Workload> byEquality;

    /**
     * Makes the table hold {@code pending} (sorted by id with unique ids, as a policy context's): edited from the last
     * list by one merge walk over both, which compares ids only where the workload objects differ (a new pending
     * workload for the same workload object changes nothing in the table); filled from scratch when most of it
     * changed or the table must be resized.
     */
    WorkloadTable update(List<PendingWorkload> pending) {
        byEquality = null;
        List<PendingWorkload> last = current;
        Workload[] lastWorkloads = currentWorkloads;
        WorkloadId[] lastIds = currentIds;
        current = pending;
        int m = pending.size();
        int n = last.size();
        Workload[] nowWorkloads = spareWorkloads.length >= m && spareWorkloads.length <= 2 * m + 16 ? spareWorkloads
                : new Workload[m + m / 8];
        WorkloadId[] nowIds = spareIds.length == nowWorkloads.length ? spareIds : new WorkloadId[nowWorkloads.length];
        spareWorkloads = lastWorkloads;
        spareIds = lastIds;
        currentWorkloads = nowWorkloads;
        currentIds = nowIds;
        int[] nowPrevious = sparePositions.length == nowWorkloads.length ? sparePositions : new int[nowWorkloads.length];
        sparePositions = previousPositions;
        previousPositions = nowPrevious;
        previous = last;
        int want = capacityFor(m);
        if (keys.length < want || keys.length > 8 * want || last.isEmpty()) {
            return fill(pending, want);
        }
        int i = 0;
        int j = 0;
        int edits = 0;
        while (i < n || j < m) {
            PendingWorkload q = j < m ? pending.get(j) : null;
            if (i < n && q != null && last.get(i) == q) { // the very same object: nothing of it is read
                nowWorkloads[j] = lastWorkloads[i];
                nowPrevious[j] = i;
                nowIds[j++] = lastIds[i++];
                continue;
            }
            Workload qw = q == null ? null : q.workload();
            if (i < n && qw != null && lastWorkloads[i] == qw) { // the same workload, e.g. at a later instant
                nowWorkloads[j] = qw;
                nowPrevious[j] = i;
                nowIds[j++] = lastIds[i++];
                continue;
            }
            WorkloadId pid = i < n ? lastIds[i] : null;
            WorkloadId qid = q == null ? null : q.id();
            int c = pid == null ? 1 : qid == null ? -1 : pid.compareTo(qid);
            if (c < 0) {
                remove(pid);
                i++;
            } else if (c > 0) {
                put(qid, qw);
                nowWorkloads[j] = qw;
                nowPrevious[j] = -1;
                nowIds[j++] = qid;
            } else { // a new version of the same id: another workload object
                if (pid != qid) {
                    remove(pid);
                }
                put(qid, qw);
                nowWorkloads[j] = qw;
                nowPrevious[j] = -1;
                nowIds[j++] = qid;
                i++;
            }
            if (++edits > m / 2 + 16) {
                return fill(pending, want); // most of it changed: cheaper from scratch
            }
        }
        if (size != m) {
            return fill(pending, want); // not the promised order (a duplicate or unsorted list): start over
        }
        clearTail(nowWorkloads, nowIds, m);
        return this;
    }

    /** The buffers' positions from {@code m} on hold nothing (a buffer keeps no workload that went away alive). */
    private static void clearTail(Workload[] workloads, WorkloadId[] ids, int m) {
        Arrays.fill(workloads, m, workloads.length, null);
        Arrays.fill(ids, m, ids.length, null);
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
        int j = 0;
        for (PendingWorkload p : pending) {
            WorkloadId id = p.id();
            Workload w = p.workload();
            put(id, w);
            currentWorkloads[j] = w;
            previousPositions[j] = -1; // filled from scratch: no pairing with the last list is known
            currentIds[j++] = id;
        }
        clearTail(currentWorkloads, currentIds, j);
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

    /**
     * The position in {@link #previousList()} of the very workload object at {@code position} of the list the table
     * now holds, or -1 (a new workload or version, or a table filled from scratch).
     */
    int previousPosition(int position) {
        return previousPositions[position];
    }

    /** The list the table held before the last {@link #update}. */
    List<PendingWorkload> previousList() {
        return previous;
    }

    boolean containsKey(WorkloadId id) {
        return get(id) != null;
    }

    int size() {
        return size;
    }
}
