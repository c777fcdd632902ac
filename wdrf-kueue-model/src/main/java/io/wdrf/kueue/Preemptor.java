package io.wdrf.kueue;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.Workload;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Preemption; with Fair Sharing the candidates found here go to {@link FairSharing}'s strategies, else classical
 * preemption (Kueue {@code pkg/scheduler/preemption/preemption.go}, candidate order of
 * {@code preemption/common/ordering.go}, candidate groups of {@code preemption/classical/candidate_generator.go};
 * flat cohorts: no hierarchical advantage):
 * <ul>
 *   <li>Candidates use a flavor-resource the preemptor needs: admitted workloads of its own ClusterQueue allowed by
 *       {@code withinClusterQueue}, and of other ClusterQueues of its cohort tree that borrow in such a
 *       flavor-resource, allowed by {@code reclaimWithinCohort} ({@code Any}: any priority).</li>
 *   <li>Policies: {@code LowerPriority} (strictly lower effective priority), {@code LowerOrNewerEqualPriority}
 *       (also equal priority with a later queue-order time), {@code Any}.</li>
 *   <li>Order: other ClusterQueues' candidates before the own queue's; within a group lowest priority first, then
 *       most recent quota reservation first (admitted in this cycle = newest), then UID.</li>
 *   <li>A candidate of another ClusterQueue reclaimed while that queue is back within nominal is skipped.
 *       Reclaiming from another queue without {@code borrowWithinCohort: LowerPriority} (for a lower-priority
 *       candidate) requires the preemptor to fit without borrowing; attempts with and without borrowing follow
 *       Kueue's order.</li>
 *   <li>Minimal set: candidates are removed in order until the preemptor fits, then added back in reverse order
 *       when it still fits without them ({@code fillBackWorkloads}).</li>
 * </ul>
 */
final class Preemptor {

    static final String LOWER_PRIORITY = "LowerPriority";
    static final String LOWER_OR_NEWER_EQUAL_PRIORITY = "LowerOrNewerEqualPriority";
    static final String ANY = "Any";

    /** Kueue's {@code CandidatesOrdering} within one group. */
    static final Comparator<Requests.Held> CANDIDATE_ORDER = Comparator
            .comparingInt((Requests.Held h) -> h.workload().effectivePriority())
            .thenComparing(Requests.Held::reservedAt, Comparator.nullsFirst(Comparator.<Instant>reverseOrder()))
            .thenComparing(h -> h.workload().uid())
            .thenComparing(h -> h.workload().id());

    private final QuotaTree tree;
    private final FlavorAssigner assigner;
    private final FairSharingConfig fairSharingConfig;
    private final FairSharing fairSharing;

    /** @param fairSharing Kueue's Fair Sharing configuration, or null for classical preemption */
    Preemptor(QuotaTree tree, FlavorAssigner assigner, FairSharingConfig fairSharing) {
        this.tree = tree;
        this.assigner = assigner;
        this.fairSharingConfig = fairSharing;
        this.fairSharing = fairSharing == null ? null : new FairSharing(tree);
    }

    /** Whether the ClusterQueue may preempt at all ({@code withinClusterQueue} or {@code reclaimWithinCohort}). */
    static boolean mayPreempt(ClusterQueueInfo cq) {
        return !ClusterQueueInfo.NEVER.equals(cq.withinClusterQueue())
                || !ClusterQueueInfo.NEVER.equals(cq.reclaimWithinCohort());
    }

    private record Candidate(Requests.Held held, boolean ownQueue, boolean reclaimWithoutBorrowing) {
    }

    /**
     * The workloads to evict so that {@code preemptor} fits in {@code cq}, or an empty list when preemption cannot
     * make it fit. The quota tree is left as it was.
     */
    List<Requests.Held> targets(ClusterQueueInfo cq, Requests.Queued preemptor, Map<?, Requests.Held> held) {
        boolean within = !ClusterQueueInfo.NEVER.equals(cq.withinClusterQueue());
        boolean reclaim = !ClusterQueueInfo.NEVER.equals(cq.reclaimWithinCohort());
        if (!mayPreempt(cq) || held.isEmpty()) {
            return List.of();
        }
        List<String> cohortQueues = reclaim ? tree.treeQueues(cq.name()) : List.of(cq.name());
        Set<String> others = new TreeSet<>(cohortQueues);
        others.remove(cq.name());
        List<Candidate> own = new ArrayList<>();
        List<Candidate> other = new ArrayList<>();
        Workload p = preemptor.workload();
        boolean borrowAllowed = LOWER_PRIORITY.equals(cq.borrowWithinCohort());
        for (Requests.Held h : held.values()) {
            if (h.clusterQueue().equals(cq.name())) {
                if (within && satisfies(cq.withinClusterQueue(), p, h.workload())) {
                    own.add(new Candidate(h, true, false));
                }
            } else if (others.contains(h.clusterQueue()) && satisfies(cq.reclaimWithinCohort(), p, h.workload())) {
                boolean whileBorrowing = borrowAllowed && h.workload().effectivePriority() < p.effectivePriority();
                other.add(new Candidate(h, false, !whileBorrowing));
            }
        }
        if (own.isEmpty() && other.isEmpty()) {
            return List.of();
        }
        // cheap rejection: if evicting every candidate is not enough, no subset is
        List<Candidate> all = new ArrayList<>(other);
        all.addAll(own);
        all.forEach(c -> tree.charge(c.held().clusterQueue(), c.held().usage(), -1));
        FlavorAssigner.Fit best = assigner.assign(cq.name(), preemptor.podSets(), false);
        all.forEach(c -> tree.charge(c.held().clusterQueue(), c.held().usage(), 1));
        if (!best.fits()) {
            return List.of();
        }
        Set<FlavorResource> needed = best.usage().keySet();
        own.removeIf(c -> !uses(c.held(), needed));
        other.removeIf(c -> !uses(c.held(), needed) || !borrowingIn(c.held().clusterQueue(), needed));
        own.sort(Comparator.comparing(Candidate::held, CANDIDATE_ORDER));
        other.sort(Comparator.comparing(Candidate::held, CANDIDATE_ORDER));
        if (fairSharing != null) {
            // Kueue's CandidatesOrdering puts the own ClusterQueue's candidates first
            List<Requests.Held> fsCandidates = new ArrayList<>();
            own.forEach(c -> fsCandidates.add(c.held()));
            other.forEach(c -> fsCandidates.add(c.held()));
            return fairSharing.targets(cq.name(), fsCandidates, best.usage(), fairSharingConfig.preemptionStrategies(),
                    () -> assigner.assign(cq.name(), preemptor.podSets(), false).fits());
        }
        List<Candidate> ordered = new ArrayList<>(other);
        ordered.addAll(own);
        boolean borrowForbidden = !borrowAllowed;
        List<Boolean> attempts;
        if (other.isEmpty() || (borrowForbidden && !underNominal(cq.name(), needed))) {
            attempts = List.of(true);
        } else if (borrowForbidden) {
            attempts = List.of(false, true);
        } else {
            attempts = List.of(true, false);
        }
        for (boolean borrow : attempts) {
            List<Candidate> removed = new ArrayList<>();
            boolean fits = false;
            for (Candidate c : ordered) {
                if (!c.ownQueue() && ((borrow && c.reclaimWithoutBorrowing())
                        || !borrowingIn(c.held().clusterQueue(), needed))) {
                    continue;
                }
                tree.charge(c.held().clusterQueue(), c.held().usage(), -1);
                removed.add(c);
                if (fits(cq.name(), preemptor, borrow)) {
                    fits = true;
                    break;
                }
            }
            if (fits) {
                for (int i = removed.size() - 2; i >= 0; i--) {
                    Candidate c = removed.get(i);
                    tree.charge(c.held().clusterQueue(), c.held().usage(), 1);
                    if (fits(cq.name(), preemptor, borrow)) {
                        removed.remove(i);
                    } else {
                        tree.charge(c.held().clusterQueue(), c.held().usage(), -1);
                    }
                }
            }
            removed.forEach(c -> tree.charge(c.held().clusterQueue(), c.held().usage(), 1));
            if (fits) {
                return removed.stream().map(Candidate::held).toList();
            }
        }
        return List.of();
    }

    /** Kueue's {@code workloadFits}: a flavor assignment exists, within nominal when borrowing is not allowed. */
    private boolean fits(String cq, Requests.Queued preemptor, boolean allowBorrowing) {
        FlavorAssigner.Fit f = assigner.assign(cq, preemptor.podSets(), false);
        return f.fits() && (allowBorrowing || !f.borrows());
    }

    private boolean borrowingIn(String cq, Set<FlavorResource> frs) {
        for (FlavorResource fr : frs) {
            if (tree.borrows(cq, fr, 0.0)) {
                return true;
            }
        }
        return false;
    }

    private boolean underNominal(String cq, Set<FlavorResource> frs) {
        for (FlavorResource fr : frs) {
            if (tree.usage(cq, fr) >= tree.nominal(cq, fr)) {
                return false;
            }
        }
        return true;
    }

    private static boolean uses(Requests.Held h, Set<FlavorResource> frs) {
        for (FlavorResource fr : h.usage().keySet()) {
            if (frs.contains(fr)) {
                return true;
            }
        }
        return false;
    }

    /** Kueue's {@code SatisfiesPreemptionPolicy}. */
    static boolean satisfies(String policy, Workload preemptor, Workload candidate) {
        int cp = candidate.effectivePriority();
        int pp = preemptor.effectivePriority();
        return switch (policy) {
            case LOWER_PRIORITY -> cp < pp;
            case LOWER_OR_NEWER_EQUAL_PRIORITY -> cp < pp
                    || (cp == pp && preemptor.queueOrderTime().isBefore(candidate.queueOrderTime()));
            case ANY -> true;
            default -> false;
        };
    }
}
