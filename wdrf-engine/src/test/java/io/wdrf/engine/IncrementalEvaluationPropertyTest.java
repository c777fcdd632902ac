package io.wdrf.engine;

import io.wdrf.api.Admission;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.DemandModel;
import io.wdrf.api.Node;
import io.wdrf.api.PodSet;
import io.wdrf.api.PodSetAssignment;
import io.wdrf.api.PolicyConfig;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static io.wdrf.engine.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The incremental engine (one long-lived engine whose demand cache carries over between cycles) produces exactly
 * what a fresh engine computes from scratch, over random change sequences: create, update (new version), relist
 * (equal copy, same version), a hand-built copy that reuses a resourceVersion with other content, delete, admit,
 * finish, malformed quantities, node add/change/remove/readiness. And the cache never holds more than the last
 * snapshot, nothing once everything is gone.
 */
class IncrementalEvaluationPropertyTest {

    private static final int SEQUENCES = 96;
    private static final int STEPS = 40;
    private static final String[] CPU = {"500m", "1", "2", "3", "4"};
    /** Label tenants, spread over the namespaces (a tenant's ranks are then not one run). */
    private static final String[] TEAMS = {"red", "green", "blue"};
    private static final List<String> POLICIES = List.of("wdrf", "fifo", "multifactor");
    private static final List<String> MODES = List.of("classes", "never", "fair", "allow");

    private static final class World {
        final Random rnd;
        final TreeMap<WorkloadId, Workload> workloads = new TreeMap<>();
        final TreeMap<String, Node> nodes = new TreeMap<>();
        List<io.wdrf.api.NamespaceInfo> namespaces = List.of();
        long rv;
        int next;
        Instant now = T0.plusSeconds(3600);

        World(long seed) {
            rnd = new Random(seed);
        }

        String rv() {
            return Long.toString(++rv);
        }

        Workload fresh() {
            int i = next++;
            String cpu = rnd.nextInt(25) == 0 ? "12x" : CPU[rnd.nextInt(CPU.length)]; // sometimes malformed
            return Workload.builder("t" + rnd.nextInt(5), "w" + i, T0.plusSeconds(rnd.nextInt(3600)))
                    .uid("u" + i).resourceVersion(rv()).queueName("q")
                    .labels(rnd.nextInt(8) == 0 ? Map.of("wdrf.x-k8s.io/urgent", "true", "team", TEAMS[rnd.nextInt(3)])
                            : Map.of("team", TEAMS[rnd.nextInt(3)]))
                    .addPodSet(PodSet.of("main", 1 + rnd.nextInt(3), Map.of("cpu", cpu, "memory", (1 + rnd.nextInt(4)) + "Gi")))
                    .build();
        }

        Workload any() {
            List<Workload> all = new ArrayList<>(workloads.values());
            return all.get(rnd.nextInt(all.size()));
        }

        void step() {
            int op = workloads.isEmpty() ? 0 : rnd.nextInt(16);
            switch (op) {
                case 0, 1 -> put(fresh());
                case 2 -> { // update: new demand, new version
                    Workload w = any();
                    put(w.toBuilder().resourceVersion(rv()).podSets(List.of(PodSet.of("main", 1 + rnd.nextInt(3),
                            Map.of("cpu", CPU[rnd.nextInt(CPU.length)], "memory", "2Gi")))).build());
                }
                case 3 -> { // relist: an equal copy, same version
                    Workload w = any();
                    put(w.toBuilder().build());
                }
                case 4 -> { // a hand-built copy with the same resourceVersion but other content
                    Workload w = any();
                    put(w.toBuilder().podSets(List.of(PodSet.of("main", 1, Map.of("cpu", CPU[rnd.nextInt(CPU.length)])))).build());
                }
                case 5 -> workloads.remove(any().id());
                case 6 -> { // admit, sometimes with recorded usage
                    Workload w = any();
                    Workload.Builder b = w.toBuilder().resourceVersion(rv()).condition(Workload.QUOTA_RESERVED, true)
                            .condition(Workload.ADMITTED, true);
                    if (rnd.nextBoolean()) {
                        b.admission(new Admission("cq", List.of(new PodSetAssignment("main", Map.of(),
                                ResourceVector.of(Map.of("cpu", 1.0 + rnd.nextInt(3))), 1))));
                    }
                    put(b.build());
                }
                case 7 -> { // finish
                    Workload w = any();
                    put(w.toBuilder().resourceVersion(rv()).condition(Workload.FINISHED, true).build());
                }
                case 8 -> { // node added or changed
                    String name = "n" + rnd.nextInt(4);
                    nodes.put(name, new Node(name, Map.of(), Map.of(), Map.of("cpu", String.valueOf(4 + rnd.nextInt(8)),
                            "memory", (8 + rnd.nextInt(8)) + "Gi"), rnd.nextInt(5) != 0, false, rv()));
                }
                case 9 -> {
                    if (!nodes.isEmpty()) {
                        nodes.remove(nodes.firstKey());
                    }
                }
                case 10 -> { // tenant weights change (sometimes malformed)
                    String v = rnd.nextInt(4) == 0 ? "heavy" : String.valueOf(1 + rnd.nextInt(3));
                    namespaces = List.of(new io.wdrf.api.NamespaceInfo("t" + rnd.nextInt(5), Map.of(),
                            Map.of(io.wdrf.api.NamespaceInfo.WEIGHT_ANNOTATION, v)));
                }
                case 11, 12 -> { // a priority write: new priority, explanation, resourceVersion — nothing else
                    Workload w = any();
                    Map<String, String> ann = new TreeMap<>(w.annotations());
                    ann.put(io.wdrf.api.PriorityUpdate.EXPLANATION_ANNOTATION, "wdrf: step " + rv);
                    put(w.toBuilder().resourceVersion(rv()).priority(rnd.nextInt(100_000)).annotations(ann).build());
                }
                case 13 -> { // LocalQueues change: t4's queue moves to another ClusterQueue, or back
                    localQueues = rnd.nextBoolean() ? Fixtures.localQueues("t0", "t1", "t2", "t3", "t4")
                            : java.util.stream.Stream.concat(Fixtures.localQueues("t0", "t1", "t2", "t3").stream(),
                                    java.util.stream.Stream.of(new io.wdrf.api.LocalQueueInfo("t4", "q", "cq2"))).toList();
                }
                default -> now = now.plusSeconds(60 + rnd.nextInt(3600)); // time passes, nothing changes
            }
        }

        void put(Workload w) {
            workloads.put(w.id(), w);
        }

        private List<io.wdrf.api.LocalQueueInfo> localQueues = Fixtures.localQueues("t0", "t1", "t2", "t3", "t4");
        /** ClusterQueues that preempt by priority (so the preemption modes cap and protect), or not. */
        boolean preempting;

        ClusterSnapshot snapshot() {
            List<Workload> ws = new ArrayList<>(workloads.values());
            if (rnd.nextInt(3) == 0) {
                java.util.Collections.shuffle(ws, rnd); // order carries no meaning; else a stable order, as a view gives
            }
            String within = preempting ? "LowerPriority" : "Never";
            List<io.wdrf.api.ResourceQuota> quota = List.of(io.wdrf.api.ResourceQuota.of("default", "cpu", "9"));
            return ClusterSnapshot.builder(T0).workloads(ws).nodes(new ArrayList<>(nodes.values()))
                    .clusterQueue(new io.wdrf.api.ClusterQueueInfo("cq", "co", quota, "BestEffortFIFO", within, within, "Never", 1))
                    .clusterQueue(new io.wdrf.api.ClusterQueueInfo("cq2", "co", quota, "BestEffortFIFO", "LowerOrNewerEqualPriority",
                            "Never", "Never", 1))
                    .namespaces(namespaces).localQueues(localQueues).build();
        }
    }

    /** An engine that builds every snapshot incrementally (the default builds small ones plainly). */
    private static WdrfEngine engine(String policy, PolicyConfig config) {
        return WdrfEngine.builder().config(config).policy(policy).incrementalFrom(0).build();
    }

    /** Kueue's rules without a reuse scope: the engine recomputes every vector in every cycle (from scratch). */
    private static WdrfEngine fromScratch(String policy, PolicyConfig config) {
        KueueDemandModel kueue = new KueueDemandModel();
        DemandModel uncached = kueue::bind;
        return WdrfEngine.builder().config(config).policy(policy).demandModel(uncached).build();
    }

    /** Everything an evaluation hands on equals the from-scratch one's. */
    private static void assertSameEvaluation(Evaluation got, Evaluation want, int seq, int step) {
        assertThat(got.plan()).as("seq %d step %d", seq, step).isEqualTo(want.plan());
        assertThat(got.invalid()).isEqualTo(want.invalid());
        assertThat(got.context().tenants()).isEqualTo(want.context().tenants());
        assertThat(got.context().pending()).isEqualTo(want.context().pending());
        assertThat(got.protections()).isEqualTo(want.protections());
        assertThat(got.ceilings()).isEqualTo(want.ceilings());
        assertThat(got.capped()).isEqualTo(want.capped());
        assertThat(got.clusterQueue()).isEqualTo(want.clusterQueue());
        assertThat(new java.util.HashMap<>(got.clusterQueue())).isEqualTo(want.clusterQueue());
    }

    @Test
    void incrementalPlansEqualFromScratchPlansOverRandomChangeSequences() {
        int compared = 0;
        long partial = 0;
        for (int seq = 0; seq < SEQUENCES; seq++) {
            String policy = POLICIES.get(seq % POLICIES.size());
            String mode = MODES.get(seq / POLICIES.size() % MODES.size());
            PolicyConfig config = PolicyConfig.builder().capacitySource(seq % 2 == 0 ? "nodes" : "auto").preemption(mode).build();
            WdrfEngine incremental = engine(policy, config);
            // same policy state (multifactor decays usage over cycles), no reuse of vectors
            WdrfEngine reference = fromScratch(policy, config);
            // the default engine: these snapshots are small, so plain builds over the cached vectors
            WdrfEngine small = WdrfEngine.builder().config(config).policy(policy).build();
            World world = new World(seq);
            world.preempting = seq % 4 < 2;
            for (int step = 0; step < STEPS; step++) {
                world.step();
                ClusterSnapshot s = world.snapshot();
                Evaluation got = incremental.evaluate(s, world.now);
                Evaluation want = reference.evaluate(s, world.now);
                if (!policy.equals("multifactor")) { // stateless policies: also equal to a brand-new engine
                    assertThat(engine(policy, config).evaluate(s, world.now).plan()).isEqualTo(want.plan());
                }
                assertSameEvaluation(got, want, seq, step);
                assertSameEvaluation(small.evaluate(s, world.now), want, seq, step);
                assertThat(reference.cachedObjects()).isZero();
                assertThat(small.cachedObjects()).isLessThanOrEqualTo(s.workloads().size() + s.nodes().size());
                assertThat(incremental.cachedObjects()).isLessThanOrEqualTo(s.workloads().size() + s.nodes().size());
                compared++;
            }
            partial += incremental.incrementalContext().reusedBuilds();
            assertThat(incremental.incrementalContext().plainBuilds()).isZero();
            assertThat(small.incrementalContext().plainBuilds()).isPositive();
        }
        assertThat(compared).isEqualTo(SEQUENCES * STEPS);
        assertThat(partial).as("cycles that reused the whole context").isGreaterThan(SEQUENCES * STEPS / 20);
    }

    /**
     * A large view in a stable order with a few changes per cycle (priority writes in place, replacements, deletions,
     * creations, equal relists, moved objects, admissions): the cycles where the id order is patched at the changed
     * positions only must equal a from-scratch evaluation too.
     */
    @Test
    void fewChangesPerCycleInAStableOrderEqualFromScratch() {
        long sparse = 0;
        long carried = 0;
        long inPlace = 0;
        int compared = 0;
        int duplicates = 0;
        for (int seq = 0; seq < 12; seq++) {
            String policy = POLICIES.get(seq % POLICIES.size());
            String mode = MODES.get(seq % MODES.size());
            // every third sequence: tenants by label, each spread over the namespaces
            PolicyConfig config = PolicyConfig.builder().capacitySource("auto").preemption(mode)
                    .tenantKey(seq % 3 == 2 ? "label:team" : "namespace").build();
            WdrfEngine incremental = engine(policy, config);
            WdrfEngine reference = fromScratch(policy, config);
            World world = new World(1000 + seq);
            world.preempting = seq % 2 == 0;
            for (int i = 0; i < 300; i++) {
                world.put(world.fresh());
            }
            List<Workload> order = new ArrayList<>(world.workloads.values());
            for (int step = 0; step < 25; step++) {
                int changes = 1 + world.rnd.nextInt(6);
                for (int k = 0; k < changes; k++) {
                    int i = world.rnd.nextInt(order.size());
                    Workload w = order.get(i);
                    switch (world.rnd.nextInt(10)) {
                        case 0, 1 -> order.set(i, w.toBuilder().resourceVersion(world.rv()).priority(world.rnd.nextInt(1000)).build());
                        case 2 -> order.set(i, world.fresh()); // deleted, another workload created
                        case 3 -> order.remove(i);
                        case 4 -> order.add(i, world.fresh());
                        case 5 -> order.set(i, w.toBuilder().build()); // relist: an equal copy
                        case 6 -> java.util.Collections.swap(order, i, world.rnd.nextInt(order.size())); // moved
                        case 7 -> { // a new version at another position (its id is a hole in the last order)
                            order.remove(i);
                            order.add(world.rnd.nextInt(order.size() + 1), w.toBuilder().resourceVersion(world.rv())
                                    .priority(world.rnd.nextInt(1000)).build());
                        }
                        case 8 -> order.set(i, w.toBuilder().resourceVersion(world.rv()) // finished, still listed
                                .condition(Workload.FINISHED, true).build());
                        default -> order.set(i, w.toBuilder().resourceVersion(world.rv())
                                .condition(Workload.QUOTA_RESERVED, true).condition(Workload.ADMITTED, true).build());
                    }
                }
                if (world.rnd.nextInt(5) == 0) {
                    world.now = world.now.plusSeconds(30);
                }
                List<Workload> listed = new ArrayList<>(order);
                WorkloadId twinId = null;
                if (world.rnd.nextInt(8) == 0) { // for this cycle only: a second version of a listed id (malformed)
                    // a listed workload's, or a new workload listed twice (two new objects of one id)
                    Workload twin = world.rnd.nextBoolean() ? order.get(world.rnd.nextInt(order.size())) : world.fresh();
                    if (!order.contains(twin)) {
                        listed.add(world.rnd.nextInt(listed.size() + 1), twin);
                    }
                    listed.add(world.rnd.nextInt(listed.size() + 1), twin.toBuilder().resourceVersion(world.rv()).build());
                    twinId = twin.id();
                    duplicates++;
                }
                ClusterSnapshot base = world.snapshot();
                ClusterSnapshot s = ClusterSnapshot.builder(base.takenAt()).workloads(listed)
                        .nodes(base.nodes()).clusterQueues(base.clusterQueues()).localQueues(base.localQueues()).build();
                Evaluation got = incremental.evaluate(s, world.now);
                Evaluation want = reference.evaluate(s, world.now);
                assertSameEvaluation(got, want, seq, step);
                if (twinId != null) { // reported, and neither copy decided
                    WorkloadId id = twinId;
                    assertThat(got.invalid()).anyMatch(i -> i.name().equals(id.name()) && i.reason().contains("listed 2 times"));
                    assertThat(got.plan().decisions()).noneMatch(d -> d.workloadId().equals(id));
                }
                assertThat(incremental.cachedObjects()).isLessThanOrEqualTo(s.workloads().size() + s.nodes().size());
                compared++;
            }
            sparse += incremental.incrementalContext().sparseBuilds();
            carried += incremental.incrementalContext().carriedBuilds();
            inPlace += incremental.incrementalContext().inPlaceReplacements();
        }
        assertThat(compared).isEqualTo(12 * 25);
        assertThat(duplicates).as("cycles with a duplicate id").isGreaterThan(10);
        assertThat(carried).as("cycles that carried the unchanged tenants over").isGreaterThan(12 * 10);
        assertThat(inPlace).as("priority writes that left their tenant clean").isGreaterThan(12 * 10);
        assertThat(sparse).as("cycles that patched the id order at the changed positions").isGreaterThan(12 * 20);
    }

    @Test
    void snapshotsCrossingTheIncrementalThresholdBothWaysEqualFromScratchPlans() {
        PolicyConfig config = PolicyConfig.builder().capacitySource("auto").build();
        // incremental from 25 workloads: the world grows past it (to ~40) and shrinks below it, twice
        WdrfEngine crossing = WdrfEngine.builder().config(config).policy("wdrf").incrementalFrom(25).build();
        WdrfEngine reference = fromScratch("wdrf", config);
        World world = new World(77);
        int compared = 0;
        for (int wave = 0; wave < 2; wave++) {
            for (int step = 0; step < 40; step++) {
                if (step < 20) {
                    world.put(world.fresh());
                    world.put(world.fresh());
                } else if (!world.workloads.isEmpty()) {
                    world.workloads.pollFirstEntry();
                    world.workloads.pollLastEntry();
                }
                world.step();
                ClusterSnapshot s = world.snapshot();
                assertSameEvaluation(crossing.evaluate(s, world.now), reference.evaluate(s, world.now), wave, step);
                assertThat(crossing.cachedObjects()).isLessThanOrEqualTo(s.workloads().size() + s.nodes().size());
                compared++;
            }
        }
        assertThat(compared).isEqualTo(80);
        IncrementalContext contexts = crossing.incrementalContext();
        assertThat(contexts.plainBuilds()).as("builds below the threshold").isPositive();
        assertThat(contexts.fullBuilds() - contexts.plainBuilds()).as("builds from the threshold on").isPositive();
    }

    @Test
    void anUnchangedSnapshotIsServedFromTheCacheAndAChangedObjectIsRecomputed() {
        WdrfEngine engine = engine("wdrf", PolicyConfig.builder().capacitySource("nodes").build());
        World world = new World(7);
        for (int i = 0; i < 30; i++) {
            world.put(world.fresh());
        }
        world.nodes.put("n0", Fixtures.node("n0", "16", "64Gi"));
        ClusterSnapshot s = world.snapshot();
        engine.evaluate(s, world.now);
        long missesAfterFirst = engine.demandCache().misses();
        engine.evaluate(s, world.now);
        assertThat(engine.demandCache().misses()).isEqualTo(missesAfterFirst);

        Workload rewritten = world.any(); // a priority write: new version, same pod sets
        world.put(rewritten.toBuilder().resourceVersion(world.rv()).priority(7).build());
        engine.evaluate(world.snapshot(), world.now);
        assertThat(engine.demandCache().misses()).as("a new version with the same pod sets keeps its vectors")
                .isEqualTo(missesAfterFirst);

        Workload changed = world.any();
        world.put(changed.toBuilder().resourceVersion(world.rv())
                .podSets(List.of(PodSet.of("main", 5, Map.of("cpu", "1", "memory", "1Gi")))).build());
        engine.evaluate(world.snapshot(), world.now);
        long recomputed = engine.demandCache().misses() - missesAfterFirst;
        assertThat(recomputed).isEqualTo(changed.phase() == io.wdrf.api.Phase.FINISHED ? 0 : 1);
        assertThat(engine.demandCache().hits()).as("the unchanged workloads' and nodes' vectors").isGreaterThan(0);
    }

    /**
     * A model whose vectors depend on the snapshot beyond the object (as HAMi's do): node capacity scales with the
     * number of ResourceFlavors, and the reuse scope says so. A change of scope alone (same nodes, same workloads)
     * must recompute the capacity and everything derived from it.
     */
    private static final class FlavorScaled implements DemandModel {
        private final KueueDemandModel kueue = new KueueDemandModel();

        @Override
        public Object reuseScope(ClusterSnapshot snapshot) {
            return snapshot.flavors().size();
        }

        @Override
        public Bound bind(ClusterSnapshot snapshot) {
            Bound k = kueue.bind(snapshot);
            int f = snapshot.flavors().size();
            return new Bound() {
                public ResourceVector demand(Workload w) { return k.demand(w); }
                public ResourceVector usage(Workload w) { return k.usage(w); }
                public ResourceVector capacity(Node n) { return k.capacity(n).times(1 + f); }
            };
        }
    }

    @Test
    void aScopeChangeAloneRecomputesWhatTheScopeCovers() {
        PolicyConfig config = PolicyConfig.builder().capacitySource("nodes").build();
        FlavorScaled model = new FlavorScaled();
        DemandModel uncached = model::bind;
        WdrfEngine incremental = WdrfEngine.builder().config(config).demandModel(model).incrementalFrom(0).build();
        WdrfEngine reference = WdrfEngine.builder().config(config).demandModel(uncached).build();
        World world = new World(5);
        for (int i = 0; i < 40; i++) {
            world.put(world.fresh());
        }
        world.nodes.put("n0", Fixtures.node("n0", "16", "64Gi"));
        List<io.wdrf.api.ResourceFlavorInfo> flavors = new ArrayList<>();
        for (int step = 0; step < 12; step++) {
            if (step % 3 == 1) {
                flavors.add(new io.wdrf.api.ResourceFlavorInfo("f" + step, Map.of()));
            } else if (step % 3 == 2) {
                world.step();
            }
            ClusterSnapshot base = world.snapshot();
            ClusterSnapshot s = new ClusterSnapshot(base.takenAt(), base.workloads(), base.nodes(), base.pods(),
                    base.clusterQueues(), base.localQueues(), flavors, base.namespaces(), base.invalid());
            Evaluation got = incremental.evaluate(s, world.now);
            Evaluation want = reference.evaluate(s, world.now);
            assertThat(got.context().capacity()).as("step %d", step).isEqualTo(want.context().capacity());
            assertThat(got.plan()).isEqualTo(want.plan());
            assertThat(got.context().pending()).isEqualTo(want.context().pending());
        }
    }

    @Test
    void nothingLeaksWhenObjectsGoAway() {
        WdrfEngine engine = engine("wdrf", PolicyConfig.builder().capacitySource("nodes").build());
        World world = new World(11);
        for (int i = 0; i < 200; i++) {
            world.put(world.fresh());
        }
        for (int n = 0; n < 4; n++) {
            world.nodes.put("n" + n, Fixtures.node("n" + n, "16", "64Gi"));
        }
        engine.evaluate(world.snapshot(), world.now);
        assertThat(engine.cachedObjects()).isEqualTo(204);

        // half go away, the rest are replaced by new versions: only the current versions stay
        List<WorkloadId> ids = new ArrayList<>(world.workloads.keySet());
        for (int i = 0; i < ids.size(); i++) {
            Workload w = world.workloads.get(ids.get(i));
            if (i % 2 == 0) {
                world.workloads.remove(w.id());
            } else {
                world.put(w.toBuilder().resourceVersion(world.rv()).build());
            }
        }
        world.nodes.remove("n0");
        engine.evaluate(world.snapshot(), world.now);
        assertThat(engine.cachedObjects()).isEqualTo(100 + 3);
        // per workload: its rank and its input position; per tenant: the filling memo and the canonical name (5 tenants)
        assertThat(engine.incrementalContext().remembered()).isLessThanOrEqualTo(2 * 100 + 2 * 5);

        world.workloads.clear();
        world.nodes.clear();
        engine.evaluate(world.snapshot(), world.now);
        assertThat(engine.cachedObjects()).isZero();
        assertThat(engine.incrementalContext().remembered()).isZero();
    }
}
