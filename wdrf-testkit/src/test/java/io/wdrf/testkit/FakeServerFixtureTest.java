package io.wdrf.testkit;

import io.wdrf.api.ClusterSnapshot;
import io.wdrf.api.ClusterView;
import io.wdrf.api.PriorityUpdate;
import io.wdrf.api.PriorityWriter;
import io.wdrf.api.WorkloadId;
import io.wdrf.api.WriteResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class FakeServerFixtureTest {

    /** A backend that is both view and writer and counts how often it is built and closed. */
    static final class Both implements ClusterView, PriorityWriter {
        static final AtomicInteger BUILT = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();

        Both() {
            BUILT.incrementAndGet();
        }

        @Override
        public ClusterSnapshot snapshot() {
            return ClusterSnapshot.builder(Instant.EPOCH).build();
        }

        @Override
        public AutoCloseable addChangeListener(Runnable listener) {
            return () -> { };
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }

        @Override
        public WriteResult apply(List<PriorityUpdate> updates) {
            return new WriteResult(List.of());
        }
    }

    @Test
    void ofBuildsOneBackendForViewAndWriterAndClosesItOnce() {
        int before = Both.BUILT.get();
        FakeServerFixture f = FakeServerFixture.of(url -> new Both());
        assertThat(f.url()).startsWith("http://127.0.0.1:");
        Both b = (Both) f.writer();
        assertThat(f.view()).isSameAs(b);
        assertThat(Both.BUILT.get() - before).isEqualTo(1);
        f.close();
        assertThat(b.closed.get()).isEqualTo(1);
    }

    @Test
    void writesRecordsInTheNewestServedVersionAndReadsThemBack() {
        FakeServerFixture f = FakeServerFixture.of(url -> new Both());
        try {
            FakeKubeApiServer server = f.fakeServer().orElseThrow();
            server.serveKueueVersions("v1beta1");
            assertThat(f.kueueVersion()).isEqualTo("v1beta1");
            KitScenario.upsertAll(f);
            Map<String, Object> cq = server.get("/apis/kueue.x-k8s.io/v1beta1/clusterqueues/cq-main").orElseThrow();
            assertThat(Json.str(cq, "spec", "cohort")).isEqualTo("pool");
            WorkloadId id = KitScenario.ADMITTED.id();
            assertThat(f.serverPriority(id)).isEqualTo(5);
            f.setPriorityExternally(id, 9);
            assertThat(f.serverPriority(id)).isEqualTo(9);
            assertThat(Json.at(server.get("/apis/kueue.x-k8s.io/v1beta2/namespaces/team-b/workloads/serve-admitted")
                    .orElseThrow(), "status", "admission", "clusterQueue")).as("status kept").isEqualTo("cq-main");
            f.setPriorityExternally(id, null);
            assertThat(f.serverPriority(id)).isNull();
            assertThat(f.serverAnnotation(KitScenario.PENDING.id(), "kueue.x-k8s.io/priority-boost")).isEqualTo("3");
            assertThat(f.serverAnnotation(new WorkloadId("x", "y"), "a")).isNull();
            f.deleteWorkload(id);
            assertThat(f.serverPriority(id)).isNull();
            assertThat(server.list("/api/v1/nodes")).hasSize(2);
            assertThat(server.list("/api/v1/pods")).hasSize(1);
        } finally {
            f.close();
        }
    }
}
