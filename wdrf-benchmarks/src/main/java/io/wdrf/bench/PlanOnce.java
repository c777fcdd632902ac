package io.wdrf.bench;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.PolicyConfig;
import io.wdrf.engine.WdrfEngine;

/**
 * Repeats one evaluation and prints wall times; a quick check outside JMH (and a target for a profiler).
 * Usage: {@code java -cp wdrf-benchmarks.jar io.wdrf.bench.PlanOnce [pending] [rounds]}
 */
public final class PlanOnce {

    private PlanOnce() {
    }

    public static void main(String[] args) {
        int pending = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        ClusterSnapshot s = SyntheticCluster.build(pending, 1000, 5000, 42);
        WdrfEngine engine = WdrfEngine.builder().config(PolicyConfig.builder().capacitySource("nodes").build()).build();
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            int n = engine.evaluate(s, SyntheticCluster.T0.plusSeconds(86_400)).plan().decisions().size();
            System.out.printf("round %d: %d decisions in %.1f ms%n", i, n, (System.nanoTime() - t0) / 1e6);
        }
    }
}
