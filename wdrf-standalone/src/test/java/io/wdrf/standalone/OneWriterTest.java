package io.wdrf.standalone;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.typesafe.config.ConfigFactory;
import io.wdrf.api.Workload;
import io.wdrf.api.WorkloadId;
import io.wdrf.engine.CycleReport;
import io.wdrf.testkit.FakeKubeApiServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two controllers on one fake API server whose write audit records the Lease holder at the arrival of every write:
 * whatever happens to the leader, no write of a replica that does not hold the Lease is accepted. Faults: only the
 * leader's Lease requests are cut off while it is in the middle of a slow write batch (Lease-only partition and
 * mid-batch loss at once), with the two replicas' clocks 60 s apart (±30 s); then the standby leads, writes, and the
 * final state is what the engine computes.
 */
class OneWriterTest {

    private static final String LEASE_NS = "wdrf-system";
    private static final String LEASE = "wdrf-controller";

    private static Settings settings(String backend, String url, String identity, boolean dryRun) {
        return ConfigLoader.settings(ConfigLoader.load(null, Map.of(), Map.of(), ConfigFactory.parseString("""
                wdrf {
                  backend = %s
                  kube.master-url = "%s"
                  loop-interval = 500ms
                  debounce = 50ms
                  dry-run = %s
                  write { min-delta = 0, qps = 1000, burst = 1000 }
                  leader-election { identity = %s, lease-duration = 3s, renew-deadline = 2s, retry-period = 200ms }
                }
                """.formatted(backend, url, dryRun, identity)), OneWriterTest.class.getClassLoader()), Map.of());
    }

    private static Controller controller(String backend, String url, String identity, Duration skew) {
        Clock clock = Clock.offset(Clock.systemUTC(), skew);
        Injector in = Wiring.injector(settings(backend, url, identity, false), new AbstractModule() {
            @Override
            protected void configure() {
                bind(Clock.class).toInstance(clock);
            }
        });
        return in.getInstance(Controller.class);
    }

    private static List<String> nonHolderWrites(FakeKubeApiServer server) {
        List<String> bad = new ArrayList<>();
        for (FakeKubeApiServer.AuditedWrite w : server.auditedWrites()) {
            String ua = w.request().userAgent();
            String id = ua.startsWith("wdrf/") ? ua.substring("wdrf/".length()) : ua;
            if (w.succeeded() && !id.equals(w.leaseHolderAtArrival())) {
                bad.add(w.request().method() + " " + w.request().path() + " by " + id + " while "
                        + (w.leaseHolderAtArrival().isEmpty() ? "nobody" : w.leaseHolderAtArrival()) + " held the Lease");
            }
        }
        return bad;
    }

    private static long writesBy(FakeKubeApiServer server, String id) {
        return server.auditedWrites().stream().filter(FakeKubeApiServer.AuditedWrite::succeeded)
                .filter(w -> w.request().userAgent().equals("wdrf/" + id)).count();
    }

    @ParameterizedTest
    @ValueSource(strings = {"fabric8", "official"})
    void aLeaderCutOffFromItsLeaseMidBatchStopsWritingBeforeTheStandbyTakesOver(String backend) throws Exception {
        try (FakeCluster cluster = new FakeCluster()) {
            FakeKubeApiServer server = cluster.server();
            server.auditWritesAgainstLease(LEASE_NS, LEASE);
            Controller a = controller(backend, cluster.url(), "a", Duration.ofSeconds(-30));
            Controller b = controller(backend, cluster.url(), "b", Duration.ofSeconds(30));
            try {
                a.start(false);
                FakeCluster.await(Duration.ofSeconds(30), "a leads and prioritises everything",
                        () -> cluster.leaseHolder(LEASE_NS, LEASE).orElse("").equals("a") && cluster.allPrioritized());
                b.start(false);
                // b's clock is 60 s ahead of a's: a healthy a is not deposed
                Thread.sleep(1500);
                assertThat(cluster.leaseHolder(LEASE_NS, LEASE)).hasValue("a");

                // a slow write batch: 40 new workloads, every PATCH of a takes 250 ms
                server.faults().delay("/workloads/", "wdrf/a", Duration.ofMillis(250));
                List<WorkloadId> fresh = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    WorkloadId id = new WorkloadId("vision", "burst-" + i);
                    fresh.add(id);
                    Workload w = new DemoScenario.Job(id.namespace(), id.name(), Duration.ZERO, Duration.ofMinutes(5),
                            1, "1", "1Gi", 1, 0, 0, null).toWorkload(Instant.parse("2026-01-05T10:00:00Z"));
                    cluster.fixture.upsert(w);
                }
                long before = writesBy(server, "a");
                FakeCluster.await(Duration.ofSeconds(20), "a is in the middle of the batch",
                        () -> writesBy(server, "a") >= before + 2);
                // mid-batch, only a's Lease requests are cut off
                server.faults().failAlways("*", "/leases", "wdrf/a", 503);

                assertThat(a.awaitStop(20, TimeUnit.SECONDS)).as("a steps down and stops").isTrue();
                FakeCluster.await(Duration.ofSeconds(30), "b leads and prioritises the burst",
                        () -> cluster.leaseHolder(LEASE_NS, LEASE).orElse("").equals("b")
                                && fresh.stream().allMatch(id -> cluster.priority(id) != null));
                assertThat(writesBy(server, "a")).as("a wrote part of the batch").isLessThan(before + 40);
                assertThat(writesBy(server, "b")).as("b wrote the rest").isPositive();
                assertThat(nonHolderWrites(server)).as("writes accepted from a replica not holding the Lease")
                        .isEmpty();
            } finally {
                a.close();
                b.close();
                server.faults().clear();
            }
            // the final state is what the engine computes for it: a fresh dry-run evaluation wants no change
            Controller check = Wiring.injector(settings(backend, cluster.url(), "check", true))
                    .getInstance(Controller.class);
            try {
                CycleReport r = check.runOnce(Duration.ofSeconds(20));
                assertThat(r.ok()).isTrue();
                assertThat(r.updates()).as("pending workloads not at the computed priority").isEmpty();
                assertThat(r.pending()).isGreaterThanOrEqualTo(40);
            } finally {
                check.close();
            }
            assertThat(nonHolderWrites(server)).isEmpty();
        }
    }
}
