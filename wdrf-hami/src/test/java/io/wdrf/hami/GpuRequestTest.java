package io.wdrf.hami;

import io.wdrf.api.ContainerKind;
import io.wdrf.api.ContainerSpec;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;

import static io.wdrf.hami.Fx.limits;
import static io.wdrf.hami.Fx.m;
import static io.wdrf.hami.Fx.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GpuRequestTest {

    private static final HamiConfig NV = HamiConfig.defaults();
    private static final String P = "spec.podSets[0].template.spec.containers[train].resources";
    private static final DoubleSupplier CARD_16G = () -> 16384.0;
    private static final DoubleSupplier NO_CARD = () -> {
        throw new AssertionError("card memory must not be needed");
    };

    private static GpuRequest dec(ContainerSpec c) {
        return GpuRequest.decode(c, NV, P);
    }

    private static GpuRequest dec(HamiConfig cfg, ContainerSpec c) {
        return GpuRequest.decode(c, cfg, P);
    }

    private static double frac(HamiConfig cfg, ContainerSpec c, DoubleSupplier card) {
        return GpuRequest.decode(c, cfg, P).fraction(cfg, false, card);
    }

    @Test
    void chartDefaultsTableAfterWebhook() {
        // gpu: 1 -> exclusive card (cores 100, 100% memory)
        assertThat(dec(limits("c", "nvidia.com/gpu", "1"))).isEqualTo(new GpuRequest(1, 0, 101, 100));
        assertThat(frac(NV, limits("c", "nvidia.com/gpu", "1"), NO_CARD)).isEqualTo(1.0);
        // gpu: 1, gpumem: 3000 -> shared, cores 0
        assertThat(dec(limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpumem", "3000"))).isEqualTo(new GpuRequest(1, 3000, 101, 0));
        assertThat(frac(NV, limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpumem", "3000"), CARD_16G)).isCloseTo(3000 / 16384.0, within(1e-12));
        // gpu: 1, gpumem: 3000, gpucores: 30 -> max(0.183, 0.30)
        assertThat(frac(NV, limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpumem", "3000", "nvidia.com/gpucores", "30"), CARD_16G)).isEqualTo(0.30);
        // gpu: 2, pct 50, cores 30 -> two cards at 0.5
        assertThat(dec(limits("c", "nvidia.com/gpu", "2", "nvidia.com/gpumem-percentage", "50", "nvidia.com/gpucores", "30")))
                .isEqualTo(new GpuRequest(2, 0, 50, 30));
        assertThat(frac(NV, limits("c", "nvidia.com/gpu", "2", "nvidia.com/gpumem-percentage", "50", "nvidia.com/gpucores", "30"), NO_CARD)).isEqualTo(1.0);
        // gpu: 2, pct 100 -> exclusive on two cards
        assertThat(dec(limits("c", "nvidia.com/gpu", "2", "nvidia.com/gpumem-percentage", "100"))).isEqualTo(new GpuRequest(2, 0, 100, 100));
        // gpumem: 1024 alone -> webhook adds gpu: 1, stays shareable
        assertThat(dec(limits("c", "nvidia.com/gpumem", "1024"))).isEqualTo(new GpuRequest(1, 1024, 101, 0));
        assertThat(frac(NV, limits("c", "nvidia.com/gpumem", "1024"), CARD_16G)).isEqualTo(1024 / 16384.0);
    }

    @Test
    void webhookAddsCountForPercentageOrCoresOnly() {
        assertThat(dec(limits("c", "nvidia.com/gpumem-percentage", "50"))).isEqualTo(new GpuRequest(1, 0, 50, 0));
        // percentage 100 alone -> count added, then exclusive
        assertThat(dec(limits("c", "nvidia.com/gpumem-percentage", "100"))).isEqualTo(new GpuRequest(1, 0, 100, 100));
        // cores only: count added; no memory given -> 100% memory -> whole card
        assertThat(dec(limits("c", "nvidia.com/gpucores", "40"))).isEqualTo(new GpuRequest(1, 0, 101, 40));
        assertThat(frac(NV, limits("c", "nvidia.com/gpucores", "40"), NO_CARD)).isEqualTo(1.0);
        // defaultGpuNum configurable; 0 disables the defaulting -> no GPU request at all
        HamiConfig two = NV.toBuilder().defaultGpuNum(2).build();
        assertThat(dec(two, limits("c", "nvidia.com/gpumem-percentage", "25")).cards()).isEqualTo(2);
        HamiConfig none = NV.toBuilder().defaultGpuNum(0).build();
        assertThat(dec(none, limits("c", "nvidia.com/gpumem", "1024"))).isEqualTo(GpuRequest.NONE);
        // no GPU resource at all, and explicit gpu: 0
        assertThat(dec(limits("c", "cpu", "2"))).isEqualTo(GpuRequest.NONE);
        assertThat(dec(limits("c", "nvidia.com/gpu", "0", "nvidia.com/gpumem", "10"))).isEqualTo(GpuRequest.NONE);
    }

    @Test
    void exclusiveDefaultingFollowsWebhookRuleAndCanBeTurnedOff() {
        // gpumem present, cores absent -> not exclusive
        assertThat(dec(limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpumem", "8192")).cores()).isZero();
        // percentage 50 -> not exclusive
        assertThat(dec(limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "50")).cores()).isZero();
        // explicit cores win over the exclusive default
        assertThat(dec(limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpucores", "10")).cores()).isEqualTo(10);
        // pre-v2.7 HAMi: no exclusive default; a count-only request still books 100% memory = one card
        HamiConfig old = NV.toBuilder().exclusiveDefaulting(false).build();
        assertThat(dec(old, limits("c", "nvidia.com/gpu", "1"))).isEqualTo(new GpuRequest(1, 0, 101, 0));
        assertThat(frac(old, limits("c", "nvidia.com/gpu", "1"), NO_CARD)).isEqualTo(1.0);
        // vendor without a memory resource: count-only is exclusive only via the rule "no percentage and no memory name"
        HamiVendor noMem = HamiVendor.NVIDIA.toBuilder().memoryResource("").build();
        HamiConfig cfg = HamiConfig.builder(noMem).build();
        assertThat(dec(cfg, limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpumem", "1000")).cores()).isEqualTo(100);
    }

    @Test
    void limitsBeforeRequests() {
        ContainerSpec c = new ContainerSpec("c", ContainerKind.APP,
                m("nvidia.com/gpu", "1", "nvidia.com/gpumem", "16Gi"),
                m("nvidia.com/gpu", "2", "nvidia.com/gpumem", "1000"));
        assertThat(dec(c)).isEqualTo(new GpuRequest(2, 1000, 101, 0));
        // requests are the fallback
        assertThat(dec(requests("c", "nvidia.com/gpu", "3", "nvidia.com/gpumem-percentage", "20"))).isEqualTo(new GpuRequest(3, 0, 20, 0));
        // mixed: count from limits, memory from requests
        ContainerSpec mixed = new ContainerSpec("c", ContainerKind.APP, m("nvidia.com/gpumem", "2000"), m("nvidia.com/gpu", "1"));
        assertThat(dec(mixed)).isEqualTo(new GpuRequest(1, 2000, 101, 0));
    }

    @Test
    void percentageClampingAndUnset() {
        // <= 0 is unset -> whole card memory; not the "percentage 100" exclusive rule
        assertThat(dec(limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "0"))).isEqualTo(new GpuRequest(1, 0, 101, 0));
        assertThat(dec(limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "-5"))).isEqualTo(new GpuRequest(1, 0, 101, 0));
        assertThat(frac(NV, limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "0"), NO_CARD)).isEqualTo(1.0);
        // > 100 clamped to 100
        assertThat(dec(limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "150")).memoryPercent()).isEqualTo(100);
        assertThat(dec(limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "1")).memoryPercent()).isEqualTo(1);
        // a percentage that is not an integer is an error
        assertThatThrownBy(() -> dec(limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "50.5")))
                .hasMessage(P + ".limits.nvidia.com/gpumem-percentage: '50.5' is not an integer percentage in int32 range"
                        + " (HAMi ignores the GPU request of this container)");
    }

    @Test
    void coresClampedAndNegativeRejected() {
        assertThat(dec(limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpucores", "120")).cores()).isEqualTo(100);
        assertThat(frac(NV, limits("c", "nvidia.com/gpu", "3", "nvidia.com/gpumem", "10", "nvidia.com/gpucores", "120"), CARD_16G)).isEqualTo(3.0);
        assertThatThrownBy(() -> dec(limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpucores", "-1")))
                .hasMessage(P + ".limits.nvidia.com/gpucores: '-1' is a negative core percentage (HAMi ignores the GPU request of this container)");
    }

    @Test
    void gpumemMustBeIntegerMiB() {
        assertThatThrownBy(() -> dec(limits("train", "nvidia.com/gpu", "1", "nvidia.com/gpumem", "16Gi")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("spec.podSets[0].template.spec.containers[train].resources.limits.nvidia.com/gpumem: "
                        + "'16Gi' is not an integer MiB (HAMi ignores the GPU request of this container)");
        for (String bad : new String[]{"16.0Gi", "1.5", "1k", "2e3", "-5", "", "abc"}) {
            assertThatThrownBy(() -> dec(limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpumem", bad)))
                    .as(bad).hasMessageContaining("'" + bad + "' is not an integer MiB");
        }
        assertThatThrownBy(() -> dec(requests("c", "nvidia.com/gpumem", "8Gi")))
                .hasMessageStartingWith(P + ".requests.nvidia.com/gpumem: '8Gi'");
        // + sign accepted, as Go's integer parsing does
        assertThat(dec(limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpumem", "+2048")).memoryMiB()).isEqualTo(2048);
        // range: int32 / memoryFactor
        HamiConfig f2 = NV.toBuilder().memoryFactor(2).build();
        assertThatThrownBy(() -> dec(f2, limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpumem", "1073741824")))
                .hasMessageContaining("'1073741824' exceeds 1073741823 (int32 / memoryFactor 2)");
        // gpumem 0 is "not given": whole card, and not exclusive (memory key present)
        assertThat(dec(limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpumem", "0"))).isEqualTo(new GpuRequest(1, 0, 101, 0));
    }

    @Test
    void badCardCounts() {
        assertThatThrownBy(() -> dec(limits("c", "nvidia.com/gpu", "1.5")))
                .hasMessage(P + ".limits.nvidia.com/gpu: '1.5' is not an integer card count in int32 range (HAMi ignores the GPU request of this container)");
        assertThatThrownBy(() -> dec(limits("c", "nvidia.com/gpu", "500m"))).hasMessageContaining("'500m' is not an integer card count");
        assertThatThrownBy(() -> dec(limits("c", "nvidia.com/gpu", "-1"))).hasMessageContaining("'-1' is a negative card count");
        assertThatThrownBy(() -> dec(limits("c", "nvidia.com/gpu", "two")))
                .hasMessageStartingWith(P + ".limits.nvidia.com/gpu: quantity 'two'");
    }

    @Test
    void configurableDefaultsMemoryFactorAndSlotFloor() {
        // memoryFactor multiplies gpumem
        HamiConfig f4 = NV.toBuilder().memoryFactor(4).build();
        assertThat(dec(f4, limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpumem", "1000")).memoryMiB()).isEqualTo(4000);
        assertThat(frac(f4, limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpumem", "1000"), CARD_16G)).isEqualTo(4000 / 16384.0);
        // defaultMemory applies when neither memory nor percentage is given (old HAMi; new HAMi makes it exclusive)
        HamiConfig dm = NV.toBuilder().defaultMemoryMiB(4096).exclusiveDefaulting(false).build();
        assertThat(frac(dm, limits("c", "nvidia.com/gpu", "2"), CARD_16G)).isEqualTo(0.5);
        assertThat(frac(dm.toBuilder().defaultCores(40).build(), limits("c", "nvidia.com/gpu", "1"), CARD_16G)).isEqualTo(0.4);
        // defaultMemory is not used when a percentage is set
        assertThat(frac(dm, limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpumem-percentage", "10"), NO_CARD)).isEqualTo(0.1);
        // slot floor: a tiny slice costs at least 1/splitCount
        HamiConfig floor = NV.toBuilder().slotFloor(true).splitCount(8).build();
        assertThat(frac(floor, limits("c", "nvidia.com/gpu", "2", "nvidia.com/gpumem", "512"), CARD_16G)).isEqualTo(2 * 0.125);
        assertThat(frac(NV, limits("c", "nvidia.com/gpu", "2", "nvidia.com/gpumem", "512"), CARD_16G)).isEqualTo(2 * 512 / 16384.0);
    }

    @Test
    void memoryWinsOverPercentageAndIsCappedAtOneCard() {
        assertThat(frac(NV, limits("c", "nvidia.com/gpu", "1", "nvidia.com/gpumem", "2048", "nvidia.com/gpumem-percentage", "90"), CARD_16G))
                .isEqualTo(0.125);
        assertThat(frac(NV, limits("c", "nvidia.com/gpu", "2", "nvidia.com/gpumem", "40000"), CARD_16G)).isEqualTo(2.0);
        // mutex policy books whole cards
        assertThat(GpuRequest.decode(limits("c", "nvidia.com/gpu", "2", "nvidia.com/gpumem", "100"), NV, P)
                .fraction(NV, true, NO_CARD)).isEqualTo(2.0);
    }

    @Test
    void otherVendors() {
        // Hygon DCU preset: cores default 100 -> whole cards unless cores are given
        HamiConfig dcu = HamiConfig.builder(HamiVendor.HYGON_DCU).build();
        assertThat(dec(dcu, limits("c", "hygon.com/dcunum", "1", "hygon.com/dcumem", "4096"))).isEqualTo(new GpuRequest(1, 4096, 101, 100));
        assertThat(frac(dcu, limits("c", "hygon.com/dcunum", "1", "hygon.com/dcumem", "4096", "hygon.com/dcucores", "10"), CARD_16G)).isEqualTo(0.25);
        assertThat(dec(dcu, limits("c", "nvidia.com/gpu", "1"))).isEqualTo(GpuRequest.NONE);
        assertThatThrownBy(() -> dec(dcu, limits("c", "hygon.com/dcunum", "1", "hygon.com/dcumem", "4Gi")))
                .hasMessageContaining(".limits.hygon.com/dcumem: '4Gi' is not an integer MiB");
        // Cambricon-style names with memory in units of 256 MiB
        HamiVendor mlu = HamiVendor.builder("cambricon").countResource("cambricon.com/vmlu")
                .memoryResource("cambricon.com/mlu.smlu.vmemory").coreResource("cambricon.com/mlu.smlu.vcore")
                .memoryUnitMiB(256).registerAnnotation("example.com/mlu-register")
                .allocatedAnnotation("hami.io/cambricon-mlu-devices-allocated").defaultCores(100).build();
        HamiConfig mc = HamiConfig.builder(mlu).build();
        assertThat(dec(mc, limits("c", "cambricon.com/vmlu", "1", "cambricon.com/mlu.smlu.vmemory", "8",
                "cambricon.com/mlu.smlu.vcore", "10"))).isEqualTo(new GpuRequest(1, 2048, 101, 10));
        assertThatThrownBy(() -> dec(mc, limits("c", "cambricon.com/vmlu", "1", "cambricon.com/mlu.smlu.vmemory", "2Gi")))
                .hasMessageContaining("'2Gi' is not an integer unit of 256 MiB");
    }

    @Test
    void randomRequestsRespectBounds() {
        Random rnd = new Random(7);
        String[] names = {"nvidia.com/gpu", "nvidia.com/gpumem", "nvidia.com/gpumem-percentage", "nvidia.com/gpucores"};
        for (int i = 0; i < 2000; i++) {
            Map<String, String> lim = new java.util.TreeMap<>();
            if (rnd.nextBoolean()) lim.put(names[0], String.valueOf(rnd.nextInt(5)));
            if (rnd.nextBoolean()) lim.put(names[1], String.valueOf(rnd.nextInt(40000)));
            if (rnd.nextBoolean()) lim.put(names[2], String.valueOf(rnd.nextInt(260) - 50));
            if (rnd.nextBoolean()) lim.put(names[3], String.valueOf(rnd.nextInt(200)));
            ContainerSpec c = new ContainerSpec("c", ContainerKind.APP, Map.of(), lim);
            GpuRequest r = dec(c);
            double f = r.fraction(NV, false, CARD_16G);
            // never more than one card per requested card, never negative, zero exactly when no card
            assertThat(f).isBetween(0.0, (double) r.cards());
            assertThat(f == 0.0).isEqualTo(r.cards() == 0);
            assertThat(r.cores()).isBetween(0, 100);
            // doubling the card count doubles the fraction
            if (lim.containsKey(names[0]) && r.cards() > 0) {
                Map<String, String> twice = new java.util.TreeMap<>(lim);
                twice.put(names[0], String.valueOf(2 * r.cards()));
                assertThat(dec(new ContainerSpec("c", ContainerKind.APP, Map.of(), twice)).fraction(NV, false, CARD_16G))
                        .isCloseTo(2 * f, within(1e-12));
            }
            // a bigger card never increases the fraction
            assertThat(r.fraction(NV, false, () -> 81920.0)).isLessThanOrEqualTo(f + 1e-12);
        }
    }
}
