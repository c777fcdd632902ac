package io.wdrf.testkit;

import io.wdrf.api.ClusterView;
import io.wdrf.api.PriorityTarget;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.PriorityWriter;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.api.WriteOutcome;
import io.wdrf.api.WriteResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A toy controller for validating {@link ReconcileCompatibilityKit}: each admissible pending workload gets a fixed
 * priority derived from its name; a write is skipped while the view has not yet seen the previous write (same
 * resourceVersion), and a workload is left alone after {@code maxFights} external overwrites.
 */
final class ReferenceController implements KitController {

    /** Ways to break the controller. */
    enum Flaw { NONE, ALWAYS_WRITE, NO_FIGHT_LIMIT_DOUBLE_WRITE }

    private final ClusterView view;
    private final PriorityWriter writer;
    private final Flaw flaw;
    private final PriorityTarget target;
    private final int maxFights = 3;
    private final Map<WorkloadId, String> writtenAtRv = new HashMap<>();
    private final Map<WorkloadId, Integer> fights = new HashMap<>();

    ReferenceController(ClusterView view, PriorityWriter writer, Flaw flaw) {
        this(view, writer, flaw, PriorityTarget.SPEC_PRIORITY);
    }

    ReferenceController(ClusterView view, PriorityWriter writer, Flaw flaw, PriorityTarget target) {
        this.view = view;
        this.writer = writer;
        this.flaw = flaw;
        this.target = target;
    }

    static int decide(WorkloadId id) {
        return 1000 + id.name().chars().sum() % 97;
    }

    @Override
    public synchronized void runOnce() {
        List<Workload> pending = new ArrayList<>(view.snapshot().workloads().stream().filter(Workload::isAdmissible).toList());
        pending.sort(Comparator.comparing(Workload::id));
        List<PriorityUpdate> updates = new ArrayList<>();
        for (Workload w : pending) {
            int decided = decide(w.id());
            Integer current = target == PriorityTarget.SPEC_PRIORITY ? w.priority() : w.priorityBoost();
            boolean differs = !Integer.valueOf(decided).equals(current);
            if (flaw == Flaw.ALWAYS_WRITE) {
                updates.add(update(w, decided));
                continue;
            }
            if (!differs) {
                continue;
            }
            String rvAtWrite = writtenAtRv.get(w.id());
            if (rvAtWrite != null && rvAtWrite.equals(w.resourceVersion())) {
                continue; // our own write is not visible yet
            }
            if (rvAtWrite != null) {
                int n = fights.merge(w.id(), 1, Integer::sum);
                if (n > maxFights && flaw != Flaw.NO_FIGHT_LIMIT_DOUBLE_WRITE) {
                    continue; // someone keeps overwriting: stop fighting
                }
            }
            updates.add(update(w, decided));
            if (flaw == Flaw.NO_FIGHT_LIMIT_DOUBLE_WRITE) {
                updates.add(update(w, decided));
            }
            writtenAtRv.put(w.id(), w.resourceVersion());
        }
        WriteResult r = writer.apply(updates);
        for (WriteResult.Item i : r.items()) {
            if (i.outcome() != WriteOutcome.WRITTEN) {
                writtenAtRv.remove(i.workloadId()); // retry next cycle
            }
        }
    }

    private PriorityUpdate update(Workload w, int decided) {
        return new PriorityUpdate(w.id(), w.uid(), target, decided, w.priority(), null);
    }
}
