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
     * Judges a write of {@code target} to a workload whose current effective priority ({@code current}) differs
     * from it. An external overwrite is a change of the object since WDRF's last write that left a value other than
     * the one WDRF wrote; it is detected (and counted towards the bounded fight) whether or not WDRF's target moved
     * meanwhile (aging moves it every few cycles).
     */
    Judgement judge(WorkloadId id, String uid, String resourceVersion, int current, int target, Instant now) {
        Entry e = entries.get(id);
        if (e == null || !e.uid().equals(uid)) {
            return new Judgement(Verdict.WRITE, false);
        }
        boolean changedSinceSeen = resourceVersion == null || !resourceVersion.equals(e.resourceVersion());
        boolean windowExpired = e.windowStart() == null || Duration.between(e.windowStart(), now).compareTo(window) > 0;
        if (e.suppressed()) {
            if (windowExpired) {
                entries.put(id, new Entry(uid, target, resourceVersion, 0, now, false));
                return new Judgement(Verdict.WRITE, changedSinceSeen);
            }
            entries.put(id, new Entry(uid, e.target(), resourceVersion, e.overrides(), e.windowStart(), true));
            return new Judgement(Verdict.SUPPRESS, changedSinceSeen);
        }
        boolean external = changedSinceSeen && current != e.target();
        if (!external) {
            // same target: the view has not caught up with our own write yet; new target: an ordinary change
            return new Judgement(e.target() == target ? Verdict.LAG : Verdict.WRITE, false);
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
