package io.wdrf.standalone;

import io.wdrf.api.Explanation;
import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.TenantState;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.Evaluation;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code wdrf queue} (alias {@code top}) and {@code wdrf shares}: read-only views of one evaluation, like Slurm's
 * {@code squeue}/{@code sprio} and {@code sshare}.
 *
 * <ul>
 *   <li>queue: the pending workloads in the order WDRF ranks them (most important first; Kueue admits within a
 *       ClusterQueue by this priority, then queue-order time), with the target priority, the priority on the object
 *       now, class, tenant, level, wait and the explanation's notes.</li>
 *   <li>shares: per tenant with admitted or pending work, the weight, the entitlement (weight / Σ weights of those
 *       tenants), the dominant share of capacity it holds, their ratio (above 1 = over its entitlement), the
 *       dominant resource, admitted and pending counts and the oldest pending wait.</li>
 * </ul>
 */
final class Inspect {

    private Inspect() {
    }

    static int queue(Settings s, String namespace, PrintStream out, PrintStream err, Duration syncTimeout)
            throws InterruptedException {
        try (ClusterLoad load = ClusterLoad.load(s, err, "queue", syncTimeout)) {
            printQueue(load.engine.evaluate(load.snapshot), namespace, load.source, out);
            return 0;
        } catch (ClusterLoad.Unreachable e) {
            err.println("queue: " + e.getMessage());
            return 1;
        }
    }

    static int shares(Settings s, PrintStream out, PrintStream err, Duration syncTimeout) throws InterruptedException {
        try (ClusterLoad load = ClusterLoad.load(s, err, "shares", syncTimeout)) {
            printShares(load.engine.evaluate(load.snapshot), load.source, out);
            return 0;
        } catch (ClusterLoad.Unreachable e) {
            err.println("shares: " + e.getMessage());
            return 1;
        }
    }

    static void printQueue(Evaluation ev, String namespace, String source, PrintStream out) {
        Map<WorkloadId, PendingWorkload> pending = new HashMap<>();
        for (PendingWorkload p : ev.context().pending()) {
            pending.put(p.id(), p);
        }
        List<PriorityDecision> decisions = ev.plan().decisions();
        out.printf(Locale.ROOT, "# %d pending%s, policy %s, evaluated at %s (%s)%n", decisions.size(),
                namespace == null ? "" : ", showing namespace " + namespace, ev.plan().policy(), ev.context().now(),
                source);
        String f = "%-5s %-40s %-16s %-9s %11s %11s %7s %8s  %s%n";
        out.printf(Locale.ROOT, f, "RANK", "WORKLOAD", "TENANT", "CLASS", "PRIORITY", "NOW", "LEVEL", "WAIT", "WHY");
        int rank = 0;
        for (PriorityDecision d : decisions) {
            rank++;
            if (namespace != null && !d.workloadId().namespace().equals(namespace)) {
                continue;
            }
            Explanation x = d.explanation();
            PendingWorkload p = pending.get(d.workloadId());
            Workload w = p == null ? null : p.workload();
            String now = w == null || w.priority() == null ? "-" : Integer.toString(w.effectivePriority());
            String why = String.format(Locale.ROOT, "points %.0f+%.0f+%.0f", x.classPoints(), x.agingPoints(),
                    x.fairnessPoints()) + (x.notes().isEmpty() ? "" : "; " + String.join("; ", x.notes()));
            out.printf(Locale.ROOT, f, rank, d.workloadId(), x.tenant(), x.workloadClass(), d.priority(), now,
                    String.format(Locale.ROOT, "%.4f", x.level()), Demo.human(x.waited()), why);
        }
        if (!ev.invalid().isEmpty()) {
            out.printf(Locale.ROOT, "# %d object(s) skipped as invalid (see 'wdrf explain' or the controller log)%n",
                    ev.invalid().size());
        }
    }

    static void printShares(Evaluation ev, String source, PrintStream out) {
        Map<String, Duration> oldest = new TreeMap<>();
        for (PendingWorkload p : ev.context().pending()) {
            oldest.merge(p.tenant(), p.waited(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
        List<TenantState> tenants = new ArrayList<>(ev.context().tenants().values());
        double total = 0;
        for (TenantState t : tenants) {
            total += t.weight();
        }
        out.printf(Locale.ROOT, "# %d tenant(s) with work, capacity %s, evaluated at %s (%s)%n", tenants.size(),
                ev.context().capacity().asMap(), ev.context().now(), source);
        String f = "%-20s %7s %12s %8s %9s %-18s %9s %8s %12s%n";
        out.printf(Locale.ROOT, f, "TENANT", "WEIGHT", "ENTITLEMENT", "SHARE", "SHARE/ENT", "DOMINANT", "ADMITTED",
                "PENDING", "OLDEST-WAIT");
        for (TenantState t : tenants) {
            double entitlement = total > 0 ? t.weight() / total : 0;
            double share = t.weightedDominantShare() * t.weight();
            out.printf(Locale.ROOT, f, t.name(), fmt(t.weight()), String.format(Locale.ROOT, "%.4f", entitlement),
                    String.format(Locale.ROOT, "%.4f", share),
                    entitlement > 0 ? String.format(Locale.ROOT, "%.2f", share / entitlement) : "-",
                    t.dominantResource().isEmpty() ? "-" : t.dominantResource(), t.admitted(), t.pending(),
                    oldest.containsKey(t.name()) ? Demo.human(oldest.get(t.name())) : "-");
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
