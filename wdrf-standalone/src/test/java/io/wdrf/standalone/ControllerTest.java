package io.wdrf.standalone;

import com.typesafe.config.ConfigFactory;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wdrf.backend.common.LeaderElection;
import io.wdrf.engine.WdrfEngine;
import io.wdrf.kueue.InMemoryCluster;
import io.wdrf.engine.ManualClock;
import io.wdrf.testkit.Eventually;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class ControllerTest {

    /** A lock shared by fake electors, as a Lease is shared by replicas. */
    static final class FakeElection implements LeaderElection {
        private final AtomicReference<String> lock;
        private final String id;
        private final AtomicBoolean leader = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();
        final AtomicInteger closes = new AtomicInteger();
        private Thread thread;

        FakeElection(AtomicReference<String> lock, String id) {
            this.lock = lock;
            this.id = id;
        }

        @Override
        public void start(Runnable onStarted, Runnable onStopped) {
            thread = new Thread(() -> {
                while (!closed.get()) {
                    if (!leader.get() && lock.compareAndSet(null, id)) {
                        leader.set(true);
                        onStarted.run();
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "fake-elector-" + id);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public boolean isLeader() {
            return leader.get();
        }

        @Override
        public void close() {
            closes.incrementAndGet();
            closed.set(true);
            if (leader.getAndSet(false)) {
                lock.compareAndSet(id, null);
            }
        }
    }

    private static int status(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void onlyTheLeaderWritesAndShutdownReleasesTheLease() throws Exception {
        Settings s = ConfigLoader.settings(ConfigLoader.load(null, Map.of(), Map.of(), ConfigFactory.parseString("""
                wdrf {
                  backend = memory
                  loop-interval = 100ms
                  debounce = 0s
                  http { bind = "127.0.0.1", port = 0 }
                  leader-election { lease-duration = 600ms, renew-deadline = 400ms, retry-period = 100ms }
                }
                """), getClass().getClassLoader()), Map.of());
        ManualClock clock = new ManualClock(DemoScenario.START);
        InMemoryCluster cluster = DemoScenario.cluster(clock, true);
        WdrfEngine engine = WdrfEngine.builder().config(s.policyConfig()).clock(clock).build();
        AtomicReference<String> lease = new AtomicReference<>("other-replica");
        FakeElection election = new FakeElection(lease, "me");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Controller c = new Controller(s, new Backend("memory", cluster, cluster, election, null), engine,
                new Metrics(registry), registry, null);
        try {
            c.start(true);
            int port = c.httpPort();
            assertThat(status(port, "/healthz")).isEqualTo(200);
            // standby: cycles run, priorities are computed, nothing is written
            Eventually.await(Duration.ofSeconds(10), "standby cycles",
                    () -> registry.scrape().contains("wdrf_cycles_total{result=\"ok\"}")
                            && !registry.scrape().contains("wdrf_cycles_total{result=\"ok\"} 0.0")
                            && !registry.scrape().contains("wdrf_priority_writes_total{outcome=\"skipped\"} 0.0"));
            assertThat(cluster.totalWrites()).isZero();
            assertThat(c.mayWrite()).isFalse();
            assertThat(registry.scrape()).contains("wdrf_leader 0.0");
            // after the lease duration a standby knows it is not the leader: ready (it keeps serving metrics)
            Eventually.await(Duration.ofSeconds(10), "standby ready", () -> {
                try {
                    return status(port, "/readyz") == 200;
                } catch (Exception e) {
                    return false;
                }
            });

            // the other replica goes away: this one takes the Lease and writes
            lease.set(null);
            Eventually.await(Duration.ofSeconds(10), "writes after taking the lease", () -> cluster.totalWrites() > 0);
            assertThat(lease.get()).isEqualTo("me");
            assertThat(registry.scrape()).contains("wdrf_leader 1.0");
            // Events follow the batch's writes (each write is fenced and sent on its own)
            Eventually.await(Duration.ofSeconds(10), "events after the writes", () -> !cluster.events().isEmpty());
            assertThat(cluster.snapshot().workloads()).anySatisfy(w ->
                    assertThat(w.annotations()).containsKey("wdrf.x-k8s.io/explanation"));
        } finally {
            c.close();
        }
        c.close(); // idempotent
        assertThat(election.closes.get()).isEqualTo(1);
        assertThat(lease.get()).isNull();
        long writes = cluster.totalWrites();
        Thread.sleep(250);
        assertThat(cluster.totalWrites()).isEqualTo(writes);
    }

    @Test
    void losingTheLeaseStopsTheController() throws Exception {
        Settings s = ConfigLoader.settings(ConfigLoader.load(null, Map.of(), Map.of(), ConfigFactory.parseString("""
                wdrf { backend = memory, loop-interval = 1h, leader-election { lease-duration = 600ms, renew-deadline = 400ms, retry-period = 100ms } }
                """), getClass().getClassLoader()), Map.of());
        ManualClock clock = new ManualClock(DemoScenario.START);
        InMemoryCluster cluster = DemoScenario.cluster(clock, false);
        AtomicReference<Runnable> stop = new AtomicReference<>();
        LeaderElection election = new LeaderElection() {
            private volatile boolean leader;

            @Override
            public void start(Runnable onStarted, Runnable onStopped) {
                leader = true;
                stop.set(() -> {
                    leader = false;
                    onStopped.run();
                });
                onStarted.run();
            }

            @Override
            public boolean isLeader() {
                return leader;
            }

            @Override
            public void close() {
                leader = false;
            }
        };
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Controller c = new Controller(s, new Backend("memory", cluster, cluster, election, null),
                WdrfEngine.builder().clock(clock).build(), new Metrics(registry), registry, null);
        c.start(false);
        assertThat(c.awaitStop(100, java.util.concurrent.TimeUnit.MILLISECONDS)).isFalse();
        stop.get().run();
        assertThat(c.awaitStop()).isEqualTo(1);
        c.close();
    }

    /** Issue 13.3: a cycle that fails every time (e.g. unrepresentable data) must not look ready. */
    @Test
    void readinessTurnsRedWhenEveryCycleFails() throws Exception {
        Settings s = ConfigLoader.settings(ConfigLoader.load(null, Map.of(), Map.of(), ConfigFactory.parseString("""
                wdrf {
                  backend = memory
                  loop-interval = 100ms
                  debounce = 0s
                  http { bind = "127.0.0.1", port = 0 }
                  leader-election.enabled = false
                }
                """), getClass().getClassLoader()), Map.of());
        ManualClock clock = new ManualClock(DemoScenario.START);
        InMemoryCluster cluster = DemoScenario.cluster(clock, true);
        AtomicBoolean broken = new AtomicBoolean(true);
        io.wdrf.api.ClusterView view = new io.wdrf.api.ClusterView() {
            @Override
            public io.wdrf.api.ClusterSnapshot snapshot() {
                if (broken.get()) {
                    throw new IllegalStateException("poisoned\r\nINFO forged");
                }
                return cluster.snapshot();
            }

            @Override
            public AutoCloseable addChangeListener(Runnable listener) {
                return cluster.addChangeListener(listener);
            }

            @Override
            public void close() {
            }
        };
        WdrfEngine engine = WdrfEngine.builder().config(s.policyConfig()).clock(clock).build();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Controller c = new Controller(s, new Backend("memory", view, cluster, null, null), engine,
                new Metrics(registry), registry, null);
        try {
            c.start(true);
            int port = c.httpPort();
            Eventually.await(Duration.ofSeconds(10), "failed cycles make it unready",
                    () -> c.notReady() != null && c.notReady().contains("reconcile cycles failed"));
            assertThat(status(port, "/readyz")).isEqualTo(503);
            assertThat(c.notReady()).doesNotContain("\r").doesNotContain("\n");
            assertThat(status(port, "/healthz")).as("liveness: the loop runs; a restart would not help").isEqualTo(200);
            broken.set(false);
            Eventually.await(Duration.ofSeconds(10), "ready again after a good cycle", () -> c.notReady() == null);
            assertThat(status(port, "/readyz")).isEqualTo(200);
        } finally {
            c.close();
            cluster.close();
        }
    }
}
