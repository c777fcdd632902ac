package io.wdrf.engine;

import io.wdrf.api.Admission;
import io.wdrf.api.ContainerKind;
import io.wdrf.api.Node;
import io.wdrf.api.PodSet;
import io.wdrf.api.PodSetAssignment;
import io.wdrf.api.ResourceVector;
import io.wdrf.api.Workload;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.wdrf.engine.Fixtures.T0;
import static io.wdrf.engine.Fixtures.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KueueDemandModelTest {

    private final KueueDemandModel model = new KueueDemandModel();

    private static Workload wl(PodSet... sets) {
        return Workload.builder("ns", "w", T0).podSets(List.of(sets)).build();
    }

    @Test
    void missingRequestDefaultsToLimit() {
        PodSet ps = new PodSet("main", 1, null, List.of(container("c", ContainerKind.APP, Map.of("cpu", "1"),
                Map.of("cpu", "4", "memory", "2Gi"))), null, null, null);
        ResourceVector d = model.workloadDemand(wl(ps));
        assertThat(d.get("cpu")).isEqualTo(1.0);
        assertThat(d.get("memory")).isEqualTo(2.0 * (1L << 30));
    }

    @Test
    void podRequestIsMaxOfAppSumAndInitMaxPlusOverheadTimesCount() {
        PodSet ps = new PodSet("main", 3, null, List.of(
                container("init-big", ContainerKind.INIT, Map.of("cpu", "5"), Map.of()),
                container("a", ContainerKind.APP, Map.of("cpu", "1", "memory", "1Gi"), Map.of()),
                container("b", ContainerKind.APP, Map.of("cpu", "2", "memory", "1Gi"), Map.of())),
                Map.of("cpu", "100m"), null, null);
        ResourceVector d = model.workloadDemand(wl(ps));
        assertThat(d.get("cpu")).isEqualTo(3 * (5 + 0.1), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(d.get("memory")).isEqualTo(3 * 2.0 * (1L << 30));
    }

    @Test
    void sidecarsAddToAppsAndToLaterInitContainers() {
        // sidecar 1 cpu, then init 2 cpu (runs beside the sidecar: 3), app 1 cpu (+ sidecar: 2) -> pod = 3
        PodSet ps = new PodSet("main", 1, null, List.of(
                container("side", ContainerKind.SIDECAR, Map.of("cpu", "1"), Map.of()),
                container("init", ContainerKind.INIT, Map.of("cpu", "2"), Map.of()),
                container("app", ContainerKind.APP, Map.of("cpu", "1"), Map.of())), null, null, null);
        assertThat(model.workloadDemand(wl(ps)).get("cpu")).isEqualTo(3.0);
        // an init container before the sidecar does not run beside it
        PodSet ps2 = new PodSet("main", 1, null, List.of(
                container("init", ContainerKind.INIT, Map.of("cpu", "2"), Map.of()),
                container("side", ContainerKind.SIDECAR, Map.of("cpu", "1"), Map.of()),
                container("app", ContainerKind.APP, Map.of("cpu", "1"), Map.of())), null, null, null);
        assertThat(model.workloadDemand(wl(ps2)).get("cpu")).isEqualTo(2.0);
    }

    @Test
    void sumsPodSets() {
        ResourceVector d = model.workloadDemand(wl(PodSet.of("driver", 1, Map.of("cpu", "1")), PodSet.of("workers", 4, Map.of("cpu", "2"))));
        assertThat(d.get("cpu")).isEqualTo(9.0);
    }

    @Test
    void admittedUsageComesFromAdmissionWhenPresent() {
        Workload w = wl(PodSet.of("main", 2, Map.of("cpu", "1"))).toBuilder()
                .condition(Workload.QUOTA_RESERVED, true)
                .admission(new Admission("cq", List.of(new PodSetAssignment("main", Map.of("cpu", "default"),
                        ResourceVector.of("cpu", 1.5), 1)))).build();
        assertThat(model.admittedUsage(w).get("cpu")).isEqualTo(1.5);
        Workload noAdmission = wl(PodSet.of("main", 2, Map.of("cpu", "1")));
        assertThat(model.admittedUsage(noAdmission).get("cpu")).isEqualTo(2.0);
    }

    @Test
    void malformedQuantityNamesFieldAndValue() {
        PodSet ps = new PodSet("main", 1, null, List.of(container("trainer", ContainerKind.APP, Map.of("cpu", "1x"), Map.of())),
                null, null, null);
        assertThatThrownBy(() -> model.workloadDemand(wl(ps)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spec.podSets[0].template.spec.containers[trainer].resources.requests.cpu")
                .hasMessageContaining("'1x'");
    }

    @Test
    void workloadWithoutPodSetsIsRejected() {
        assertThatThrownBy(() -> model.workloadDemand(wl())).hasMessageContaining("spec.podSets");
    }

    @Test
    void excludedPrefixesAreDropped() {
        KueueDemandModel m = new KueueDemandModel(List.of("example.com/"));
        ResourceVector d = m.workloadDemand(wl(PodSet.of("main", 1, Map.of("cpu", "1", "example.com/foo", "3"))));
        assertThat(d.resources()).containsExactly("cpu");
    }

    @Test
    void nodeCapacityIsAllocatableAndReportsBadValues() {
        Node n = new Node("n1", Map.of(), Map.of(), Map.of("cpu", "64", "memory", "256Gi", "nvidia.com/gpu", "8"), true, false);
        assertThat(model.nodeCapacity(n).get("nvidia.com/gpu")).isEqualTo(8.0);
        Node bad = new Node("n2", Map.of(), Map.of(), Map.of("cpu", "lots"), true, false);
        assertThatThrownBy(() -> model.nodeCapacity(bad)).hasMessageContaining("status.allocatable.cpu");
    }
}
