package io.wdrf.engine;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.NamespaceInfo;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.PriorityPlan;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.wdrf.engine.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property tests over random clusters with fixed seeds (1,000+ cases each): determinism under input shuffles,
 * monotonicity in usage and in wait, and identical plans for an unchanged situation.
 */
class FairnessPropertiesTest {

    private static final int CASES = 1000;
    private static final List<String> POLICIES = List.of("wdrf", "drf", "fifo", "multifactor");

    private record Case(List<Workload> workloads, List<NamespaceInfo> namespaces, Instant now, PolicyConfig config) {
    }

    private static Case randomCase(Random rnd) {
        int tenants = 1 + rnd.nextInt(6);
        int n = 1 + rnd.nextInt(25);
        List<Workload> ws = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String ns = "t" + rnd.nextInt(tenants);
            Instant created = T0.plusSeconds(rnd.nextInt(100_000));
            Workload.Builder b = Workload.builder(ns, "w" + i, created).uid("u" + i).queueName("q")
                    .addPodSet(io.wdrf.api.PodSet.of("main", 1 + rnd.nextInt(3),
                            Map.of("cpu", String.valueOf(1 + rnd.nextInt(4)), "memory", (1 + rnd.nextInt(8)) + "Gi")));
            int kind = rnd.nextInt(10);
            if (kind < 3) {
                b.condition(Workload.QUOTA_RESERVED, true);
            } else if (kind == 3) {
                b.labels(Map.of("wdrf.x-k8s.io/urgent", "true"));
            } else if (kind == 4) {
                b.annotations(Map.of("wdrf.x-k8s.io/approved", "true"));
            }
            ws.add(b.build());
        }
        List<NamespaceInfo> nss = new ArrayList<>();
        for (int t = 0; t < tenants; t++) {
            if (rnd.nextBoolean()) {
                nss.add(new NamespaceInfo("t" + t, Map.of(), Map.of(NamespaceInfo.WEIGHT_ANNOTATION, String.valueOf(1 + rnd.nextInt(3)))));
            }
        }
        PolicyConfig cfg = PolicyConfig.builder().capacitySource("quota").agingCoefficient(rnd.nextInt(3))
                .maxAgingTime(Duration.ofHours(1 + rnd.nextInt(48))).build();
        return new Case(ws, nss, T0.plusSeconds(100_000 + rnd.nextInt(200_000)), cfg);
    }

    private static ClusterSnapshot snapshotOf(List<Workload> ws, List<NamespaceInfo> nss) {
        return ClusterSnapshot.builder(T0).clusterQueue(Fixtures.cq("cq", "64", "256Gi")).workloads(ws).namespaces(nss).build();
    }

    private static PriorityPlan plan(String policy, Case c, List<Workload> ws, List<NamespaceInfo> nss) {
        return WdrfEngine.builder().policy(policy).config(c.config()).build().evaluate(snapshotOf(ws, nss), c.now()).plan();
    }

    @Test
    void planIsInvariantUnderShufflesOfEveryInputList() {
        Random rnd = new Random(20261124L);
        for (int i = 0; i < CASES; i++) {
            Case c = randomCase(rnd);
            String policy = POLICIES.get(i % POLICIES.size());
            PriorityPlan expected = plan(policy, c, c.workloads(), c.namespaces());
            List<Workload> ws = new ArrayList<>(c.workloads());
            List<NamespaceInfo> nss = new ArrayList<>(c.namespaces());
            Collections.shuffle(ws, rnd);
            Collections.shuffle(nss, rnd);
            PriorityPlan shuffled = plan(policy, c, ws, nss);
            assertThat(shuffled.decisions()).as("case %d policy %s", i, policy).isEqualTo(expected.decisions());
        }
    }

    @Test
    void sameSituationGivesIdenticalPlanSoNothingIsWritten() {
        Random rnd = new Random(42L);
        for (int i = 0; i < CASES; i++) {
            Case c = randomCase(rnd);
            WdrfEngine engine = WdrfEngine.builder().config(c.config()).build();
            PriorityPlan first = engine.evaluate(snapshotOf(c.workloads(), c.namespaces()), c.now()).plan();
            // apply the plan as Kueue would see it, then re-evaluate: no priority may differ
            Map<WorkloadId, Integer> byId = new java.util.HashMap<>();
            first.decisions().forEach(d -> byId.put(d.workloadId(), d.priority()));
            List<Workload> written = c.workloads().stream()
                    .map(w -> byId.containsKey(w.id()) ? w.toBuilder().priority(byId.get(w.id())).build() : w).toList();
            PriorityPlan second = engine.evaluate(snapshotOf(written, c.namespaces()), c.now()).plan();
            for (PriorityDecision d : second.decisions()) {
                assertThat(d.priority()).as("case %d %s", i, d.workloadId()).isEqualTo(byId.get(d.workloadId()));
            }
        }
    }

    @Test
    void priorityIsMonotoneInWait() {
        Random rnd = new Random(7L);
        for (int i = 0; i < CASES; i++) {
            Case c = randomCase(rnd);
            List<Workload> pending = c.workloads().stream().filter(Workload::isAdmissible).toList();
            if (pending.isEmpty()) {
                continue;
            }
            Workload target = pending.get(rnd.nextInt(pending.size()));
            Duration later = Duration.ofSeconds(1 + rnd.nextInt(200_000));
            WdrfEngine engine = WdrfEngine.builder().config(c.config()).build();
            ClusterSnapshot s = snapshotOf(c.workloads(), c.namespaces());
            int before = engine.evaluate(s, c.now()).plan().find(target.id()).orElseThrow().priority();
            int after = engine.evaluate(s, c.now().plus(later)).plan().find(target.id()).orElseThrow().priority();
            assertThat(after).as("case %d", i).isGreaterThanOrEqualTo(before);
        }
    }

    @Test
    void priorityIsAntitoneInTheTenantsUsage() {
        Random rnd = new Random(99L);
        for (int i = 0; i < CASES; i++) {
            Case c = randomCase(rnd);
            List<Workload> pending = c.workloads().stream().filter(Workload::isAdmissible).toList();
            if (pending.isEmpty()) {
                continue;
            }
            Workload target = pending.get(rnd.nextInt(pending.size()));
            List<Workload> more = new ArrayList<>(c.workloads());
            more.add(Workload.builder(target.id().namespace(), "extra-usage", T0).uid("extra").queueName("q")
                    .addPodSet(io.wdrf.api.PodSet.of("main", 1, Map.of("cpu", String.valueOf(1 + rnd.nextInt(8)), "memory", "4Gi")))
                    .condition(Workload.QUOTA_RESERVED, true).build());
            WdrfEngine engine = WdrfEngine.builder().config(c.config()).build();
            int before = engine.evaluate(snapshotOf(c.workloads(), c.namespaces()), c.now()).plan().find(target.id()).orElseThrow().priority();
            int after = engine.evaluate(snapshotOf(more, c.namespaces()), c.now()).plan().find(target.id()).orElseThrow().priority();
            assertThat(after).as("case %d", i).isLessThanOrEqualTo(before);
        }
    }

    @Test
    void withoutAgingAndClassesPlanOrderIsLevelOrder() {
        Random rnd = new Random(5L);
        for (int i = 0; i < CASES; i++) {
            Case c = randomCase(rnd);
            Map<WorkloadId, Double> level = new java.util.HashMap<>();
            WdrfEngine engine = WdrfEngine.builder().policy("drf").config(c.config()).build();
            var ev = engine.evaluate(snapshotOf(c.workloads(), c.namespaces()), c.now());
            ev.context().pending().forEach(p -> level.put(p.id(), p.level()));
            List<PriorityDecision> ds = ev.plan().decisions();
            for (int k = 1; k < ds.size(); k++) {
                assertThat(level.get(ds.get(k).workloadId()))
                        .as("case %d", i).isGreaterThanOrEqualTo(level.get(ds.get(k - 1).workloadId()) - 2.0 / 10_000);
            }
        }
    }
}
