package io.wdrf.engine;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.FairPreemption;
import io.wdrf.api.KueuePolicies;
import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PreemptionMode;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Enforces the {@link PreemptionMode} through Kueue's own priority preemption.
 *
 * <p>Kueue preempts by priority in a ClusterQueue q with {@code withinClusterQueue: LowerPriority} (victims in q with a
 * lower priority) or {@code LowerOrNewerEqualPriority} (also equal and newer), and across q's cohort under
 * {@code reclaimWithinCohort} / {@code borrowWithinCohort: LowerPriority}. The admitted workloads Kueue could evict for a
 * pending workload of q are its <em>scope</em>; the CQs whose admitted workloads are in some scope are <em>guarded</em>.
 * With {@code top(c) = priorityBase + class(c) + band − 1} (the top of class c's band, see {@link Points}):
 * <pre>
 *   protection(A)  admitted A in a guarded CQ:  never/allow: not written
 *                                                classes:     top(c_A)
 *                                                fair:        eligible(A) ? min(top(c_A), base + class(c_A) + agingMax
 *                                                                 + fairness(max(0, L_T(−A) − margin)) + eq_A) : top(c_A)
 *   ceiling(P)     = min over A in scope(P) not allowed to be preempted by P of  post(A) − eq   (also ≤ top(c_P) − 1
 *                    in classes/fair); eq = 1 for LowerOrNewerEqualPriority, post(A) = protection or current priority
 *   final(P)       = min(policy priority, ceiling(P))                            (allow: the policy priority)
 * </pre>
 * Allowed victims: never — none; classes — A of a lower class; fair — classes, or A of the same class when
 * {@code L_P < L_T(−A) − margin} and A is eligible (held quota less than {@code maxRuntime}, or is checkpointable; fewer
 * than {@code maxEvictions} evictions so far; among the {@code budget − evictions in the window} lowest protections
 * of its CQ). Since {@code priority(P) ≤ class + agingMax + fairness(L_P)}, {@code priority(P) > protection(A)} implies
 * {@code fairness(L_P) > fairness(L_T(−A) − margin)}, i.e. {@code L_P < L_T(−A) − margin}: Kueue can only pick victims the
 * rule allows. A swap never reverses: after P of S evicts A of T, A (pending, level ≈ L_T(−A)) could evict P only if
 * {@code L_T(−A) < L_S(−P) − margin = L_P − margin}, contradicting {@code L_P < L_T(−A) − margin}.
 *
 * <p>The Reconciler writes protections before any pending raise (and sends no raise while a protection write failed),
 * and never skips, for hysteresis, a write that brings a pending priority under its ceiling.
 */
final class PreemptionModes {

    /** Output: capped pending decisions, protections for admitted workloads, ceilings, and how many were capped. */
    record Result(List<PriorityDecision> decisions, List<PriorityDecision> protections, Map<WorkloadId, Integer> ceilings,
                  int capped) {
    }

    private final PolicyConfig config;
    private final Points points;
    private final FairLedger ledger;

    PreemptionModes(PolicyConfig config, FairLedger ledger) {
        this.config = config;
        this.points = new Points(config);
        this.ledger = ledger;
    }

    private record Entry(Workload workload, String clusterQueue, String workloadClass, long classWeight, long post,
                         boolean eligible, double threshold) {
    }

    /** Minimum {@code post − eq} over a CQ's scope: by class weight for ineligible victims, by threshold for eligible. */
    private static final class Scope {
        final TreeMap<Long, Long> minAtOrAbove = new TreeMap<>();
        final Map<String, double[]> thresholds = new HashMap<>();
        final Map<String, long[]> prefixMin = new HashMap<>();

        long ceiling(long classWeight, String workloadClass, double level) {
            long c = Long.MAX_VALUE;
            Map.Entry<Long, Long> e = minAtOrAbove.ceilingEntry(classWeight);
            if (e != null) {
                c = e.getValue();
            }
            double[] th = thresholds.get(workloadClass);
            if (th != null) {
                // eligible victims P may NOT preempt: threshold ≤ L_P (rule L_P < threshold fails)
                int i = upperBound(th, level);
                if (i > 0) {
                    c = Math.min(c, prefixMin.get(workloadClass)[i - 1]);
                }
            }
            return c;
        }

        private static int upperBound(double[] a, double x) {
            int lo = 0;
            int hi = a.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (a[mid] <= x) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    Result apply(ClusterSnapshot snapshot, Instant now, Map<WorkloadId, String> clusterQueueOf,
                 List<PendingWorkload> pending, List<ContextBuilder.AdmittedWorkload> admitted,
                 List<PriorityDecision> decisions) {
        PreemptionMode mode = config.preemption();
        if (mode == PreemptionMode.ALLOW) {
            return new Result(decisions, List.of(), Map.of(), 0);
        }
        Map<String, ClusterQueueInfo> queues = new TreeMap<>();
        Map<String, List<String>> cohorts = new TreeMap<>();
        for (ClusterQueueInfo cq : snapshot.clusterQueues()) {
            if (queues.putIfAbsent(cq.name(), cq) == null && cq.cohort() != null && !cq.cohort().isEmpty()) {
                cohorts.computeIfAbsent(cq.cohort(), k -> new ArrayList<>()).add(cq.name());
            }
        }
        // scope of each preempting CQ: (victim CQ, eq)
        Map<String, Map<String, Integer>> scopeOf = new TreeMap<>();
        TreeSet<String> guarded = new TreeSet<>();
        for (ClusterQueueInfo cq : queues.values()) {
            Map<String, Integer> sc = new TreeMap<>();
            KueuePolicies.WithinClusterQueue within = cq.withinClusterQueuePolicy();
            if (within == KueuePolicies.WithinClusterQueue.LOWER_PRIORITY
                    || within == KueuePolicies.WithinClusterQueue.LOWER_OR_NEWER_EQUAL_PRIORITY) {
                sc.put(cq.name(), equalPriorityStep(cq));
            }
            if (cq.cohort() != null && cohorts.containsKey(cq.cohort())
                    && (cq.reclaimWithinCohortPolicy() == KueuePolicies.CohortPreemption.LOWER_PRIORITY
                    || cq.borrowWithinCohortPolicy() == KueuePolicies.CohortPreemption.LOWER_PRIORITY)) {
                for (String m : cohorts.get(cq.cohort())) {
                    sc.putIfAbsent(m, 0);
                }
            }
            if (!sc.isEmpty()) {
                scopeOf.put(cq.name(), sc);
                guarded.addAll(sc.keySet());
            }
        }
        if (ledger != null) {
            ledger.advance(now, admitted, pending);
        }
        if (scopeOf.isEmpty()) {
            return new Result(decisions, List.of(), Map.of(), 0);
        }

        // victims: every admitted workload in a guarded CQ, with its post-plan priority
        List<Entry> entries = new ArrayList<>();
        List<PriorityDecision> protections = new ArrayList<>();
        if (mode == PreemptionMode.NEVER) {
            for (Workload w : snapshot.workloads()) {
                String cq = w.phase() == io.wdrf.api.Phase.ADMITTED ? clusterQueueOf.get(w.id()) : null;
                if (cq != null && guarded.contains(cq)) {
                    entries.add(new Entry(w, cq, PolicyConfig.NORMAL, Long.MAX_VALUE, w.effectivePriority(), false, 0));
                }
            }
        } else {
            entries = protections(now, clusterQueueOf, admitted, pending, guarded, queues, protections);
        }

        // ceilings per preempting CQ
        Map<String, Scope> scopes = new TreeMap<>();
        for (Map.Entry<String, Map<String, Integer>> e : scopeOf.entrySet()) {
            scopes.put(e.getKey(), scope(e.getValue(), entries, mode));
        }
        Map<WorkloadId, PendingWorkload> byId = new HashMap<>(pending.size() * 2);
        for (PendingWorkload p : pending) {
            byId.put(p.id(), p);
        }
        List<PriorityDecision> out = new ArrayList<>(decisions.size());
        Map<WorkloadId, Integer> ceilings = new HashMap<>();
        int capped = 0;
        for (PriorityDecision d : decisions) {
            String cqName = clusterQueueOf.get(d.workloadId());
            Scope sc = cqName == null ? null : scopes.get(cqName);
            PendingWorkload p = byId.get(d.workloadId());
            if (sc == null || p == null) {
                out.add(d);
                continue;
            }
            long ceiling;
            if (mode == PreemptionMode.NEVER) {
                ceiling = sc.ceiling(Long.MIN_VALUE, "", Double.NEGATIVE_INFINITY);
            } else {
                long w = classWeight(p.workloadClass());
                ceiling = Math.min(top(p.workloadClass()) - 1, sc.ceiling(w, p.workloadClass(), p.level()));
            }
            int ceil = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, ceiling));
            ceilings.put(d.workloadId(), ceil);
            if (d.priority() > ceil) {
                capped++;
                out.add(new PriorityDecision(d.workloadId(), ceil, d.explanation().withNote("capped from " + d.priority()
                        + " to " + ceil + " by preemption mode " + mode.key() + " (ClusterQueue " + cqName
                        + " preempts by priority)")));
            } else {
                out.add(d);
            }
        }
        return new Result(capped == 0 ? decisions : out, protections, ceilings, capped);
    }

    private Scope scope(Map<String, Integer> victimQueues, List<Entry> entries, PreemptionMode mode) {
        Scope s = new Scope();
        TreeMap<Long, Long> byWeight = new TreeMap<>();
        Map<String, List<double[]>> eligible = new TreeMap<>();
        for (Entry e : entries) {
            Integer eq = victimQueues.get(e.clusterQueue());
            if (eq == null) {
                continue;
            }
            long v = e.post() - eq;
            if (e.eligible()) {
                eligible.computeIfAbsent(e.workloadClass(), k -> new ArrayList<>()).add(new double[] {e.threshold(), v});
            } else {
                byWeight.merge(e.classWeight(), v, Math::min);
            }
        }
        // minAtOrAbove[w] = min over victims whose class weight ≥ w (P of weight w may not preempt them)
        long run = Long.MAX_VALUE;
        for (Map.Entry<Long, Long> e : byWeight.descendingMap().entrySet()) {
            run = Math.min(run, e.getValue());
            s.minAtOrAbove.put(e.getKey(), run);
        }
        if (mode == PreemptionMode.NEVER && !s.minAtOrAbove.isEmpty()) {
            s.minAtOrAbove.put(Long.MIN_VALUE, run);
        }
        for (Map.Entry<String, List<double[]>> e : eligible.entrySet()) {
            List<double[]> l = e.getValue();
            l.sort(Comparator.comparingDouble((double[] a) -> a[0]).thenComparingDouble(a -> a[1]));
            double[] th = new double[l.size()];
            long[] pm = new long[l.size()];
            long m = Long.MAX_VALUE;
            for (int i = 0; i < th.length; i++) {
                th[i] = l.get(i)[0];
                m = Math.min(m, (long) l.get(i)[1]);
                pm[i] = m;
            }
            s.thresholds.put(e.getKey(), th);
            s.prefixMin.put(e.getKey(), pm);
        }
        return s;
    }

    /** Protection targets of the admitted workloads of guarded CQs (classes / fair). */
    private List<Entry> protections(Instant now, Map<WorkloadId, String> clusterQueueOf,
                                    List<ContextBuilder.AdmittedWorkload> admitted, List<PendingWorkload> pending,
                                    TreeSet<String> guarded, Map<String, ClusterQueueInfo> queues,
                                    List<PriorityDecision> protectionsOut) {
        boolean fair = config.preemption() == PreemptionMode.FAIR;
        FairPreemption limits = config.fairPreemption();
        long agingMax = points.aging(1.0);
        List<Entry> entries = new ArrayList<>();
        // fair: candidates per CQ, lowest protection first, limited by the remaining budget
        Map<String, List<Entry>> candidates = new TreeMap<>();
        for (ContextBuilder.AdmittedWorkload a : admitted) {
            String cq = clusterQueueOf.get(a.workload().id());
            if (cq == null || !guarded.contains(cq)) {
                continue;
            }
            String cls = a.workloadClass();
            long top = top(cls);
            if (fair && eligibleByRules(a, now, limits)) {
                double threshold = a.levelWithout() - limits.margin();
                if (threshold > 0) {
                    int eqA = equalPriorityStep(queues.get(cq));
                    long v = config.priorityBase() + points.classPoints(cls) + agingMax + points.fairness(threshold) + eqA;
                    if (v < top) {
                        candidates.computeIfAbsent(cq, k -> new ArrayList<>())
                                .add(new Entry(a.workload(), cq, cls, classWeight(cls), v, true, threshold));
                        continue;
                    }
                }
            }
            entries.add(new Entry(a.workload(), cq, cls, classWeight(cls), top, false, 0));
        }
        Map<WorkloadId, String> eligibleNow = new TreeMap<>();
        for (Map.Entry<String, List<Entry>> e : candidates.entrySet()) {
            List<Entry> l = e.getValue();
            l.sort(Comparator.comparingLong(Entry::post).thenComparing(x -> x.workload().id()));
            int budget = ledger == null ? l.size() : ledger.remainingBudget(e.getKey(), now, limits);
            for (int i = 0; i < l.size(); i++) {
                Entry x = l.get(i);
                if (i < budget) {
                    entries.add(x);
                    eligibleNow.put(x.workload().id(), x.clusterQueue());
                } else {
                    entries.add(new Entry(x.workload(), x.clusterQueue(), x.workloadClass(), x.classWeight(),
                            top(x.workloadClass()), false, 0));
                }
            }
        }
        if (ledger != null) {
            ledger.eligible(eligibleNow);
        }
        entries.sort(Comparator.comparing(x -> x.workload().id()));
        for (Entry x : entries) {
            if (x.workload().effectivePriority() != x.post()) {
                int v = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, x.post()));
                protectionsOut.add(new PriorityDecision(x.workload().id(), v, new io.wdrf.api.Explanation("protection",
                        "", x.workloadClass(), 0, 0, "", x.eligible() ? x.threshold() : 0, Duration.ZERO, 0, 0, 0, 0, v, null,
                        List.of(x.eligible()
                                ? "admitted, preemptible (mode fair) by a same-class workload of level below " + fmt(x.threshold())
                                : "admitted, protected (mode " + config.preemption().key() + "): only a higher class may preempt it"))));
            }
        }
        return entries;
    }

    private boolean eligibleByRules(ContextBuilder.AdmittedWorkload a, Instant now, FairPreemption limits) {
        if (ledger == null) {
            return false;
        }
        Workload w = a.workload();
        boolean checkpointable = "true".equalsIgnoreCase(w.labels().get(FairPreemption.CHECKPOINTABLE))
                || "true".equalsIgnoreCase(w.annotations().get(FairPreemption.CHECKPOINTABLE));
        if (!checkpointable) {
            Instant since = ledger.admittedSince(w.id());
            if (since == null || Duration.between(since, now).compareTo(limits.maxRuntime()) >= 0) {
                return false; // unknown admission time (first seen admitted) counts as "ran long"
            }
        }
        return ledger.evictions(w.id()) < limits.maxEvictions();
    }

    /**
     * 1 when Kueue may also preempt equal-priority (newer) workloads of {@code cq} ({@code LowerOrNewerEqualPriority}),
     * so a protection or ceiling must keep one more point of distance; else 0.
     */
    private static int equalPriorityStep(ClusterQueueInfo cq) {
        return cq.withinClusterQueuePolicy() == KueuePolicies.WithinClusterQueue.LOWER_OR_NEWER_EQUAL_PRIORITY ? 1 : 0;
    }

    private long classWeight(String cls) {
        return config.priorityWeights().getOrDefault(cls, 0L);
    }

    /** The top priority of class {@code cls}'s band. */
    long top(String cls) {
        return config.priorityBase() + points.classPoints(cls) + points.band() - 1;
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }
}
