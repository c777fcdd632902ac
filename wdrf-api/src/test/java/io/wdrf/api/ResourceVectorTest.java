package io.wdrf.api;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResourceVectorTest {

    /** A Sum equals the fold of plus in the same order, bit for bit, and never changes a result it returned. */
    @Test
    void aSumEqualsFoldingPlusInOrder() {
        Random rnd = new Random(5);
        String[] names = {"cpu", "memory", "nvidia.com/gpu", "ephemeral-storage"};
        for (int round = 0; round < 500; round++) {
            ResourceVector.Sum sum = new ResourceVector.Sum();
            ResourceVector folded = ResourceVector.empty();
            ResourceVector shape = null;
            List<ResourceVector> results = new java.util.ArrayList<>();
            List<ResourceVector> expected = new java.util.ArrayList<>();
            int n = rnd.nextInt(12);
            for (int k = 0; k < n; k++) {
                ResourceVector v;
                if (shape != null && rnd.nextInt(3) > 0) {
                    v = shape.times(rnd.nextDouble() * 3 + 0.1); // the same resources (added in place)
                } else {
                    Map<String, Double> m = new HashMap<>();
                    for (String r : names) {
                        if (rnd.nextBoolean()) {
                            m.put(r, rnd.nextInt(4) == 0 ? 0.0 : rnd.nextDouble() * 1e3 / 7);
                        }
                    }
                    v = ResourceVector.of(m);
                    shape = v;
                }
                sum.add(v);
                folded = folded.plus(v);
                if (rnd.nextInt(3) == 0) { // a result taken midway stays what it was
                    results.add(sum.result());
                    expected.add(folded);
                }
            }
            assertThat(sum.result()).isEqualTo(folded);
            for (String r : names) {
                assertThat(Double.doubleToRawLongBits(sum.result().get(r))).isEqualTo(Double.doubleToRawLongBits(folded.get(r)));
            }
            assertThat(results).isEqualTo(expected);
        }
        assertThat(new ResourceVector.Sum().result()).isEqualTo(ResourceVector.empty());
    }

    @Test
    void arithmeticIsElementWiseAndDropsZeros() {
        ResourceVector a = ResourceVector.of(Map.of("cpu", 2.0, "memory", 4.0));
        ResourceVector b = ResourceVector.of(Map.of("cpu", 1.0, "gpu", 1.0));
        assertThat(a.plus(b).asMap()).containsExactly(Map.entry("cpu", 3.0), Map.entry("gpu", 1.0), Map.entry("memory", 4.0));
        assertThat(a.minusFloorZero(b).asMap()).containsExactly(Map.entry("cpu", 1.0), Map.entry("memory", 4.0));
        assertThat(b.minusFloorZero(a).asMap()).containsExactly(Map.entry("gpu", 1.0));
        assertThat(a.max(b).get("cpu")).isEqualTo(2.0);
        assertThat(a.times(0.5).get("memory")).isEqualTo(2.0);
        assertThat(a.times(0)).isEqualTo(ResourceVector.empty());
        assertThat(a.get("absent")).isZero();
        assertThat(ResourceVector.of(Map.of("x", 0.0)).isEmpty()).isTrue();
        assertThat(a.without("cpu").resources()).containsExactly("memory");
        assertThat(a.with("cpu", 0).resources()).containsExactly("memory");
    }

    @Test
    void rejectsNegativeAndNonFinite() {
        assertThatThrownBy(() -> ResourceVector.of("cpu", -1)).hasMessageContaining("cpu");
        assertThatThrownBy(() -> ResourceVector.of("cpu", Double.NaN)).hasMessageContaining("cpu");
        assertThatThrownBy(() -> ResourceVector.of("cpu", Double.POSITIVE_INFINITY)).hasMessageContaining("cpu");
    }

    @Test
    void equalityAndOrderIgnoreInsertionOrder() {
        Random rnd = new Random(7);
        for (int i = 0; i < 200; i++) {
            List<String> names = new java.util.ArrayList<>(List.of("a", "b", "c", "d", "e"));
            java.util.Collections.shuffle(names, rnd);
            Map<String, Double> m1 = new HashMap<>();
            Map<String, Double> m2 = new java.util.LinkedHashMap<>();
            for (String n : names) {
                m1.put(n, (double) n.charAt(0));
            }
            java.util.Collections.reverse(names);
            for (String n : names) {
                m2.put(n, (double) n.charAt(0));
            }
            ResourceVector v1 = ResourceVector.of(m1);
            ResourceVector v2 = ResourceVector.of(m2);
            assertThat(v1).isEqualTo(v2).hasSameHashCodeAs(v2);
            assertThat(v1.resources()).containsExactly("a", "b", "c", "d", "e");
        }
    }

    @Test
    void fitsIn() {
        ResourceVector small = ResourceVector.of(Map.of("cpu", 1.0));
        ResourceVector big = ResourceVector.of(Map.of("cpu", 2.0, "memory", 1.0));
        assertThat(small.fitsIn(big)).isTrue();
        assertThat(big.fitsIn(small)).isFalse();
    }
}
