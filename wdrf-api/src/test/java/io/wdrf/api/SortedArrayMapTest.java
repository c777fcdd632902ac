package io.wdrf.api;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SortedArrayMapTest {

    @Test
    void behavesLikeAnUnmodifiableTreeMap() {
        Random rnd = new Random(3);
        for (int i = 0; i < 500; i++) {
            Map<String, String> source = new HashMap<>();
            for (int k = rnd.nextInt(12); k > 0; k--) {
                source.put("k" + rnd.nextInt(30), "v" + rnd.nextInt(5));
            }
            Map<String, String> copy = SortedArrayMap.copyOf(source);
            TreeMap<String, String> expected = new TreeMap<>(source);
            assertThat(copy).isEqualTo(expected).isEqualTo(source).hasSameHashCodeAs(expected);
            assertThat(copy.keySet()).containsExactlyElementsOf(expected.keySet());
            assertThat(copy.get("k5")).isEqualTo(expected.get("k5"));
            assertThat(copy.containsKey("absent")).isFalse();
            assertThat(copy.get(42)).isNull();
            assertThatThrownBy(() -> copy.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void rejectsNullValues() {
        Map<String, String> m = new HashMap<>();
        m.put("a", null);
        assertThatThrownBy(() -> SortedArrayMap.copyOf(m)).hasMessageContaining("key a");
    }
}
