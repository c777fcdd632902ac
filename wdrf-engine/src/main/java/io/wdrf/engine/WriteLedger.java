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

    private record Entry(String uid, int target, String resourceVersionAtWrite, int overrides, Instant windowStart) {
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
        if (resourceVersion != null && resourceVersion.equals(e.resourceVersionAtWrite())) {
            // the view has not caught up with our own write yet
            return new Judgement(Verdict.LAG, false);
        }
        Instant start = e.windowStart();
        int overrides = e.overrides();
        if (start == null || Duration.between(start, now).compareTo(window) > 0) {
            start = now;
            overrides = 0;
        }
        overrides++;
        entries.put(id, new Entry(e.uid(), e.target(), resourceVersion, overrides, start));
        return new Judgement(overrides > maxOverrideRewrites ? Verdict.SUPPRESS : Verdict.WRITE, true);
    }

    void written(WorkloadId id, String uid, int target, String resourceVersionBefore) {
        Entry e = entries.get(id);
        int overrides = e != null && e.uid().equals(uid) ? e.overrides() : 0;
        Instant start = e != null && e.uid().equals(uid) ? e.windowStart() : null;
        entries.put(id, new Entry(uid, target, resourceVersionBefore, overrides, start));
    }

    /** Forgets workloads that are no longer pending. */
    void retain(Set<WorkloadId> pending) {
        entries.keySet().retainAll(pending);
    }

    int size() {
        return entries.size();
    }
}
