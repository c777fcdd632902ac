package io.wdrf.kueue;

import io.wdrf.api.Admission;
import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.LocalQueueInfo;
import io.wdrf.api.Phase;
import io.wdrf.api.PodSet;
import io.wdrf.api.PodSetAssignment;
import io.wdrf.api.ResourceFlavorInfo;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.KueueDemandModel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Entry point of the admission model used by {@link InMemoryCluster#admissionCycle()}: turns a snapshot into the
 * scheduler's inputs (Kueue's queue manager and cache: {@code pkg/cache/queue/manager.go},
 * {@code pkg/cache/scheduler/cache.go}) and runs one {@link Scheduler} cycle. The rules live in the classes named
 * in the package documentation, once each.
 *
 * <p>Queueing (Kueue's {@code workload.IsAdmissible} and queue manager): admitted workloads (phase ADMITTED) with
 * an admission record in a known ClusterQueue charge their admission's usage; admissible pending workloads reach a
 * ClusterQueue through their LocalQueue; one with no queue name, an unknown LocalQueue or ClusterQueue, no pod
 * sets or a malformed quantity stays pending with the reason.
 *
 * <p>Not thread-safe (it caches parsed pod-set requests and admission usage between runs, by object identity:
 * records are immutable); {@link InMemoryCluster} calls it under its lock.
 */
final class KueueAdmissionModel {

    private final KueueDemandModel demandModel;
    /** Parsed pod-set requests of the previous run, by PodSet instance. */
    private IdentityHashMap<PodSet, CachedRequest> requestCache = new IdentityHashMap<>();
    /** Usage of admissions seen in the previous run, by Admission instance. */
    private IdentityHashMap<Admission, Map<FlavorResource, Double>> usageCache = new IdentityHashMap<>();

    KueueAdmissionModel(KueueDemandModel demandModel) {
        this.demandModel = Objects.requireNonNull(demandModel, "demandModel");
    }

    /** A parsed pod-set request, or the parse error, for the pod set at {@code index}. */
    private record CachedRequest(int index, Requests.PodSetRequest request, String error) {
    }

    /**
     * Runs one cycle over a snapshot.
     *
     * @param snapshot   the cluster
     * @param cohorts    Cohort objects (hierarchical cohorts); ClusterQueues' cohort names need not be listed
     * @param reservedAt  when each admitted workload got its quota (for preemption candidate order); may miss ids
     * @param fairSharing Kueue's Fair Sharing configuration, or null
     */
    Scheduler.Outcome run(ClusterSnapshot snapshot, Collection<CohortInfo> cohorts, Map<WorkloadId, Instant> reservedAt,
                          FairSharingConfig fairSharing) {
        TreeMap<String, ClusterQueueHeap> heaps = new TreeMap<>();
        for (ClusterQueueInfo cq : snapshot.clusterQueues()) {
            heaps.putIfAbsent(cq.name(), new ClusterQueueHeap(cq));
        }
        QuotaTree tree = new QuotaTree(heaps.values().stream().map(h -> h.info).toList(), cohorts);
        TreeMap<String, ResourceFlavorInfo> flavors = new TreeMap<>();
        for (ResourceFlavorInfo f : snapshot.flavors()) {
            flavors.putIfAbsent(f.name(), f);
        }
        TreeMap<String, String> localQueues = new TreeMap<>();
        for (LocalQueueInfo lq : snapshot.localQueues()) {
            localQueues.putIfAbsent(lq.namespace() + "/" + lq.name(), lq.clusterQueue());
        }
        TreeMap<WorkloadId, Requests.Held> held = new TreeMap<>();
        SortedMap<WorkloadId, String> inadmissible = new TreeMap<>();
        IdentityHashMap<PodSet, CachedRequest> nextRequests = new IdentityHashMap<>();
        IdentityHashMap<Admission, Map<FlavorResource, Double>> nextUsage = new IdentityHashMap<>();
        List<Workload> workloads = snapshot.workloads(); // any order: queues and held sort by total orders
        for (Workload w : workloads) {
            if (w.phase() == Phase.ADMITTED) {
                Admission a = w.admission();
                if (a == null || !heaps.containsKey(a.clusterQueue())) {
                    continue; // quota held in an unknown ClusterQueue (or without a record) cannot be accounted
                }
                Map<FlavorResource, Double> usage = usageCache.get(a);
                if (usage == null) {
                    usage = usage(a);
                }
                nextUsage.put(a, usage);
                Requests.Held h = new Requests.Held(w, a.clusterQueue(), usage, reservedAt.get(w.id()));
                held.put(w.id(), h);
                tree.charge(h.clusterQueue(), usage, 1);
            } else if (w.isAdmissible()) {
                enqueue(w, heaps, localQueues, inadmissible, nextRequests);
            }
        }
        Comparator<Requests.Queued> order = Comparator.comparing(Requests.Queued::workload, ClusterQueueHeap.ORDER);
        heaps.values().forEach(h -> h.sort(order));
        Scheduler.Outcome outcome = new Scheduler(heaps, tree, flavors, held, inadmissible, fairSharing).run();
        requestCache = nextRequests;
        usageCache = nextUsage;
        return outcome;
    }

    private static Map<FlavorResource, Double> usage(Admission a) {
        TreeMap<FlavorResource, Double> usage = new TreeMap<>();
        for (PodSetAssignment psa : a.podSetAssignments()) {
            for (Map.Entry<String, Double> e : psa.resourceUsage().asMap().entrySet()) {
                String flavor = psa.flavors().get(e.getKey());
                if (flavor != null) {
                    usage.merge(new FlavorResource(flavor, e.getKey()), e.getValue(), Double::sum);
                }
            }
        }
        return usage;
    }

    private void enqueue(Workload w, Map<String, ClusterQueueHeap> heaps, Map<String, String> localQueues,
                         SortedMap<WorkloadId, String> inadmissible, IdentityHashMap<PodSet, CachedRequest> next) {
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
        ClusterQueueHeap cq = heaps.get(cqName);
        if (cq == null) {
            inadmissible.put(w.id(), "ClusterQueue " + cqName + " (of LocalQueue " + lq + ") does not exist");
            return;
        }
        if (w.podSets().isEmpty()) {
            inadmissible.put(w.id(), "spec.podSets: workload has no pod sets");
            return;
        }
        List<Requests.PodSetRequest> requests = new ArrayList<>(w.podSets().size());
        for (int i = 0; i < w.podSets().size(); i++) {
            CachedRequest r = request(w.podSets().get(i), i, next);
            if (r.error() != null) {
                inadmissible.put(w.id(), "invalid workload: " + r.error());
                return;
            }
            requests.add(r.request());
        }
        cq.add(new Requests.Queued(w, lq, List.copyOf(requests)));
    }

    /** The pod set's total request, parsed once per PodSet instance while it stays in use. */
    private CachedRequest request(PodSet ps, int index, IdentityHashMap<PodSet, CachedRequest> next) {
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
                r = new CachedRequest(index, new Requests.PodSetRequest(ps.name(), ps.count(), total, ps.nodeSelector()), null);
            } catch (IllegalArgumentException e) {
                r = new CachedRequest(index, null, e.getMessage());
            }
        }
        next.put(ps, r);
        return r;
    }
}
