package io.wdrf.engine;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.DemandModel;
import io.wdrf.api.Phase;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * Starvation reservations: hold capacity for a workload that waited past {@code MAX_AGING_TIME}, which under
 * BestEffortFIFO no priority can do (smaller workloads keep backfilling past a large one).
 *
 * <p>Per ClusterQueue, in Kueue's order (priority desc — the plan's target for pending workloads —, queue-order time
 * asc, UID): when the head has waited ≥ {@code maxAgingTime}, its reservation has not timed out
 * ({@code now < queueOrderTime + maxAgingTime + timeout}) and it does not fit the ClusterQueue's free nominal quota,
 * the workloads after it that request a resource it lacks are gated with
 * {@code kueue.x-k8s.io/admission-gated-by: wdrf.x-k8s.io/reservation} (plus {@code wdrf.x-k8s.io/reserved-for:
 * ns/name}), at most {@code maxGated} of them, first in queue order. EASY backfill: a workload whose
 * {@code kueue.x-k8s.io/max-exec-time-seconds} ends before the shadow time (the earliest instant the head can start,
 * counting only admitted workloads with a maximum execution time, each assumed to end at now + its maximum) is not
 * gated. Every gate WDRF set and no longer wants (head admitted, deleted, timed out, or the gated workload no longer
 * in the way) is removed; a gate with another value is never touched. Everything is derived from the snapshot, so a
 * restarted controller releases or keeps exactly the gates the rules say.
 *
 * <p>Bound (proved from the rules): once the reservation holds, nothing new is admitted in the ClusterQueue that
 * takes a lacking resource except backfill that ends before the shadow time, so the head starts no later than when
 * the admitted work it needs finishes: wait ≤ {@code maxAgingTime} + the longest remaining runtime of the workloads
 * running at the reservation's start (in a queue without cohort borrowing).
 *
 * <p>Gate support is observed, not assumed (Kueue exposes neither its version nor its feature gates): a workload that
 * was seen pending with WDRF's gate in one cycle's snapshot and holding quota with the gate still on in a later one was
 * admitted through it (the gate was on the object, so in Kueue's cache, before the admission). After {@link #IGNORED_AFTER} such workloads Kueue is taken to ignore the gate (Kueue
 * older than v0.19, or {@code AdmissionGatedBy} off); in {@link ReservationSettings.Mode#AUTO} every gate WDRF set is
 * then removed and no reservation is made again by this process (a restart detects afresh); in
 * {@link ReservationSettings.Mode#ON} it only warns. Two workloads keep one race from deciding it: a workload admitted
 * by a Kueue whose cache lagged WDRF's view by more than WDRF's view lagged the admission.
 */
final class Reservations {

    private static final Logger LOG = Logger.getLogger(Reservations.class.getName());

    /** Workloads admitted through WDRF's gate after which Kueue is taken to ignore the gate. */
    static final int IGNORED_AFTER = 2;

    /** Label Kueue's job integrations copy into a Workload's {@code spec.maximumExecutionTimeSeconds}. */
    static final String MAX_EXEC_LABEL = "kueue.x-k8s.io/max-exec-time-seconds";

    private final Duration maxAging;
    private final Duration timeout;
    private final int maxGated;
    private final DemandModel demand = new KueueDemandModel();

    private final boolean stopWhenIgnored;
    /** Workload → first instant it was seen pending with WDRF's gate (only workloads still carrying it). */
    private final Map<WorkloadId, Instant> gatedPendingSince = new HashMap<>();
    /** Workloads seen admitted through WDRF's gate (at most {@link #IGNORED_AFTER} kept). */
    private final Set<WorkloadId> admittedThroughGate = new TreeSet<>();
    private boolean gateIgnored;

    Reservations(Duration maxAging, Duration timeout, int maxGated) {
        this(maxAging, timeout, maxGated, ReservationSettings.Mode.ON);
    }

    Reservations(Duration maxAging, Duration timeout, int maxGated, ReservationSettings.Mode mode) {
        this.maxAging = maxAging;
        this.timeout = timeout;
        this.maxGated = maxGated;
        this.stopWhenIgnored = mode == ReservationSettings.Mode.AUTO;
    }

    /** Whether Kueue was seen admitting workloads through WDRF's gate ({@code wdrf_reservation_gate_ignored}). */
    boolean gateIgnored() {
        return gateIgnored;
    }

    /** Notes which gated workloads stayed pending and which were admitted through the gate; see the class comment. */
    private void observeGateSupport(List<Workload> all, Instant now) {
        Set<WorkloadId> stillGated = new HashSet<>();
        for (Workload w : all) {
            if (!ours(w)) {
                continue;
            }
            stillGated.add(w.id());
            if (w.phase() == Phase.PENDING) {
                gatedPendingSince.putIfAbsent(w.id(), now);
            } else if (w.phase() == Phase.ADMITTED) {
                Instant since = gatedPendingSince.get(w.id());
                if (since != null && since.isBefore(now) && admittedThroughGate.size() < IGNORED_AFTER) {
                    admittedThroughGate.add(w.id());
                }
            }
        }
        gatedPendingSince.keySet().retainAll(stillGated); // bounded by the workloads that carry the gate now
        if (!gateIgnored && admittedThroughGate.size() >= IGNORED_AFTER) {
            gateIgnored = true;
            LOG.warning("Kueue admitted " + admittedThroughGate.size() + " workloads through WDRF's "
                    + Workload.ADMISSION_GATED_BY + " gate (Kueue older than v0.19, or its feature gate AdmissionGatedBy"
                    + " off): " + (stopWhenIgnored
                    ? "starvation reservations are off from now on (wdrf.starvation.reserve = auto) and WDRF removes its gates"
                    : "reservations cannot hold capacity (wdrf.starvation.reserve = on keeps gating)"));
        }
    }

    /** With reservations stopped: remove every gate WDRF set, pending or admitted, and hold nothing. */
    private static Plan releaseAll(List<Workload> all) {
        List<PriorityUpdate> updates = new ArrayList<>();
        for (Workload w : all) {
            if (ours(w) && w.phase() != Phase.FINISHED) {
                updates.add(release(w));
            }
        }
        return new Plan(updates, List.of(), Map.of());
    }

    private static PriorityUpdate release(Workload w) {
        Map<String, String> a = new HashMap<>();
        a.put(Workload.ADMISSION_GATED_BY, null);
        a.put(PriorityUpdate.RESERVED_FOR_ANNOTATION, null);
        return PriorityUpdate.annotations(w.id(), w.uid(), a);
    }

    /** One held reservation. */
    record Held(WorkloadId head, String clusterQueue, List<WorkloadId> gated) {
    }

    /** The cycle's gate changes and the reservations held after them. */
    record Plan(List<PriorityUpdate> updates, List<Held> held, Map<WorkloadId, String> reasons) {
    }

    static boolean ours(Workload w) {
        return PriorityUpdate.RESERVATION_GATE.equals(w.annotations().get(Workload.ADMISSION_GATED_BY));
    }

    static boolean foreignGate(Workload w) {
        String g = w.annotations().get(Workload.ADMISSION_GATED_BY);
        return g != null && !PriorityUpdate.RESERVATION_GATE.equals(g);
    }

    Plan plan(ClusterSnapshot snapshot, Instant now, Map<WorkloadId, String> clusterQueueOf, List<PriorityDecision> decisions) {
        Map<WorkloadId, Integer> target = new HashMap<>(decisions.size() * 2);
        for (PriorityDecision d : decisions) {
            target.put(d.workloadId(), d.priority());
        }
        DemandModel.Bound bound = demand.bind(snapshot);
        Map<String, List<Workload>> queued = new TreeMap<>();
        Map<String, ResourceVector> used = new TreeMap<>();
        Map<String, List<Workload>> running = new TreeMap<>();
        List<Workload> ourGates = new ArrayList<>();
        List<Workload> all = new ArrayList<>(snapshot.workloads());
        all.sort(Comparator.comparing(Workload::id));
        observeGateSupport(all, now);
        if (gateIgnored && stopWhenIgnored) {
            return releaseAll(all);
        }
        for (Workload w : all) {
            String cq = clusterQueueOf.get(w.id());
            if (ours(w) && w.phase() == Phase.PENDING) {
                ourGates.add(w);
            }
            if (cq == null) {
                continue;
            }
            try {
                if (w.phase() == Phase.ADMITTED) {
                    used.merge(cq, bound.usage(w), ResourceVector::plus);
                    running.computeIfAbsent(cq, k -> new ArrayList<>()).add(w);
                } else if (w.phase() == Phase.PENDING && w.active() && (w.isAdmissible() || ours(w))) {
                    queued.computeIfAbsent(cq, k -> new ArrayList<>()).add(w);
                }
            } catch (RuntimeException e) {
                // a malformed workload is reported by the context builder; it takes no part in reservations
            }
        }
        Map<String, ClusterQueueInfo> queues = new TreeMap<>();
        snapshot.clusterQueues().forEach(q -> queues.putIfAbsent(q.name(), q));
        Map<WorkloadId, String> wanted = new LinkedHashMap<>(); // gated id → reserved-for
        Map<WorkloadId, String> reasons = new TreeMap<>();
        List<Held> held = new ArrayList<>();
        for (Map.Entry<String, List<Workload>> e : queued.entrySet()) {
            ClusterQueueInfo cq = queues.get(e.getKey());
            if (cq == null) {
                continue;
            }
            List<Workload> order = new ArrayList<>(e.getValue());
            order.sort(Comparator.comparingInt((Workload w) -> target.getOrDefault(w.id(), w.effectivePriority())).reversed()
                    .thenComparing(Workload::queueOrderTime).thenComparing(Workload::uid).thenComparing(Workload::id));
            Workload head = null;
            for (Workload w : order) {
                if (!ours(w)) {
                    head = w; // the first admissible workload (our gated ones are not admissible)
                    break;
                }
            }
            if (head == null) {
                continue;
            }
            Instant starvedAt = head.queueOrderTime().plus(maxAging);
            if (now.isBefore(starvedAt) || !now.isBefore(starvedAt.plus(timeout))) {
                continue;
            }
            ResourceVector need;
            try {
                need = bound.demand(head);
            } catch (RuntimeException ex) {
                continue;
            }
            ResourceVector free = cq.nominalTotal().minusFloorZero(used.getOrDefault(cq.name(), ResourceVector.empty()));
            List<String> lacking = new ArrayList<>();
            for (String r : need.resources()) {
                if (need.get(r) > free.get(r) + 1e-9 * Math.max(1, need.get(r))) {
                    lacking.add(r);
                }
            }
            if (lacking.isEmpty()) {
                continue; // it fits: Kueue admits it, nothing to hold
            }
            Instant shadow = shadowTime(now, need, free, running.getOrDefault(cq.name(), List.of()), bound);
            String reservedFor = head.id().namespace() + "/" + head.id().name();
            List<WorkloadId> gated = new ArrayList<>();
            boolean after = false;
            for (Workload w : order) {
                if (w == head) {
                    after = true;
                    continue;
                }
                if (!after || foreignGate(w) || gated.size() >= maxGated) {
                    continue;
                }
                ResourceVector d;
                try {
                    d = bound.demand(w);
                } catch (RuntimeException ex) {
                    continue;
                }
                boolean takes = lacking.stream().anyMatch(r -> d.get(r) > 0);
                if (!takes) {
                    continue;
                }
                Long maxExec = maxExecSeconds(w);
                if (maxExec != null && shadow != null && !now.plusSeconds(maxExec).isAfter(shadow)) {
                    reasons.put(w.id(), "backfill: ends before " + reservedFor + " can start");
                    continue;
                }
                gated.add(w.id());
                wanted.put(w.id(), reservedFor);
            }
            held.add(new Held(head.id(), cq.name(), List.copyOf(gated)));
        }
        List<PriorityUpdate> updates = new ArrayList<>();
        Map<WorkloadId, Workload> byId = new HashMap<>();
        for (Workload w : all) {
            byId.put(w.id(), w);
        }
        for (Map.Entry<WorkloadId, String> e : wanted.entrySet()) {
            Workload w = byId.get(e.getKey());
            if (ours(w) && e.getValue().equals(w.annotations().get(PriorityUpdate.RESERVED_FOR_ANNOTATION))) {
                continue; // already gated for this reservation
            }
            Map<String, String> a = new TreeMap<>();
            a.put(Workload.ADMISSION_GATED_BY, PriorityUpdate.RESERVATION_GATE);
            a.put(PriorityUpdate.RESERVED_FOR_ANNOTATION, e.getValue());
            updates.add(PriorityUpdate.annotations(w.id(), w.uid(), a));
        }
        for (Workload w : ourGates) {
            if (!wanted.containsKey(w.id())) {
                updates.add(release(w));
            }
        }
        return new Plan(updates, held, reasons);
    }

    /**
     * The earliest instant at which {@code need} fits, counting only admitted workloads with a maximum execution time
     * (assumed to end at now + that maximum, an upper bound); null when unknown.
     */
    private Instant shadowTime(Instant now, ResourceVector need, ResourceVector free, List<Workload> running,
                               DemandModel.Bound bound) {
        List<Object[]> ends = new ArrayList<>();
        for (Workload w : running) {
            Long s = maxExecSeconds(w);
            if (s != null) {
                ends.add(new Object[] {now.plusSeconds(s), bound.usage(w)});
            }
        }
        ends.sort(Comparator.comparing(o -> (Instant) o[0]));
        ResourceVector f = free;
        for (Object[] e : ends) {
            f = f.plus((ResourceVector) e[1]);
            boolean fits = true;
            for (String r : need.resources()) {
                if (need.get(r) > f.get(r) + 1e-9 * Math.max(1, need.get(r))) {
                    fits = false;
                    break;
                }
            }
            if (fits) {
                return (Instant) e[0];
            }
        }
        return null;
    }

    static Long maxExecSeconds(Workload w) {
        String v = w.labels().get(MAX_EXEC_LABEL);
        if (v == null) {
            return null;
        }
        try {
            long s = Long.parseLong(v.trim());
            return s > 0 ? s : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
