package io.wdrf.hami;

import io.wdrf.api.Admission;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.DemandModel;
import io.wdrf.api.InvalidObject;
import io.wdrf.api.PendingWorkload;
import io.wdrf.api.PodSet;
import io.wdrf.api.PodSetAssignment;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.TenantState;
import io.wdrf.api.Workload;
import io.wdrf.engine.Evaluation;
import io.wdrf.engine.KueueDemandModel;
import io.wdrf.engine.WdrfEngine;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.wdrf.hami.Fx.T0;
import static io.wdrf.hami.Fx.gpuNode;
import static io.wdrf.hami.Fx.jsonCards;
import static io.wdrf.hami.Fx.limits;
import static io.wdrf.hami.Fx.podSet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The HAMi demand model plugged into the lead's engine ({@link WdrfEngine}). */
class HamiEngineTest {

    private static final String GPU = "hami.io/gpu";

    private static PodSet halfCard() {
        return podSet("main", 1, limits("c", "cpu", "1", "nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "50"));
    }

    private static PodSet wholeCard() {
        return podSet("main", 1, limits("c", "cpu", "1", "nvidia.com/gpu", "1"));
    }

    private static Workload admitted(String ns, String name, PodSet ps) {
        // what Kueue records: one vGPU slot, whatever the fraction of the card
        ResourceVector kueueUsage = ResourceVector.of(Map.of("cpu", 1.0, "nvidia.com/gpu", 1.0));
        return Workload.builder(ns, name, T0).queueName("q").podSets(List.of(ps))
                .condition(Workload.QUOTA_RESERVED, true).condition(Workload.ADMITTED, true)
                .admission(new Admission("cq", List.of(new PodSetAssignment("main", Map.of(), kueueUsage, 1))))
                .build();
    }

    private static Workload pending(String ns, String name, PodSet ps) {
        return Workload.builder(ns, name, T0).queueName("q").podSets(List.of(ps)).build();
    }

    private static ClusterSnapshot cluster() {
        return ClusterSnapshot.builder(T0)
                .node(gpuNode("gpu-1", Map.of(), jsonCards("GPU", 4, 16384)))
                .node(gpuNode("broken", Map.of(), "[{\"id\":\"x\",\"devmem\":\"lots\",\"health\":true}]"))
                .workload(admitted("team-a", "a-run-1", halfCard()))
                .workload(admitted("team-a", "a-run-2", halfCard()))
                .workload(admitted("team-b", "b-run-1", wholeCard()))
                .workload(admitted("team-b", "b-run-2", wholeCard()))
                .workload(pending("team-a", "a-next", halfCard()))
                .workload(pending("team-b", "b-next", wholeCard()))
                .workload(pending("team-c", "c-bad", podSet("main", 1,
                        limits("train", "nvidia.com/gpu", "1", "nvidia.com/gpumem", "16Gi"))))
                .build();
    }

    private static WdrfEngine engine(DemandModel model) {
        return WdrfEngine.builder()
                .config(PolicyConfig.builder().capacitySource("nodes").agingCoefficient(0).build())
                .demandModel(model).build();
    }

    @Test
    void halfCardTenantHasHalfTheDominantShareOfWholeCardTenant() {
        Evaluation ev = engine(new HamiDemandModel()).evaluate(cluster(), T0);

        // capacity: 4 healthy physical cards (not 80 vGPU slots), CPU of both nodes kept
        assertThat(ev.context().capacity().get(GPU)).isEqualTo(4.0);
        assertThat(ev.context().capacity().get("nvidia.com/gpu")).isZero();
        // broken node: GPUs rejected with the reason, reported, cycle continues
        assertThat(ev.invalid()).extracting(InvalidObject::kind, InvalidObject::name)
                .contains(org.assertj.core.groups.Tuple.tuple("Node", "broken"));

        // per-job demand 0.5 vs 1.0
        Map<String, PendingWorkload> pending = new java.util.TreeMap<>();
        ev.context().pending().forEach(p -> pending.put(p.id().name(), p));
        assertThat(pending.get("a-next").demand().get(GPU)).isEqualTo(0.5);
        assertThat(pending.get("b-next").demand().get(GPU)).isEqualTo(1.0);
        assertThat(pending.get("a-next").demand().get("nvidia.com/gpu")).isZero();

        // admitted usage 2 x 0.5 vs 2 x 1.0 of 4 cards -> dominant shares 0.25 vs 0.5, on the GPU
        TenantState a = ev.context().tenants().get("team-a");
        TenantState b = ev.context().tenants().get("team-b");
        assertThat(a.usage().get(GPU)).isEqualTo(1.0);
        assertThat(b.usage().get(GPU)).isEqualTo(2.0);
        assertThat(a.weightedDominantShare()).isCloseTo(0.25, within(1e-12));
        assertThat(b.weightedDominantShare()).isCloseTo(0.5, within(1e-12));
        assertThat(a.dominantResource()).isEqualTo(GPU);
        assertThat(b.dominantResource()).isEqualTo(GPU);
        assertThat(pending.get("a-next").level()).isLessThan(pending.get("b-next").level());
        // so team-a's next job gets the higher priority
        int pa = ev.plan().decisions().stream().filter(d -> d.workloadId().name().equals("a-next")).findFirst().orElseThrow().priority();
        int pb = ev.plan().decisions().stream().filter(d -> d.workloadId().name().equals("b-next")).findFirst().orElseThrow().priority();
        assertThat(pa).isGreaterThan(pb);

        // the invalid gpumem is reported as an error (not silently charged 0) and the workload gets no decision
        assertThat(ev.invalid()).filteredOn(i -> i.name().equals("c-bad")).singleElement().satisfies(i -> {
            assertThat(i.kind()).isEqualTo("Workload");
            assertThat(i.reason()).isEqualTo("spec.podSets[0].template.spec.containers[train].resources.limits.nvidia.com/gpumem: "
                    + "'16Gi' is not an integer MiB (HAMi ignores the GPU request of this container)");
        });
        assertThat(pending).doesNotContainKey("c-bad");
    }

    @Test
    void kueueRulesAloneCannotTellTheTenantsApart() {
        Evaluation ev = engine(new KueueDemandModel()).evaluate(cluster(), T0);
        TenantState a = ev.context().tenants().get("team-a");
        TenantState b = ev.context().tenants().get("team-b");
        assertThat(a.weightedDominantShare()).isEqualTo(b.weightedDominantShare());
    }
}
