package io.wdrf.sim.placement;

import io.wdrf.api.Node;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GpuNodesTest {

    /** A HAMi node with {@code cards} cards of 16 GiB, {@code slots} tasks each. */
    static Node node(String name, int cards, int slots) {
        StringBuilder reg = new StringBuilder("[");
        for (int c = 0; c < cards; c++) {
            reg.append(c > 0 ? "," : "").append("{\"id\":\"GPU-").append(name).append('-').append(c).append("\",\"index\":")
                    .append(c).append(",\"count\":").append(slots).append(",\"devmem\":16384,\"devcore\":100,\"type\":\"NVIDIA-T4\",\"health\":true}");
        }
        reg.append(']');
        return new Node(name, Map.of(), Map.of("hami.io/node-nvidia-register", reg.toString()),
                Map.of("cpu", "32", "memory", "128Gi", "nvidia.com/gpu", String.valueOf(cards * slots)), true, false);
    }

    static PodShape fraction(int pct) {
        return PodShape.of(Map.of("cpu", "1", "memory", "1Gi", "nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage",
                String.valueOf(pct), "nvidia.com/gpucores", String.valueOf(pct)));
    }

    static PodShape whole(int cards) {
        return PodShape.of(Map.of("cpu", "1", "memory", "1Gi", "nvidia.com/gpu", String.valueOf(cards)));
    }

    @Test
    void hamiDecodingOfRequests() {
        assertThat(whole(2)).isEqualTo(new PodShape(1000, 1024, 2, 100, 0, 100)); // webhook: exclusive cards
        assertThat(PodShape.of(Map.of("nvidia.com/gpu", "1", "nvidia.com/gpumem", "3000")))
                .isEqualTo(new PodShape(0, 0, 1, 0, 3000, 0)); // MiB, shareable, no compute reserved
        assertThat(PodShape.of(Map.of("nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "250", "nvidia.com/gpucores", "130")))
                .isEqualTo(new PodShape(0, 0, 1, 100, 0, 100)); // clamped to 100
        assertThat(PodShape.of(Map.of("cpu", "500m"))).isEqualTo(new PodShape(500, 0, 0, 0, 0, 0));
        assertThatThrownBy(() -> PodShape.of(Map.of("nvidia.com/gpu", "1", "nvidia.com/gpumem", "16Gi")))
                .hasMessageContaining("nvidia.com/gpumem").hasMessageContaining("16Gi");
    }

    @Test
    void binpackFillsTheUsedNodeAndCardSpreadTheEmptyOnes() {
        GpuNodes bin = GpuNodes.of(List.of(node("a", 2, 10), node("b", 2, 10)));
        GpuNodes.Booking first = bin.place(fraction(30), PlacementPolicy.BINPACK);
        assertThat(first.node()).isZero();
        GpuNodes.Booking second = bin.place(fraction(30), PlacementPolicy.BINPACK);
        assertThat(second.node()).isZero();
        assertThat(second.cards()).containsExactly(first.cards()); // the same, fullest card
        assertThat(bin.allocatedGpus()).isCloseTo(0.6, within(1e-12));

        GpuNodes spread = GpuNodes.of(List.of(node("a", 2, 10), node("b", 2, 10)));
        GpuNodes.Booking s1 = spread.place(fraction(30), PlacementPolicy.SPREAD);
        GpuNodes.Booking s2 = spread.place(fraction(30), PlacementPolicy.SPREAD);
        GpuNodes.Booking s3 = spread.place(fraction(30), PlacementPolicy.SPREAD);
        assertThat(List.of(s1.node(), s2.node(), s3.node())).containsExactly(0, 1, 0);
        assertThat(s3.cards()[0]).isNotEqualTo(s1.cards()[0]); // the emptier card of node a
    }

    @Test
    void cardsHoldWhatHamiFitAllowsAndReleaseRestoresThem() {
        GpuNodes g = GpuNodes.of(List.of(node("a", 2, 2)));
        GpuNodes.Booking x = g.place(fraction(60), PlacementPolicy.BINPACK);
        GpuNodes.Booking y = g.place(fraction(60), PlacementPolicy.BINPACK);
        assertThat(x.cards()[0]).isNotEqualTo(y.cards()[0]); // 0.4 left on the first card: the second goes elsewhere
        assertThat(g.place(fraction(60), PlacementPolicy.BINPACK)).isNull(); // 0.4 + 0.4 free, but on two cards
        assertThat(g.place(whole(1), PlacementPolicy.BINPACK)).isNull(); // exclusive needs an unused card
        GpuNodes.Booking small = g.place(fraction(40), PlacementPolicy.BINPACK);
        assertThat(small).isNotNull();
        assertThat(g.place(fraction(10), PlacementPolicy.BINPACK)).isNotNull(); // card 2: 0.4 left, 1 slot left
        assertThat(g.place(fraction(10), PlacementPolicy.BINPACK)).isNull(); // both cards: slots (2) exhausted
        g.release(x);
        g.release(small);
        assertThat(g.allocatedGpus()).isCloseTo(0.7, within(1e-12));
        assertThat(g.place(whole(1), PlacementPolicy.SPREAD)).isNotNull(); // the first card is unused again
        assertThat(g.placeableWhenEmpty(whole(3))).isFalse();
        assertThat(g.placeableWhenEmpty(whole(2))).isTrue();
        assertThatThrownBy(() -> g.place(whole(1), PlacementPolicy.NONE)).hasMessageContaining("none");
    }

    @Test
    void fragmentationIsTheFreeGpuTheTargetWorkloadCannotUse() {
        GpuNodes g = GpuNodes.of(List.of(node("a", 1, 10), node("b", 1, 10)));
        g.place(fraction(70), PlacementPolicy.BINPACK); // node a: 0.3 free; node b: 1.0 free
        g.targetWorkload(Map.of(fraction(50), 1L));
        assertThat(g.fragmentedGpus()).isCloseTo(0.3, within(1e-12)); // a's 0.3 cannot hold a half card
        g.targetWorkload(Map.of(fraction(20), 3L, whole(1), 1L));
        // 3/4 of the tasks (0.2) use everything; 1/4 (whole card) can use b but not a's 0.3
        assertThat(g.fragmentedGpus()).isCloseTo(0.25 * 0.3, within(1e-12));
        g.targetWorkload(Map.of(whole(2), 1L)); // fits no node: all free GPU is fragmented
        assertThat(g.fragmentedGpus()).isCloseTo(1.3, within(1e-12));
        g.place(fraction(30), PlacementPolicy.BINPACK); // fills a's card: the cache follows the change
        assertThat(g.fragmentedGpus()).isCloseTo(1.0, within(1e-12));
    }
}
