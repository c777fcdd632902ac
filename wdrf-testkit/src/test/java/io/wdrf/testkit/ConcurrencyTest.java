package io.wdrf.testkit;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Concurrent writers and watches: every committed write reaches every watch once, in resourceVersion order. */
class ConcurrencyTest {

    private static final String WL = "/apis/kueue.x-k8s.io/v1beta2/namespaces/ns/workloads";

    @Test
    void concurrentPatchesAreSerialisedAndWatchedInOrder() throws Exception {
        int objects = 20;
        int threads = 4;
        int patchesPerThread = 150;
        try (FakeKubeApiServer server = FakeKubeApiServer.start()) {
            for (int i = 0; i < objects; i++) {
                server.put(WL, Map.of("metadata", Map.of("name", "w" + i), "spec", Map.of("priority", -1)));
            }
            long startRv = server.resourceVersion();
            Http http = new Http(server.url());
            try (Http.Watch v2 = http.watch(WL + "?watch=true&resourceVersion=" + startRv);
                 Http.Watch v1 = http.watch("/apis/kueue.x-k8s.io/v1beta1/workloads?watch=true&resourceVersion=" + startRv)) {
                Eventually.await(java.time.Duration.ofSeconds(5), "two watches", () -> server.openWatches() == 2);
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                List<Future<Map<String, Integer>>> results = new ArrayList<>();
                long t0 = System.nanoTime();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        Random random = new Random(1000 + thread);
                        Http client = new Http(server.url());
                        Map<String, Integer> last = new HashMap<>();
                        for (int p = 0; p < patchesPerThread; p++) {
                            // each thread owns objects w{thread}, w{thread+threads}, ... so its last value is final
                            String name = "w" + (thread + threads * random.nextInt(objects / threads));
                            int value = thread * 100_000 + p;
                            assertThat(client.mergePatch(WL + "/" + name, "{\"spec\":{\"priority\":" + value + "}}")
                                    .status()).isEqualTo(200);
                            last.put(name, value);
                        }
                        return last;
                    }));
                }
                Map<String, Integer> expected = new HashMap<>();
                for (Future<Map<String, Integer>> f : results) {
                    expected.putAll(f.get(60, TimeUnit.SECONDS));
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                pool.shutdown();
                int writes = threads * patchesPerThread;
                assertThat(server.resourceVersion() - startRv).isEqualTo(writes);
                for (Http.Watch w : List.of(v2, v1)) {
                    long previous = startRv;
                    for (int i = 0; i < writes; i++) {
                        Map<String, Object> e = w.nextNonBookmark();
                        assertThat(e).containsEntry("type", "MODIFIED");
                        long rv = Long.parseLong(Json.str(FakeKubeApiServerTest.map(e.get("object")), "metadata",
                                "resourceVersion"));
                        assertThat(rv).isEqualTo(previous + 1);
                        previous = rv;
                    }
                }
                expected.forEach((name, value) -> assertThat(Json.at(server.get(WL + "/" + name).orElseThrow(),
                        "spec", "priority")).as(name).isEqualTo(value));
                System.out.printf("fake server: %d merge patches from %d threads in %.2f s (%.0f/s), each seen by 2 watches%n",
                        writes, threads, seconds, writes / seconds);
            }
        }
    }

    @Test
    void largeListsAndReplays() throws Exception {
        try (FakeKubeApiServer server = FakeKubeApiServer.start()) {
            int n = 5000;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                server.put(KueueObjects.GROUP, "v1beta2", "workloads", "ns" + (i % 10),
                        KueueObjects.workload(KitScenario.pending("ns" + (i % 10), "w" + i, "lq", "1")));
            }
            double putSeconds = (System.nanoTime() - t0) / 1e9;
            Http http = new Http(server.url());
            t0 = System.nanoTime();
            Http.Response list = http.get("/apis/kueue.x-k8s.io/v1beta2/workloads");
            double listSeconds = (System.nanoTime() - t0) / 1e9;
            assertThat(FakeKubeApiServerTest.items(list)).hasSize(n);
            try (Http.Watch replay = http.watch("/apis/kueue.x-k8s.io/v1beta2/namespaces/ns3/workloads?watch=true&resourceVersion=1")) {
                for (int i = 0; i < n / 10; i++) {
                    assertThat(replay.nextNonBookmark()).containsEntry("type", "ADDED");
                }
            }
            System.out.printf("fake server: %d direct puts in %.2f s; list of %d workloads (%d KiB) in %.3f s%n", n,
                    putSeconds, n, list.raw().body().length() / 1024, listSeconds);
        }
    }
}
