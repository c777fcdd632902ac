package io.wdrf.engine;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.FairPreemption;
import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PodSet;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PreemptionMode;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.wdrf.engine.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The preemption modes: hand cases, and properties over random clusters — once WDRF's writes (protections and
 * pending priorities) are applied, Kueue's priority preemption can pick only the victims the mode allows, and in
 * mode fair a swap never reverses.
 */
class PreemptionModesTest {

    private static final String CPU = "cpu";

    private static ClusterQueueInfo queue(String within) {
        return new ClusterQueueInfo("cq", null, List.of(ResourceQuota.of("default", CPU, "16")), "BestEffortFIFO", within,
                "Never", "Never", 1);
    }

    private static Workload admitted(String ns, String name, int cpu, Integer priority, Map<String, String> labels) {
        return Workload.builder(ns, name, T0).uid("u-" + ns + name).queueName("q").clusterQueue("cq").labels(labels)
                .addPodSet(PodSet.of("main", 1, Map.of(CPU, String.valueOf(cpu)))).priority(priority)
                .condition(Workload.QUOTA_RESERVED, true).build();
    }

    private static Workload pending(String ns, String name, int cpu, Instant created, Map<String, String> labels) {
        return Workload.builder(ns, name, created).uid("u-" + ns + name).queueName("q").clusterQueue("cq").labels(labels)
                .addPodSet(PodSet.of("main", 1, Map.of(CPU, String.valueOf(cpu)))).build();
    }

    private static PolicyConfig config(PreemptionMode mode) {
        return PolicyConfig.builder().capacitySource("quota").preemption(mode).build();
    }

    @Test
    void modesParseAndGuardIsNever() {
        assertThat(PreemptionMode.parse("guard")).isEqualTo(PreemptionMode.NEVER);
        assertThat(PreemptionMode.parse(" Fair ")).isEqualTo(PreemptionMode.FAIR);
        assertThat(PolicyConfig.defaults().preemption()).isEqualTo(PreemptionMode.CLASSES);
        assertThatThrownBy(() -> PreemptionMode.parse("sometimes")).hasMessageContaining("never, classes, fair, allow");
    }

    @Test
    void classesProtectsAdmittedAtTheTopOfTheirBandAndLetsOnlyAHigherClassAbove() {
        ClusterSnapshot s = ClusterSnapshot.builder(T0).clusterQueue(queue("LowerPriority"))
                .workload(admitted("a", "run", 8, 0, Map.of()))
                .workload(pending("b", "p", 8, T0, Map.of()))
                .workload(pending("b", "hot", 8, T0, Map.of("wdrf.x-k8s.io/urgent", "true"))).build();
        WdrfEngine engine = WdrfEngine.builder().config(config(PreemptionMode.CLASSES)).build();
        Evaluation ev = engine.evaluate(s, T0);
        Points pts = new Points(config(PreemptionMode.CLASSES));
        long topNormal = pts.classPoints("normal") + pts.band() - 1;
        assertThat(ev.protections()).singleElement().satisfies(d -> {
            assertThat(d.workloadId()).isEqualTo(new WorkloadId("a", "run"));
            assertThat((long) d.priority()).isEqualTo(topNormal);
        });
        int p = ev.plan().find(new WorkloadId("b", "p")).orElseThrow().priority();
        int hot = ev.plan().find(new WorkloadId("b", "hot")).orElseThrow().priority();
        assertThat((long) p).isLessThan(topNormal);
        assertThat((long) hot).isGreaterThan(topNormal);
        assertThat(ev.ceilings()).containsKeys(new WorkloadId("b", "p"), new WorkloadId("b", "hot"));
    }

    @Test
    void neverCapsAndCountsTheCappedDecisionWithANote() {
        ClusterSnapshot s = ClusterSnapshot.builder(T0).clusterQueue(queue("LowerPriority"))
                .workload(admitted("a", "run", 8, 3, Map.of()))
                .workload(pending("b", "hot", 8, T0, Map.of("wdrf.x-k8s.io/urgent", "true"))).build();
        Evaluation ev = WdrfEngine.builder().config(config(PreemptionMode.NEVER)).build().evaluate(s, T0);
        assertThat(ev.protections()).isEmpty();
        assertThat(ev.capped()).isEqualTo(1);
        PriorityDecision d = ev.plan().find(new WorkloadId("b", "hot")).orElseThrow();
        assertThat(d.priority()).isEqualTo(3);
        assertThat(d.explanation().summary()).contains("capped from").contains("preemption mode never");
    }

    @Test
    void allowWritesNoProtectionAndNoCap() {
        ClusterSnapshot s = ClusterSnapshot.builder(T0).clusterQueue(queue("LowerPriority"))
                .workload(admitted("a", "run", 8, 3, Map.of())).workload(pending("b", "p", 8, T0, Map.of())).build();
        Evaluation ev = WdrfEngine.builder().config(config(PreemptionMode.ALLOW)).build().evaluate(s, T0);
        assertThat(ev.protections()).isEmpty();
        assertThat(ev.capped()).isZero();
        assertThat(ev.ceilings()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------ properties

    private record Case(List<Workload> workloads, ClusterQueueInfo cq, Instant now) {
        ClusterSnapshot snapshot() {
            return ClusterSnapshot.builder(T0).clusterQueue(cq).workloads(workloads).build();
        }
    }

    private static Map<String, String> randomClass(Random rnd) {
        int k = rnd.nextInt(8);
        Map<String, String> m = new HashMap<>();
        if (k == 0) {
            m.put("wdrf.x-k8s.io/urgent", "true");
        } else if (k == 1) {
            m.put("wdrf.x-k8s.io/approved", "true");
        }
        if (rnd.nextBoolean()) {
            m.put(FairPreemption.CHECKPOINTABLE, "true");
        }
        return m;
    }

    private static Case randomCase(Random rnd) {
        String within = rnd.nextBoolean() ? "LowerPriority" : "LowerOrNewerEqualPriority";
        int tenants = 1 + rnd.nextInt(4);
        List<Workload> ws = new ArrayList<>();
        int n = 2 + rnd.nextInt(14);
        for (int i = 0; i < n; i++) {
            String ns = "t" + rnd.nextInt(tenants);
            int cpu = 1 + rnd.nextInt(4);
            if (rnd.nextInt(2) == 0) {
                Integer prio = rnd.nextInt(3) == 0 ? null : rnd.nextInt(50_000) - 1000;
                ws.add(admitted(ns, "a" + i, cpu, prio, randomClass(rnd)));
            } else {
                ws.add(pending(ns, "p" + i, cpu, T0.plusSeconds(rnd.nextInt(200_000)), randomClass(rnd)));
            }
        }
        return new Case(ws, queue(within), T0.plusSeconds(200_000 + rnd.nextInt(100_000)));
    }

    /** Applies protections and pending decisions as Kueue would store them. */
    private static List<Workload> applied(List<Workload> ws, Evaluation ev) {
        Map<WorkloadId, Integer> target = new HashMap<>();
        ev.protections().forEach(d -> target.put(d.workloadId(), d.priority()));
        ev.plan().decisions().forEach(d -> target.put(d.workloadId(), d.priority()));
        return ws.stream().map(w -> target.containsKey(w.id()) ? w.toBuilder().priority(target.get(w.id())).build() : w).toList();
    }

    private static boolean kueuePreempts(ClusterQueueInfo cq, Workload p, Workload a) {
        int pp = p.effectivePriority();
        int ap = a.effectivePriority();
        if (ap < pp) {
            return true;
        }
        return "LowerOrNewerEqualPriority".equals(cq.withinClusterQueue()) && ap == pp
                && p.queueOrderTime().isBefore(a.queueOrderTime());
    }

    private static long weight(PolicyConfig c, Workload w) {
        return c.priorityWeights().get(new ClassResolver(c).resolve(w).workloadClass());
    }

    /** T's entitlement-relative level without A, recomputed here from the definition (single resource: cpu of 16). */
    private static double levelWithout(List<Workload> ws, Workload a) {
        Map<String, Double> usage = new HashMap<>();
        for (Workload w : ws) {
            usage.putIfAbsent(w.id().namespace(), 0.0);
            if (w.phase() == io.wdrf.api.Phase.ADMITTED) {
                usage.merge(w.id().namespace(), cpu(w), Double::sum);
            }
        }
        double active = usage.size();
        return (usage.get(a.id().namespace()) - cpu(a)) / 16.0 * active;
    }

    private static double cpu(Workload w) {
        return Double.parseDouble(w.podSets().get(0).containers().get(0).requests().get(CPU));
    }

    private static boolean allowed(PreemptionMode mode, PolicyConfig c, List<Workload> ws, PendingWorkload p, Workload a) {
        long wp = weight(c, p.workload());
        long wa = weight(c, a);
        return switch (mode) {
            case NEVER -> false;
            case ALLOW -> true;
            case CLASSES -> wp > wa;
            case FAIR -> wp > wa || (wp == wa && "true".equals(a.labels().get(FairPreemption.CHECKPOINTABLE))
                    && p.level() < levelWithout(ws, a) - c.fairPreemption().margin());
        };
    }

    @Test
    void noWdrfWrittenStateMakesKueuePreemptOutsideTheMode() {
        Random rnd = new Random(20261201L);
        int checkedPairs = 0;
        int allowedPreemptions = 0;
        for (int i = 0; i < 900; i++) {
            Case c = randomCase(rnd);
            PreemptionMode mode = List.of(PreemptionMode.NEVER, PreemptionMode.CLASSES, PreemptionMode.FAIR).get(i % 3);
            PolicyConfig cfg = config(mode);
            if ((i / 3) % 2 == 1) {
                // the standalone's default base (issue 13.8): WDRF's normal band straddles 0
                cfg = cfg.toBuilder().priorityBase(PriorityBase.centred(cfg)).build();
            }
            WdrfEngine engine = WdrfEngine.builder().config(cfg).build();
            Evaluation ev = engine.evaluate(c.snapshot(), c.now());
            List<Workload> after = applied(c.workloads(), ev);
            Map<WorkloadId, Workload> byId = new HashMap<>();
            after.forEach(w -> byId.put(w.id(), w));
            for (PendingWorkload p : ev.context().pending()) {
                Workload pw = byId.get(p.id());
                for (Workload a : after) {
                    if (a.phase() != io.wdrf.api.Phase.ADMITTED) {
                        continue;
                    }
                    checkedPairs++;
                    if (kueuePreempts(c.cq(), pw, a)) {
                        assertThat(allowed(mode, cfg, c.workloads(), p, a)).as("case %d mode %s: %s (%d) could preempt %s (%d)",
                                i, mode, pw.id(), pw.effectivePriority(), a.id(), a.effectivePriority()).isTrue();
                        allowedPreemptions++;
                    }
                }
            }
        }
        assertThat(checkedPairs).isGreaterThan(10_000);
        assertThat(allowedPreemptions).as("the modes still let some preemptions happen").isGreaterThan(100);
    }

    @Test
    void aFairSwapNeverReverses() {
        Random rnd = new Random(77L);
        int swaps = 0;
        for (int i = 0; i < 500; i++) {
            Case c = randomCase(rnd);
            PolicyConfig cfg = config(PreemptionMode.FAIR);
            Evaluation ev = WdrfEngine.builder().config(cfg).build().evaluate(c.snapshot(), c.now());
            List<Workload> after = applied(c.workloads(), ev);
            for (PendingWorkload p : ev.context().pending()) {
                Workload pw = after.stream().filter(w -> w.id().equals(p.id())).findFirst().orElseThrow();
                for (Workload a : after) {
                    if (a.phase() != io.wdrf.api.Phase.ADMITTED || !kueuePreempts(c.cq(), pw, a)
                            || weight(cfg, pw) != weight(cfg, a)) {
                        continue; // only same-class DRF reclaim can swap back and forth
                    }
                    // the swap: a is evicted (pending again, requeued now), p takes its quota
                    Instant t = c.now().plusSeconds(1);
                    List<Workload> swapped = new ArrayList<>();
                    for (Workload w : after) {
                        if (w.id().equals(a.id())) {
                            swapped.add(w.toBuilder().condition(Workload.QUOTA_RESERVED, false).lastEvictionTime(t).build());
                        } else if (w.id().equals(pw.id())) {
                            swapped.add(w.toBuilder().condition(Workload.QUOTA_RESERVED, true).build());
                        } else {
                            swapped.add(w);
                        }
                    }
                    WdrfEngine fresh = WdrfEngine.builder().config(cfg).build();
                    Evaluation ev2 = fresh.evaluate(new Case(swapped, c.cq(), t).snapshot(), t);
                    List<Workload> after2 = applied(swapped, ev2);
                    Workload evicted = after2.stream().filter(w -> w.id().equals(a.id())).findFirst().orElseThrow();
                    Workload winner = after2.stream().filter(w -> w.id().equals(pw.id())).findFirst().orElseThrow();
                    assertThat(kueuePreempts(c.cq(), evicted, winner)).as("case %d: %s evicted %s and is evicted back",
                            i, pw.id(), a.id()).isFalse();
                    swaps++;
                }
            }
        }
        assertThat(swaps).isGreaterThan(20);
    }

    @Test
    void fairRespectsMaxRuntimeForWorkloadsThatAreNotCheckpointable() {
        // aging coefficient 0.25: a fresh workload at level 0 outscores a victim's protection agingMax + fairness(0.9)
        PolicyConfig cfg = PolicyConfig.builder().capacitySource("quota").preemption(PreemptionMode.FAIR).agingCoefficient(0.25)
                .fairPreemption(new FairPreemption(0.1, Duration.ofMinutes(10), 1, 10, Duration.ofHours(1))).build();
        WdrfEngine engine = WdrfEngine.builder().config(cfg).build();
        Workload base = admitted("a", "base", 8, 0, Map.of());
        Workload hog = pending("a", "hog", 8, T0, Map.of());
        Workload other = pending("b", "w", 4, T0, Map.of());
        ClusterQueueInfo cq = queue("LowerPriority");
        // cycle 1 sees hog pending; cycle 2 sees it admitted: runtime known from then on (base: unknown = ran long)
        engine.evaluate(ClusterSnapshot.builder(T0).clusterQueue(cq).workload(base).workload(hog).build(), T0);
        Workload hogRunning = hog.toBuilder().condition(Workload.QUOTA_RESERVED, true).build();
        Instant t1 = T0.plusSeconds(60);
        Evaluation early = engine.evaluate(ClusterSnapshot.builder(T0).clusterQueue(cq).workload(base).workload(hogRunning)
                .workload(other).build(), t1);
        int protEarly = early.protections().stream().filter(d -> d.workloadId().equals(hog.id())).findFirst().orElseThrow().priority();
        int protBase = early.protections().stream().filter(d -> d.workloadId().equals(base.id())).findFirst().orElseThrow().priority();
        int pEarly = early.plan().find(other.id()).orElseThrow().priority();
        // a without hog is at level 8/16 · 2 = 1.0; b's workload is at level 0 < 1.0 − 0.1: hog is a fair victim, base is not
        assertThat(pEarly).isGreaterThan(protEarly);
        assertThat(pEarly).isLessThan(protBase);
        Evaluation late = engine.evaluate(ClusterSnapshot.builder(T0).clusterQueue(cq).workload(base.toBuilder().priority(protBase).build())
                .workload(hogRunning.toBuilder().priority(protEarly).build()).workload(other).build(), T0.plus(Duration.ofMinutes(30)));
        int protLate = late.protections().stream().filter(d -> d.workloadId().equals(hog.id())).findFirst().orElseThrow().priority();
        assertThat((long) protLate).as("ran past max-runtime: protected at the top of its band")
                .isEqualTo(new PreemptionModes(cfg, null).top("normal"));
        assertThat(late.plan().find(other.id()).orElseThrow().priority()).isLessThan(protLate);
    }
}
