package io.wdrf.api;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SortedArraySetTest {

    @Test
    void behavesLikeAnUnmodifiableTreeSet() {
        Random rnd = new Random(5);
        for (int i = 0; i < 500; i++) {
            Set<String> source = new HashSet<>();
            for (int k = rnd.nextInt(8); k > 0; k--) {
                source.add("c" + rnd.nextInt(12));
            }
            Set<String> copy = SortedArraySet.copyOf(source);
            TreeSet<String> expected = new TreeSet<>(source);
            assertThat(copy).isEqualTo(expected).isEqualTo(source).hasSameHashCodeAs(expected);
            assertThat(copy).containsExactlyElementsOf(expected); // ascending, as the TreeSet
            assertThat(copy.toString()).isEqualTo(expected.toString());
            String probe = "c" + rnd.nextInt(12);
            // an equal string that is not the same object: found by equality, not only by reference
            assertThat(copy.contains(new String(probe.toCharArray()))).isEqualTo(expected.contains(probe));
            assertThat(copy.contains(7)).isFalse();
            assertThat(copy.contains(null)).isFalse();
            assertThat(SortedArraySet.copyOf(copy)).isSameAs(copy);
            assertThatThrownBy(() -> copy.add("x")).isInstanceOf(UnsupportedOperationException.class);
            if (!copy.isEmpty()) {
                Iterator<String> it = copy.iterator();
                it.next();
                assertThatThrownBy(it::remove).isInstanceOf(UnsupportedOperationException.class);
                assertThatThrownBy(copy::clear).isInstanceOf(UnsupportedOperationException.class);
            }
        }
    }

    @Test
    void rejectsNullElements() {
        Set<String> s = new HashSet<>();
        s.add(null);
        s.add("a");
        assertThatThrownBy(() -> SortedArraySet.copyOf(s)).hasMessageContaining("set element");
    }

    @Test
    void aWorkloadsConditionsDecideItsPhaseByEqualityAndAreNotShared() {
        Set<String> conditions = new HashSet<>(Set.of(new String(Workload.QUOTA_RESERVED.toCharArray()), "Admitted"));
        Workload w = Workload.builder("ns", "w", Instant.EPOCH).trueConditions(conditions).build();
        conditions.add(Workload.FINISHED); // the record holds a copy
        assertThat(w.phase()).isEqualTo(Phase.ADMITTED);
        assertThat(w.trueConditions()).containsExactly("Admitted", "QuotaReserved");
        Workload rebuilt = w.toBuilder().build();
        assertThat(rebuilt).isEqualTo(w).hasSameHashCodeAs(w);
        assertThat(rebuilt.trueConditions()).isEqualTo(Set.of("QuotaReserved", "Admitted"));
    }
}
