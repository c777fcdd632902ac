package io.wdrf.hami;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.ContainerKind;
import io.wdrf.api.ContainerSpec;
import io.wdrf.api.Node;
import io.wdrf.api.PodSet;
import io.wdrf.api.ResourceFlavorInfo;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static io.wdrf.hami.Fx.T0;
import static io.wdrf.hami.Fx.gpuNode;
import static io.wdrf.hami.Fx.jsonCards;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Seeded random checks of the demand model's invariants. */
class HamiPropertiesTest {

    private static ContainerSpec randomContainer(Random rnd, String name, ContainerKind kind) {
        Map<String, String> lim = new TreeMap<>();
        if (rnd.nextInt(4) > 0) lim.put("nvidia.com/gpu", String.valueOf(rnd.nextInt(4)));
        switch (rnd.nextInt(3)) {
            case 0 -> lim.put("nvidia.com/gpumem", String.valueOf(256 * rnd.nextInt(200)));
            case 1 -> lim.put("nvidia.com/gpumem-percentage", String.valueOf(rnd.nextInt(120) - 10));
            default -> { }
        }
        if (rnd.nextBoolean()) lim.put("nvidia.com/gpucores", String.valueOf(rnd.nextInt(130)));
        lim.put("cpu", String.valueOf(1 + rnd.nextInt(4)));
        return new ContainerSpec(name, kind, Map.of(), lim);
    }

    private static Workload randomWorkload(Random rnd, int i) {
        List<PodSet> sets = new ArrayList<>();
        int n = 1 + rnd.nextInt(3);
        for (int s = 0; s < n; s++) {
            List<ContainerSpec> cs = new ArrayList<>();
            int k = 1 + rnd.nextInt(3);
            for (int c = 0; c < k; c++) {
                ContainerKind kind = c == 0 ? ContainerKind.APP : ContainerKind.values()[rnd.nextInt(3)];
                cs.add(randomContainer(rnd, "c" + c, kind));
            }
            Map<String, String> sel = rnd.nextInt(3) == 0 ? Map.of("pool", rnd.nextBoolean() ? "big" : "small") : Map.of();
            sets.add(new PodSet("ps" + s, 1 + rnd.nextInt(5), null, cs, Map.of(), sel, Map.of()));
        }
        return Workload.builder("ns" + (i % 3), "w" + i, T0).queueName("q")
                .clusterQueue(rnd.nextBoolean() ? "cq" : null).podSets(sets).build();
    }

    private static List<Node> nodes() {
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            boolean big = i % 2 == 0;
            out.add(gpuNode("n" + i, Map.of("pool", big ? "big" : "small"), jsonCards("G" + i, 2, big ? 81920 - i : 16384 + i)));
        }
        return out;
    }

    private static ClusterSnapshot snapshot(List<Node> nodes) {
        return ClusterSnapshot.builder(T0).nodes(nodes)
                .flavor(new ResourceFlavorInfo("big", Map.of("pool", "big")))
                .clusterQueue(ClusterQueueInfo.of("cq", List.of(ResourceQuota.of("big", "nvidia.com/gpu", "100"))))
                .build();
    }

    @Test
    void demandIsIndependentOfNodeOrderLinearInCountAndBoundedByContainers() {
        Random rnd = new Random(2026);
        HamiDemandModel model = new HamiDemandModel();
        HamiDemandModel.HamiBound ref = model.bind(snapshot(nodes()));
        for (int i = 0; i < 500; i++) {
            Workload w = randomWorkload(rnd, i);
            double d = ref.gpuFraction(w);
            assertThat(d).isGreaterThanOrEqualTo(0.0);

            List<Node> shuffled = new ArrayList<>(nodes());
            Collections.shuffle(shuffled, rnd);
            assertThat(model.bind(snapshot(shuffled)).demand(w)).isEqualTo(ref.demand(w));

            // doubling every pod count doubles the fraction
            List<PodSet> doubled = new ArrayList<>();
            for (PodSet ps : w.podSets()) {
                doubled.add(new PodSet(ps.name(), 2 * ps.count(), null, ps.containers(), ps.overhead(), ps.nodeSelector(), ps.annotations()));
            }
            assertThat(ref.gpuFraction(w.toBuilder().podSets(doubled).build())).isCloseTo(2 * d, within(1e-9));

            // per pod: at least the largest single container, at most the sum of all containers
            for (HamiDemandModel.PodSetShare share : ref.breakdown(w, false)) {
                PodSet ps = w.podSets().stream().filter(p -> p.name().equals(share.podSet())).findFirst().orElseThrow();
                double max = 0;
                double sum = 0;
                for (ContainerSpec c : ps.containers()) {
                    PodSet single = new PodSet(ps.name(), 1, null, List.of(new ContainerSpec(c.name(), ContainerKind.APP, c.requests(), c.limits())),
                            Map.of(), ps.nodeSelector(), Map.of());
                    double f = ref.gpuFraction(w.toBuilder().podSets(List.of(single)).build());
                    max = Math.max(max, f);
                    sum += f;
                }
                assertThat(share.perPod()).isBetween(max - 1e-9, sum + 1e-9);
            }
        }
    }
}
