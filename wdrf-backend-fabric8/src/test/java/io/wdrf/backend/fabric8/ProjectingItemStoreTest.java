package io.wdrf.backend.fabric8;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.wdrf.api.WorkloadId;
import io.wdrf.backend.common.KubeProjector;
import io.wdrf.backend.common.ProjectedStore;
import io.wdrf.backend.common.ResourceKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The informer item store projects on put, keeps only key → resourceVersion, and hands out metadata stubs. */
class ProjectingItemStoreTest {

    private static GenericKubernetesResource workload(String name, String rv, int priority) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion("kueue.x-k8s.io/v1beta2");
        r.setKind("Workload");
        ObjectMeta m = new ObjectMeta();
        m.setName(name);
        m.setNamespace("ns");
        m.setUid("uid-" + name);
        m.setResourceVersion(rv);
        m.setCreationTimestamp("2026-11-24T00:00:00Z");
        m.setLabels(Map.of("app", "x"));
        r.setMetadata(m);
        r.setAdditionalProperty("spec", Map.of("priority", priority, "podSets", List.of(Map.of("name", "main",
                "count", 1, "template", Map.of("spec", Map.of("containers", List.of(Map.of("name", "c"))))))));
        return r;
    }

    @Test
    void projectsOnPutAndKeepsOnlyStubs() {
        ProjectedStore store = new ProjectedStore();
        AtomicInteger changes = new AtomicInteger();
        store.addChangeListener(changes::incrementAndGet);
        ProjectingItemStore items = new ProjectingItemStore(ResourceKind.WORKLOAD, "kueue.x-k8s.io/v1beta2",
                new KubeProjector(), store);
        GenericKubernetesResource w = workload("w", "5", 7);
        String key = items.getKey(w);
        assertThat(key).isEqualTo("ns/w");
        assertThat(items.put(key, w)).isNull();
        assertThat(store.workload(new WorkloadId("ns", "w")).priority()).isEqualTo(7);
        assertThat(store.workload(new WorkloadId("ns", "w")).labels()).containsEntry("app", "x");

        GenericKubernetesResource cached = items.get(key);
        assertThat(cached.getMetadata().getName()).isEqualTo("w");
        assertThat(cached.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("5");
        assertThat(cached.getAdditionalProperties()).as("no spec/status retained").isEmpty();
        assertThat(items.isFullState()).isFalse();

        // same resourceVersion: not re-projected; new one: projected, previous stub returned
        assertThat(items.put(key, workload("w", "5", 99)).getMetadata().getResourceVersion()).isEqualTo("5");
        assertThat(store.workload(new WorkloadId("ns", "w")).priority()).isEqualTo(7);
        items.put(key, workload("w", "6", 8));
        assertThat(store.workload(new WorkloadId("ns", "w")).priority()).isEqualTo(8);
        assertThat(items.size()).isEqualTo(1);
        assertThat(items.keySet()).containsExactly("ns/w");

        assertThat(items.remove(key).getMetadata().getResourceVersion()).isEqualTo("6");
        assertThat(store.workload(new WorkloadId("ns", "w"))).isNull();
        assertThat(items.remove(key)).isNull();
        assertThat(changes.get()).isEqualTo(3);
    }

    @Test
    void clusterScopedKeysHaveNoNamespace() {
        ProjectedStore store = new ProjectedStore();
        ProjectingItemStore items = new ProjectingItemStore(ResourceKind.NODE, "v1", new KubeProjector(), store);
        GenericKubernetesResource n = new GenericKubernetesResource();
        ObjectMeta m = new ObjectMeta();
        m.setName("n1");
        m.setResourceVersion("1");
        n.setMetadata(m);
        assertThat(items.getKey(n)).isEqualTo("n1");
        items.put("n1", n);
        assertThat(store.snapshot(java.time.Clock.systemUTC()).nodes()).singleElement()
                .satisfies(x -> assertThat(x.name()).isEqualTo("n1"));
        items.remove("n1");
        assertThat(store.snapshot(java.time.Clock.systemUTC()).nodes()).isEmpty();
    }
}
