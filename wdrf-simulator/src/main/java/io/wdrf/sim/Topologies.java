package io.wdrf.sim;

import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.Quantity;
import io.wdrf.api.ResourceQuota;
import io.wdrf.kueue.AdmissionFairSharingConfig;
import io.wdrf.kueue.FairSharingConfig;
import io.wdrf.kueue.InMemoryCluster;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the simulated Kueue queues for {@link KueueSetup}: the shared ClusterQueue {@code sim} with a LocalQueue
 * {@code lq} per team, or one ClusterQueue per team ({@code cq-<team>}) in cohort {@code sim} whose nominal quotas
 * split the cluster's quota by team weight (whole units by largest remainder for integral quotas such as GPUs, so
 * the nominal quotas add up to the cluster exactly); borrowing and lending are unlimited, as a cohort of teams
 * sharing idle GPUs is usually set up.
 */
final class Topologies {

    private Topologies() {
    }

    static void build(InMemoryCluster.Builder b, SimCluster c, String[] teams, SimOptions options) {
        KueueSetup k = options.kueue();
        if (k.kueueFairSharing()) {
            b.fairSharing(FairSharingConfig.defaults());
        }
        if (k.admissionFairSharing()) {
            // weigh GPUs only: with Kueue's default weight 1 everywhere, memory in bytes would decide the order
            b.admissionFairSharing(new AdmissionFairSharingConfig(k.afsHalfLife(), Duration.ofMinutes(5),
                    Map.of(c.gpuResource(), 1.0, "cpu", 0.0, "memory", 0.0)));
        }
        b.checkpointInterval(k.checkpointInterval());
        if (k.topology() == KueueSetup.Topology.SHARED) {
            List<ResourceQuota> quotas = new ArrayList<>();
            c.quota().forEach((res, q) -> quotas.add(ResourceQuota.of("default", res, q)));
            b.clusterQueue(new ClusterQueueInfo("sim", null, quotas, ClusterQueueInfo.BEST_EFFORT_FIFO,
                    options.withinClusterQueue(), ClusterQueueInfo.NEVER, ClusterQueueInfo.NEVER, 1.0));
            for (String t : teams) {
                b.namespace(t).localQueue(t, "lq", "sim");
            }
            return;
        }
        double[] weights = new double[teams.length];
        for (int i = 0; i < teams.length; i++) {
            weights[i] = c.weight(teams[i]);
        }
        List<List<ResourceQuota>> perTeam = new ArrayList<>();
        for (int i = 0; i < teams.length; i++) {
            perTeam.add(new ArrayList<>());
        }
        c.quota().forEach((res, q) -> {
            BigDecimal[] split = split(Quantity.parse(q), weights);
            for (int i = 0; i < teams.length; i++) {
                perTeam.get(i).add(ResourceQuota.of("default", res, split[i].toPlainString()));
            }
        });
        for (int i = 0; i < teams.length; i++) {
            String cq = "cq-" + teams[i];
            b.clusterQueue(new ClusterQueueInfo(cq, "sim", perTeam.get(i), ClusterQueueInfo.BEST_EFFORT_FIFO,
                    options.withinClusterQueue(), k.reclaimWithinCohort(), ClusterQueueInfo.NEVER, weights[i]));
            b.namespace(teams[i]).localQueue(teams[i], "lq", cq);
        }
    }

    /**
     * Splits {@code total} in proportion to {@code weights}: whole units by largest remainder (ties to the lower
     * index) when {@code total} is integral, else to the milli-unit with the remainder on the last share.
     */
    static BigDecimal[] split(BigDecimal total, double[] weights) {
        int n = weights.length;
        BigDecimal[] out = new BigDecimal[n];
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        boolean integral = total.stripTrailingZeros().scale() <= 0;
        int scale = integral ? 0 : 3;
        BigDecimal unit = BigDecimal.ONE.movePointLeft(scale);
        BigDecimal given = BigDecimal.ZERO;
        double[] rest = new double[n];
        for (int i = 0; i < n; i++) {
            double exact = sum > 0 ? total.doubleValue() * weights[i] / sum : 0;
            out[i] = BigDecimal.valueOf(exact).setScale(scale, RoundingMode.FLOOR);
            rest[i] = exact - out[i].doubleValue();
            given = given.add(out[i]);
        }
        BigDecimal left = total.subtract(given);
        while (left.compareTo(unit) >= 0) {
            int best = 0;
            for (int i = 1; i < n; i++) {
                if (rest[i] > rest[best]) {
                    best = i;
                }
            }
            out[best] = out[best].add(unit);
            rest[best] = -1;
            left = left.subtract(unit);
        }
        return out;
    }
}
