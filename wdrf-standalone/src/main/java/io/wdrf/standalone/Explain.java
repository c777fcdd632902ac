package io.wdrf.standalone;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.Explanation;
import io.wdrf.api.InvalidObject;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.Evaluation;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code wdrf explain <ns>/<workload>}: evaluates once and prints the factor breakdown of one pending workload, like
 * Slurm's {@code sprio -l}. With backend {@code memory} the demo scenario is simulated for a few steps first.
 */
final class Explain {

    static final int DEMO_WARMUP_STEPS = 4;

    private Explain() {
    }

    static int run(Settings settings, String target, PrintStream out, PrintStream err, Duration syncTimeout)
            throws InterruptedException {
        WorkloadId id;
        try {
            id = WorkloadId.parse(target);
        } catch (IllegalArgumentException e) {
            err.println("explain: '" + target + "' is not <namespace>/<workload>: " + e.getMessage());
            return 2;
        }
        try (ClusterLoad load = ClusterLoad.load(settings, err, "explain", syncTimeout)) {
            return print(id, load.snapshot, load.engine.evaluate(load.snapshot), load.source, out, err);
        } catch (ClusterLoad.Unreachable e) {
            err.println("explain: " + e.getMessage());
            return 1;
        }
    }

    static int print(WorkloadId id, ClusterSnapshot snapshot, Evaluation ev, String source, PrintStream out,
                     PrintStream err) {
        Optional<Workload> workload = snapshot.workloads().stream().filter(w -> w.id().equals(id)).findFirst();
        for (InvalidObject o : ev.invalid()) {
            if (o.namespace().equals(id.namespace()) && o.name().equals(id.name())) {
                err.println("explain: " + id + " is skipped: " + o.reason());
                return 1;
            }
        }
        if (workload.isEmpty()) {
            err.println("explain: workload " + id + " not found (" + source + ")");
            return 1;
        }
        List<PriorityDecision> decisions = ev.plan().decisions();
        int rank = 0;
        PriorityDecision decision = null;
        for (PriorityDecision d : decisions) {
            rank++;
            if (d.workloadId().equals(id)) {
                decision = d;
                break;
            }
        }
        Workload w = workload.get();
        if (decision == null) {
            err.println("explain: " + id + " is not pending (phase " + w.phase() + "); WDRF only sets priorities of "
                    + "pending workloads" + (w.priority() == null ? "" : "; spec.priority is " + w.priority()));
            return 1;
        }
        Explanation x = decision.explanation();
        Instant at = ev.context().now();
        out.printf(Locale.ROOT, "%s  (policy %s, evaluated at %s, %s)%n", id, x.policy(), at, source);
        String f = "  %-18s %s%n";
        out.printf(Locale.ROOT, f, "tenant", x.tenant());
        out.printf(Locale.ROOT, f, "tenant weight", fmt(x.tenantWeight()));
        out.printf(Locale.ROOT, f, "tenant share", String.format(Locale.ROOT, "%.4f%s", x.dominantShare(),
                x.dominantResource().isEmpty() ? "" : "  (dominant resource " + x.dominantResource() + ")"));
        out.printf(Locale.ROOT, f, "level", String.format(Locale.ROOT, "%.4f  (share after this tenant's earlier "
                + "pending work)", x.level()));
        out.printf(Locale.ROOT, f, "waited", Demo.human(x.waited()));
        out.printf(Locale.ROOT, f, "age factor", String.format(Locale.ROOT, "%.2f", x.ageFactor()));
        out.printf(Locale.ROOT, f, "class", x.workloadClass());
        out.printf(Locale.ROOT, f, "class points", fmt(x.classPoints()));
        out.printf(Locale.ROOT, f, "aging points", fmt(x.agingPoints()));
        out.printf(Locale.ROOT, f, "fairness points", fmt(x.fairnessPoints()));
        for (Map.Entry<String, Double> e : x.factors().entrySet()) {
            out.printf(Locale.ROOT, f, e.getKey(), fmt(e.getValue()));
        }
        out.printf(Locale.ROOT, f, "score", fmt(x.score()));
        out.printf(Locale.ROOT, f, "final priority", decision.priority() + "  (on the object now: "
                + (w.priority() == null ? "none" : Integer.toString(w.effectivePriority())) + ")");
        out.printf(Locale.ROOT, f, "guard notes", x.notes().isEmpty() ? "-" : String.join("; ", x.notes()));
        out.printf(Locale.ROOT, f, "rank", rank + " of " + decisions.size() + " pending");
        String recorded = w.annotations().get(PriorityUpdate.EXPLANATION_ANNOTATION);
        if (recorded != null) {
            out.printf(Locale.ROOT, f, "annotation", PriorityUpdate.EXPLANATION_ANNOTATION + ": " + recorded);
        }
        return 0;
    }

    private static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
