package io.wdrf.learned;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.PodSet;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.PolicyContext;
import io.wdrf.api.PriorityDecision;
import io.wdrf.api.PriorityPlan;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.Workload;
import io.wdrf.engine.KueueDemandModel;
import io.wdrf.engine.Policies;
import io.wdrf.engine.WdrfEngine;
import io.wdrf.kueue.InMemoryCluster;
import io.wdrf.engine.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LearnedPolicyTest {

    static PolicyContext context(PolicyConfig config, long seed) {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        InMemoryCluster.Builder b = InMemoryCluster.builder(clock).flavor("default")
                .clusterQueue(new ClusterQueueInfo("cq", null, List.of(ResourceQuota.of("default", "nvidia.com/gpu", "8")),
                        ClusterQueueInfo.BEST_EFFORT_FIFO, ClusterQueueInfo.NEVER, ClusterQueueInfo.NEVER,
                        ClusterQueueInfo.NEVER, 1.0));
        for (String t : List.of("a", "b", "c")) {
            b.namespace(t).localQueue(t, "lq", "cq");
        }
        InMemoryCluster cluster = b.build();
        Random r = new Random(seed);
        for (int i = 0; i < 25; i++) {
            Workload.Builder w = Workload.builder(List.of("a", "b", "c").get(r.nextInt(3)), "w" + i, clock.instant())
                    .queueName("lq").podSets(List.of(PodSet.of("main", 1, Map.of("nvidia.com/gpu", "" + (1 + r.nextInt(3))))));
            if (r.nextInt(5) == 0) {
                w.labels(Map.of("wdrf.x-k8s.io/priority-override", r.nextBoolean() ? "urgent" : "approved"));
            }
            cluster.submit(w.build());
            clock.advance(Duration.ofMinutes(5 + r.nextInt(120)));
            if (i == 4) {
                cluster.admissionCycle();
            }
        }
        return WdrfEngine.builder().config(config).policy("wdrf").demandModel(new KueueDemandModel()).clock(clock).build()
                .evaluate(cluster.snapshot()).context();
    }

    @Test
    void wdrfEquivalentWeightsKeepWdrfsClassBandsAndOrder() {
        for (double aging : new double[]{0.0, 1.0, 2.5}) {
            PolicyConfig config = PolicyConfig.builder().agingCoefficient(aging).build();
            for (long seed = 1; seed <= 5; seed++) {
                PolicyContext ctx = context(config, seed);
                PriorityPlan wdrf = Policies.create("wdrf", config).evaluate(ctx);
                PriorityPlan learned = Policies.create("learned", config).evaluate(ctx);
                ClassBand band = new ClassBand(config);
                for (PriorityDecision d : learned.decisions()) {
                    PriorityDecision w = wdrf.find(d.workloadId()).orElseThrow();
                    // the same class band as the engine's Points (class points pinned) ...
                    assertThat(band.classPoints(w.explanation().workloadClass())).isEqualTo((long) w.explanation().classPoints());
                    // ... and the same position inside it, up to one point of rounding
                    assertThat(Math.abs(d.priority() - w.priority())).isLessThanOrEqualTo(1);
                }
            }
        }
    }

    @Test
    void anyWeightsStayInsideTheClassBand() {
        PolicyConfig config = PolicyConfig.defaults();
        ClassBand band = new ClassBand(config);
        Random r = new Random(11);
        for (int k = 0; k < 20; k++) {
            double[] w = new double[Features.POINTWISE_WIDTH];
            for (int i = 0; i < w.length; i++) {
                w[i] = r.nextGaussian() * 10;
            }
            PolicyConfig c = config.toBuilder().options(Map.of(LearnedWeights.OPTION, new LearnedWeights(w).format())).build();
            PolicyContext ctx = context(config, k);
            for (PriorityDecision d : Policies.create("learned", c).evaluate(ctx).decisions()) {
                String cls = d.explanation().workloadClass();
                assertThat(band.inBand(cls, d.priority())).isBetween(0L, band.band() - 1);
            }
        }
    }

    @Test
    void weightsRoundTripAndBadWeightsAreRefused() {
        LearnedWeights w = LearnedWeights.parse("fairness=0.1,age=1e-3,share=-2.5");
        assertThat(LearnedWeights.parse(w.format())).isEqualTo(w);
        assertThat(w.get(Features.POINTWISE_COLUMNS.indexOf("share"))).isEqualTo(-2.5);
        assertThatThrownBy(() -> LearnedWeights.parse("speed=1")).hasMessageContaining("unknown column 'speed'");
        assertThatThrownBy(() -> LearnedWeights.parse("age=x")).hasMessageContaining("learned.weights.age");
        assertThatThrownBy(() -> LearnedWeights.parse("age=NaN")).hasMessageContaining("finite");
        assertThatThrownBy(() -> LearnedWeights.parse("age=1,age=2")).hasMessageContaining("twice");
        assertThatThrownBy(() -> Policies.create("learned", PolicyConfig.builder()
                .options(Map.of(LearnedWeights.OPTION, "oops")).build())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pointwiseFeaturesAreInTheUnitInterval() {
        PolicyContext ctx = context(PolicyConfig.defaults(), 3);
        for (double[] row : Features.pointwise(ctx)) {
            assertThat(row).hasSize(Features.POINTWISE_WIDTH);
            for (double v : row) {
                assertThat(v).isBetween(0.0, 1.0);
            }
        }
        double[] o = new Skrueue67().observe(ctx, ctx.pending());
        assertThat(o).hasSize(Skrueue67.WIDTH);
        assertThat(o[67] + o[68]).isEqualTo(1.0); // GPU available + utilised
    }
}
