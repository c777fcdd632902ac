package io.wdrf.engine;

import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.WorkloadId;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Remembers what WDRF wrote, to tell an external overwrite (Kueue re-applying a WorkloadPriorityClass value, a
 * user's kubectl) from informer lag, and to stop re-applying after a bounded number of fights.
 *
 * <p>The count survives restarts: every write carries {@link PriorityUpdate#WRITTEN_ANNOTATION} ({@link #record}),
 * and a workload this ledger has not seen yet is judged from that annotation ({@link #judge}'s {@code persisted}).
 */
final class WriteLedger {

    enum Verdict { WRITE, LAG, SUPPRESS }

    record Entry(String uid, int target, String resourceVersion, int overrides, Instant windowStart,
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
    Judgement judge(WorkloadId id, String uid, String resourceVersion, int current, int target, Instant now,
                    String persisted) {
        Entry e = entries.get(id);
        if (e == null || !e.uid().equals(uid)) {
            // first sight in this process (a restart): what an earlier process wrote, recorded on the object
            e = fromAnnotation(uid, persisted);
            if (e == null) {
                return new Judgement(Verdict.WRITE, false);
            }
            entries.put(id, e);
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

    /**
     * The value of {@link PriorityUpdate#WRITTEN_ANNOTATION} for a write of {@code target} now: the target and, while
     * a fight is counted in the current window, its count and start.
     */
    String record(WorkloadId id, String uid, int target) {
        Entry e = entries.get(id);
        if (e == null || !e.uid().equals(uid) || e.overrides() <= 0 || e.windowStart() == null) {
            return Integer.toString(target);
        }
        return target + ";overrides=" + e.overrides() + ";since=" + e.windowStart().getEpochSecond();
    }

    /** Longest annotation value read back; anything longer (or malformed) is ignored. */
    private static final int MAX_RECORD = 80;

    /**
     * The entry an earlier process left on the object, or null when absent or malformed. Its resourceVersion is
     * unknown (null), so any difference from the recorded value counts as an external overwrite.
     */
    static Entry fromAnnotation(String uid, String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_RECORD) {
            return null;
        }
        String[] parts = value.split(";", -1);
        try {
            int target = Integer.parseInt(parts[0].strip());
            int overrides = 0;
            Instant since = null;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].strip();
                if (p.startsWith("overrides=")) {
                    overrides = Integer.parseInt(p.substring("overrides=".length()));
                } else if (p.startsWith("since=")) {
                    since = Instant.ofEpochSecond(Long.parseLong(p.substring("since=".length())));
                } else {
                    return null;
                }
            }
            if (overrides < 0 || (overrides > 0) != (since != null)) {
                return null;
            }
            return new Entry(uid, target, null, overrides, since, false);
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return null;
        }
    }

    /** Forgets workloads that are no longer pending. */
    void retain(Set<WorkloadId> pending) {
        entries.keySet().retainAll(pending);
    }

    /** Forgets one workload (no longer pending nor protected). */
    void forget(WorkloadId id) {
        entries.remove(id);
    }

    /** The workloads with an entry (for tests). */
    Set<WorkloadId> ids() {
        return Set.copyOf(entries.keySet());
    }

    int size() {
        return entries.size();
    }
}
