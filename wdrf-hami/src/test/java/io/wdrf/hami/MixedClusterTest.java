package io.wdrf.hami;

import io.wdrf.api.Admission;
import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.LocalQueueInfo;
import io.wdrf.api.Node;
import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PodSet;
import io.wdrf.api.PodSetAssignment;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.ResourceFlavorInfo;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.TenantState;
import io.wdrf.api.Workload;
import io.wdrf.engine.Evaluation;
import io.wdrf.engine.WdrfEngine;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.wdrf.hami.Fx.T0;
import static io.wdrf.hami.Fx.jsonCards;
import static io.wdrf.hami.Fx.limits;
import static io.wdrf.hami.Fx.m;
import static io.wdrf.hami.Fx.podSet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Issue 10 item 1: nodes with {@code nvidia.com/gpu} but no HAMi registration count as whole physical cards, and
 * workloads on them are charged whole cards, in clusters without HAMi and in mixed ones.
 */
class MixedClusterTest {

    private static final String GPU = "hami.io/gpu";

    private static Node plain(String name, String pool, String gpus) {
        return new Node(name, Map.of("pool", pool), Map.of(), m("cpu", "64", "memory", "256Gi", "nvidia.com/gpu", gpus),
                true, false);
    }

    private static Node hami(String name, int cards) {
        // allocatable counts vGPU slots (10 per card): never capacity
        return new Node(name, Map.of("pool", "hami"), Map.of(Fx.REG, jsonCards(name, cards, 16384)),
                m("cpu", "64", "memory", "256Gi", "nvidia.com/gpu", Integer.toString(cards * 10)), true, false);
    }

    private static PodSet gpus(int cards, String... extra) {
        List<String> kv = new ArrayList<>(List.of("cpu", "1", "nvidia.com/gpu", Integer.toString(cards)));
        kv.addAll(List.of(extra));
        return podSet("main", 1, limits("c", kv.toArray(String[]::new)));
    }

    private static Workload admitted(String ns, String name, String cq, String flavor, PodSet ps) {
        ResourceVector kueue = ResourceVector.of(Map.of("cpu", 1.0, "nvidia.com/gpu", 1.0));
        Map<String, String> flavors = flavor == null ? Map.of() : Map.of("nvidia.com/gpu", flavor);
        return Workload.builder(ns, name, T0).queueName("q").clusterQueue(cq).podSets(List.of(ps))
                .condition(Workload.QUOTA_RESERVED, true).condition(Workload.ADMITTED, true)
                .admission(new Admission(cq, List.of(new PodSetAssignment("main", flavors, kueue, 1)))).build();
    }

    private static Workload pending(String ns, String name, PodSet ps) {
        return Workload.builder(ns, name, T0).queueName("q").podSets(List.of(ps)).build();
    }

    private static Evaluation evaluate(HamiDemandModel model, ClusterSnapshot s) {
        return WdrfEngine.builder().config(PolicyConfig.builder().capacitySource("nodes").agingCoefficient(0).build())
                .demandModel(model).build().evaluate(s, T0);
    }

    @Test
    void clusterWithoutHamiCountsWholeCardsLikeKueueRulesWould() {
        // the reproduction: a tenant running 4 of 24 GPUs on three 8-GPU nodes without HAMi
        ClusterSnapshot.Builder b = ClusterSnapshot.builder(T0)
                .node(plain("g1", "a", "8")).node(plain("g2", "a", "8")).node(plain("g3", "a", "8"));
        for (int i = 0; i < 4; i++) {
            b.workload(admitted("team-a", "run-" + i, "cq", null, gpus(1)));
        }
        b.workload(pending("team-a", "next", gpus(1, "nvidia.com/gpumem-percentage", "50")));
        Evaluation ev = evaluate(new HamiDemandModel(), b.build());
        assertThat(ev.context().capacity().get(GPU)).isEqualTo(24.0);
        assertThat(ev.context().capacity().get("nvidia.com/gpu")).isZero();
        TenantState a = ev.context().tenants().get("team-a");
        assertThat(a.dominantResource()).isEqualTo(GPU);
        assertThat(a.weightedDominantShare()).isCloseTo(4.0 / 24, within(1e-12));
        // without HAMi a percentage is meaningless: the device plugin hands out the whole card
        assertThat(ev.context().pending().get(0).demand().get(GPU)).isEqualTo(1.0);
    }

    @Test
    void mixedClusterChargesEachPoolByItsOwnAccounting() {
        ClusterSnapshot s = ClusterSnapshot.builder(T0)
                .node(hami("h1", 4))
                .node(plain("p1", "plain", "8")).node(plain("p2", "plain", "8"))
                .node(new Node("cpu1", Map.of("pool", "cpu"), Map.of(), m("cpu", "32", "memory", "64Gi"), true, false))
                .flavor(new ResourceFlavorInfo("hami", Map.of("pool", "hami")))
                .flavor(new ResourceFlavorInfo("plain", Map.of("pool", "plain")))
                .clusterQueue(ClusterQueueInfo.of("cq-hami", List.of(ResourceQuota.of("hami", "nvidia.com/gpu", "40"))))
                .clusterQueue(ClusterQueueInfo.of("cq-plain", List.of(ResourceQuota.of("plain", "nvidia.com/gpu", "16"))))
                .localQueue(new LocalQueueInfo("team-h", "q", "cq-hami"))
                .localQueue(new LocalQueueInfo("team-p", "q", "cq-plain"))
                .workload(admitted("team-h", "h-run", "cq-hami", "hami", gpus(2, "nvidia.com/gpumem-percentage", "50")))
                .workload(admitted("team-p", "p-run", "cq-plain", "plain", gpus(2, "nvidia.com/gpumem-percentage", "50")))
                .workload(pending("team-h", "h-next", gpus(1, "nvidia.com/gpumem-percentage", "25")))
                .workload(pending("team-p", "p-next", gpus(1, "nvidia.com/gpumem-percentage", "25")))
                .build();
        HamiDemandModel model = new HamiDemandModel();
        HamiDemandModel.HamiBound bound = model.bind(s);
        assertThat(bound.nodeAccounting()).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "cpu1", HamiDemandModel.NodeAccounting.NO_GPU,
                "h1", HamiDemandModel.NodeAccounting.HAMI_FRACTIONS,
                "p1", HamiDemandModel.NodeAccounting.WHOLE_CARDS,
                "p2", HamiDemandModel.NodeAccounting.WHOLE_CARDS)));
        Evaluation ev = evaluate(model, s);
        // capacity: 4 registered cards + 16 plain cards, one resource
        assertThat(ev.context().capacity().get(GPU)).isEqualTo(20.0);
        assertThat(ev.context().tenants().get("team-h").usage().get(GPU)).isEqualTo(1.0);   // 2 x 0.5
        assertThat(ev.context().tenants().get("team-p").usage().get(GPU)).isEqualTo(2.0);   // 2 whole cards
        Map<String, PendingWorkload> p = new TreeMap<>();
        ev.context().pending().forEach(x -> p.put(x.id().name(), x));
        assertThat(p.get("h-next").demand().get(GPU)).isEqualTo(0.25);
        assertThat(p.get("p-next").demand().get(GPU)).isEqualTo(1.0);
        assertThat(bound.breakdown(p.get("p-next").workload(), false).get(0).source()).contains("whole cards");
    }

    @Test
    void aCandidateSetWithAnyRegisteredNodeKeepsHamiFractions() {
        // no flavors: every node is a candidate; HAMi's scheduler places fractional requests on registered nodes
        ClusterSnapshot s = ClusterSnapshot.builder(T0).node(hami("h1", 2)).node(plain("p1", "plain", "8"))
                .workload(pending("ns", "w", gpus(1, "nvidia.com/gpumem-percentage", "50"))).build();
        HamiDemandModel.HamiBound b = new HamiDemandModel().bind(s);
        assertThat(b.demand(s.workloads().get(0)).get(GPU)).isEqualTo(0.5);
        assertThat(b.capacity(s.nodes().get(1)).get(GPU)).isEqualTo(8.0);
    }

    @Test
    void malformedPlainAllocatableIsReportedNotCounted() {
        Node bad = plain("p1", "plain", "eight");
        ClusterSnapshot s = ClusterSnapshot.builder(T0).node(bad).build();
        Evaluation ev = evaluate(new HamiDemandModel(), s);
        assertThat(ev.invalid()).singleElement().satisfies(i -> {
            assertThat(i.name()).isEqualTo("p1");
            assertThat(i.reason()).contains("nvidia.com/gpu");
        });
    }

    @Test
    void firstBindLogsEachNodesAccountingOnceAndLaterOnlyChanges() {
        List<String> lines = new ArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(HamiDemandModel.class.getName());
        log.addHandler(h);
        try {
            HamiDemandModel model = new HamiDemandModel();
            ClusterSnapshot s = ClusterSnapshot.builder(T0).node(hami("h1", 2)).node(plain("p1", "plain", "8")).build();
            model.bind(s);
            assertThat(lines).hasSize(2);
            assertThat(lines).anySatisfy(l -> assertThat(l).contains("1 node(s) registered with HAMi").endsWith(": h1"));
            assertThat(lines).anySatisfy(l -> assertThat(l).contains("but no hami.io/node-nvidia-register")
                    .contains("whole physical cards").endsWith(": p1"));
            model.bind(s);
            model.bind(s);
            assertThat(lines).hasSize(2);
            model.bind(ClusterSnapshot.builder(T0).node(hami("h1", 2)).node(plain("p1", "plain", "8"))
                    .node(plain("p2", "plain", "8")).build());
            assertThat(lines).hasSize(3).last().asString().endsWith(": p2");
        } finally {
            log.removeHandler(h);
        }
    }
}
