package io.wdrf.kueue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kueue's Fair Sharing: the dominant resource share ({@code pkg/cache/scheduler/fair_sharing.go}), the tournament
 * that orders heads in a cohort tree ({@code pkg/scheduler/fair_sharing_iterator.go}) and the fair preemption
 * strategies ({@code pkg/scheduler/preemption/preemption.go fairPreemptions},
 * {@code preemption/fairsharing/ordering.go}, {@code strategy.go}, {@code least_common_ancestor.go}):
 * <ul>
 *   <li>DRS of a node with a parent: per resource (summed over flavors), what it uses above its subtree quota,
 *       over what the parent could lend it ({@code potentialAvailable}, summed over the root's flavors), × 1000;
 *       the largest ratio, divided by the node's fair-sharing weight (weight 0 and borrowing = +∞). A root's DRS
 *       is 0.</li>
 *   <li>Tournament: each cohort nominates, among its children's nominees, the one whose child has the lowest DRS
 *       with the nominee admitted; first children not borrowing on the nominee's flavor-resources
 *       ({@code FairSharingPrioritizeNonBorrowing}), then DRS, effective priority desc, queue-order time, and
 *       (for determinism) UID and ClusterQueue name. A ClusterQueue without cohort nominates its head.</li>
 *   <li>Fair preemption: with the preemptor's usage added, target ClusterQueues are visited from the root by
 *       highest DRS (only borrowing ones, and the preemptor's own); the preemptor's own queue and a preemptor
 *       within nominal ({@code FairSharingPreemptWithinNominal}) preempt without a strategy check; otherwise a
 *       candidate goes when the first strategy holds between the almost-least-common-ancestors' shares, else
 *       it is retried with the second strategy (one per queue). Then the minimal set is filled back.</li>
 * </ul>
 */
final class FairSharing {

    /** A dominant resource share. */
    record Drs(double ratio, double weight, boolean borrowing, Set<FlavorResource> borrowed) {
        static final Drs ZERO = new Drs(0, 1, false, Set.of());
        static final Drs NEGATIVE = new Drs(-1, 1, false, Set.of());

        double weighted() {
            if (ratio == 0) {
                return 0;
            }
            return weight == 0 ? Double.POSITIVE_INFINITY : ratio / weight;
        }

        boolean zeroWeightBorrows() {
            return weight == 0 && ratio != 0;
        }

        boolean borrowingOn(Map<FlavorResource, Double> request) {
            for (FlavorResource fr : borrowed) {
                if (request.getOrDefault(fr, 0.0) > 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Kueue's {@code CompareDRS}. */
    static int compare(Drs a, Drs b) {
        if (a.zeroWeightBorrows() && b.zeroWeightBorrows()) {
            return Double.compare(a.ratio, b.ratio);
        }
        if (a.zeroWeightBorrows()) {
            return 1;
        }
        if (b.zeroWeightBorrows()) {
            return -1;
        }
        return Double.compare(a.weighted(), b.weighted());
    }

    /** The node's DRS with its current usage. */
    static Drs drs(QuotaTree.Node n) {
        if (n.parent == null) {
            return new Drs(0, n.weight, false, Set.of());
        }
        Map<String, Double> borrowing = new TreeMap<>();
        Set<FlavorResource> borrowedFrs = new HashSet<>();
        for (Map.Entry<FlavorResource, Double> e : n.subtree.entrySet()) {
            double b = n.usage(e.getKey()) - e.getValue();
            if (FlavorResource.exceeds(b, 0.0)) {
                borrowing.merge(e.getKey().resource(), b, Double::sum);
                borrowedFrs.add(e.getKey());
            }
        }
        if (borrowing.isEmpty()) {
            return new Drs(0, n.weight, false, Set.of());
        }
        Map<String, Double> lendable = new HashMap<>();
        for (FlavorResource fr : n.root().subtree.keySet()) {
            lendable.merge(fr.resource(), QuotaTree.potentialAvailable(n.parent, fr), Double::sum);
        }
        double ratio = 0;
        for (Map.Entry<String, Double> e : borrowing.entrySet()) { // resource-name order: ties keep the first
            double lr = lendable.getOrDefault(e.getKey(), 0.0);
            if (lr > 0) {
                ratio = Math.max(ratio, e.getValue() * 1000.0 / lr);
            }
        }
        return new Drs(ratio, n.weight, true, borrowedFrs);
    }

    /** A head competing in the tournament, with the usage its assignment would add. */
    record Entry(ClusterQueueHeap cq, Requests.Queued queued, Map<FlavorResource, Double> usage) {
    }

    private final QuotaTree tree;

    FairSharing(QuotaTree tree) {
        this.tree = tree;
    }

    /** Pops the next head to consider (Kueue {@code fairSharingIterator.pop}); {@code entries} loses it. */
    Entry pop(List<Entry> entries) {
        Entry first = entries.get(0); // entries are in ClusterQueue-name order: a deterministic getCq()
        QuotaTree.Node cq = tree.queue(first.cq().name());
        Entry winner;
        if (cq.parent == null) {
            winner = first;
        } else {
            QuotaTree.Node root = cq.root();
            Map<String, Entry> byQueue = new LinkedHashMap<>();
            for (Entry e : entries) {
                byQueue.put(e.cq().name(), e);
            }
            Map<QuotaTree.Node, Map<Entry, Drs>> drs = new HashMap<>();
            for (Entry e : entries) {
                QuotaTree.Node q = tree.queue(e.cq().name());
                if (q.root() != root) {
                    continue;
                }
                tree.charge(q.name, e.usage(), 1);
                Drs d = drs(q);
                for (QuotaTree.Node a = q.parent; a != null; a = a.parent) {
                    drs.computeIfAbsent(a, k -> new HashMap<>()).put(e, d);
                    d = drs(a);
                }
                tree.charge(q.name, e.usage(), -1);
            }
            winner = tournament(root, byQueue, drs);
        }
        entries.remove(winner);
        return winner;
    }

    private Entry tournament(QuotaTree.Node cohort, Map<String, Entry> byQueue, Map<QuotaTree.Node, Map<Entry, Drs>> drs) {
        List<Entry> candidates = new ArrayList<>();
        List<QuotaTree.Node> children = new ArrayList<>(cohort.children);
        children.sort(Comparator.comparing((QuotaTree.Node c) -> !c.cohort).thenComparing(c -> c.name));
        for (QuotaTree.Node child : children) {
            Entry e = child.cohort ? tournament(child, byQueue, drs) : byQueue.get(child.name);
            if (e != null) {
                candidates.add(e);
            }
        }
        if (candidates.isEmpty()) {
            return null;
        }
        Map<Entry, Drs> level = drs.getOrDefault(cohort, Map.of());
        Entry best = candidates.get(0);
        for (Entry current : candidates.subList(1, candidates.size())) {
            if (less(current, best, level)) {
                best = current;
            }
        }
        return best;
    }

    private static boolean less(Entry a, Entry b, Map<Entry, Drs> level) {
        Drs da = level.getOrDefault(a, Drs.ZERO);
        Drs db = level.getOrDefault(b, Drs.ZERO);
        boolean ab = da.borrowingOn(a.usage());
        boolean bb = db.borrowingOn(b.usage());
        if (ab != bb) {
            return !ab;
        }
        int c = compare(da, db);
        if (c != 0) {
            return c < 0;
        }
        int pa = a.queued().workload().effectivePriority();
        int pb = b.queued().workload().effectivePriority();
        if (pa != pb) {
            return pa > pb;
        }
        c = a.queued().workload().queueOrderTime().compareTo(b.queued().workload().queueOrderTime());
        if (c != 0) {
            return c < 0;
        }
        c = a.queued().workload().uid().compareTo(b.queued().workload().uid());
        return c != 0 ? c < 0 : a.cq().name().compareTo(b.cq().name()) < 0;
    }

    // ------------------------------------------------------------------------------------------ fair preemption

    /**
     * The workloads to evict for {@code preemptor} in {@code cq} under Fair Sharing, or an empty list.
     *
     * @param candidates candidates allowed by the ClusterQueue's policies, in Kueue's candidate order
     * @param usage      the preemptor's usage (its flavor assignment once the candidates are gone)
     * @param fits       whether the preemptor fits with the current usage (borrowing allowed)
     */
    List<Requests.Held> targets(String cq, List<Requests.Held> candidates, Map<FlavorResource, Double> usage,
                                List<FairSharingConfig.PreemptionStrategy> strategies,
                                java.util.function.BooleanSupplier fits) {
        if (candidates.isEmpty()) {
            return List.of();
        }
        QuotaTree.Node preemptorCq = tree.queue(cq);
        List<Requests.Held> targets = new ArrayList<>();
        tree.charge(cq, usage, 1);
        boolean withinNominal = true;
        for (FlavorResource fr : usage.keySet()) {
            if (FlavorResource.exceeds(preemptorCq.usage(fr), preemptorCq.subtreeQuota(fr))) {
                withinNominal = false;
            }
        }
        java.util.function.BooleanSupplier fitsFs = () -> {
            tree.charge(cq, usage, -1);
            boolean f = fits.getAsBoolean();
            tree.charge(cq, usage, 1);
            return f;
        };
        boolean done = false;
        List<Requests.Held> retry = new ArrayList<>();
        Ordering ordering = new Ordering(preemptorCq, candidates);
        for (QuotaTree.Node target = ordering.next(); target != null && !done; target = ordering.next()) {
            if (target == preemptorCq || withinNominal) {
                Requests.Held w = ordering.pop(target);
                remove(w, targets);
                done = fitsFs.getAsBoolean();
                continue;
            }
            Drs preemptorNew = drs(almostLca(preemptorCq, ordering.lca(target)));
            QuotaTree.Node targetAlmost = almostLca(target, ordering.lca(target));
            Drs targetOld = drs(targetAlmost);
            if (Double.isInfinite(preemptorNew.weighted()) && !Double.isInfinite(targetOld.weighted())) {
                while (ordering.has(target)) {
                    retry.add(ordering.pop(target));
                }
                continue;
            }
            while (ordering.has(target)) {
                Requests.Held w = ordering.pop(target);
                tree.charge(w.clusterQueue(), w.usage(), -1);
                Drs targetNew = drs(targetAlmost);
                tree.charge(w.clusterQueue(), w.usage(), 1);
                if (passes(strategies.get(0), preemptorNew, targetOld, targetNew)) {
                    remove(w, targets);
                    done = fitsFs.getAsBoolean();
                    break;
                }
                retry.add(w);
            }
        }
        if (!done && strategies.size() > 1 && !retry.isEmpty()) {
            Ordering second = new Ordering(preemptorCq, retry);
            for (QuotaTree.Node target = second.next(); target != null && !done; target = second.next()) {
                Drs preemptorNew = drs(almostLca(preemptorCq, second.lca(target)));
                Drs targetOld = drs(almostLca(target, second.lca(target)));
                Requests.Held w = second.pop(target);
                if (passes(strategies.get(1), preemptorNew, targetOld, targetOld)) {
                    remove(w, targets);
                    done = fitsFs.getAsBoolean();
                }
                second.drop(target);
            }
        }
        tree.charge(cq, usage, -1);
        if (done) {
            for (int i = targets.size() - 2; i >= 0; i--) {
                Requests.Held c = targets.get(i);
                tree.charge(c.clusterQueue(), c.usage(), 1);
                if (fits.getAsBoolean()) {
                    targets.remove(i);
                } else {
                    tree.charge(c.clusterQueue(), c.usage(), -1);
                }
            }
        }
        targets.forEach(t -> tree.charge(t.clusterQueue(), t.usage(), 1));
        return done ? targets : List.of();
    }

    private void remove(Requests.Held w, List<Requests.Held> targets) {
        tree.charge(w.clusterQueue(), w.usage(), -1);
        targets.add(w);
    }

    private static boolean passes(FairSharingConfig.PreemptionStrategy s, Drs preemptorNew, Drs targetOld, Drs targetNew) {
        return switch (s) {
            case LESS_THAN_OR_EQUAL_TO_FINAL_SHARE -> compare(preemptorNew, targetNew) <= 0;
            case LESS_THAN_INITIAL_SHARE -> compare(preemptorNew, targetOld) < 0;
        };
    }

    /** The child of {@code lca} on the path from {@code n} (n itself when its parent is the lca). */
    private static QuotaTree.Node almostLca(QuotaTree.Node n, QuotaTree.Node lca) {
        QuotaTree.Node a = n;
        while (a.parent != null && a.parent != lca) {
            a = a.parent;
        }
        return a;
    }

    /** Kueue's {@code TargetClusterQueueOrdering}: target queues by highest DRS from the root down. */
    private final class Ordering {
        private final QuotaTree.Node preemptorCq;
        private final Set<QuotaTree.Node> ancestors = new HashSet<>();
        private final Map<String, List<Requests.Held>> byQueue = new HashMap<>();
        private final Set<QuotaTree.Node> prunedQueues = new HashSet<>();
        private final Set<QuotaTree.Node> prunedCohorts = new HashSet<>();

        Ordering(QuotaTree.Node preemptorCq, List<Requests.Held> candidates) {
            this.preemptorCq = preemptorCq;
            for (QuotaTree.Node a = preemptorCq.parent; a != null; a = a.parent) {
                ancestors.add(a);
            }
            for (Requests.Held h : candidates) {
                byQueue.computeIfAbsent(h.clusterQueue(), k -> new ArrayList<>()).add(h);
            }
        }

        boolean has(QuotaTree.Node cq) {
            List<Requests.Held> l = byQueue.get(cq.name);
            return l != null && !l.isEmpty();
        }

        Requests.Held pop(QuotaTree.Node cq) {
            return byQueue.get(cq.name).remove(0);
        }

        void drop(QuotaTree.Node cq) {
            prunedQueues.add(cq);
        }

        QuotaTree.Node lca(QuotaTree.Node target) {
            for (QuotaTree.Node a = target.parent; a != null; a = a.parent) {
                if (ancestors.contains(a)) {
                    return a;
                }
            }
            return null;
        }

        /** The next target queue, or null when everything is pruned. */
        QuotaTree.Node next() {
            if (preemptorCq.parent == null) {
                return !prunedQueues.contains(preemptorCq) && has(preemptorCq) ? preemptorCq : null;
            }
            QuotaTree.Node root = preemptorCq.root();
            while (!prunedCohorts.contains(root)) {
                QuotaTree.Node t = nextTarget(root);
                if (t != null) {
                    return t;
                }
            }
            return null;
        }

        private QuotaTree.Node nextTarget(QuotaTree.Node cohort) {
            QuotaTree.Node highestCq = null;
            Drs highestCqDrs = Drs.NEGATIVE;
            QuotaTree.Node highestCohort = null;
            Drs highestCohortDrs = Drs.NEGATIVE;
            List<QuotaTree.Node> children = new ArrayList<>(cohort.children);
            children.sort(Comparator.comparing(c -> c.name));
            for (QuotaTree.Node c : children) {
                if (c.cohort) {
                    continue;
                }
                if (prunedQueues.contains(c)) {
                    continue;
                }
                Drs d = drs(c);
                if ((!d.borrowing() && c != preemptorCq) || !has(c)) {
                    prunedQueues.add(c);
                } else if (highestCq != null && compare(d, highestCqDrs) == 0) {
                    // Kueue's CandidatesOrdering of the queues' first candidates: the preemptor's queue first
                    boolean better = c == preemptorCq || (highestCq != preemptorCq && Preemptor.CANDIDATE_ORDER
                            .compare(byQueue.get(c.name).get(0), byQueue.get(highestCq.name).get(0)) < 0);
                    if (better) {
                        highestCq = c;
                    }
                } else if (compare(d, highestCqDrs) > 0) {
                    highestCqDrs = d;
                    highestCq = c;
                }
            }
            for (QuotaTree.Node c : children) {
                if (!c.cohort || prunedCohorts.contains(c)) {
                    continue;
                }
                Drs d = drs(c);
                if (!d.borrowing() && !ancestors.contains(c)) {
                    prunedCohorts.add(c);
                } else if (compare(d, highestCohortDrs) >= 0) {
                    highestCohortDrs = d;
                    highestCohort = c;
                }
            }
            if (highestCohort == null && highestCq == null) {
                prunedCohorts.add(cohort);
                return null;
            }
            if (highestCohort != null && compare(highestCohortDrs, highestCqDrs) >= 0) {
                return nextTarget(highestCohort);
            }
            return highestCq;
        }
    }
}
