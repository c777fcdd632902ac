package io.wdrf.standalone;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.Explanation;
import io.wdrf.api.Phase;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.TenantState;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.api.WriteOutcome;
import io.wdrf.engine.CycleReport;
import io.wdrf.engine.Evaluation;
import io.wdrf.engine.Reconciler;
import io.wdrf.engine.WdrfEngine;
import io.wdrf.kueue.AdmissionResult;
import io.wdrf.kueue.InMemoryCluster;
import io.wdrf.engine.ManualClock;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code wdrf demo}: the real reconcile loop (engine, diff, writes, explanations, events) on the embedded in-memory
 * cluster, with Kueue's admission modelled after each cycle, in simulated time.
 */
final class Demo {

    /**
     * @param steps           number of simulated steps
     * @param step            simulated time per step
     * @param color           ANSI colours
     * @param stepDelayMillis wall-clock pause between steps
     */
    record Options(int steps, Duration step, boolean color, long stepDelayMillis) {
    }

    private final Settings settings;
    private final Options options;
    private final PrintStream out;
    private final ManualClock clock = new ManualClock(DemoScenario.START);

    Demo(Settings settings, Options options, PrintStream out) {
        this.settings = settings;
        this.options = options;
        this.out = out;
    }

    /** The simulated cluster and the engine after the steps. */
    record State(InMemoryCluster cluster, WdrfEngine engine, ManualClock clock) {
    }

    /** Runs the demo; returns the exit code. */
    int run() throws InterruptedException {
        State state = runSteps();
        state.cluster().close();
        return 0;
    }

    /** Runs all steps, printing the table each step, and returns the final state (the cluster stays open). */
    State runSteps() throws InterruptedException {
        Injector injector = Wiring.injector(settings, new AbstractModule() {
            @Provides
            @Singleton
            Clock clock() {
                return clock;
            }
        });
        InMemoryCluster cluster = injector.getInstance(InMemoryCluster.class);
        WdrfEngine engine = injector.getInstance(WdrfEngine.class);
        Metrics metrics = injector.getInstance(Metrics.class);
        Reconciler reconciler = Reconciler.builder(cluster, metrics.timed(cluster), engine)
                .settings(settings.reconciler()).listener(metrics).build();

        Map<WorkloadId, DemoScenario.Job> jobs = new TreeMap<>();
        for (DemoScenario.Job j : DemoScenario.jobs()) {
            jobs.put(j.id(), j);
        }
        Map<WorkloadId, Instant> runningSince = new TreeMap<>();
        Map<String, Integer> admissions = new TreeMap<>();
        long written = 0;
        out.println(bold("WDRF demo") + ": policy " + engine.policy().name() + ", " + DemoScenario.TEAMS.size()
                + " teams (" + String.join(", ", DemoScenario.TEAMS) + ") on 2 HAMi GPU nodes (8 x A100), "
                + options.steps() + " steps of " + human(options.step()) + " simulated time"
                + (settings.reconciler().dryRun() ? ", DRY RUN (no priority is written)" : ""));
        out.println("weights: ml-research 2 (config), interns 0.5 (namespace annotation), others 1; "
                + "urgent allowed in ml-research, vision, nlp");
        for (int step = 0; step < options.steps(); step++) {
            if (step > 0) {
                clock.advance(options.step());
            }
            Instant now = clock.instant();
            Duration elapsed = Duration.between(DemoScenario.START, now);
            List<String> finished = new ArrayList<>();
            for (WorkloadId id : new ArrayList<>(runningSince.keySet())) {
                DemoScenario.Job j = jobs.get(id);
                if (j != null && !Duration.between(runningSince.get(id), now).minus(j.runtime()).isNegative()) {
                    cluster.finish(id);
                    runningSince.remove(id);
                    finished.add(id.toString());
                }
            }
            List<String> submitted = new ArrayList<>();
            for (DemoScenario.Job j : jobs.values()) {
                if (!j.submitAfter().isZero() && j.submitAfter().compareTo(elapsed) <= 0
                        && cluster.workload(j.id()).isEmpty()) {
                    cluster.submit(j.toWorkload(now));
                    submitted.add(j.id().toString());
                }
            }
            CycleReport report = reconciler.runOnce();
            if (report.writeResult() != null) {
                written += report.writeResult().count(WriteOutcome.WRITTEN);
            }
            AdmissionResult admitted = cluster.admissionCycle();
            for (WorkloadId id : admitted.admitted()) {
                runningSince.put(id, now);
                admissions.merge(id.namespace(), 1, Integer::sum);
            }
            for (WorkloadId id : admitted.preempted()) {
                runningSince.remove(id);
            }
            printStep(step, elapsed, report, cluster, engine, admitted, finished, submitted, jobs);
            if (options.stepDelayMillis() > 0 && step + 1 < options.steps()) {
                Thread.sleep(options.stepDelayMillis());
            }
        }
        out.println();
        out.println(bold("demo finished") + ": " + options.steps() + " steps, admissions per team " + admissions
                + ", " + written + " priority writes, " + cluster.events().size() + " events, "
                + cluster.preemptions() + " preemptions");
        out.println("try: ./wdrf explain --backend memory ml-research/ablation-2   (factor breakdown of one workload)");
        out.flush();
        reconciler.close();
        return new State(cluster, engine, clock);
    }

    private void printStep(int step, Duration elapsed, CycleReport report, InMemoryCluster cluster, WdrfEngine engine,
                           AdmissionResult admitted, List<String> finished, List<String> submitted,
                           Map<WorkloadId, DemoScenario.Job> jobs) {
        out.println();
        out.println(bold(String.format(Locale.ROOT, "── step %d/%d · t=+%s · %s ", step + 1, options.steps(),
                human(elapsed), clock.instant())) + "─".repeat(20));
        if (!submitted.isEmpty()) {
            out.println("submitted:      " + String.join(", ", submitted));
        }
        if (!finished.isEmpty()) {
            out.println("finished:       " + String.join(", ", finished));
        }
        int writes = report.writeResult() == null ? 0 : (int) report.writeResult().count(WriteOutcome.WRITTEN);
        out.println("reconcile:      " + report.pending() + " pending, " + writes + " priorit"
                + (writes == 1 ? "y" : "ies") + " written"
                + (report.ok() ? "" : ", ERROR " + report.error()));
        List<String> justAdmitted = new ArrayList<>();
        for (WorkloadId id : admitted.admitted()) {
            justAdmitted.add(id.toString());
        }
        out.println("just admitted:  " + (justAdmitted.isEmpty() ? "-" : green(String.join(", ", justAdmitted))));
        if (!admitted.preempted().isEmpty()) {
            out.println("preempted:      " + red(admitted.preempted().toString()));
        }

        // shares after this step's admissions: the fraction of capacity each tenant holds (never above 1)
        ClusterSnapshot snap = cluster.snapshot();
        Evaluation ev = engine.evaluate(snap);
        Map<String, Integer> running = new TreeMap<>();
        for (Workload w : snap.workloads()) {
            if (w.phase() == Phase.ADMITTED) {
                running.merge(w.id().namespace(), 1, Integer::sum);
            }
        }
        StringBuilder tenants = new StringBuilder();
        double gpuUsed = 0;
        String gpu = settings.hami() != null ? settings.hami().fractionResource() : "nvidia.com/gpu";
        for (String team : DemoScenario.TEAMS) {
            TenantState t = ev.context().tenants().get(team);
            if (tenants.length() > 0) {
                tenants.append(" | ");
            }
            tenants.append(team).append(' ').append(running.getOrDefault(team, 0));
            if (t != null) {
                gpuUsed += t.usage().get(gpu);
                tenants.append(String.format(Locale.ROOT, " (share %.3f%s)", share(t),
                        t.dominantResource().isEmpty() ? "" : " " + t.dominantResource()));
            }
        }
        out.println("admitted/team:  " + tenants);
        out.println(String.format(Locale.ROOT, "GPUs booked:    %.2f of %.0f physical cards", gpuUsed,
                ev.context().capacity().get(gpu)));

        // the plan this step's reconcile wrote, minus what Kueue admitted right after
        List<PriorityDecision> decisions = new ArrayList<>();
        Map<WorkloadId, Workload> byId = new TreeMap<>();
        for (Workload w : snap.workloads()) {
            byId.put(w.id(), w);
        }
        if (report.plan() != null) {
            for (PriorityDecision d : report.plan().decisions()) {
                Workload w = byId.get(d.workloadId());
                if (w != null && w.phase() == Phase.PENDING) {
                    decisions.add(d);
                }
            }
        }
        if (decisions.isEmpty()) {
            out.println("still pending:  none");
            return;
        }
        String fmt = "%-4s %-28s %-9s %9s %-12s %7s %7s %6s  %-18s %s%n";
        out.printf(Locale.ROOT, bold(fmt.replace("%n", "")) + "%n", "RANK", "STILL PENDING", "CLASS", "PRIORITY",
                "TENANT", "SHARE", "LEVEL", "WAIT", "GPU", "EXPLANATION (points = class + aging + fairness)");
        out.println("     (SHARE: the tenant's share of capacity after this step's admissions; LEVEL: its weighted"
                + " share if its work ranked before this row were admitted too; priorities as written this step)");
        int rank = 0;
        for (PriorityDecision d : decisions) {
            rank++;
            Explanation x = d.explanation();
            DemoScenario.Job job = jobs.get(d.workloadId());
            String cls = x.workloadClass();
            String clsText = String.format(Locale.ROOT, "%-9s", cls);
            if (cls.equals("urgent")) {
                clsText = red(clsText);
            } else if (cls.equals("approved")) {
                clsText = yellow(clsText);
            }
            String why = String.format(Locale.ROOT, "%.0f + %.0f + %.0f = %.0f", x.classPoints(), x.agingPoints(),
                    x.fairnessPoints(), x.score());
            if (!x.notes().isEmpty()) {
                why += " [" + String.join("; ", x.notes()) + "]";
            }
            TenantState now = ev.context().tenants().get(x.tenant());
            out.printf(Locale.ROOT, "%-4s %-28s %s %9d %-12s %7.3f %7.3f %6s  %-18s %s%n", "#" + rank,
                    d.workloadId().toString(), clsText, d.priority(), x.tenant(),
                    now == null ? 0.0 : share(now), x.level(), human(x.waited()), job == null ? "" : job.gpuText(), why);
        }
    }

    /** The tenant's dominant share of capacity (unweighted, in [0, 1] when quota never exceeds capacity). */
    private static double share(TenantState t) {
        return t.weightedDominantShare() * t.weight();
    }

    static String human(Duration d) {
        long m = d.toMinutes();
        if (m < 60) {
            return m + "m";
        }
        return (m / 60) + "h" + (m % 60 == 0 ? "" : String.format(Locale.ROOT, "%02dm", m % 60));
    }

    private String ansi(String code, String s) {
        return options.color() ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }

    private String bold(String s) {
        return ansi("1", s);
    }

    private String green(String s) {
        return ansi("32", s);
    }

    private String red(String s) {
        return ansi("31", s);
    }

    private String yellow(String s) {
        return ansi("33", s);
    }
}
