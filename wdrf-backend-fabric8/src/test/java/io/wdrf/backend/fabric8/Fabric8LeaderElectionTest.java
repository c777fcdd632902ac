package io.wdrf.backend.fabric8;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static io.wdrf.testkit.Eventually.untilPasses;
import static org.assertj.core.api.Assertions.assertThat;

/** Two electors on one Lease in fabric8's CRUD mock: exactly one leads; closing it hands over. */
@EnableKubernetesMockClient(crud = true, https = false)
class Fabric8LeaderElectionTest {

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void onlyOneLeaderAndReleaseOnClose() throws Exception {
        AtomicInteger aStarts = new AtomicInteger();
        AtomicInteger bStarts = new AtomicInteger();
        AtomicInteger aStops = new AtomicInteger();
        Duration lease = Duration.ofSeconds(4);
        Duration renew = Duration.ofSeconds(3);
        Duration retry = Duration.ofMillis(200);
        try (Fabric8LeaderElection a = new Fabric8LeaderElection(client, "wdrf", "wdrf-leader", "a", lease, renew, retry);
             Fabric8LeaderElection b = new Fabric8LeaderElection(client, "wdrf", "wdrf-leader", "b", lease, renew, retry)) {
            a.start(aStarts::incrementAndGet, aStops::incrementAndGet);
            untilPasses(Duration.ofSeconds(10), () -> assertThat(a.isLeader()).isTrue());
            b.start(bStarts::incrementAndGet, () -> { });
            // b keeps campaigning for a while but must never lead while a renews
            for (int i = 0; i < 10; i++) {
                Thread.sleep(100);
                assertThat(a.isLeader() && b.isLeader()).as("two leaders").isFalse();
                assertThat(b.isLeader()).isFalse();
            }
            var held = client.leases().inNamespace("wdrf").withName("wdrf-leader").get();
            assertThat(held.getSpec().getHolderIdentity()).isEqualTo("a");
            a.close();
            untilPasses(Duration.ofSeconds(10), () -> assertThat(b.isLeader()).isTrue());
            assertThat(a.isLeader()).isFalse();
            assertThat(aStarts.get()).isEqualTo(1);
            // the start callback runs on the elector's thread after leadership is visible: wait for it, once
            untilPasses(Duration.ofSeconds(5), () -> assertThat(bStarts.get()).isEqualTo(1));
            untilPasses(Duration.ofSeconds(5), () -> assertThat(aStops.get()).isEqualTo(1));
            assertThat(client.leases().inNamespace("wdrf").withName("wdrf-leader").get().getSpec().getHolderIdentity())
                    .isEqualTo("b");
        }
    }
}
