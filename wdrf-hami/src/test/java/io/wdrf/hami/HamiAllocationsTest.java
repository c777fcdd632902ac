package io.wdrf.hami;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.Node;
import io.wdrf.api.PodInfo;
import io.wdrf.api.ResourceVector;
import io.wdrf.hami.HamiAllocations.CardUsage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.wdrf.hami.Fx.T0;
import static io.wdrf.hami.Fx.gpuNode;
import static io.wdrf.hami.Fx.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HamiAllocationsTest {

    private static final String N1 = "[{\"id\":\"GPU-a\",\"count\":10,\"devmem\":16384,\"devcore\":100,\"health\":true},"
            + "{\"id\":\"GPU-b\",\"index\":1,\"count\":10,\"devmem\":16384,\"devcore\":100,\"health\":true},"
            + "{\"id\":\"GPU-c\",\"index\":2,\"count\":10,\"devmem\":16384,\"devcore\":100}]";
    private static final String N2 = "GPU-d,10,32768,100,NVIDIA-V100,0,true:";

    private static List<PodInfo> pods() {
        List<PodInfo> p = new ArrayList<>();
        p.add(pod("team-a", "p1", "Running", "n1", "GPU-a,NVIDIA,8192,0:;"));
        p.add(pod("team-a", "p2", "Running", "n1", "GPU-a,NVIDIA,4096,30:;"));
        p.add(pod("team-b", "p3", "Pending", "n1", "GPU-b,NVIDIA,16384,100:;"));
        p.add(pod("team-b", "p4", "Succeeded", "n1", "GPU-b,NVIDIA,16384,100:;"));
        p.add(pod("team-b", "p5", "Failed", "n1", "GPU-a,NVIDIA,16384,100:;"));
        p.add(pod("team-c", "p6", "Running", null, "GPU-a,NVIDIA,16384,100:;"));
        p.add(pod("team-c", "p7", "Running", "n1", "GPU-a,NVIDIA,x,0:;"));
        p.add(pod("team-c", "p10", "Running", "n1", null));
        p.add(pod("team-d", "p8", "Running", "n2", "GPU-d,NVIDIA,16384,0:;GPU-d,NVIDIA,4096,0:;GPU-d,NVIDIA,4096,0:;"));
        p.add(pod("team-d", "p9", "Running", "n2", "GPU-zzz,NVIDIA,8192,0:;"));
        return p;
    }

    private static ClusterSnapshot snapshot(List<PodInfo> pods) {
        return ClusterSnapshot.builder(T0)
                .node(gpuNode("n1", Map.of(), N1))
                .node(new Node("n2", Map.of(), Map.of(Fx.REG, N2), Map.of(), true, false))
                .node(gpuNode("n3", Map.of(), "[{\"id\":\"e\",\"devmem\":\"big\"}]"))
                .node(gpuNode("cpu", Map.of(), null))
                .pods(pods).build();
    }

    /** p8 has one init container. */
    private static int initCount(PodInfo p) {
        return p.name().equals("p8") ? 1 : 0;
    }

    @Test
    void perCardUsageCountsOnlyScheduledLivePods() {
        HamiAllocations a = HamiAllocations.compute(snapshot(pods()), HamiConfig.defaults(), HamiAllocationsTest::initCount);
        assertThat(a.cards()).extracting(CardUsage::uuid).containsExactly("GPU-a", "GPU-b", "GPU-c", "GPU-d", "GPU-zzz");
        CardUsage ca = a.cards().get(0);
        assertThat(ca.usedSlots()).isEqualTo(2);
        assertThat(ca.usedMemMiB()).isEqualTo(12288);
        assertThat(ca.usedCores()).isEqualTo(30);
        assertThat(ca.occupancy()).isEqualTo(0.75);
        CardUsage cb = a.cards().get(1);
        assertThat(cb.usedSlots()).isEqualTo(1); // p4 Succeeded not counted
        assertThat(cb.occupancy()).isEqualTo(1.0);
        assertThat(a.cards().get(2).healthy()).isFalse();
        assertThat(a.cards().get(2).usedSlots()).isZero();
        // init container first: per card max(init 16384, app 4096+4096), slots max(1, 2)
        CardUsage cd = a.cards().get(3);
        assertThat(cd.usedMemMiB()).isEqualTo(16384);
        assertThat(cd.usedSlots()).isEqualTo(2);
        assertThat(cd.occupancy()).isEqualTo(0.5);
        CardUsage unknown = a.cards().get(4);
        assertThat(unknown.registered()).isFalse();
        assertThat(unknown.node()).isEqualTo("n2");
        assertThat(unknown.usedMemMiB()).isEqualTo(8192);
        assertThat(a.healthyCards()).isEqualTo(3);
    }

    @Test
    void perNamespaceUsage() {
        HamiAllocations a = HamiAllocations.compute(snapshot(pods()), HamiConfig.defaults(), HamiAllocationsTest::initCount);
        assertThat(a.namespaces().keySet()).containsExactly("team-a", "team-b", "team-d");
        // p1 0.5 + p2 max(0.25, 0.30)
        assertThat(a.namespaces().get("team-a").gpuFraction()).isCloseTo(0.8, within(1e-12));
        assertThat(a.namespaces().get("team-a").memoryMiB()).isEqualTo(12288);
        assertThat(a.namespaces().get("team-a").cores()).isEqualTo(30);
        assertThat(a.namespaces().get("team-a").pods()).isEqualTo(2);
        assertThat(a.namespaces().get("team-b").gpuFraction()).isEqualTo(1.0);
        // p8 0.5 + p9 on an unregistered card with fallback 16384 MiB: 0.5
        assertThat(a.namespaces().get("team-d").gpuFraction()).isEqualTo(1.0);
        assertThat(a.namespaceUsage("team-a")).isEqualTo(ResourceVector.of("hami.io/gpu", a.namespaces().get("team-a").gpuFraction()));
        assertThat(a.namespaceUsage("nobody")).isEqualTo(ResourceVector.empty());
        // without init-container information every entry counts as an app container
        HamiAllocations plain = HamiAllocations.compute(snapshot(pods()), HamiConfig.defaults());
        assertThat(plain.namespaces().get("team-d").gpuFraction()).isEqualTo(0.75 + 0.5);
    }

    @Test
    void malformedAnnotationsAreReportedAndSkipped() {
        HamiAllocations a = HamiAllocations.compute(snapshot(pods()), HamiConfig.defaults());
        assertThat(a.errors()).extracting(Object::toString).containsExactly(
                "Node n3: metadata.annotations[hami.io/node-nvidia-register]: device [0] 'e': devmem \"big\" is not a number",
                "Pod team-c/p7: metadata.annotations[hami.io/vgpu-devices-allocated]: container entry 0, device 0 "
                        + "'GPU-a,NVIDIA,x,0': USEDMEM 'x' is not an int32 integer");
        assertThat(a.namespaces()).doesNotContainKey("team-c");
    }

    @Test
    void allocationRateAndFragmentation() {
        HamiAllocations a = HamiAllocations.compute(snapshot(pods()), HamiConfig.defaults(), HamiAllocationsTest::initCount);
        // healthy registered cards a 0.75, b 1.0, d 0.5
        assertThat(a.allocationRate()).isCloseTo(0.75, within(1e-12));
        HamiAllocations.Fragmentation half = a.fragmentation(List.of(0.5));
        assertThat(half.idleCards()).isCloseTo(0.75, within(1e-12));
        assertThat(half.fragmentedCards()).isCloseTo(0.25, within(1e-12)); // card a has 0.25 idle: a 0.5 slice fits nowhere there
        assertThat(half.ratio()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(a.fragmentation(List.of(0.25, 1.0)).ratio()).isZero();
        assertThat(a.fragmentation(List.of()).ratio()).isZero();
        assertThat(a.fragmentation(List.of(1.0)).ratio()).isEqualTo(1.0);
        // empty cluster
        HamiAllocations empty = HamiAllocations.compute(ClusterSnapshot.builder(T0).build(), HamiConfig.defaults());
        assertThat(empty.allocationRate()).isZero();
        assertThat(empty.fragmentation(List.of(0.5)).ratio()).isZero();
    }

    @Test
    void cardWithoutFreeSlotIsFragmentedWhateverTheShape() {
        String reg = "[{\"id\":\"s\",\"count\":2,\"devmem\":16384,\"devcore\":100,\"health\":true}]";
        ClusterSnapshot s = ClusterSnapshot.builder(T0).node(gpuNode("n", Map.of(), reg))
                .pod(pod("x", "p1", "Running", "n", "s,NVIDIA,1024,0:;"))
                .pod(pod("x", "p2", "Running", "n", "s,NVIDIA,1024,0:;")).build();
        HamiAllocations a = HamiAllocations.compute(s, HamiConfig.defaults());
        assertThat(a.cards().get(0).freeSlots()).isZero();
        assertThat(a.fragmentation(List.of(0.01)).ratio()).isEqualTo(1.0);
        assertThat(a.fragmentation(List.of()).fragmentedCards()).isCloseTo(1 - 2048.0 / 16384, within(1e-12));
    }

    @Test
    void resultDoesNotDependOnPodOrder() {
        HamiAllocations ref = HamiAllocations.compute(snapshot(pods()), HamiConfig.defaults(), HamiAllocationsTest::initCount);
        Random rnd = new Random(11);
        for (int i = 0; i < 20; i++) {
            List<PodInfo> shuffled = new ArrayList<>(pods());
            Collections.shuffle(shuffled, rnd);
            HamiAllocations a = HamiAllocations.compute(snapshot(shuffled), HamiConfig.defaults(), HamiAllocationsTest::initCount);
            assertThat(a.cards()).isEqualTo(ref.cards());
            assertThat(a.namespaces()).isEqualTo(ref.namespaces());
            assertThat(a.errors()).isEqualTo(ref.errors());
        }
    }

    @Test
    void otherVendorAnnotations() {
        HamiConfig dcu = HamiConfig.builder(HamiVendor.HYGON_DCU).build();
        ClusterSnapshot s = ClusterSnapshot.builder(T0)
                .node(new Node("d", Map.of(), Map.of("hami.io/node-dcu-register", "DCU-0,4,65536,100,Z100,0,true:"), Map.of(), true, false))
                .pod(new PodInfo("ml", "p", "u", "d", "Running", Map.of(),
                        Map.of("hami.io/vgpu-node", "d", "hami.io/dcu-devices-allocated", "DCU-0,DCU,16384,25:;")))
                // an NVIDIA annotation is not read by the DCU config
                .pod(pod("ml", "nv", "Running", "d", "GPU-a,NVIDIA,8192,0:;"))
                .build();
        HamiAllocations a = HamiAllocations.compute(s, dcu);
        assertThat(a.namespaces().get("ml").gpuFraction()).isEqualTo(0.25);
        assertThat(a.namespaces().get("ml").pods()).isEqualTo(1);
        assertThat(a.cards()).extracting(CardUsage::uuid).containsExactly("DCU-0");
        assertThat(a.allocationRate()).isEqualTo(0.25);
        assertThat(Set.copyOf(a.errors())).isEmpty();
    }
}
