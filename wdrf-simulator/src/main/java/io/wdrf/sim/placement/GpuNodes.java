package io.wdrf.sim.placement;

import io.wdrf.api.Node;
import io.wdrf.api.Quantity;
import io.wdrf.hami.NodeRegistration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes of a simulated cluster with HAMi's per-card accounting, and where pods go on them.
 *
 * <p><b>Capacity.</b> A node offers {@code status.allocatable} cpu and memory and the healthy cards of its
 * {@code hami.io/node-nvidia-register} annotation (decoded by {@link NodeRegistration}); each card has
 * {@code count} slots, {@code devmem} MiB and {@code devcore} % of compute. A node without the annotation offers its
 * allocatable {@code nvidia.com/gpu} as whole cards (one slot each, 16 GiB, 100 %).
 *
 * <p><b>Fit</b> (HAMi's {@code Fit}, NVIDIA): a pod fits a node when the node's free cpu and memory hold its requests
 * and {@link PodShape#cards()} distinct cards fit it; a card fits when it has a free slot, its free memory holds the
 * pod's per-card memory, its free compute holds the pod's cores, its compute is not exhausted, and a pod asking for
 * 100 % of the compute finds the card unused (exclusive).
 *
 * <p><b>Choice</b> ({@link PlacementPolicy}): HAMi's node score, on the node's usage before the pod,
 * {@code Σused slots/Σslots + Σused cores/Σcores + Σused memory/Σmemory} (binpack: highest; spread: lowest), then
 * the card score with the pod added, {@code (used+1)/slots + (cores+req)/total + (mem+req)/total} (binpack: the
 * highest-scoring cards; spread: the lowest). Pods without GPUs go to the nodes without cards first (HAMi does not
 * schedule them; this keeps them off the GPU nodes as a GPU-aware cluster does), scored by cpu and memory use. Ties
 * go to the node and card listed first, so placement is deterministic.
 *
 * <p><b>Fragmentation</b> (the measure of Weng et al., USENIX ATC '23, re-derived): for a workload given as pod
 * shapes m with popularity p<sub>m</sub> (Σ p = 1), a node's fragmented GPU amount is
 * Σ<sub>m</sub> p<sub>m</sub> · F(n, m), where F(n, m) is all of the node's free GPU when m does not fit the node at
 * all, else the free GPU of those cards that m cannot use (a card's free GPU = min(free memory share, free compute
 * share), 0 without a free slot). Pods without GPUs that fit leave nothing fragmented. The cluster's amount is the sum
 * over nodes; it is cached per node and recomputed only for nodes whose bookings changed.
 *
 * <p>Not thread-safe.
 */
public final class GpuNodes {

    /** One pod's booking: its node, cards, per-card memory and cores, and the GPU fraction it holds. */
    public record Booking(int node, int[] cards, long[] memPerCard, int cores, long cpuMilli, long memMiB, double gpus) {
    }

    private final String[] names;
    private final long[] cpuTotal;
    private final long[] cpuUsed;
    private final long[] memTotal;
    private final long[] memUsed;
    /** Cards of node n are {@code cardStart[n] .. cardStart[n+1]-1}. */
    private final int[] cardStart;
    private final int[] slots;
    private final int[] slotsUsed;
    private final long[] cardMem;
    private final long[] cardMemUsed;
    private final int[] cardCores;
    private final int[] cardCoresUsed;
    private final double totalGpus;
    private double allocated;
    // fragmentation
    private PodShape[] shapes = new PodShape[0];
    private double[] popularity = new double[0];
    private final double[] fragOfNode;
    private final boolean[] dirty;
    private double fragTotal;

    private GpuNodes(List<Node> nodes) {
        int n = nodes.size();
        names = new String[n];
        cpuTotal = new long[n];
        cpuUsed = new long[n];
        memTotal = new long[n];
        memUsed = new long[n];
        cardStart = new int[n + 1];
        List<long[]> cards = new ArrayList<>(); // slots, mem, cores
        for (int i = 0; i < n; i++) {
            Node node = nodes.get(i);
            names[i] = node.name();
            cpuTotal[i] = quantity(node, "cpu").movePointRight(3).longValue();
            memTotal[i] = quantity(node, "memory").longValue() >> 20;
            cardStart[i] = cards.size();
            String reg = node.annotations().get("hami.io/node-nvidia-register");
            if (reg != null) {
                for (NodeRegistration.Device d : NodeRegistration.decode(reg).devices()) {
                    if (d.healthy()) {
                        cards.add(new long[] {Math.max(1, d.count()), d.memoryMiB(), d.cores() > 0 ? d.cores() : 100});
                    }
                }
            } else {
                long whole = quantity(node, "nvidia.com/gpu").longValue();
                for (long c = 0; c < whole; c++) {
                    cards.add(new long[] {1, 16_384, 100});
                }
            }
        }
        cardStart[n] = cards.size();
        int m = cards.size();
        slots = new int[m];
        slotsUsed = new int[m];
        cardMem = new long[m];
        cardMemUsed = new long[m];
        cardCores = new int[m];
        cardCoresUsed = new int[m];
        for (int c = 0; c < m; c++) {
            slots[c] = (int) cards.get(c)[0];
            cardMem[c] = cards.get(c)[1];
            cardCores[c] = (int) cards.get(c)[2];
        }
        totalGpus = m;
        fragOfNode = new double[n];
        dirty = new boolean[n];
    }

    /** The nodes' capacity as placement sees it. */
    public static GpuNodes of(List<Node> nodes) {
        return new GpuNodes(nodes);
    }

    private static java.math.BigDecimal quantity(Node node, String resource) {
        String raw = node.allocatable().get(resource);
        try {
            return raw == null ? java.math.BigDecimal.ZERO : Quantity.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("node " + node.name() + ": status.allocatable." + resource + ": " + e.getMessage(), e);
        }
    }

    /** Number of nodes. */
    public int size() {
        return names.length;
    }

    /** Physical cards in the cluster (the allocation-rate denominator). */
    public double totalGpus() {
        return totalGpus;
    }

    /** Σ of the GPU fractions held by the placed pods. */
    public double allocatedGpus() {
        return allocated;
    }

    /** Whether {@code shape} fits some node of the empty cluster (otherwise it can never be placed). */
    public boolean placeableWhenEmpty(PodShape shape) {
        for (int n = 0; n < names.length; n++) {
            if (shape.cpuMilli() <= cpuTotal[n] && shape.memMiB() <= memTotal[n]) {
                int ok = 0;
                for (int c = cardStart[n]; c < cardStart[n + 1]; c++) {
                    if (shape.memOn(cardMem[c]) <= cardMem[c] && shape.cores() <= cardCores[c]) {
                        ok++;
                    }
                }
                if (ok >= shape.cards()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Places a pod by {@code policy} ({@link PlacementPolicy#NONE} is refused), or returns null when it fits no node.
     */
    public Booking place(PodShape shape, PlacementPolicy policy) {
        if (policy == PlacementPolicy.NONE) {
            throw new IllegalArgumentException("placement policy none places nothing");
        }
        boolean binpack = policy == PlacementPolicy.BINPACK;
        int best = -1;
        double bestScore = 0;
        boolean bestPlain = false;
        for (int n = 0; n < names.length; n++) {
            if (!fitsNode(n, shape)) {
                continue;
            }
            boolean plain = cardStart[n + 1] == cardStart[n];
            double score = shape.usesGpu() ? gpuScore(n) : cpuScore(n);
            if (best < 0) {
                best = n;
                bestScore = score;
                bestPlain = plain;
                continue;
            }
            if (!shape.usesGpu() && plain != bestPlain) {
                if (plain) {
                    best = n;
                    bestScore = score;
                    bestPlain = true;
                }
                continue;
            }
            if (binpack ? score > bestScore : score < bestScore) {
                best = n;
                bestScore = score;
                bestPlain = plain;
            }
        }
        if (best < 0) {
            return null;
        }
        return book(best, shape, binpack);
    }

    /** Frees a booking made by {@link #place}. */
    public void release(Booking b) {
        for (int i = 0; i < b.cards().length; i++) {
            int c = b.cards()[i];
            slotsUsed[c]--;
            cardMemUsed[c] -= b.memPerCard()[i];
            cardCoresUsed[c] -= b.cores();
        }
        cpuUsed[b.node()] -= b.cpuMilli();
        memUsed[b.node()] -= b.memMiB();
        allocated -= b.gpus();
        if (Math.abs(allocated) < 1e-9) {
            allocated = 0;
        }
        dirty[b.node()] = true;
    }

    private Booking book(int n, PodShape shape, boolean binpack) {
        int k = shape.cards();
        List<double[]> fitting = new ArrayList<>(); // {card, score}
        for (int c = cardStart[n]; c < cardStart[n + 1] && k > 0; c++) {
            if (fitsCard(c, shape)) {
                double score = (slotsUsed[c] + 1.0) / slots[c] + (cardCoresUsed[c] + shape.cores()) / (double) cardCores[c]
                        + (cardMemUsed[c] + shape.memOn(cardMem[c])) / (double) Math.max(1, cardMem[c]);
                fitting.add(new double[] {c, score});
            }
        }
        // binpack: the fullest cards first; spread: the emptiest; ties keep card order (the sort is stable)
        fitting.sort((x, y) -> binpack ? Double.compare(y[1], x[1]) : Double.compare(x[1], y[1]));
        int[] chosen = new int[k];
        for (int i = 0; i < k; i++) {
            chosen[i] = (int) fitting.get(i)[0];
        }
        long[] mem = new long[k];
        double gpus = 0;
        for (int i = 0; i < k; i++) {
            int c = chosen[i];
            mem[i] = shape.memOn(cardMem[c]);
            slotsUsed[c]++;
            cardMemUsed[c] += mem[i];
            cardCoresUsed[c] += shape.cores();
            gpus += shape.fractionOn(cardMem[c]);
        }
        cpuUsed[n] += shape.cpuMilli();
        memUsed[n] += shape.memMiB();
        allocated += gpus;
        dirty[n] = true;
        return new Booking(n, chosen, mem, shape.cores(), shape.cpuMilli(), shape.memMiB(), gpus);
    }

    private boolean fitsNode(int n, PodShape shape) {
        if (cpuTotal[n] - cpuUsed[n] < shape.cpuMilli() || memTotal[n] - memUsed[n] < shape.memMiB()) {
            return false;
        }
        int k = shape.cards();
        if (k == 0) {
            return true;
        }
        int ok = 0;
        for (int c = cardStart[n]; c < cardStart[n + 1]; c++) {
            if (fitsCard(c, shape) && ++ok >= k) {
                return true;
            }
        }
        return false;
    }

    private boolean fitsCard(int c, PodShape shape) {
        if (slotsUsed[c] >= slots[c] || cardCoresUsed[c] >= cardCores[c]) {
            return false;
        }
        if (shape.cores() >= 100 && slotsUsed[c] > 0) {
            return false; // an exclusive request needs an unused card
        }
        return cardMem[c] - cardMemUsed[c] >= shape.memOn(cardMem[c]) && cardCores[c] - cardCoresUsed[c] >= shape.cores();
    }

    private double gpuScore(int n) {
        long s = 0;
        long su = 0;
        long co = 0;
        long cu = 0;
        long me = 0;
        long mu = 0;
        for (int c = cardStart[n]; c < cardStart[n + 1]; c++) {
            s += slots[c];
            su += slotsUsed[c];
            co += cardCores[c];
            cu += cardCoresUsed[c];
            me += cardMem[c];
            mu += cardMemUsed[c];
        }
        return (double) su / Math.max(1, s) + (double) cu / Math.max(1, co) + (double) mu / Math.max(1, me);
    }

    private double cpuScore(int n) {
        return (double) cpuUsed[n] / Math.max(1, cpuTotal[n]) + (double) memUsed[n] / Math.max(1, memTotal[n]);
    }

    private double freeGpu(int c) {
        if (slotsUsed[c] >= slots[c]) {
            return 0;
        }
        double mem = cardMem[c] > 0 ? 1.0 - (double) cardMemUsed[c] / cardMem[c] : 1.0;
        double cores = 1.0 - (double) cardCoresUsed[c] / cardCores[c];
        return Math.max(0, Math.min(mem, cores));
    }

    // ---------------------------------------------------------------------------------------- fragmentation

    /** Sets the target workload of the fragmentation measure: pod shapes with their counts (normalised here). */
    public void targetWorkload(Map<PodShape, Long> counts) {
        long total = 0;
        for (long v : counts.values()) {
            total += v;
        }
        Map<PodShape, Long> sorted = new LinkedHashMap<>(counts);
        shapes = sorted.keySet().toArray(new PodShape[0]);
        popularity = new double[shapes.length];
        int i = 0;
        for (long v : sorted.values()) {
            popularity[i++] = total > 0 ? (double) v / total : 0;
        }
        java.util.Arrays.fill(dirty, true);
    }

    /** The fragmented GPU amount of the cluster for the target workload (0 without one). */
    public double fragmentedGpus() {
        for (int n = 0; n < names.length; n++) {
            if (dirty[n]) {
                double before = fragOfNode[n];
                fragOfNode[n] = nodeFragmentation(n);
                fragTotal += fragOfNode[n] - before;
                dirty[n] = false;
            }
        }
        if (fragTotal < 1e-9) {
            fragTotal = 0;
        }
        return fragTotal;
    }

    private double nodeFragmentation(int n) {
        if (cardStart[n + 1] == cardStart[n]) {
            return 0;
        }
        double free = 0;
        for (int c = cardStart[n]; c < cardStart[n + 1]; c++) {
            free += freeGpu(c);
        }
        if (free <= 0) {
            return 0;
        }
        double frag = 0;
        for (int m = 0; m < shapes.length; m++) {
            PodShape s = shapes[m];
            if (!fitsNode(n, s)) {
                frag += popularity[m] * free;
            } else if (s.usesGpu()) {
                double unusable = 0;
                for (int c = cardStart[n]; c < cardStart[n + 1]; c++) {
                    if (!fitsCard(c, s)) {
                        unusable += freeGpu(c);
                    }
                }
                frag += popularity[m] * unusable;
            }
        }
        return frag;
    }
}
