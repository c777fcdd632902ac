package io.wdrf.engine;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.PodSet;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static io.wdrf.engine.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** Issue 10.9: level → points is exact for exact inputs and invariant under scaling every quantity. */
class ExactLevelsTest {

    private static final List<String> POLICIES = List.of("wdrf", "drf", "multifactor");

    @Test
    void exactFloorTakesTheIntegerAComputationMissedByUlps() {
        assertThat(Points.exactFloor(7499.999999999999)).isEqualTo(7500);
        assertThat(Points.exactFloor(7500.000000000001)).isEqualTo(7500);
        assertThat(Points.exactFloor(7499.5)).isEqualTo(7499);
        assertThat(Points.exactFloor(7499.99)).isEqualTo(7499);
        assertThat(Points.exactFloor(0.0)).isZero();
    }

    @Test
    void thirtyOfNinetyCpuIsSevenThousandFiveHundred() {
        // one tenant alone: entitlement = the whole cluster, level = 30/90 = 1/3, fairness = 10000 / (4/3) = 7500
        ClusterSnapshot s = ClusterSnapshot.builder(T0).clusterQueue(ClusterQueueInfo.of("cq",
                        List.of(ResourceQuota.of("default", "cpu", "90"))))
                .workload(Workload.builder("a", "run", T0).uid("u1").queueName("q")
                        .addPodSet(PodSet.of("main", 1, Map.of("cpu", "30"))).condition(Workload.QUOTA_RESERVED, true).build())
                .workload(Workload.builder("a", "p", T0).uid("u2").queueName("q")
                        .addPodSet(PodSet.of("main", 1, Map.of("cpu", "1"))).build())
                .build();
        PriorityDecision d = WdrfEngine.builder().policy("drf").config(PolicyConfig.builder().capacitySource("quota").build())
                .build().evaluate(s, T0).plan().find(new WorkloadId("a", "p")).orElseThrow();
        assertThat(d.explanation().fairnessPoints()).isEqualTo(7500.0);
    }

    /** A random cluster whose every quantity is an integer multiple of 10^k (k ∈ [-3, 3]), in decimal strings. */
    private static ClusterSnapshot cluster(long seed, int k) {
        Random rnd = new Random(seed);
        int tenants = 1 + rnd.nextInt(5);
        int cpu = 10 + rnd.nextInt(200);
        int mem = 10 + rnd.nextInt(400);
        ClusterSnapshot.Builder b = ClusterSnapshot.builder(T0).clusterQueue(ClusterQueueInfo.of("cq", List.of(
                ResourceQuota.of("default", "cpu", scaled(cpu, k)), ResourceQuota.of("default", "memory", scaled(mem, k)))));
        int n = 2 + rnd.nextInt(30);
        for (int i = 0; i < n; i++) {
            Workload.Builder w = Workload.builder("t" + rnd.nextInt(tenants), "w" + i, T0.plusSeconds(rnd.nextInt(1000)))
                    .uid("u" + i).queueName("q").addPodSet(PodSet.of("main", 1 + rnd.nextInt(3),
                            Map.of("cpu", scaled(1 + rnd.nextInt(9), k), "memory", scaled(1 + rnd.nextInt(20), k))));
            if (rnd.nextInt(3) == 0) {
                w.condition(Workload.QUOTA_RESERVED, true);
            }
            b.workload(w.build());
        }
        return b.build();
    }

    private static String scaled(int v, int k) {
        return BigDecimal.valueOf(v).scaleByPowerOfTen(k).toPlainString();
    }

    private static Map<WorkloadId, Integer> priorities(String policy, ClusterSnapshot s) {
        Map<WorkloadId, Integer> out = new TreeMap<>();
        WdrfEngine.builder().policy(policy).config(PolicyConfig.builder().capacitySource("quota").build()).build()
                .evaluate(s, T0.plusSeconds(3600)).plan().decisions().forEach(d -> out.put(d.workloadId(), d.priority()));
        return out;
    }

    @Test
    void pointsAreInvariantUnderScalingEveryQuantityByTenToTheK() {
        for (long seed = 0; seed < 300; seed++) {
            String policy = POLICIES.get((int) (seed % POLICIES.size()));
            Map<WorkloadId, Integer> base = priorities(policy, cluster(seed, 0));
            for (int k = -3; k <= 3; k++) {
                if (k != 0) {
                    assertThat(priorities(policy, cluster(seed, k))).as("seed %d policy %s scale 10^%d", seed, policy, k)
                            .isEqualTo(base);
                }
            }
        }
    }

    @Test
    void equalLevelsGiveEqualPoints() {
        // two tenants reach the same level by different arithmetic: 0.1 + 0.2 CPU of 0.9 vs 1 CPU of 3 (× 3 of capacity)
        ClusterSnapshot s = ClusterSnapshot.builder(T0).clusterQueue(ClusterQueueInfo.of("cq",
                        List.of(ResourceQuota.of("default", "cpu", "0.9"))))
                .workload(Workload.builder("a", "r1", T0).uid("a1").queueName("q")
                        .addPodSet(PodSet.of("main", 1, Map.of("cpu", "0.1"))).condition(Workload.QUOTA_RESERVED, true).build())
                .workload(Workload.builder("a", "r2", T0).uid("a2").queueName("q")
                        .addPodSet(PodSet.of("main", 1, Map.of("cpu", "0.2"))).condition(Workload.QUOTA_RESERVED, true).build())
                .workload(Workload.builder("b", "r1", T0).uid("b1").queueName("q")
                        .addPodSet(PodSet.of("main", 1, Map.of("cpu", "0.3"))).condition(Workload.QUOTA_RESERVED, true).build())
                .workload(Workload.builder("a", "p", T0).uid("a3").queueName("q").addPodSet(PodSet.of("main", 1, Map.of("cpu", "0.1"))).build())
                .workload(Workload.builder("b", "p", T0).uid("b3").queueName("q").addPodSet(PodSet.of("main", 1, Map.of("cpu", "0.1"))).build())
                .build();
        for (String policy : POLICIES) {
            Map<WorkloadId, Integer> p = priorities(policy, s);
            assertThat(p.get(new WorkloadId("a", "p"))).as(policy).isEqualTo(p.get(new WorkloadId("b", "p")));
        }
        List<Double> levels = new ArrayList<>();
        WdrfEngine.builder().policy("drf").config(PolicyConfig.builder().capacitySource("quota").build()).build()
                .evaluate(s, T0).context().pending().forEach(pw -> levels.add(pw.level()));
        // at exactly entitlement (1/3 of 0.9 each, two tenants): level 2/3 → 10000 / (5/3) = 6000, not 5999
        assertThat(levels).allSatisfy(l -> assertThat(l).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-12)));
        PriorityDecision d = WdrfEngine.builder().policy("drf").config(PolicyConfig.builder().capacitySource("quota").build())
                .build().evaluate(s, T0).plan().find(new WorkloadId("a", "p")).orElseThrow();
        assertThat(d.explanation().fairnessPoints()).isEqualTo(6000.0);
    }
}
