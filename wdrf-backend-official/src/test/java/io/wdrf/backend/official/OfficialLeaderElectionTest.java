package io.wdrf.backend.official;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.wdrf.engine.ManualClock;
import io.wdrf.testkit.FakeKubeApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.wdrf.testkit.Eventually.untilPasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Lease elector against the fake API server: mutual exclusion, release on close, takeover after expiry. */
class OfficialLeaderElectionTest {

    private FakeKubeApiServer server;
    private ApiClient api;

    @BeforeEach
    void setUp() {
        server = FakeKubeApiServer.start();
        api = new ClientBuilder().setBasePath(server.url()).setVerifyingSsl(false).build();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @SuppressWarnings("unchecked")
    private String holder() {
        return server.get("/apis/coordination.k8s.io/v1/namespaces/wdrf/leases/wdrf-leader")
                .map(l -> (String) ((Map<String, Object>) l.get("spec")).get("holderIdentity")).orElse(null);
    }

    @SuppressWarnings("unchecked")
    private Number transitions() {
        return server.get("/apis/coordination.k8s.io/v1/namespaces/wdrf/leases/wdrf-leader")
                .map(l -> (Number) ((Map<String, Object>) l.get("spec")).get("leaseTransitions")).orElse(null);
    }

    private OfficialLeaderElection elector(String id, Clock clock) {
        // expiry is measured on a monotonic ticker; here it follows the test's clock
        return new OfficialLeaderElection(api, "wdrf", "wdrf-leader", id, Duration.ofSeconds(4), Duration.ofSeconds(3),
                Duration.ofMillis(100), clock, () -> clock.millis() * 1_000_000L);
    }

    @Test
    void twoCandidatesOneLeaderAndHandOverOnClose() throws Exception {
        AtomicInteger aStart = new AtomicInteger();
        AtomicInteger aStop = new AtomicInteger();
        AtomicInteger bStart = new AtomicInteger();
        try (OfficialLeaderElection a = elector("a", Clock.systemUTC());
             OfficialLeaderElection b = elector("b", Clock.systemUTC())) {
            a.start(aStart::incrementAndGet, aStop::incrementAndGet);
            untilPasses(Duration.ofSeconds(10), () -> assertThat(a.isLeader()).isTrue());
            b.start(bStart::incrementAndGet, () -> { });
            for (int i = 0; i < 10; i++) {
                Thread.sleep(100);
                assertThat(b.isLeader()).as("b must not lead while a renews").isFalse();
            }
            assertThat(holder()).isEqualTo("a");
            a.close();
            assertThat(a.isLeader()).isFalse();
            assertThat(aStop.get()).isEqualTo(1);
            // released: b takes over well before the 4 s lease would expire
            untilPasses(Duration.ofSeconds(2), () -> assertThat(b.isLeader()).isTrue());
            assertThat(holder()).isEqualTo("b");
            assertThat(transitions().intValue()).isEqualTo(1);
            assertThat(aStart.get()).isEqualTo(1);
            // the start callback runs on the elector's thread after leadership is visible: wait for it, once
            untilPasses(Duration.ofSeconds(5), () -> assertThat(bStart.get()).isEqualTo(1));
            assertThatThrownBy(() -> a.start(() -> { }, () -> { })).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void crashedLeaderIsReplacedOnlyAfterTheLeaseDurationAsObserved() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-24T00:00:00Z"));
        OfficialLeaderElection a = elector("a", clock);
        OfficialLeaderElection b = elector("b", clock);
        AtomicInteger bStart = new AtomicInteger();
        AtomicInteger aStop = new AtomicInteger();
        a.bind(() -> { }, aStop::incrementAndGet);
        b.bind(bStart::incrementAndGet, () -> { });
        a.tick();
        assertThat(a.isLeader()).isTrue();
        b.tick();
        assertThat(b.isLeader()).isFalse();
        // a "crashes": it never ticks again; b only takes over after 4 s since it first saw a's record
        clock.advance(Duration.ofSeconds(3));
        b.tick();
        assertThat(b.isLeader()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        b.tick();
        assertThat(b.isLeader()).isTrue();
        assertThat(bStart.get()).isEqualTo(1);
        assertThat(holder()).isEqualTo("b");
        // a wakes up: its renewal must fail (the lease is b's) and it steps down after its renew deadline
        a.tick();
        assertThat(aStop.get()).as("renew deadline (3 s) long passed").isEqualTo(1);
        assertThat(a.isLeader()).isFalse();
        assertThat(holder()).isEqualTo("b");
        a.close();
        b.close();
        assertThat(holder()).as("b released on close").isNull();
    }

    @Test
    void rejectsRenewDeadlineNotShorterThanLease() {
        assertThatThrownBy(() -> new OfficialLeaderElection(api, "ns", "l", "x", Duration.ofSeconds(2),
                Duration.ofSeconds(2), Duration.ofMillis(100), Clock.systemUTC())).hasMessageContaining("renewDeadline");
    }
}
