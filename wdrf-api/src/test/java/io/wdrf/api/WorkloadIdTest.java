package io.wdrf.api;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class WorkloadIdTest {

    @Test
    void equalityIsNamespaceAndNameAndAgreesWithOrderAndHash() {
        Random rnd = new Random(9);
        List<WorkloadId> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            // few distinct parts, built as new strings: equal ids are different objects with different part objects
            ids.add(new WorkloadId(new String(("ns" + rnd.nextInt(3)).toCharArray()),
                    new String(("w" + rnd.nextInt(4)).toCharArray())));
        }
        for (WorkloadId a : ids) {
            for (WorkloadId b : ids) {
                boolean same = a.namespace().equals(b.namespace()) && a.name().equals(b.name());
                assertThat(a.equals(b)).as(a + " vs " + b).isEqualTo(same);
                assertThat(a.compareTo(b) == 0).as(a + " vs " + b).isEqualTo(same);
                if (same) {
                    assertThat(a.hashCode()).isEqualTo(b.hashCode());
                }
            }
            assertThat(a.equals(a)).isTrue();
            assertThat(a.compareTo(a)).isZero();
            assertThat(a.equals(null)).isFalse();
            assertThat(a.equals(a.toString())).isFalse();
            // the same name in another namespace, and the same namespace with another name, are other ids
            assertThat(a.equals(new WorkloadId(a.namespace() + "x", a.name()))).isFalse();
            assertThat(a.equals(new WorkloadId(a.namespace(), a.name() + "x"))).isFalse();
        }
    }
}
