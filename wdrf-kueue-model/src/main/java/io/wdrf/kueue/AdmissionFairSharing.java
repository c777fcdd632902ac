package io.wdrf.kueue;

import io.wdrf.api.PodSetAssignment;
import io.wdrf.api.Workload;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Admission Fair Sharing ledger (Kueue {@code pkg/cache/queue/afs/usage_ledger.go},
 * {@code entry_penalties.go}, {@code pkg/util/admissionfairsharing/admission_fair_sharing.go}, the decay in
 * {@code pkg/controller/core/localqueue_controller.go}): per LocalQueue the decayed consumed resources and the
 * pending entry penalties; see {@link AdmissionFairSharingConfig} for the formulas. Kept by
 * {@link InMemoryCluster} across cycles; mutable, guarded by its lock.
 */
final class AdmissionFairSharing {

    private static final class Ledger {
        final TreeMap<String, Double> consumed = new TreeMap<>();
        final TreeMap<String, Double> penalty = new TreeMap<>();
        Instant lastUpdate;
    }

    private final AdmissionFairSharingConfig config;
    private final Map<String, Ledger> ledgers = new HashMap<>();
    /** The instant of the current cycle (set by {@link #sample}). */
    private Instant now;

    AdmissionFairSharing(AdmissionFairSharingConfig config) {
        this.config = config;
    }

    /**
     * The LocalQueue status update: every sampling interval, consumed ← consumed × (1 − α) + current × α over the
     * time elapsed, and the entry penalties (now accounted in the current usage) are dropped.
     *
     * @param holding the workloads holding quota
     */
    void sample(Instant now, Collection<WorkloadSlot> holding) {
        this.now = now;
        Map<String, TreeMap<String, Double>> current = new HashMap<>();
        for (WorkloadSlot s : holding) {
            Workload w = s.workload;
            if (w.admission() == null) {
                continue;
            }
            TreeMap<String, Double> u = current.computeIfAbsent(key(w), k -> new TreeMap<>());
            for (PodSetAssignment psa : w.admission().podSetAssignments()) {
                psa.resourceUsage().asMap().forEach((r, v) -> u.merge(r, v, Double::sum));
            }
        }
        for (String lq : current.keySet()) {
            ledgers.computeIfAbsent(lq, k -> new Ledger());
        }
        double half = config.usageHalfLifeTime().toMillis() / 1000.0;
        for (Map.Entry<String, Ledger> e : ledgers.entrySet()) {
            Ledger l = e.getValue();
            if (l.lastUpdate == null) {
                l.lastUpdate = now;
                continue;
            }
            Duration elapsed = Duration.between(l.lastUpdate, now);
            if (elapsed.compareTo(config.usageSamplingInterval()) < 0) {
                continue;
            }
            double a = AdmissionFairSharingConfig.alpha(elapsed.toMillis() / 1000.0, half);
            TreeMap<String, Double> cur = current.getOrDefault(e.getKey(), new TreeMap<>());
            TreeMap<String, Double> next = new TreeMap<>();
            l.consumed.forEach((r, v) -> next.merge(r, v * (1 - a), Double::sum));
            cur.forEach((r, v) -> next.merge(r, v * a, Double::sum));
            if (half == 0) {
                next.clear();
                next.putAll(cur); // Kueue with a zero half-life keeps only the current usage
            }
            l.consumed.clear();
            l.consumed.putAll(next);
            l.penalty.clear();
            l.lastUpdate = now;
        }
    }

    /** An admitted workload's entry penalty: α(sampling interval) × its request, until the next sample. */
    void admitted(Workload w, Map<FlavorResource, Double> usage) {
        double a = AdmissionFairSharingConfig.alpha(config.usageSamplingInterval().toMillis() / 1000.0,
                config.usageHalfLifeTime().toMillis() / 1000.0);
        Ledger l = ledgers.computeIfAbsent(key(w), k -> new Ledger());
        if (l.lastUpdate == null) {
            l.lastUpdate = now; // a LocalQueue's ledger starts with its first admission
        }
        usage.forEach((fr, v) -> l.penalty.merge(fr.resource(), v * a, Double::sum));
    }

    /** Kueue's {@code CalculateUsage} of the LocalQueue {@code namespace/name} (weight 1). */
    double usage(String localQueue) {
        Ledger l = ledgers.get(localQueue);
        if (l == null) {
            return 0.0;
        }
        TreeMap<String, Double> all = new TreeMap<>(l.consumed);
        l.penalty.forEach((r, v) -> all.merge(r, v, Double::sum));
        double u = 0;
        for (Map.Entry<String, Double> e : all.entrySet()) {
            u += config.resourceWeights().getOrDefault(e.getKey(), 1.0) * e.getValue();
        }
        return u;
    }

    private static String key(Workload w) {
        return w.id().namespace() + "/" + w.queueName();
    }
}
