package io.wdrf.kueue;

import io.wdrf.api.Admission;
import io.wdrf.api.ResourceFlavorInfo;
import io.wdrf.api.WorkloadId;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * One admission cycle (Kueue {@code pkg/scheduler/scheduler.go}, {@code schedule()} repeated until quiescent):
 * <ul>
 *   <li>Every round takes the current head of every ClusterQueue (name order) and orders the heads: with Fair
 *       Sharing by {@link FairSharing}'s tournament (one pop at a time, shares recomputed after each decision),
 *       else like Kueue's classical iterator: lower borrowing level first (0 = within nominal; a head that does not fit ranks with the
 *       highest level of its tree, at least 1), then effective priority desc
 *       ({@code PrioritySortingWithinCohort}), queue-order time asc, UID, ClusterQueue name.</li>
 *   <li>Each head, in that order, is assigned flavors against the usage left by the heads before it; it is
 *       admitted when it fits, else it tries preemption ({@link Preemptor}); when neither works it is set aside
 *       (BestEffortFIFO) or blocks its queue for the cycle (StrictFIFO).</li>
 *   <li>Rounds repeat until no ClusterQueue has a head left; quota only shrinks within a cycle (preemption aside,
 *       which forgets the remembered failures of its cohort tree), so this equals Kueue scheduling until
 *       quiescent.</li>
 * </ul>
 */
final class Scheduler {

    /** One decision: admit with {@code admission}, or evict by preemption when {@code admission} is null. */
    record Action(WorkloadId id, Admission admission) {
        boolean isAdmission() {
            return admission != null;
        }
    }

    /** Decisions of one cycle, in order, and the reasons why the other pending workloads stay pending. */
    record Outcome(List<Action> actions, SortedMap<WorkloadId, String> inadmissible) {
    }

    private record Head(ClusterQueueHeap cq, Requests.Queued queued, int borrowingLevel) {
    }

    private final Map<String, ClusterQueueHeap> heaps;
    private final QuotaTree tree;
    private final FlavorAssigner assigner;
    private final Preemptor preemptor;
    /** Workloads holding quota, by id: built on the first preemption attempt ({@link #held()}). */
    private java.util.TreeMap<WorkloadId, Requests.Held> held;
    private final java.util.function.Supplier<java.util.TreeMap<WorkloadId, Requests.Held>> heldSource;
    /** This cycle's admissions made before {@link #held} was built. */
    private final List<Requests.Held> admittedBeforeHeld = new ArrayList<>();
    private final FairSharing fairSharing;
    private final AdmissionFairSharing afs;
    private final SortedMap<WorkloadId, String> inadmissible;
    /**
     * Whether reasons are built: false when {@link #inadmissible} keeps none, then a failure's reason is the empty
     * string (the failure memo only tells known failures from unknown ones; nothing else reads a reason).
     */
    private final boolean explain;
    private final List<Action> actions = new ArrayList<>();

    /**
     * @param heaps        ClusterQueue heaps by name, sorted and filled
     * @param tree         quota tree charged with every held workload
     * @param flavors      ResourceFlavors by name
     * @param held         workloads holding quota, by id (a new mutable map, asked for at most once, when the
     *                     cycle first tries preemption; updated as the cycle admits and evicts)
     * @param coverage     {@link FlavorAssigner#coverage} of the heaps' ClusterQueues
     * @param inadmissible reasons found while queueing (added to)
     * @param explain      whether to build reasons (false when {@code inadmissible} keeps none)
     * @param fairSharing  Kueue's Fair Sharing configuration, or null for the classical order and preemption
     * @param afs          the Admission Fair Sharing ledger (charged with this cycle's admissions), or null
     */
    Scheduler(Map<String, ClusterQueueHeap> heaps, QuotaTree tree, Map<String, ResourceFlavorInfo> flavors,
              Map<String, Map<String, List<String>>> coverage,
              java.util.function.Supplier<java.util.TreeMap<WorkloadId, Requests.Held>> held,
              SortedMap<WorkloadId, String> inadmissible, boolean explain,
              FairSharingConfig fairSharing, AdmissionFairSharing afs) {
        this.heaps = heaps;
        this.tree = tree;
        this.assigner = new FlavorAssigner(flavors, tree, coverage);
        this.explain = explain;
        this.preemptor = new Preemptor(tree, assigner, fairSharing);
        this.fairSharing = fairSharing == null ? null : new FairSharing(tree);
        this.afs = afs;
        this.heldSource = held;
        this.inadmissible = inadmissible;
    }

    Outcome run() {
        heaps.values().forEach(this::settle);
        while (round()) {
            // repeat until no ClusterQueue has a head
        }
        for (ClusterQueueHeap s : heaps.values()) {
            if (s.blocked() && explain) {
                WorkloadId head = s.blockingHead().workload().id();
                for (Requests.Queued q : s.behindHead()) {
                    inadmissible.put(q.workload().id(), "ClusterQueue " + s.name()
                            + " is StrictFIFO and its head " + head + " does not fit");
                }
            }
        }
        return new Outcome(List.copyOf(actions), inadmissible);
    }

    /** One round over the heads; false when no ClusterQueue had a head. */
    private boolean round() {
        if (fairSharing == null) {
            // one head (e.g. a single ClusterQueue): nothing to order, so its borrowing level is not needed
            ClusterQueueHeap only = null;
            int count = 0;
            for (ClusterQueueHeap s : heaps.values()) {
                if (s.head() != null) {
                    only = s;
                    if (++count > 1) {
                        break;
                    }
                }
            }
            if (count == 0) {
                return false;
            }
            if (count == 1) {
                process(only, only.head());
                return true;
            }
        }
        List<Head> heads = new ArrayList<>();
        List<FairSharing.Entry> entries = new ArrayList<>();
        for (ClusterQueueHeap s : heaps.values()) {
            Requests.Queued q = s.head();
            if (q != null) {
                FlavorAssigner.Fit f = s.knownFailure(q.podSets()) != null ? FlavorAssigner.Fit.NO
                        : assigner.assign(s.name(), q.podSets(), false);
                // a head that does not fit now ranks with the borrowing ones (it needs preemption or waits)
                heads.add(new Head(s, q, f.fits() ? f.borrowingLevel() : Math.max(1, tree.root(s.name()).height)));
                entries.add(new FairSharing.Entry(s, q, f.usage()));
            }
        }
        if (heads.isEmpty()) {
            return false;
        }
        if (fairSharing != null) {
            while (!entries.isEmpty()) {
                FairSharing.Entry e = fairSharing.pop(entries);
                process(e.cq(), e.queued());
            }
            return true;
        }
        heads.sort(Comparator.comparingInt(Head::borrowingLevel)
                .thenComparing(h -> h.queued().workload(), ClusterQueueHeap.ORDER)
                .thenComparing(h -> h.cq().name()));
        for (Head h : heads) {
            process(h.cq(), h.queued());
        }
        return true;
    }

    /** Admits, preempts for, sets aside or blocks on one head. */
    private void process(ClusterQueueHeap s, Requests.Queued q) {
        String known = s.knownFailure(q.podSets());
        FlavorAssigner.Fit f = known != null ? FlavorAssigner.Fit.no(known) : assigner.assign(s.name(), q.podSets(), false);
        if (f.fits()) {
            admit(s, q, f);
        } else if (!preempt(s, q)) {
            String reason = known;
            if (reason == null) {
                reason = explain ? assigner.assign(s.name(), q.podSets(), true).reason() : f.reason();
                s.rememberFailure(q.podSets(), reason);
            }
            inadmissible.put(q.workload().id(), reason);
            if (s.strict()) {
                s.block();
                return;
            }
        }
        s.pop();
    }

    private void admit(ClusterQueueHeap s, Requests.Queued q, FlavorAssigner.Fit f) {
        Admission admission = new Admission(s.name(), f.assignments());
        Requests.Held h = new Requests.Held(q.workload(), s.name(), f.usage(), null);
        if (held != null) {
            held.put(q.workload().id(), h);
        } else {
            admittedBeforeHeld.add(h);
        }
        tree.charge(s.name(), f.usage(), 1);
        if (afs != null) {
            afs.admitted(q.workload(), f.usage());
        }
        actions.add(new Action(q.workload().id(), admission));
        settle(s);
    }

    /**
     * Lets a queue whose walk may stop early remember now which of the shapes still ahead do not fit (the reason
     * {@link #process} would give), at the start and after each of its admissions: see
     * {@link ClusterQueueHeap#settle}.
     */
    private void settle(ClusterQueueHeap s) {
        s.settle(shape -> assigner.fits(s.name(), shape) ? null
                : explain ? assigner.assign(s.name(), shape, true).reason() : "");
    }

    private Map<WorkloadId, Requests.Held> held() {
        if (held == null) {
            held = heldSource.get();
            admittedBeforeHeld.forEach(h -> held.put(h.workload().id(), h));
            admittedBeforeHeld.clear();
        }
        return held;
    }

    private boolean preempt(ClusterQueueHeap s, Requests.Queued q) {
        if (!Preemptor.mayPreempt(s.info)) {
            return false; // Preemptor.targets would find none; the held workloads are not even needed
        }
        Map<WorkloadId, Requests.Held> held = held();
        List<Requests.Held> targets = preemptor.targets(s.info, q, held);
        if (targets.isEmpty()) {
            return false;
        }
        for (Requests.Held t : targets) {
            tree.charge(t.clusterQueue(), t.usage(), -1);
            held.remove(t.workload().id());
            actions.add(new Action(t.workload().id(), null));
        }
        admit(s, q, assigner.assign(s.name(), q.podSets(), false));
        for (String name : tree.treeQueues(s.name())) {
            ClusterQueueHeap m = heaps.get(name);
            if (m != null) {
                m.forgetFailures();
            }
        }
        return true;
    }
}
