package io.wdrf.hami;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.InvalidObject;
import io.wdrf.api.PodInfo;
import io.wdrf.api.ResourceVector;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * What HAMi has actually booked, from pod annotations: usage per physical card and per namespace (the tenant), plus
 * two cluster metrics. Plain Java values, for metrics exporters and the simulator.
 *
 * <h2>Which pods count</h2>
 * As in HAMi's scheduler: pods with a non-empty {@link HamiVendor#scheduledNodeAnnotation()} ({@code hami.io/vgpu-node})
 * whose phase is not Succeeded/Failed. Their {@link HamiVendor#allocatedAnnotation()} is decoded with
 * {@link DeviceAllocation}; a pod without it holds no device of this vendor; a malformed one puts the pod into
 * {@link #errors()} and the pod is skipped.
 *
 * <h2>Per pod and card</h2>
 * The first {@link PodInfo#initContainers()} container entries are init containers, the rest app containers (a
 * backend that does not fill the count makes every entry an app container, which over-counts only pods whose init
 * containers hold GPUs). Per card UUID, as
 * HAMi collapses it: memory and cores are max(largest init entry, Σ app entries); slots max(1 if any init, number of
 * app entries). The card is looked up on the pod's scheduled node; a card not registered there is still charged to the
 * namespace (with {@link HamiConfig#fallbackCardMemoryMiB()} and 100 cores) and listed with {@code registered=false}.
 *
 * <h2>Per namespace</h2>
 * The GPU fraction of a pod is Σ over its cards of min(1, max(mem / card devmem, cores / card devcore)) — the same
 * per-card rule as {@link HamiDemandModel}; a namespace's fraction is the sum over its pods. (Because each pod is
 * charged the max of its own memory and compute share, namespace fractions on one card can add up to more than that
 * card's {@link CardUsage#occupancy()}.)
 */
public final class HamiAllocations {

    /**
     * One physical card and what is booked on it.
     *
     * @param node       node name
     * @param uuid       card UUID
     * @param type       registered model name (empty when not registered)
     * @param memoryMiB  registered memory (fallback card memory when not registered)
     * @param cores      registered compute (100 when not registered)
     * @param slots      registered slot count (0 when not registered)
     * @param healthy    registered health flag (false when not registered)
     * @param registered whether the node's register annotation lists the card
     * @param usedSlots  booked slots (tasks)
     * @param usedMemMiB booked memory, MiB
     * @param usedCores  booked compute, percent units
     */
    public record CardUsage(String node, String uuid, String type, int memoryMiB, int cores, int slots,
                            boolean healthy, boolean registered, int usedSlots, long usedMemMiB, long usedCores) {

        /**
         * Booked share of the card: min(1, max(usedMem / memory, usedCores / cores)); a card with no registered memory
         * or compute counts as fully booked once anything is on it.
         */
        public double occupancy() {
            double mem = memoryMiB > 0 ? (double) usedMemMiB / memoryMiB : (usedMemMiB > 0 ? 1.0 : 0.0);
            double core = cores > 0 ? (double) usedCores / cores : (usedCores > 0 ? 1.0 : 0.0);
            return Math.min(1.0, Math.max(mem, core));
        }

        /** {@code 1 - occupancy()}. */
        public double idle() {
            return 1.0 - occupancy();
        }

        /** Slots left ({@code slots - usedSlots}, at least 0). */
        public int freeSlots() {
            return Math.max(0, slots - usedSlots);
        }
    }

    /**
     * A namespace's booked GPU usage.
     *
     * @param namespace   namespace
     * @param gpuFraction Σ pod GPU fractions (physical cards)
     * @param memoryMiB   Σ booked memory, MiB
     * @param cores       Σ booked compute, percent units
     * @param pods        pods with at least one booked card
     */
    public record NamespaceUsage(String namespace, double gpuFraction, long memoryMiB, long cores, int pods) {
    }

    /**
     * Fragmentation of idle GPU capacity with respect to a set of request shapes.
     *
     * @param idleCards       Σ over healthy registered cards of {@link CardUsage#idle()}
     * @param fragmentedCards Σ of idle() over those cards on which no shape fits (see {@link #fragmentation(Collection)})
     * @param ratio           fragmentedCards / idleCards, 0 when nothing is idle
     */
    public record Fragmentation(double idleCards, double fragmentedCards, double ratio) {
    }

    private final HamiConfig cfg;
    private final List<CardUsage> cards;
    private final Map<String, NamespaceUsage> namespaces;
    private final List<InvalidObject> errors;

    private HamiAllocations(HamiConfig cfg, List<CardUsage> cards, Map<String, NamespaceUsage> namespaces,
                            List<InvalidObject> errors) {
        this.cfg = cfg;
        this.cards = List.copyOf(cards);
        this.namespaces = Collections.unmodifiableMap(new TreeMap<>(namespaces));
        this.errors = List.copyOf(errors);
    }

    /** Allocations of a snapshot, with each pod's init-container count from {@link PodInfo#initContainers()}. */
    public static HamiAllocations compute(ClusterSnapshot snapshot, HamiConfig cfg) {
        return compute(snapshot, cfg, PodInfo::initContainers);
    }

    /**
     * Allocations of a snapshot.
     *
     * @param initContainers number of init containers of a pod (their entries come first in the annotation)
     */
    public static HamiAllocations compute(ClusterSnapshot snapshot, HamiConfig cfg,
                                          ToIntFunction<PodInfo> initContainers) {
        Objects.requireNonNull(cfg, "cfg");
        CardInventory inventory = new CardInventory(snapshot, cfg);
        HamiVendor v = cfg.vendor();
        // node -> uuid -> mutable usage
        TreeMap<String, TreeMap<String, long[]>> used = new TreeMap<>();
        TreeMap<String, double[]> ns = new TreeMap<>(); // fraction, mem, cores, pods
        List<InvalidObject> errors = new ArrayList<>(inventory.invalidNodes());

        List<PodInfo> pods = new ArrayList<>(snapshot.pods());
        pods.sort((a, b) -> a.namespace().equals(b.namespace()) ? a.name().compareTo(b.name())
                : a.namespace().compareTo(b.namespace()));
        for (PodInfo p : pods) {
            String node = p.annotations().get(v.scheduledNodeAnnotation());
            if (node == null || node.isEmpty() || p.terminated()) {
                continue;
            }
            String raw = p.annotations().get(v.allocatedAnnotation());
            if (raw == null) {
                continue;
            }
            DeviceAllocation alloc;
            try {
                alloc = DeviceAllocation.decode(raw);
            } catch (IllegalArgumentException e) {
                errors.add(new InvalidObject("Pod", p.namespace(), p.name(),
                        "metadata.annotations[" + v.allocatedAnnotation() + "]: " + e.getMessage()));
                continue;
            }
            int init = Math.max(0, initContainers.applyAsInt(p));
            // uuid -> {initMem, initCores, appMem, appCores, initSlots, appSlots}
            TreeMap<String, long[]> perCard = new TreeMap<>();
            for (int c = 0; c < alloc.containers().size(); c++) {
                boolean isInit = c < init;
                for (DeviceAllocation.ContainerDevice d : alloc.containers().get(c)) {
                    long[] u = perCard.computeIfAbsent(d.uuid(), k -> new long[6]);
                    if (isInit) {
                        u[0] = Math.max(u[0], d.usedMemMiB());
                        u[1] = Math.max(u[1], d.usedCores());
                        u[4] = 1;
                    } else {
                        u[2] += d.usedMemMiB();
                        u[3] += d.usedCores();
                        u[5]++;
                    }
                }
            }
            if (perCard.isEmpty()) {
                continue;
            }
            NodeRegistration reg = inventory.registration(node);
            double podFraction = 0.0;
            long podMem = 0;
            long podCores = 0;
            for (Map.Entry<String, long[]> e : perCard.entrySet()) {
                long[] u = e.getValue();
                long mem = Math.max(u[0], u[2]);
                long cores = Math.max(u[1], u[3]);
                long slots = Math.max(1, Math.max(u[4], u[5]));
                NodeRegistration.Device dev = find(reg, e.getKey());
                double cardMem = dev != null ? dev.memoryMiB() : cfg.fallbackCardMemoryMiB();
                double cardCores = dev != null ? dev.cores() : 100;
                double memShare = cardMem > 0 ? mem / cardMem : (mem > 0 ? 1.0 : 0.0);
                double coreShare = cardCores > 0 ? cores / cardCores : (cores > 0 ? 1.0 : 0.0);
                podFraction += Math.min(1.0, Math.max(memShare, coreShare));
                podMem += mem;
                podCores += cores;
                long[] card = used.computeIfAbsent(node, k -> new TreeMap<>()).computeIfAbsent(e.getKey(), k -> new long[3]);
                card[0] += slots;
                card[1] += mem;
                card[2] += cores;
            }
            double[] n = ns.computeIfAbsent(p.namespace(), k -> new double[4]);
            n[0] += podFraction;
            n[1] += podMem;
            n[2] += podCores;
            n[3] += 1;
        }

        List<CardUsage> cards = new ArrayList<>();
        java.util.TreeSet<String> nodes = new java.util.TreeSet<>(inventory.registeredNodes());
        nodes.addAll(used.keySet());
        for (String node : nodes) {
            NodeRegistration reg = inventory.registration(node);
            TreeMap<String, long[]> onNode = used.getOrDefault(node, new TreeMap<>());
            TreeMap<String, CardUsage> byUuid = new TreeMap<>();
            if (reg != null) {
                for (NodeRegistration.Device d : reg.devices()) {
                    long[] u = onNode.getOrDefault(d.id(), new long[3]);
                    byUuid.putIfAbsent(d.id(), new CardUsage(node, d.id(), d.type(), d.memoryMiB(), d.cores(),
                            d.count(), d.healthy(), true, (int) u[0], u[1], u[2]));
                }
            }
            for (Map.Entry<String, long[]> e : onNode.entrySet()) {
                if (!byUuid.containsKey(e.getKey())) {
                    long[] u = e.getValue();
                    byUuid.put(e.getKey(), new CardUsage(node, e.getKey(), "", (int) cfg.fallbackCardMemoryMiB(), 100,
                            0, false, false, (int) u[0], u[1], u[2]));
                }
            }
            cards.addAll(byUuid.values());
        }
        TreeMap<String, NamespaceUsage> usage = new TreeMap<>();
        ns.forEach((k, n) -> usage.put(k, new NamespaceUsage(k, n[0], (long) n[1], (long) n[2], (int) n[3])));
        return new HamiAllocations(cfg, cards, usage, errors);
    }

    private static NodeRegistration.Device find(NodeRegistration reg, String uuid) {
        if (reg == null) {
            return null;
        }
        for (NodeRegistration.Device d : reg.devices()) {
            if (d.id().equals(uuid)) {
                return d;
            }
        }
        return null;
    }

    /** All registered cards and every card with bookings, sorted by node then UUID. */
    public List<CardUsage> cards() {
        return cards;
    }

    /** Usage per namespace, sorted by namespace; namespaces without bookings are absent. */
    public Map<String, NamespaceUsage> namespaces() {
        return namespaces;
    }

    /**
     * A namespace's booked usage as a vector with the single resource {@link HamiConfig#fractionResource()} (empty
     * when the namespace has no bookings).
     */
    public ResourceVector namespaceUsage(String namespace) {
        NamespaceUsage u = namespaces.get(namespace);
        return u == null ? ResourceVector.empty() : ResourceVector.of(cfg.fractionResource(), u.gpuFraction());
    }

    /** Objects that could not be read: malformed node register annotations and pod allocation annotations. */
    public List<InvalidObject> errors() {
        return errors;
    }

    /** Number of healthy registered cards (physical GPUs). */
    public int healthyCards() {
        int n = 0;
        for (CardUsage c : cards) {
            if (c.registered() && c.healthy()) {
                n++;
            }
        }
        return n;
    }

    /**
     * GPU allocation rate: Σ {@link CardUsage#occupancy()} over healthy registered cards, divided by their number
     * (0 when there is none). 1.0 means every healthy card is fully booked by memory or compute. Bookings on
     * unhealthy or unregistered cards are not in this rate (they are still in {@link #namespaces()}).
     */
    public double allocationRate() {
        int n = 0;
        double sum = 0.0;
        for (CardUsage c : cards) {
            if (c.registered() && c.healthy()) {
                n++;
                sum += c.occupancy();
            }
        }
        return n == 0 ? 0.0 : sum / n;
    }

    /**
     * Fragmentation of idle capacity. For each healthy registered card {@code c}, {@code idle_c = 1 - occupancy_c}.
     * A request shape {@code q} (a per-card share in (0, 1], e.g. from
     * {@link HamiDemandModel.HamiBound#requestShapes(Collection)}) <em>fits</em> card {@code c} when the card has a
     * free slot and {@code q <= idle_c} (with a 1e-9 tolerance). The fragmented capacity is Σ idle_c over the cards
     * on which <b>no</b> shape fits; the ratio is fragmented / Σ idle_c (0 when nothing is idle). With no shapes,
     * every idle card counts as fitting (ratio 0 unless the card has no free slot).
     *
     * @throws IllegalArgumentException when a shape is not in (0, 1]
     */
    public Fragmentation fragmentation(Collection<Double> shapes) {
        double min = Double.POSITIVE_INFINITY;
        for (Double q : shapes) {
            if (q == null || !(q > 0.0) || q > 1.0) {
                throw new IllegalArgumentException("request shape " + q + " must be in (0, 1]");
            }
            min = Math.min(min, q);
        }
        double idle = 0.0;
        double fragmented = 0.0;
        for (CardUsage c : cards) {
            if (!c.registered() || !c.healthy()) {
                continue;
            }
            double i = c.idle();
            if (i <= 0.0) {
                continue;
            }
            idle += i;
            boolean fits = c.freeSlots() > 0 && (shapes.isEmpty() || min <= i + 1e-9);
            if (!fits) {
                fragmented += i;
            }
        }
        return new Fragmentation(idle, fragmented, idle == 0.0 ? 0.0 : fragmented / idle);
    }
}
