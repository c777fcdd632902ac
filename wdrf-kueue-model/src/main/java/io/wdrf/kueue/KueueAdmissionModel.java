package io.wdrf.kueue;

import io.wdrf.api.Admission;
import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.LocalQueueInfo;
import io.wdrf.api.PodSet;
import io.wdrf.api.PodSetAssignment;
import io.wdrf.api.ResourceFlavorInfo;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.KueueDemandModel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
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
 * <p>Work per cycle is proportional to the workloads holding quota plus the admissible pending ones, which the
 * cluster indexes as they change (finished and gated workloads cost nothing); pod-set requests and admission usage
 * are parsed once per object (cached on the {@link WorkloadSlot}, by identity). Not thread-safe;
 * {@link InMemoryCluster} calls it under its lock.
 */
final class KueueAdmissionModel {

    private final KueueDemandModel demandModel;

    KueueAdmissionModel(KueueDemandModel demandModel) {
        this.demandModel = Objects.requireNonNull(demandModel, "demandModel");
    }

    /**
     * What one cycle reads: the queue objects, and the workloads the cluster keeps indexed as they change —
     * those holding quota and the admissible pending ones (each in id order).
     */
    record Input(Collection<ClusterQueueInfo> clusterQueues, Collection<LocalQueueInfo> localQueues,
                 Collection<ResourceFlavorInfo> flavors, Collection<CohortInfo> cohorts,
                 Collection<WorkloadSlot> holding, Collection<WorkloadSlot> queued) {
    }

    /**
     * Runs one cycle.
     *
     * @param fairSharing Kueue's Fair Sharing configuration, or null
     */
    Scheduler.Outcome run(Input in, FairSharingConfig fairSharing) {
        TreeMap<String, ClusterQueueHeap> heaps = new TreeMap<>();
        for (ClusterQueueInfo cq : in.clusterQueues()) {
            heaps.putIfAbsent(cq.name(), new ClusterQueueHeap(cq));
        }
        QuotaTree tree = new QuotaTree(heaps.values().stream().map(h -> h.info).toList(), in.cohorts());
        TreeMap<String, ResourceFlavorInfo> flavors = new TreeMap<>();
        for (ResourceFlavorInfo f : in.flavors()) {
            flavors.putIfAbsent(f.name(), f);
        }
        HashMap<String, String> localQueues = new HashMap<>();
        for (LocalQueueInfo lq : in.localQueues()) {
            localQueues.putIfAbsent(lq.namespace() + "/" + lq.name(), lq.clusterQueue());
        }
        TreeMap<WorkloadId, Requests.Held> held = new TreeMap<>();
        SortedMap<WorkloadId, String> inadmissible = new TreeMap<>();
        for (WorkloadSlot slot : in.holding()) {
            Admission a = slot.workload.admission();
            if (a == null || !heaps.containsKey(a.clusterQueue())) {
                continue; // quota held in an unknown ClusterQueue (or without a record) cannot be accounted
            }
            if (slot.usageFor != a) {
                slot.usage = usage(a);
                slot.usageFor = a;
            }
            Requests.Held h = new Requests.Held(slot.workload, a.clusterQueue(), slot.usage, slot.reservedAt);
            held.put(slot.workload.id(), h);
            tree.charge(h.clusterQueue(), slot.usage, 1);
        }
        for (WorkloadSlot slot : in.queued()) {
            enqueue(slot, heaps, localQueues, inadmissible);
        }
        Comparator<Requests.Queued> order = Comparator.comparing(Requests.Queued::workload, ClusterQueueHeap.ORDER);
        heaps.values().forEach(h -> h.sort(order));
        return new Scheduler(heaps, tree, flavors, held, inadmissible, fairSharing).run();
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

    private void enqueue(WorkloadSlot slot, Map<String, ClusterQueueHeap> heaps, Map<String, String> localQueues,
                         SortedMap<WorkloadId, String> inadmissible) {
        Workload w = slot.workload;
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
        if (slot.requestsFor != w.podSets()) {
            parse(slot);
        }
        if (slot.requestError != null) {
            inadmissible.put(w.id(), "invalid workload: " + slot.requestError);
            return;
        }
        cq.add(new Requests.Queued(w, lq, slot.requests));
    }

    /** Parses the pod sets' total requests once per pod-set list (records are immutable: identity = content). */
    private void parse(WorkloadSlot slot) {
        List<PodSet> podSets = slot.workload.podSets();
        List<Requests.PodSetRequest> requests = new ArrayList<>(podSets.size());
        String error = null;
        for (int i = 0; i < podSets.size() && error == null; i++) {
            PodSet ps = podSets.get(i);
            try {
                Map<String, Double> pod = demandModel.podRequest(ps, "spec.podSets[" + i + "]");
                TreeMap<String, Double> total = new TreeMap<>();
                pod.forEach((res, v) -> {
                    if (v > 0 && ps.count() > 0) {
                        total.put(res, v * ps.count());
                    }
                });
                requests.add(new Requests.PodSetRequest(ps.name(), ps.count(), total, ps.nodeSelector()));
            } catch (IllegalArgumentException e) {
                error = e.getMessage();
            }
        }
        slot.requestsFor = podSets;
        slot.requests = error == null ? List.copyOf(requests) : null;
        slot.requestError = error;
    }
}
