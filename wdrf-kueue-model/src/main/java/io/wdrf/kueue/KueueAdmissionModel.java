package io.wdrf.kueue;

import io.wdrf.api.Admission;
import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.LocalQueueInfo;
import io.wdrf.api.Phase;
import io.wdrf.api.PodSet;
import io.wdrf.api.PodSetAssignment;
import io.wdrf.api.ResourceFlavorInfo;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.KueueDemandModel;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A deterministic model of Kueue's quota reservation, used by {@link InMemoryCluster#admissionCycle()}.
 *
 * <p>Rules (a simplification of Kueue's scheduler, documented on {@link InMemoryCluster#admissionCycle()}):
 * <ul>
 *   <li>Each ClusterQueue orders its admissible workloads like Kueue's heap: effective priority desc, queue-order
 *       time asc, UID asc (then id, for a total order).</li>
 *   <li>Rounds: every round takes the current head of every ClusterQueue (name order); heads that fit without
 *       borrowing go first, then effective priority desc, queue-order time asc, UID, ClusterQueue name (Kueue's
 *       classical cross-queue order with {@code PrioritySortingWithinCohort}). Rounds repeat until no ClusterQueue
 *       has a head left; quota only shrinks within a cycle, so this equals Kueue scheduling until quiescent.</li>
 *   <li>Flavor assignment per pod set and resource group (resources with the same flavor list form a group, as
 *       Kueue's validation guarantees): the first flavor in quota order whose node labels agree with the pod set's
 *       node selector and where every requested resource of the group fits (borrowing allowed).</li>
 *   <li>Quota: without cohort, usage ≤ nominal; in a cohort, Kueue's {@code available()} with lending limits
 *       (guaranteed = nominal − lendingLimit stays private) and borrowing limits.</li>
 *   <li>A head that does not fit: BestEffortFIFO skips it; StrictFIFO blocks its ClusterQueue for the cycle.</li>
 *   <li>{@code withinClusterQueue: LowerPriority | LowerOrNewerEqualPriority}: a head that does not fit may evict
 *       admitted workloads of its own ClusterQueue that satisfy the policy, candidates ordered lowest priority
 *       first, then most recently admitted, then UID; the set is minimised by trying to keep candidates in reverse
 *       order (Kueue's minimal-preemption pass). Eviction frees quota at once and the preemptor is admitted in the
 *       same step.</li>
 * </ul>
 *
 * <p>Not thread-safe (it caches parsed pod-set requests between runs); {@link InMemoryCluster} calls it under its
 * lock.
 */
final class KueueAdmissionModel {

    /** Kueue's ClusterQueue heap order, completed by id so the order is total. */
    static final Comparator<Workload> QUEUE_ORDER = Comparator
            .comparingInt(Workload::effectivePriority).reversed()
            .thenComparing(Workload::queueOrderTime)
            .thenComparing(Workload::uid)
            .thenComparing(Workload::id);

    private static final String LOWER_PRIORITY = "LowerPriority";
    private static final String LOWER_OR_NEWER_EQUAL_PRIORITY = "LowerOrNewerEqualPriority";

    private final KueueDemandModel demandModel;
    /** Parsed pod-set requests of the previous run, by PodSet instance (records are immutable). */
    private IdentityHashMap<PodSet, CachedRequest> requestCache = new IdentityHashMap<>();

    KueueAdmissionModel(KueueDemandModel demandModel) {
        this.demandModel = Objects.requireNonNull(demandModel, "demandModel");
    }

    /** One decision: admit with {@code admission}, or evict by preemption when {@code admission} is null. */
    record Action(WorkloadId id, Admission admission) {
        boolean isAdmission() {
            return admission != null;
        }
    }

    /** Decisions of one cycle, in order, and the reasons why the other pending workloads stay pending. */
    record Outcome(List<Action> actions, SortedMap<WorkloadId, String> inadmissible) {
    }

    /**
     * Runs one cycle over a snapshot.
     *
     * @param snapshot   the cluster
     * @param reservedAt when each admitted workload got its quota (for preemption candidate order); may miss ids
     */
    Outcome run(ClusterSnapshot snapshot, Map<WorkloadId, Instant> reservedAt) {
        return new Cycle(snapshot, reservedAt).run();
    }

    /** A (flavor, resource) pair: the unit of quota accounting. */
    private record FlavorResource(String flavor, String resource) implements Comparable<FlavorResource> {
        @Override
        public int compareTo(FlavorResource o) {
            int c = flavor.compareTo(o.flavor);
            return c != 0 ? c : resource.compareTo(o.resource);
        }

        @Override
        public String toString() {
            return resource + " in flavor " + flavor;
        }
    }

    /** A pod set's total request (count × pod request), positive amounts only. */
    private record PodSetRequest(String name, int count, TreeMap<String, Double> total, Map<String, String> nodeSelector) {
    }

    /** A parsed pod-set request, or the parse error, for the pod set at {@code index}. */
    private record CachedRequest(int index, PodSetRequest request, String error) {
    }

    private record Pending(Workload workload, List<PodSetRequest> podSets) {
    }

    /** A workload holding quota in a ClusterQueue. */
    private record Held(Workload workload, String clusterQueue, Map<FlavorResource, Double> usage, Instant reservedAt) {
    }

    /** Result of a flavor assignment attempt: an assignment, or the reason there is none. */
    private record Fit(List<PodSetAssignment> assignments, Map<FlavorResource, Double> usage, boolean borrows,
                       String reason) {
        boolean fits() {
            return reason == null;
        }

        static final Fit NO = new Fit(List.of(), Map.of(), false, "");

        static Fit no(String reason) {
            return new Fit(List.of(), Map.of(), false, reason);
        }
    }

    private static final class QueueState {
        final ClusterQueueInfo info;
        /** resource → flavors offering it, in quota order. */
        final Map<String, List<String>> coverage = new TreeMap<>();
        final Map<FlavorResource, ResourceQuota> quotas = new TreeMap<>();
        final List<Pending> queue = new ArrayList<>();
        /**
         * Pod-set requests that did not fit since the last time quota was freed in this queue's cohort, with the
         * reason: usage only grows within a cycle (except preemption, which clears this), so an identical request
         * cannot fit either. Kueue's scheduling-equivalence hashing does the same.
         */
        final Map<List<PodSetRequest>, String> failed = new HashMap<>();
        int cursor;
        boolean blocked;

        QueueState(ClusterQueueInfo info) {
            this.info = info;
            for (ResourceQuota q : info.quotas()) {
                FlavorResource fr = new FlavorResource(q.flavor(), q.resource());
                if (quotas.putIfAbsent(fr, q) == null) {
                    coverage.computeIfAbsent(q.resource(), r -> new ArrayList<>()).add(q.flavor());
                }
            }
        }

        String cohort() {
            String c = info.cohort();
            return c == null || c.isEmpty() ? null : c;
        }

        boolean strict() {
            return ClusterQueueInfo.STRICT_FIFO.equals(info.queueingStrategy());
        }

        Pending head() {
            return blocked || cursor >= queue.size() ? null : queue.get(cursor);
        }
    }

    private record Head(QueueState cq, Pending pending, boolean fitsWithoutBorrowing) {
    }

    private final class Cycle {
        private final Map<String, QueueState> queues = new TreeMap<>();
        private final Map<String, List<QueueState>> cohorts = new TreeMap<>();
        private final Map<String, ResourceFlavorInfo> flavors = new TreeMap<>();
        private final Map<String, String> localQueues = new TreeMap<>();
        private final Map<String, Map<FlavorResource, Double>> used = new TreeMap<>();
        private final Map<WorkloadId, Held> held = new TreeMap<>();
        private final List<Action> actions = new ArrayList<>();
        private final SortedMap<WorkloadId, String> inadmissible = new TreeMap<>();
        private final ClusterSnapshot snapshot;
        private final Map<WorkloadId, Instant> reservedAt;
        private final IdentityHashMap<PodSet, CachedRequest> nextCache = new IdentityHashMap<>();

        Cycle(ClusterSnapshot snapshot, Map<WorkloadId, Instant> reservedAt) {
            this.snapshot = snapshot;
            this.reservedAt = reservedAt;
        }

        Outcome run() {
            for (ClusterQueueInfo cq : snapshot.clusterQueues()) {
                QueueState s = new QueueState(cq);
                queues.putIfAbsent(cq.name(), s);
            }
            for (QueueState s : queues.values()) {
                if (s.cohort() != null) {
                    cohorts.computeIfAbsent(s.cohort(), c -> new ArrayList<>()).add(s);
                }
            }
            for (ResourceFlavorInfo f : snapshot.flavors()) {
                flavors.putIfAbsent(f.name(), f);
            }
            for (LocalQueueInfo lq : snapshot.localQueues()) {
                localQueues.putIfAbsent(lq.namespace() + "/" + lq.name(), lq.clusterQueue());
            }
            List<Workload> workloads = new ArrayList<>(snapshot.workloads());
            workloads.sort(Comparator.comparing(Workload::id));
            for (Workload w : workloads) {
                if (w.phase() == Phase.ADMITTED) {
                    hold(w);
                } else if (w.isAdmissible()) {
                    enqueue(w);
                }
            }
            for (QueueState s : queues.values()) {
                s.queue.sort(Comparator.comparing(Pending::workload, QUEUE_ORDER));
            }
            while (round()) {
                // repeat until no ClusterQueue has a head
            }
            for (QueueState s : queues.values()) {
                if (s.blocked) {
                    Workload head = s.queue.get(s.cursor).workload();
                    for (int i = s.cursor + 1; i < s.queue.size(); i++) {
                        inadmissible.put(s.queue.get(i).workload().id(), "ClusterQueue " + s.info.name()
                                + " is StrictFIFO and its head " + head.id() + " does not fit");
                    }
                }
            }
            requestCache = nextCache;
            return new Outcome(List.copyOf(actions), inadmissible);
        }

        private void hold(Workload w) {
            Admission a = w.admission();
            if (a == null || !queues.containsKey(a.clusterQueue())) {
                return; // quota held in an unknown ClusterQueue (or without a record) cannot be accounted
            }
            TreeMap<FlavorResource, Double> usage = new TreeMap<>();
            for (PodSetAssignment psa : a.podSetAssignments()) {
                for (Map.Entry<String, Double> e : psa.resourceUsage().asMap().entrySet()) {
                    String flavor = psa.flavors().get(e.getKey());
                    if (flavor != null) {
                        usage.merge(new FlavorResource(flavor, e.getKey()), e.getValue(), Double::sum);
                    }
                }
            }
            Held h = new Held(w, a.clusterQueue(), usage, reservedAt.get(w.id()));
            held.put(w.id(), h);
            charge(h.clusterQueue(), h.usage(), 1);
        }

        private void enqueue(Workload w) {
            if (w.queueName().isEmpty()) {
                inadmissible.put(w.id(), "spec.queueName is empty");
                return;
            }
            String lq = w.id().namespace() + "/" + w.queueName();
            String cqName = localQueues.get(lq);
            if (cqName == null) {
                inadmissible.put(w.id(), "LocalQueue " + lq + " does not exist");
                return;
            }
            QueueState cq = queues.get(cqName);
            if (cq == null) {
                inadmissible.put(w.id(), "ClusterQueue " + cqName + " (of LocalQueue " + lq + ") does not exist");
                return;
            }
            if (w.podSets().isEmpty()) {
                inadmissible.put(w.id(), "spec.podSets: workload has no pod sets");
                return;
            }
            List<PodSetRequest> requests = new ArrayList<>();
            for (int i = 0; i < w.podSets().size(); i++) {
                CachedRequest r = request(w.podSets().get(i), i);
                if (r.error() != null) {
                    inadmissible.put(w.id(), "invalid workload: " + r.error());
                    return;
                }
                requests.add(r.request());
            }
            cq.queue.add(new Pending(w, List.copyOf(requests)));
        }

        /** The pod set's total request, parsed once per PodSet instance while it stays in use. */
        private CachedRequest request(PodSet ps, int index) {
            CachedRequest r = requestCache.get(ps);
            if (r == null || r.index() != index) {
                try {
                    Map<String, Double> pod = demandModel.podRequest(ps, "spec.podSets[" + index + "]");
                    TreeMap<String, Double> total = new TreeMap<>();
                    pod.forEach((res, v) -> {
                        if (v > 0 && ps.count() > 0) {
                            total.put(res, v * ps.count());
                        }
                    });
                    r = new CachedRequest(index, new PodSetRequest(ps.name(), ps.count(), total, ps.nodeSelector()), null);
                } catch (IllegalArgumentException e) {
                    r = new CachedRequest(index, null, e.getMessage());
                }
            }
            nextCache.put(ps, r);
            return r;
        }

        /** One round over the heads; false when no ClusterQueue had a head. */
        private boolean round() {
            List<Head> heads = new ArrayList<>();
            for (QueueState s : queues.values()) {
                Pending p = s.head();
                if (p != null) {
                    Fit f = s.failed.containsKey(p.podSets()) ? Fit.NO : assign(s, p, false);
                    heads.add(new Head(s, p, f.fits() && !f.borrows()));
                }
            }
            if (heads.isEmpty()) {
                return false;
            }
            heads.sort(Comparator.comparing((Head h) -> !h.fitsWithoutBorrowing())
                    .thenComparing(h -> h.pending().workload(), QUEUE_ORDER)
                    .thenComparing(h -> h.cq().info.name()));
            for (Head h : heads) {
                QueueState s = h.cq();
                Pending p = h.pending();
                String known = s.failed.get(p.podSets());
                Fit f = known != null ? Fit.no(known) : assign(s, p, false);
                if (f.fits()) {
                    admit(s, p, f);
                } else if (!preempt(s, p)) {
                    String reason = known;
                    if (reason == null) {
                        reason = assign(s, p, true).reason();
                        s.failed.put(p.podSets(), reason);
                    }
                    inadmissible.put(p.workload().id(), reason);
                    if (s.strict()) {
                        s.blocked = true;
                        continue;
                    }
                }
                s.cursor++;
            }
            return true;
        }

        private void admit(QueueState s, Pending p, Fit f) {
            Admission admission = new Admission(s.info.name(), f.assignments());
            Held h = new Held(p.workload(), s.info.name(), f.usage(), null);
            held.put(p.workload().id(), h);
            charge(s.info.name(), f.usage(), 1);
            actions.add(new Action(p.workload().id(), admission));
        }

        private boolean preempt(QueueState s, Pending p) {
            String policy = s.info.withinClusterQueue();
            boolean lower = LOWER_PRIORITY.equals(policy);
            boolean lowerOrNewer = LOWER_OR_NEWER_EQUAL_PRIORITY.equals(policy);
            if (!lower && !lowerOrNewer) {
                return false;
            }
            Workload preemptor = p.workload();
            if (held.isEmpty()) {
                return false;
            }
            List<Held> candidates = new ArrayList<>();
            for (Held h : held.values()) {
                if (!h.clusterQueue().equals(s.info.name())) {
                    continue;
                }
                int cp = h.workload().effectivePriority();
                int pp = preemptor.effectivePriority();
                boolean eligible = cp < pp || (lowerOrNewer && cp == pp
                        && preemptor.queueOrderTime().isBefore(h.workload().queueOrderTime()));
                if (eligible) {
                    candidates.add(h);
                }
            }
            if (candidates.isEmpty()) {
                return false;
            }
            // lowest priority first, then most recently admitted (admitted in this cycle = newest), then UID
            candidates.sort(Comparator.comparingInt((Held h) -> h.workload().effectivePriority())
                    .thenComparing(Held::reservedAt, Comparator.nullsFirst(Comparator.<Instant>reverseOrder()))
                    .thenComparing(h -> h.workload().uid())
                    .thenComparing(h -> h.workload().id()));
            // cheap rejection first: if evicting every candidate is not enough, no subset is
            candidates.forEach(c -> charge(c.clusterQueue(), c.usage(), -1));
            boolean possible = assign(s, p, false).fits();
            candidates.forEach(c -> charge(c.clusterQueue(), c.usage(), 1));
            if (!possible) {
                return false;
            }
            List<Held> removed = new ArrayList<>();
            boolean fits = false;
            for (Held c : candidates) {
                charge(c.clusterQueue(), c.usage(), -1);
                removed.add(c);
                if (assign(s, p, false).fits()) {
                    fits = true;
                    break;
                }
            }
            if (!fits) {
                for (Held c : removed) {
                    charge(c.clusterQueue(), c.usage(), 1);
                }
                return false;
            }
            for (int i = removed.size() - 2; i >= 0; i--) {
                Held c = removed.get(i);
                charge(c.clusterQueue(), c.usage(), 1);
                if (assign(s, p, false).fits()) {
                    removed.remove(i);
                } else {
                    charge(c.clusterQueue(), c.usage(), -1);
                }
            }
            for (Held c : removed) {
                held.remove(c.workload().id());
                actions.add(new Action(c.workload().id(), null));
            }
            admit(s, p, assign(s, p, false));
            forgetFailures(s);
            return true;
        }

        /** Quota was freed in {@code s}: identical requests may fit again in its queue and cohort. */
        private void forgetFailures(QueueState s) {
            if (s.cohort() == null) {
                s.failed.clear();
            } else {
                cohorts.get(s.cohort()).forEach(m -> m.failed.clear());
            }
        }

        private void charge(String cq, Map<FlavorResource, Double> usage, int sign) {
            Map<FlavorResource, Double> u = used.computeIfAbsent(cq, k -> new TreeMap<>());
            usage.forEach((fr, v) -> u.merge(fr, sign * v, Double::sum));
        }

        private double used(String cq, FlavorResource fr) {
            Map<FlavorResource, Double> u = used.get(cq);
            return u == null ? 0.0 : u.getOrDefault(fr, 0.0);
        }

        /**
         * Flavor assignment for all pod sets of a workload against current usage.
         *
         * @param explain build a reason on failure (otherwise {@link Fit#NO})
         */
        private Fit assign(QueueState s, Pending p, boolean explain) {
            TreeMap<FlavorResource, Double> extra = new TreeMap<>();
            List<PodSetAssignment> out = new ArrayList<>();
            for (PodSetRequest ps : p.podSets()) {
                Map<List<String>, TreeMap<String, Double>> groups = new LinkedHashMap<>();
                for (Map.Entry<String, Double> e : ps.total().entrySet()) {
                    List<String> flavorList = s.coverage.get(e.getKey());
                    if (flavorList == null) {
                        return !explain ? Fit.NO : Fit.no("resource " + e.getKey() + " requested by pod set " + ps.name()
                                + " is not covered by ClusterQueue " + s.info.name());
                    }
                    groups.computeIfAbsent(flavorList, k -> new TreeMap<>()).put(e.getKey(), e.getValue());
                }
                TreeMap<String, String> chosenFlavors = new TreeMap<>();
                for (Map.Entry<List<String>, TreeMap<String, Double>> g : groups.entrySet()) {
                    String chosen = null;
                    List<String> why = new ArrayList<>();
                    for (String flavor : g.getKey()) {
                        String problem = problem(s, flavor, g.getValue(), ps.nodeSelector(), extra, explain);
                        if (problem == null) {
                            chosen = flavor;
                            break;
                        }
                        if (explain) {
                            why.add("flavor " + flavor + ": " + problem);
                        }
                    }
                    if (chosen == null) {
                        return !explain ? Fit.NO : Fit.no("pod set " + ps.name() + " does not fit in ClusterQueue " + s.info.name()
                                + " (" + String.join("; ", why) + ")");
                    }
                    for (Map.Entry<String, Double> e : g.getValue().entrySet()) {
                        chosenFlavors.put(e.getKey(), chosen);
                        extra.merge(new FlavorResource(chosen, e.getKey()), e.getValue(), Double::sum);
                    }
                }
                out.add(new PodSetAssignment(ps.name(), chosenFlavors, ResourceVector.of(ps.total()), ps.count()));
            }
            boolean borrows = false;
            for (Map.Entry<FlavorResource, Double> e : extra.entrySet()) {
                double nominal = s.quotas.get(e.getKey()).nominal().doubleValue();
                if (exceeds(used(s.info.name(), e.getKey()) + e.getValue(), nominal)) {
                    borrows = true;
                }
            }
            return new Fit(List.copyOf(out), extra, borrows, null);
        }

        /** Why {@code request} does not fit in {@code flavor}, or null when it fits. */
        private String problem(QueueState s, String flavor, Map<String, Double> request, Map<String, String> nodeSelector,
                               Map<FlavorResource, Double> extra, boolean explain) {
            ResourceFlavorInfo info = flavors.get(flavor);
            if (info != null) {
                for (Map.Entry<String, String> l : info.nodeLabels().entrySet()) {
                    String wanted = nodeSelector.get(l.getKey());
                    if (wanted != null && !wanted.equals(l.getValue())) {
                        return !explain ? "" : "node label " + l.getKey() + "=" + l.getValue() + " conflicts with nodeSelector "
                                + l.getKey() + "=" + wanted;
                    }
                }
            }
            for (Map.Entry<String, Double> r : request.entrySet()) {
                FlavorResource fr = new FlavorResource(flavor, r.getKey());
                double available = available(s, fr, extra.getOrDefault(fr, 0.0));
                if (exceeds(r.getValue(), available)) {
                    return !explain ? "" : "insufficient " + r.getKey() + " (requested " + fmt(r.getValue()) + ", available "
                            + fmt(Math.max(0.0, available)) + ")";
                }
            }
            return null;
        }

        /** Kueue's {@code available()} for one ClusterQueue and flavor-resource, with {@code extra} more usage. */
        private double available(QueueState s, FlavorResource fr, double extra) {
            ResourceQuota q = s.quotas.get(fr);
            if (q == null) {
                return 0.0;
            }
            double nominal = q.nominal().doubleValue();
            double usage = used(s.info.name(), fr) + extra;
            if (s.cohort() == null) {
                return nominal - usage;
            }
            double guaranteed = guaranteed(q);
            double local = Math.max(0.0, guaranteed - usage);
            double pool = 0.0;
            double poolUsed = 0.0;
            for (QueueState m : cohorts.get(s.cohort())) {
                ResourceQuota mq = m.quotas.get(fr);
                double mg = mq == null ? 0.0 : guaranteed(mq);
                double mu = used(m.info.name(), fr) + (m == s ? extra : 0.0);
                pool += mq == null ? 0.0 : mq.nominal().doubleValue() - mg;
                poolUsed += Math.max(0.0, mu - mg);
            }
            double fromCohort = pool - poolUsed;
            BigDecimal borrowingLimit = q.borrowingLimit();
            if (borrowingLimit != null) {
                double lent = nominal - guaranteed;
                double usedFromCohort = Math.max(0.0, usage - guaranteed);
                fromCohort = Math.min(fromCohort, lent - usedFromCohort + borrowingLimit.doubleValue());
            }
            return local + fromCohort;
        }

        private double guaranteed(ResourceQuota q) {
            if (q.lendingLimit() == null) {
                return 0.0;
            }
            return Math.max(0.0, q.nominal().doubleValue() - q.lendingLimit().doubleValue());
        }
    }

    private static boolean exceeds(double amount, double limit) {
        return amount > limit + 1e-9 * Math.max(1.0, Math.abs(limit));
    }

    private static String fmt(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
