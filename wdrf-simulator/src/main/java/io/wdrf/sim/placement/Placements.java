package io.wdrf.sim.placement;

import io.wdrf.api.Node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Node-level placement after Kueue's admission, for the trace replay ({@code --placement binpack|spread}).
 *
 * <p>An admitted job's pod is placed on a node at once when one fits ({@link GpuNodes}); otherwise it stays pending,
 * <em>holding its quota</em>, and does not run: it is retried, in admission order, whenever a placed pod is released
 * (a job finishes or is evicted), as the kube-scheduler retries unschedulable pods when the cluster changes; later pods
 * that fit may go before an earlier one that does not (no head-of-line blocking). A job evicted while unplaced simply
 * leaves the queue. The replay runs a job's duration from its placement.
 *
 * <p>Metrics, integrated over simulated time: GPU allocation (placed GPU fractions / physical cards) and
 * fragmentation ({@link GpuNodes#fragmentedGpus()} / cards, target workload = the trace's pod shapes by frequency),
 * the placement delay of jobs that waited, and the jobs no empty node can hold.
 *
 * <p>Not thread-safe; one per replay.
 */
public final class Placements {

    private final PlacementPolicy policy;
    private final GpuNodes nodes;
    private final PodShape[] shapeOf;
    private final GpuNodes.Booking[] booking;
    private final long[] queuedAt;
    /** Admitted, not placed, in admission order. */
    private final LinkedHashSet<Integer> queue = new LinkedHashSet<>();
    private final int unplaceable;
    private long lastT;
    private double allocArea;
    private double fragArea;
    private double maxFrag;
    private long waitedCount;
    private double waitedSum;
    private double waitedMax;

    private Placements(PlacementPolicy policy, List<Node> nodes, List<Map<String, String>> requests) {
        this.policy = policy;
        this.nodes = GpuNodes.of(nodes);
        int n = requests.size();
        shapeOf = new PodShape[n];
        booking = new GpuNodes.Booking[n];
        queuedAt = new long[n];
        Map<PodShape, Long> counts = new LinkedHashMap<>();
        int never = 0;
        for (int j = 0; j < n; j++) {
            try {
                shapeOf[j] = PodShape.of(requests.get(j));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--placement: job #" + j + " (trace order): " + e.getMessage(), e);
            }
            counts.merge(shapeOf[j], 1L, Long::sum);
        }
        for (PodShape s : counts.keySet()) {
            if (!this.nodes.placeableWhenEmpty(s)) {
                never += counts.get(s).intValue();
            }
        }
        unplaceable = never;
        this.nodes.targetWorkload(counts);
    }

    /**
     * Placement for a replay, or null for {@link PlacementPolicy#NONE} (the replay then runs admitted jobs at once).
     *
     * @param requests each job's pod requests, by job index
     * @throws IllegalArgumentException when there are no nodes to place on
     */
    public static Placements create(PlacementPolicy policy, List<Node> nodes, List<Map<String, String>> requests) {
        if (policy == PlacementPolicy.NONE) {
            return null;
        }
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("--placement " + policy.flagName() + ": the trace's cluster has no nodes");
        }
        return new Placements(policy, nodes, requests);
    }

    /** Job {@code j} was admitted at {@code now}: true when its pod is placed (it runs), false when it waits. */
    public boolean admitted(int j, long now) {
        advance(now);
        GpuNodes.Booking b = nodes.place(shapeOf[j], policy);
        if (b != null) {
            booking[j] = b;
            return true;
        }
        queue.add(j);
        queuedAt[j] = now;
        return false;
    }

    /**
     * Job {@code j} finished or was evicted at {@code now}: its node share is freed (or it leaves the queue), and the
     * queued jobs that now fit are placed.
     *
     * @return the jobs placed now, in admission order (their run starts at {@code now})
     */
    public List<Integer> released(int j, long now) {
        advance(now);
        if (queue.remove(j)) {
            return List.of();
        }
        GpuNodes.Booking b = booking[j];
        if (b == null) {
            return List.of();
        }
        booking[j] = null;
        nodes.release(b);
        List<Integer> placed = new ArrayList<>();
        for (var it = queue.iterator(); it.hasNext(); ) {
            int q = it.next();
            GpuNodes.Booking nb = nodes.place(shapeOf[q], policy);
            if (nb != null) {
                booking[q] = nb;
                it.remove();
                placed.add(q);
                double w = (now - queuedAt[q]) / 1000.0;
                waitedCount++;
                waitedSum += w;
                waitedMax = Math.max(waitedMax, w);
            }
        }
        return placed;
    }

    /** Integrates allocation and fragmentation up to {@code now}. */
    public void advance(long now) {
        long dt = now - lastT;
        if (dt > 0) {
            double frag = nodes.fragmentedGpus();
            allocArea += nodes.allocatedGpus() * dt;
            fragArea += frag * dt;
            maxFrag = Math.max(maxFrag, frag);
            lastT = now;
        }
    }

    /** Time-averaged placed GPU fraction of the cards over [0, end]. */
    public double allocationRate(long end) {
        advance(end);
        return end > 0 ? allocArea / end / nodes.totalGpus() : 0;
    }

    /** Time-averaged fragmented GPU amount as a fraction of the cards over [0, end]. */
    public double fragmentationRate(long end) {
        advance(end);
        return end > 0 ? fragArea / end / nodes.totalGpus() : 0;
    }

    /** Jobs that waited for a node after admission. */
    public long waited() {
        return waitedCount;
    }

    /** Jobs still waiting for a node. */
    public int waiting() {
        return queue.size();
    }

    /** Jobs whose pod fits no node even of the empty cluster. */
    public int unplaceable() {
        return unplaceable;
    }

    /** One line for the replay's log. */
    public String summary(String label, long end) {
        return String.format(Locale.ROOT, "placement %s, policy %s: GPU allocation %.1f %% (placed, time-averaged), "
                        + "fragmentation %.1f %% (max %.1f %%) of %d GPUs; %d jobs waited for a node after admission "
                        + "(mean %.0f s, max %.0f s), %d still waiting, %d fit no node",
                policy.flagName(), label, 100 * allocationRate(end), 100 * fragmentationRate(end),
                100 * maxFrag / nodes.totalGpus(), (long) nodes.totalGpus(), waitedCount,
                waitedCount > 0 ? waitedSum / waitedCount : 0, waitedMax, queue.size(), unplaceable);
    }
}
