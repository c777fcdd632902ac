package io.wdrf.hami;

import io.wdrf.api.Admission;
import io.wdrf.api.ClusterQueueInfo;
import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.DemandModel;
import io.wdrf.api.LocalQueueInfo;
import io.wdrf.api.Node;
import io.wdrf.api.PodSetAssignment;
import io.wdrf.api.ResourceFlavorInfo;
import io.wdrf.api.ResourceQuota;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.Workload;
import io.wdrf.engine.KueueDemandModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.wdrf.hami.Fx.T0;
import static io.wdrf.hami.Fx.gpuNode;
import static io.wdrf.hami.Fx.init;
import static io.wdrf.hami.Fx.jsonCards;
import static io.wdrf.hami.Fx.limits;
import static io.wdrf.hami.Fx.m;
import static io.wdrf.hami.Fx.podSet;
import static io.wdrf.hami.Fx.sidecar;
import static io.wdrf.hami.Fx.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class HamiDemandModelTest {

    private static final String GPU = "hami.io/gpu";

    private static ClusterSnapshot snapshot16g() {
        return ClusterSnapshot.builder(T0).node(gpuNode("n1", Map.of(), jsonCards("GPU-n1", 4, 16384))).build();
    }

    @Test
    void halfCardVersusWholeCardPerJob() {
        HamiDemandModel model = new HamiDemandModel();
        DemandModel.Bound b = model.bind(snapshot16g());
        Workload half = workload("team-a", "half", podSet("main", 1,
                limits("c", "cpu", "2", "nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "50")));
        Workload whole = workload("team-b", "whole", podSet("main", 1, limits("c", "cpu", "2", "nvidia.com/gpu", "1")));
        assertThat(b.demand(half)).isEqualTo(ResourceVector.of(Map.of("cpu", 2.0, GPU, 0.5)));
        assertThat(b.demand(whole)).isEqualTo(ResourceVector.of(Map.of("cpu", 2.0, GPU, 1.0)));
        // Kueue alone charges both the same single vGPU slot
        KueueDemandModel kueue = new KueueDemandModel();
        assertThat(kueue.workloadDemand(half).get("nvidia.com/gpu")).isEqualTo(kueue.workloadDemand(whole).get("nvidia.com/gpu"));
    }

    @Test
    void multiContainerPodIsChargedPerContainerNotKueueProduct() {
        Workload w = workload("ns", "mc", podSet("main", 1,
                limits("a", "nvidia.com/gpu", "1", "nvidia.com/gpumem", "1000"),
                limits("b", "nvidia.com/gpu", "2", "nvidia.com/gpumem", "3000")));
        HamiDemandModel.HamiBound b = new HamiDemandModel().bind(snapshot16g());
        double f = b.demand(w).get(GPU);
        assertThat(f).isCloseTo(7000.0 / 16384, within(1e-12));
        assertThat(f * 16384).isCloseTo(7000.0, within(1e-9));
        // Kueue's multiplyBy on pod aggregates: (1+2) x (1000+3000) = 12000 MiB
        ResourceVector kueue = new KueueDemandModel().workloadDemand(w);
        assertThat(kueue.get("nvidia.com/gpu") * kueue.get("nvidia.com/gpumem")).isEqualTo(12000.0);
        assertThat(b.demand(w).resources()).containsExactly(GPU);
        assertThat(b.breakdown(w, false)).singleElement().satisfies(s -> {
            assertThat(s.cardMemoryMiB()).isEqualTo(16384.0);
            assertThat(s.source()).contains("all nodes").contains("16384 MiB on 1 node(s)");
        });
    }

    @Test
    void initContainersSidecarsAndCountMultiplication() {
        HamiDemandModel.HamiBound b = new HamiDemandModel().bind(snapshot16g());
        // init container with a whole card dominates two app containers at 30%
        Workload w1 = workload("ns", "w1", podSet("main", 1,
                init("setup", "nvidia.com/gpu", "1"),
                limits("a", "nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "30"),
                limits("b", "nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "30")));
        assertThat(b.gpuFraction(w1)).isEqualTo(1.0);
        // small init container: app sum wins
        Workload w2 = workload("ns", "w2", podSet("main", 1,
                init("setup", "nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "10"),
                limits("a", "nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "30"),
                limits("b", "nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "30")));
        assertThat(b.gpuFraction(w2)).isCloseTo(0.6, within(1e-12));
        // a sidecar runs next to the app containers: added
        Workload w3 = workload("ns", "w3", podSet("main", 1,
                sidecar("proxy", "nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "20"),
                limits("a", "nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "30")));
        assertThat(b.gpuFraction(w3)).isCloseTo(0.5, within(1e-12));
        // count multiplication and several pod sets: 4 x 0.25 + 2 x (2 cards x 0.5)
        Workload w4 = workload("ns", "w4",
                podSet("workers", 4, limits("w", "nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "25")),
                podSet("driver", 2, limits("d", "nvidia.com/gpu", "2", "nvidia.com/gpumem-percentage", "50")));
        assertThat(b.gpuFraction(w4)).isCloseTo(3.0, within(1e-12));
        assertThat(b.breakdown(w4, false)).extracting(HamiDemandModel.PodSetShare::total).containsExactly(1.0, 2.0);
        // mutex GPU policy books whole cards
        Workload w5 = workload("ns", "w5", podSet("main", 1, Map.of(), Map.of("hami.io/gpu-scheduler-policy", "binpack,mutex"),
                limits("a", "nvidia.com/gpu", "2", "nvidia.com/gpumem-percentage", "10")));
        assertThat(b.gpuFraction(w5)).isEqualTo(2.0);
    }

    @Test
    void workloadWithoutGpuKeepsTheBaseVector() {
        HamiDemandModel.HamiBound b = new HamiDemandModel().bind(snapshot16g());
        Workload w = workload("ns", "cpu", podSet("main", 3, limits("c", "cpu", "500m", "memory", "1Gi")));
        assertThat(b.demand(w)).isEqualTo(new KueueDemandModel().workloadDemand(w));
        assertThat(b.demand(w).get(GPU)).isZero();
    }

    @Test
    void invalidGpumemThrowsWithFieldPathSoTheEngineSkipsTheWorkload() {
        HamiDemandModel.HamiBound b = new HamiDemandModel().bind(snapshot16g());
        Workload w = workload("ns", "bad", podSet("main", 1,
                limits("train", "nvidia.com/gpu", "1", "nvidia.com/gpumem", "16Gi")));
        assertThatThrownBy(() -> b.demand(w)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("spec.podSets[0].template.spec.containers[train].resources.limits.nvidia.com/gpumem: "
                        + "'16Gi' is not an integer MiB (HAMi ignores the GPU request of this container)");
        Workload wi = workload("ns", "bad-init", podSet("main", 1, limits("a", "cpu", "1"),
                init("prep", "nvidia.com/gpumem-percentage", "x")));
        assertThatThrownBy(() -> b.demand(wi))
                .hasMessageStartingWith("spec.podSets[0].template.spec.initContainers[prep].resources.limits.nvidia.com/gpumem-percentage:");
        // other workloads are unaffected
        assertThat(b.demand(workload("ns", "ok", podSet("main", 1, limits("a", "nvidia.com/gpu", "1")))).get(GPU)).isEqualTo(1.0);
    }

    @Test
    void capacityCountsHealthyPhysicalCardsNotSlots() {
        String reg = "[{\"id\":\"a\",\"count\":10,\"devmem\":16384,\"devcore\":100,\"health\":true},"
                + "{\"id\":\"b\",\"index\":1,\"count\":10,\"devmem\":16384,\"devcore\":100,\"health\":true},"
                + "{\"id\":\"c\",\"index\":2,\"count\":10,\"devmem\":16384,\"devcore\":100}]"; // c: health omitted = false
        Node n = gpuNode("n1", Map.of(), reg);
        Node cpuOnly = new Node("cpu1", Map.of(), Map.of(), m("cpu", "32", "memory", "64Gi"), true, false);
        Node noAnnotation = gpuNode("n2", Map.of(), null);
        Node broken = gpuNode("n3", Map.of(), "GPU-x,10,16Gi,100,T,0,true:");
        HamiDemandModel.HamiBound b = new HamiDemandModel()
                .bind(ClusterSnapshot.builder(T0).nodes(List.of(n, cpuOnly, noAnnotation, broken)).build());
        assertThat(b.capacity(n)).isEqualTo(ResourceVector.of(Map.of("cpu", 64.0, "memory", 256.0 * (1L << 30), GPU, 2.0)));
        assertThat(b.capacity(cpuOnly)).isEqualTo(ResourceVector.of(Map.of("cpu", 32.0, "memory", 64.0 * (1L << 30))));
        assertThat(b.capacity(noAnnotation).get(GPU)).isEqualTo(80.0); // no HAMi: whole cards of the device plugin
        assertThat(b.capacity(noAnnotation).get("nvidia.com/gpu")).isZero();
        assertThat(b.capacity(noAnnotation).get("cpu")).isEqualTo(64.0);
        assertThatThrownBy(() -> b.capacity(broken))
                .hasMessage("metadata.annotations[hami.io/node-nvidia-register]: device 0 'GPU-x,10,16Gi,100,T,0,true':"
                        + " devmem '16Gi' is not an int32 integer");
        assertThat(b.invalidNodes()).singleElement().satisfies(i -> assertThat(i.name()).isEqualTo("n3"));
    }

    // ------------------------------------------------------------------ card memory rule

    private static final ResourceFlavorInfo A100 = new ResourceFlavorInfo("a100", Map.of("pool", "a100"));
    private static final ResourceFlavorInfo T4 = new ResourceFlavorInfo("t4", Map.of("pool", "t4"));
    private static final ResourceFlavorInfo H100 = new ResourceFlavorInfo("h100", Map.of("pool", "h100"));

    private static ClusterSnapshot.Builder pools() {
        return ClusterSnapshot.builder(T0)
                .node(gpuNode("a1", Map.of("pool", "a100", "zone", "z1"), jsonCards("A1", 2, 81920)))
                .node(gpuNode("a2", Map.of("pool", "a100", "zone", "z2"), jsonCards("A2", 2, 40960)))
                .node(gpuNode("t1", Map.of("pool", "t4"), jsonCards("T1", 4, 15360)))
                .flavors(List.of(A100, T4, H100))
                .clusterQueue(ClusterQueueInfo.of("cq-a100", List.of(ResourceQuota.of("a100", "cpu", "100"),
                        ResourceQuota.of("a100", "nvidia.com/gpu", "40"))))
                .clusterQueue(ClusterQueueInfo.of("cq-mixed", List.of(ResourceQuota.of("t4", "nvidia.com/gpucores", "400"),
                        ResourceQuota.of("a100", "nvidia.com/gpu", "40"))))
                .clusterQueue(ClusterQueueInfo.of("cq-cpu-t4", List.of(ResourceQuota.of("t4", "cpu", "10"))))
                .clusterQueue(ClusterQueueInfo.of("cq-h100", List.of(ResourceQuota.of("h100", "nvidia.com/gpu", "8"))))
                .localQueue(new LocalQueueInfo("ns", "lq-a100", "cq-a100"))
                .localQueue(new LocalQueueInfo("ns", "lq-mixed", "cq-mixed"));
    }

    private static Workload mem8g(String queue, String cq) {
        return Workload.builder("ns", "w-" + queue, T0).queueName(queue).clusterQueue(cq)
                .podSets(List.of(podSet("main", 1, limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpumem", "8192")))).build();
    }

    @Test
    void cardMemoryFromClusterQueueFlavorsViaLocalQueueOrDirectly() {
        HamiDemandModel.HamiBound b = new HamiDemandModel().bind(pools().build());
        // LocalQueue -> cq-a100 -> flavor a100 -> smallest a100 card 40960
        assertThat(b.gpuFraction(mem8g("lq-a100", null))).isEqualTo(8192.0 / 40960);
        assertThat(b.breakdown(mem8g("lq-a100", null), false).get(0).source())
                .isEqualTo("ClusterQueue flavors [a100]: smallest card 40960 MiB on 2 node(s)");
        // Workload.clusterQueue() takes precedence over the LocalQueue mapping
        assertThat(b.gpuFraction(mem8g("lq-a100", "cq-mixed"))).isEqualTo(8192.0 / 15360);
        // mixed GPU flavors: conservative minimum over both
        assertThat(b.gpuFraction(mem8g("lq-mixed", null))).isEqualTo(8192.0 / 15360);
        // a CQ whose t4 quota covers only cpu names no GPU flavor -> all nodes (min 15360)
        assertThat(b.breakdown(mem8g("x", "cq-cpu-t4"), false).get(0).source()).startsWith("all nodes:");
        // flavor without nodes (scaled to zero) -> configurable fallback
        assertThat(b.gpuFraction(mem8g("x", "cq-h100"))).isEqualTo(8192.0 / 16384);
        HamiDemandModel.HamiBound b2 = new HamiDemandModel(HamiConfig.builder(HamiVendor.NVIDIA).fallbackCardMemoryMiB(81920).build())
                .bind(pools().build());
        assertThat(b2.gpuFraction(mem8g("x", "cq-h100"))).isEqualTo(0.1);
        assertThat(b2.breakdown(mem8g("x", "cq-h100"), false).get(0).source())
                .isEqualTo("ClusterQueue flavors [h100]: no healthy registered card, fallback 81920 MiB");
    }

    @Test
    void cardMemoryFromNodeSelectorAndAdmission() {
        ClusterSnapshot s = pools().build();
        HamiDemandModel.HamiBound b = new HamiDemandModel().bind(s);
        // no queue info: pod-set nodeSelector picks the nodes
        Workload sel = workload("ns", "sel", podSet("main", 1, Map.of("pool", "a100", "zone", "z1"), Map.of(),
                limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpumem", "8192")));
        assertThat(b.gpuFraction(sel)).isEqualTo(0.1);
        // nodeSelector narrows a flavor's nodes too
        Workload selCq = sel.toBuilder().clusterQueue("cq-a100").build();
        assertThat(b.gpuFraction(selCq)).isEqualTo(0.1);
        // admitted: the admission's flavor wins over the ClusterQueue's flavors; usage uses admitted count
        Workload admitted = Workload.builder("ns", "adm", T0).queueName("lq-mixed")
                .podSets(List.of(podSet("main", 4, limits("c", "cpu", "1", "nvidia.com/gpu", "1", "nvidia.com/gpumem", "8192"))))
                .condition(Workload.QUOTA_RESERVED, true)
                .admission(new Admission("cq-mixed", List.of(new PodSetAssignment("main",
                        Map.of("cpu", "a100", "nvidia.com/gpu", "a100"),
                        ResourceVector.of(Map.of("cpu", 3.0, "nvidia.com/gpu", 3.0, "nvidia.com/total-gpumem", 24576.0)), 3))))
                .build();
        ResourceVector usage = b.usage(admitted);
        assertThat(usage.resources()).containsExactly("cpu", GPU);
        assertThat(usage.get("cpu")).isEqualTo(3.0);
        assertThat(usage.get(GPU)).isCloseTo(3 * 8192.0 / 40960, within(1e-12));
        // demand() counts spec pods (4) and still uses the admission's flavor when there is one
        assertThat(b.demand(admitted).get(GPU)).isCloseTo(4 * 8192.0 / 40960, within(1e-12));
        // the same spec while pending: CQ flavors of cq-mixed via its LocalQueue (min 15360)
        Workload pending = admitted.toBuilder().admission(null).condition(Workload.QUOTA_RESERVED, false).build();
        assertThat(b.demand(pending).get(GPU)).isEqualTo(4 * 8192.0 / 15360);
        // admission naming an unknown flavor falls back to the ClusterQueue rule
        Workload unknownFlavor = admitted.toBuilder().admission(new Admission("cq-mixed", List.of(new PodSetAssignment("main",
                Map.of("nvidia.com/gpu", "gone"), ResourceVector.empty(), 0)))).build();
        assertThat(b.usage(unknownFlavor).get(GPU)).isEqualTo(4 * 8192.0 / 15360);
    }

    @Test
    void unhealthyCardsDoNotDefineCardMemory() {
        String reg = "[{\"id\":\"small\",\"devmem\":8192},{\"id\":\"big\",\"index\":1,\"devmem\":32768,\"health\":true}]";
        HamiDemandModel.HamiBound b = new HamiDemandModel()
                .bind(ClusterSnapshot.builder(T0).node(gpuNode("n", Map.of(), reg)).build());
        Workload w = workload("ns", "w", podSet("main", 1, limits("c", "nvidia.com/gpumem", "8192")));
        assertThat(b.gpuFraction(w)).isEqualTo(0.25);
    }

    @Test
    void otherVendorAndChainingTwoVendors() {
        HamiConfig dcuCfg = HamiConfig.builder(HamiVendor.HYGON_DCU).fractionResource("hami.io/dcu").build();
        Node dcuNode = new Node("d1", Map.of(), Map.of("hami.io/node-dcu-register",
                "DCU-0,4,65520,100,DCU-Z100,0,true:DCU-1,4,65520,100,DCU-Z100,0,true:DCU-2,4,65520,100,DCU-Z100,0,false:"),
                m("cpu", "128", "hygon.com/dcunum", "12"), true, false);
        Node nvNode = gpuNode("n1", Map.of(), jsonCards("GPU", 2, 16384));
        ClusterSnapshot s = ClusterSnapshot.builder(T0).nodes(List.of(dcuNode, nvNode)).build();
        DemandModel chained = new HamiDemandModel(dcuCfg, new HamiDemandModel());
        DemandModel.Bound b = chained.bind(s);
        assertThat(b.capacity(dcuNode)).isEqualTo(ResourceVector.of(Map.of("cpu", 128.0, "hami.io/dcu", 2.0)));
        assertThat(b.capacity(nvNode).get(GPU)).isEqualTo(2.0);
        assertThat(b.capacity(nvNode).get("hami.io/dcu")).isZero();
        Workload w = workload("ns", "both", podSet("main", 2,
                limits("x", "hygon.com/dcunum", "1", "hygon.com/dcumem", "16380", "hygon.com/dcucores", "25"),
                limits("y", "nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "50")));
        ResourceVector d = b.demand(w);
        assertThat(d.resources()).containsExactly("hami.io/dcu", GPU);
        assertThat(d.get("hami.io/dcu")).isCloseTo(2 * 0.25, within(1e-12));
        assertThat(d.get(GPU)).isEqualTo(1.0);
        // the Hygon preset books whole cards when cores are absent (HAMi's DCU default cores 100)
        Workload w2 = workload("ns", "dcu-default", podSet("main", 1, limits("x", "hygon.com/dcunum", "2", "hygon.com/dcumem", "1024")));
        assertThat(b.demand(w2).get("hami.io/dcu")).isEqualTo(2.0);
    }

    @Test
    void customFractionResourceNameAndConfigValidation() {
        HamiConfig cfg = HamiConfig.builder(HamiVendor.NVIDIA).fractionResource("example.com/gpu-fraction").build();
        DemandModel.Bound b = new HamiDemandModel(cfg).bind(snapshot16g());
        assertThat(b.demand(workload("ns", "w", podSet("main", 1, limits("c", "nvidia.com/gpu", "1")))).resources())
                .containsExactly("example.com/gpu-fraction");
        assertThatThrownBy(() -> HamiConfig.builder(HamiVendor.NVIDIA).fractionResource("nvidia.com/gpu").build())
                .hasMessageContaining("hami.fractionResource: 'nvidia.com/gpu' is one of the vendor's own resources");
        assertThatThrownBy(() -> HamiConfig.builder(HamiVendor.NVIDIA).memoryFactor(0).build())
                .hasMessage("hami.memoryFactor: 0 must be >= 1");
        assertThatThrownBy(() -> HamiConfig.builder(HamiVendor.NVIDIA).defaultCores(101).build())
                .hasMessage("hami.defaultCores: 101 must be in [0, 100]");
        assertThatThrownBy(() -> HamiConfig.builder(HamiVendor.NVIDIA).fallbackCardMemoryMiB(0).build())
                .hasMessage("hami.fallbackCardMemoryMiB: 0 must be > 0 and <= 2147483647");
        assertThatThrownBy(() -> HamiVendor.builder("x").registerAnnotation("a").allocatedAnnotation("b").build())
                .hasMessage("hami vendor: countResource must not be empty");
        assertThat(HamiVendor.NVIDIA.gpuResources()).containsExactly("nvidia.com/gpu", "nvidia.com/gpucores",
                "nvidia.com/gpumem", "nvidia.com/gpumem-percentage", "nvidia.com/priority",
                "nvidia.com/total-gpucores", "nvidia.com/total-gpumem");
    }

    @Test
    void requestShapesCollectDistinctPerCardShares() {
        HamiDemandModel.HamiBound b = new HamiDemandModel().bind(snapshot16g());
        List<Workload> ws = List.of(
                workload("a", "1", podSet("main", 3, limits("c", "nvidia.com/gpu", "2", "nvidia.com/gpumem-percentage", "25"))),
                workload("a", "2", podSet("main", 1, limits("c", "nvidia.com/gpumem", "4096"), limits("d", "cpu", "1"))),
                workload("a", "bad", podSet("main", 1, limits("c", "nvidia.com/gpumem", "4Gi"))));
        assertThat(b.requestShapes(ws)).containsExactly(0.25);
        assertThat(b.requestShapes(List.of(workload("a", "3", podSet("main", 1, limits("c", "nvidia.com/gpu", "1"))))))
                .containsExactly(1.0);
    }

    @Test
    void gpuTypeAnnotationsNarrowTheCardsUsedForCardMemory() {
        String mixed = "[{\"id\":\"t\",\"devmem\":15360,\"type\":\"NVIDIA-Tesla T4\",\"health\":true},"
                + "{\"id\":\"a\",\"index\":1,\"devmem\":40960,\"type\":\"NVIDIA-A100-PCIE-40GB\",\"health\":true}]";
        HamiDemandModel.HamiBound b = new HamiDemandModel()
                .bind(ClusterSnapshot.builder(T0).node(gpuNode("n", Map.of(), mixed)).build());
        java.util.function.Function<Map<String, String>, Workload> w = ann -> workload("ns", "w",
                podSet("main", 1, Map.of(), ann, limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpumem", "4096")));
        assertThat(b.gpuFraction(w.apply(Map.of()))).isEqualTo(4096.0 / 15360);
        // case-insensitive substring, blank entries ignored
        assertThat(b.gpuFraction(w.apply(Map.of("nvidia.com/use-gputype", " a100 , ,")))).isEqualTo(0.1);
        assertThat(b.gpuFraction(w.apply(Map.of("nvidia.com/nouse-gputype", "T4")))).isEqualTo(0.1);
        assertThat(b.breakdown(w.apply(Map.of("nvidia.com/nouse-gputype", "T4")), false).get(0).source())
                .isEqualTo("all nodes nouse-type [t4]: smallest card 40960 MiB on 1 node(s)");
        // nothing matches -> fallback
        assertThat(b.gpuFraction(w.apply(Map.of("nvidia.com/use-gputype", "H100")))).isEqualTo(4096.0 / 16384);
        assertThat(CardInventory.typeAllowed("NVIDIA-A100", List.of("a100", "v100"), List.of("pcie"))).isTrue();
        assertThat(CardInventory.typeAllowed("NVIDIA-A100-PCIE", List.of("a100"), List.of("pcie"))).isFalse();
    }

    @Test
    void boundExposesAllocationsAndNodeErrors() {
        ClusterSnapshot s = ClusterSnapshot.builder(T0)
                .node(gpuNode("n1", Map.of(), jsonCards("GPU", 2, 16384)))
                .node(gpuNode("n2", Map.of(), "nonsense"))
                .pod(Fx.pod("team-a", "p", "Running", "n1", "GPU-0,NVIDIA,4096,0:;"))
                .build();
        HamiDemandModel.HamiBound b = new HamiDemandModel().bind(s);
        assertThat(b.allocations()).isSameAs(b.allocations());
        assertThat(b.allocations().namespaceUsage("team-a")).isEqualTo(ResourceVector.of(GPU, 0.25));
        assertThat(b.allocations().allocationRate()).isEqualTo(0.125);
        assertThat(b.invalidNodes()).singleElement().satisfies(i -> assertThat(i.reason())
                .isEqualTo("metadata.annotations[hami.io/node-nvidia-register]: value 'nonsense' is neither a JSON array"
                        + " nor the legacy form: missing device separator ':'"));
    }

    @Test
    void baseModelDoesNotRejectValuesHamiAccepts() {
        HamiDemandModel.HamiBound b = new HamiDemandModel().bind(snapshot16g());
        // Kueue's rules reject a negative quantity; HAMi reads a percentage <= 0 as unset (whole card)
        Workload w = workload("ns", "neg", podSet("main", 2,
                limits("c", "cpu", "1", "nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "-5")));
        assertThat(b.demand(w)).isEqualTo(ResourceVector.of(Map.of("cpu", 2.0, GPU, 2.0)));
        // errors about other resources still surface, with the base model's message
        Workload badCpu = workload("ns", "cpu", podSet("main", 1,
                limits("c", "cpu", "1x", "nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "-5")));
        assertThatThrownBy(() -> b.demand(badCpu))
                .hasMessageStartingWith("spec.podSets[0].template.spec.containers[c].resources.limits.cpu:");
    }
}
