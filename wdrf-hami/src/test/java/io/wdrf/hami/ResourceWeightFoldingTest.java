package io.wdrf.hami;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 10 item 2: the seed's RESOURCE_WEIGHTS under HAMi accounting. */
class ResourceWeightFoldingTest {

    @Test
    void seedWeightsFoldIntoTheFractionResourceAndEveryFoldIsReported() {
        Map<String, Double> seed = Map.of("cpu", 1.0, "memory", 1.0, "nvidia.com/gpu", 10.0,
                "nvidia.com/gpucores", 0.1, "nvidia.com/gpumem-percentage", 0.1);
        HamiConfig.FoldedWeights f = HamiConfig.defaults().foldResourceWeights(seed);
        assertThat(f.effective()).containsExactlyInAnyOrderEntriesOf(Map.of("cpu", 1.0, "memory", 1.0,
                "hami.io/gpu", 10.0));
        assertThat(f.notes()).hasSize(3);
        assertThat(f.notes()).anySatisfy(n -> assertThat(n)
                .isEqualTo("resource weight nvidia.com/gpu=10 applies to hami.io/gpu (physical GPU cards under HAMi accounting)"));
        assertThat(f.notes()).anySatisfy(n -> assertThat(n).startsWith("resource weight nvidia.com/gpucores=0.1 is folded into hami.io/gpu")
                .endsWith("effective hami.io/gpu weight 10 (from nvidia.com/gpu)"));
        assertThat(f.notes()).anySatisfy(n -> assertThat(n).startsWith("resource weight nvidia.com/gpumem-percentage=0.1 is folded"));
    }

    @Test
    void anExplicitFractionWeightWinsAndTheCountWeightIsReportedUnused() {
        HamiConfig.FoldedWeights f = HamiConfig.defaults().foldResourceWeights(Map.of("hami.io/gpu", 2.0,
                "nvidia.com/gpu", 10.0));
        assertThat(f.effective()).containsExactlyEntriesOf(Map.of("hami.io/gpu", 2.0));
        assertThat(f.notes()).singleElement().asString().contains("nvidia.com/gpu=10 is not used")
                .contains("hami.io/gpu weight 2 (given for hami.io/gpu)");
    }

    @Test
    void weightsWithoutVendorResourcesAreUnchangedAndSilent() {
        HamiConfig.FoldedWeights f = HamiConfig.defaults().foldResourceWeights(Map.of("cpu", 0.5));
        assertThat(f.effective()).containsExactlyEntriesOf(Map.of("cpu", 0.5));
        assertThat(f.notes()).isEmpty();
    }
}
