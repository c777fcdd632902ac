package io.wdrf.engine;

import io.wdrf.api.WorkloadId;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Remembers what WDRF wrote, to tell an external overwrite (Kueue re-applying a WorkloadPriorityClass value, a
 * user's kubectl) from informer lag, and to stop re-applying after a bounded number of fights.
 */
final class WriteLedger {

    enum Verdict { WRITE, LAG, SUPPRESS }

    private record Entry(String uid, int target, String resourceVersion, int overrides, Instant windowStart,
                         boolean suppressed) {
    }

    private final Map<WorkloadId, Entry> entries = new HashMap<>();
    private final int maxOverrideRewrites;
    private final Duration window;

    WriteLedger(int maxOverrideRewrites, Duration window) {
        this.maxOverrideRewrites = maxOverrideRewrites;
        this.window = window;
    }

    /** Result of judging a needed write: the verdict and whether an external overwrite was just detected. */
    record Judgement(Verdict verdict, boolean overrideDetected) {
    }

    /**
     * Judges a write of {@code target} to a workload whose current effective priority differs from it.
     */
    Judgement judge(WorkloadId id, String uid, String resourceVersion, int target, Instant now) {
        Entry e = entries.get(id);
        if (e == null || !e.uid().equals(uid) || e.target() != target) {
            return new Judgement(Verdict.WRITE, false);
        }
        boolean changedSinceSeen = resourceVersion == null || !resourceVersion.equals(e.resourceVersion());
        boolean windowExpired = e.windowStart() == null || Duration.between(e.windowStart(), now).compareTo(window) > 0;
        if (e.suppressed()) {
            if (windowExpired) {
                entries.put(id, new Entry(uid, target, resourceVersion, 0, now, false));
                return new Judgement(Verdict.WRITE, changedSinceSeen);
            }
            entries.put(id, new Entry(uid, target, resourceVersion, e.overrides(), e.windowStart(), true));
            return new Judgement(Verdict.SUPPRESS, changedSinceSeen);
        }
        if (!changedSinceSeen) {
            // the view has not caught up with our own write yet
            return new Judgement(Verdict.LAG, false);
        }
        Instant start = windowExpired ? now : e.windowStart();
        int overrides = (windowExpired ? 0 : e.overrides()) + 1;
        boolean suppress = overrides > maxOverrideRewrites;
        entries.put(id, new Entry(uid, target, resourceVersion, overrides, start, suppress));
        return new Judgement(suppress ? Verdict.SUPPRESS : Verdict.WRITE, true);
    }

    void written(WorkloadId id, String uid, int target, String resourceVersionBefore) {
        Entry e = entries.get(id);
        boolean same = e != null && e.uid().equals(uid);
        entries.put(id, new Entry(uid, target, resourceVersionBefore, same ? e.overrides() : 0, same ? e.windowStart() : null, false));
    }

    /** Forgets workloads that are no longer pending. */
    void retain(Set<WorkloadId> pending) {
        entries.keySet().retainAll(pending);
    }

    int size() {
        return entries.size();
    }
}
